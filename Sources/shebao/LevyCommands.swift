import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao assistance levy-issue|levy-bills|levy-pay`: the disabled-employment levy.
extension AssistanceCommand {
    static func printLevy(_ bill: LevyBill) {
        print("\(bill.id)\t\(bill.employerID)\t\(bill.employerName)\t\(bill.year)\tstaff \(bill.staff)\tdisabled \(bill.disabled)\t\(bill.mode)\t"
              + "\(bill.levy.decimalString)\t\(bill.dueOn)\t\(bill.state.rawValue)\t\(bill.paidOn?.description ?? "—")\t\(bill.surcharge.decimalString)")
    }

    struct LevyIssue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "levy-issue", abstract: "Issue a year's disabled-employment levy bills to the units below their quota.")
        @Option(help: "The year.") var year: String
        @Option(help: "The district clerk issuing them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let done = try await database.run { operations in
                try await operations.assistance.issueLevyBills(year: year, by: try await operations.access.principal(named: user))
            }
            print("units \(done.units), issued \(done.issued), billed before \(done.billedBefore), nothing due \(done.nothingDue), total \(done.total.decimalString)")
        }
    }

    struct LevyBills: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "levy-bills",
            abstract: "A year's levy bills: id, unit, name, year, staff, disabled, method, levy, due, state, paid on, surcharge.")
        @Option(help: "The year.") var year: Int
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let bills = try await database.run { operations in
                try await operations.assistance.levyBills(year: year, by: try await operations.access.principal(named: user))
            }
            bills.forEach(AssistanceCommand.printLevy)
        }
    }

    struct LevyPay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "levy-pay", abstract: "Record a unit's payment of its levy bill (the levy and any surcharge).")
        @Argument(help: "The bill.") var id: Int64
        @Option(help: "The amount paid, yuan.") var amount: String
        @Option(help: "The day paid, YYYY-MM-DD.") var paidOn: String
        @Option(help: "The fund accountant recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let bill = try await database.run { operations in
                try await operations.assistance.payLevy(id, amount: amount, paidOn: paidOn, by: try await operations.access.principal(named: user))
            }
            AssistanceCommand.printLevy(bill)
        }
    }
}
