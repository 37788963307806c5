public import ArgumentParser
import Foundation
public import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Fund: ExpressibleByArgument {}

/// `shebao ledger verify|balances|opening`: the fund ledger from the command line.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The fund ledger.", subcommands: [Verify.self, Balances.self, Opening.self, Sweep.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every entry and balance and check the ledger's invariants; exit 1 if any fails.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let result = try await database.run { try await $0.ledger.verify(by: nil) }
            if result.isIntact {
                print(CLI.text("ledger.verified", ["entries": String(result.entries), "lines": String(result.lines)]))
            } else {
                CLI.printError(CLI.text("ledger.broken", ["count": String(result.problems.count)]))
                for problem in result.problems { CLI.printError("  " + problem) }
                throw ExitCode(1)
            }
        }
    }

    struct Balances: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each fund's balance and payment capacity on a date.")
        @Option(help: "The user whose scope applies (a fund accountant, auditor or leader).") var user: String
        @Option(help: "YYYY-MM-DD (default today).") var date: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let positions = try await database.run { operations in
                let day = try date.map { text in
                    guard let day = LocalDate(iso: text) else { throw CLI.fail(ServiceError.invalid("date", "ledger.bad_date", ["date": text])) }
                    return day
                } ?? operations.clock.now().dateInChina
                return try await operations.ledger.positions(on: day, by: try await operations.access.principal(named: user))
            }
            for position in positions {
                let capacity = position.paymentCapacityMonths.map { CLI.text("ledger.capacity_months", ["months": $0]) }
                    ?? CLI.text("ledger.capacity_none")
                print("\(position.fund.rawValue)\t\(position.balance.decimalString)\t\(position.averageMonthlyExpenditure.decimalString)\t\(capacity)")
            }
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move what each fund's income deposit holds at a month's end to the fiscal special account (once per fund and month).")
        @Option(help: "YYYY-MM, a month that is over.") var period: String
        @Option(help: "The fund accountant (default: the operator at the command line).") var user: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let month = Period(period) else { throw CLI.fail(ServiceError.invalid("period", "period.invalid", ["value": period])) }
            let entries = try await database.run { operations in
                var principal: Principal?
                if let user { principal = try await operations.access.principal(named: user) }
                return try await operations.ledger.sweep(period: month, by: principal)
            }
            for entry in entries {
                print(CLI.text("ledger.swept", ["fund": CLI.label(entry.fund), "amount": entry.amount.decimalString, "id": String(entry.id)]))
            }
        }
    }

    struct Opening: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter a fund's opening balance (held in the fiscal special account), once per fund.")
        @Option(help: "The fund.") var fund: Fund
        @Option(help: "Yuan, e.g. 6800000.00.") var amount: String
        @Option(help: "YYYY-MM-DD.") var date: String
        @Option(help: "What it is.") var memo: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (entry, created) = try await database.run { operations in
                guard let day = LocalDate(iso: date) else { throw CLI.fail(ServiceError.invalid("date", "ledger.bad_date", ["date": date])) }
                let money: Money
                switch Result(catching: { () throws(MoneyParseError) -> Money in try Money.parse(amount) }) {
                case .success(let value): money = value
                case .failure(let error): throw CLI.fail(ServiceError.invalid("amount", error.code))
                }
                return try await operations.ledger.postOpening(fund: fund, amount: money, on: day, memo: memo)
            }
            print(CLI.text(created ? "ledger.opening_posted" : "ledger.opening_exists", ["id": String(entry.id), "fund": CLI.label(fund)]))
        }
    }
}
