public import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
public import ShebaoStore

extension CollectionStore.RateGrouping: ExpressibleByArgument {}

/// `shebao insurance collections|queue|settle|rates|statement|verify`: collection with the tax
/// bureau and the rights record from the command line.
struct InsuranceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insurance", abstract: "Social insurance: the tax bureau's collection files, the queue, collection rates, statements.",
        subcommands: [Collections.self, Queue.self, Settle.self, Rates.self, Statement.self, Verify.self])

    struct Collections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a tax-bureau collection file (CSV or XLSX); any bad row rejects it whole, a file imported before changes nothing.")
        @Argument(help: "The file.") var file: String
        @Option(help: "The clerk or fund accountant importing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                CLI.printError(CLI.text("error.file.unreadable", ["file": file]))
                throw ExitCode(1)
            }
            let outcome = try await database.run { operations in
                try await operations.insurance.importCollections(data, fileName: (file as NSString).lastPathComponent,
                                                                 by: try await operations.access.principal(named: user))
            }
            guard outcome.accepted else {
                CLI.printIssues(outcome.issues)
                throw ExitCode(1)
            }
            print(CLI.text(outcome.repeated ? "collection.repeated" : "collection.imported",
                           ["file": outcome.fileName, "matched": String(outcome.matched), "unmatched": String(outcome.unmatched)]))
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The collection lines waiting in the queue.")
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let lines = try await database.run { operations in
                try await operations.insurance.unmatchedCollections(by: try await operations.access.principal(named: user))
            }
            for line in lines {
                print("#\(line.id)\t\(line.voucher)\t\(line.creditCode)\t\(line.period)\t\(line.scheme.rawValue)\t\(line.amount.decimalString)\t"
                      + "\(line.paidOn)\t\(line.note.map { CLI.text($0) } ?? "")")
            }
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Settle a queued line: match it to a unit by credit code, or return it to the tax bureau.")
        @Argument(help: "The line's number.") var id: Int64
        @Option(help: "The unit's credit code to match it to.") var creditCode: String?
        @Flag(name: .customLong("return"), help: "Return it to the tax bureau.") var returning = false
        @Option(help: "Why.") var note: String
        @Option(help: "The clerk or fund accountant settling it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (creditCode == nil) == returning else { throw ValidationError("Give either --credit-code or --return.") }
        }

        func run() async throws {
            let line = try await database.run { operations in
                try await operations.insurance.resolveCollection(id, creditCode: creditCode, note: note, by: try await operations.access.principal(named: user))
            }
            print("#\(line.id)\t\(CLI.label(line.state))\t\(line.employerName ?? "")")
        }
    }

    struct Rates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The collection rate of a month by scheme, township or unit.")
        @Option(help: "YYYY-MM.") var period: String
        @Option(help: "scheme, township or unit.") var by: CollectionStore.RateGrouping = .scheme
        @Option(help: "The user whose scope applies.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let month = Period(period) else { throw CLI.fail(ServiceError.invalid("period", "period.invalid", ["value": period])) }
            let rates = try await database.run { operations in
                try await operations.insurance.rates(period: month, by: by, by: try await operations.access.principal(named: user))
            }
            for rate in rates {
                let percent = rate.perMille.map { "\($0 / 10).\($0 % 10)%" } ?? "—"
                print("\(rate.key)\t\(rate.name)\t\(rate.assessed.decimalString)\t\(rate.collected.decimalString)\t\(percent)")
            }
        }
    }

    struct Statement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a person's statement and print its verification code.")
        @Argument(help: "The person's number (id).") var person: Int64
        @Option(help: "The user issuing it (a clerk in scope, or the citizen).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (code, content) = try await database.run { operations in
                try await operations.insurance.issueStatement(of: person, by: try await operations.access.principal(named: user))
            }
            print("\(code)\t\(content.name)\t\(content.residentID)\t\(content.record.balance.decimalString)")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a statement's verification code; exit 1 when no statement has it.")
        @Argument(help: "The code.") var code: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (content, issuedAt) = try await database.run { try await $0.insurance.verifyStatement(code: code) }
            print("\(content.name)\t\(content.residentID)\t\(issuedAt)\t\(content.record.balance.decimalString)")
            for months in content.record.months { print("\(months.scheme.rawValue)\t\(months.months)") }
        }
    }
}
