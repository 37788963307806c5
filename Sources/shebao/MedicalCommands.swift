import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao medical …`: designated hospitals and pharmacies — their agreements, inspections and
/// the decisions on them, pharmacies' purchase files and the fund's settlements with them.
/// Inpatient claims are cases, opened on the person's page or over the API.
struct MedicalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medical", abstract: "Designated institutions: agreements, inspections, purchases from individual accounts, settlements.",
        subcommands: [Institutions.self, Add.self, Renew.self, Inspect.self, Decide.self, Reinstate.self, Purchases.self, Settle.self])

    struct Institutions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The designated institutions in the user's scope, with what the fund owes each.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (institutions, owed) = try await database.run { operations in
                let principal = try await operations.access.principal(named: user)
                return (try await operations.benefits.medicalInstitutions(by: principal), try await operations.benefits.institutionsOwed(by: principal))
            }
            for item in institutions {
                print("\(item.id)\t\(item.code)\t\(CLI.label(item.kind))\t\(item.level.map { CLI.label($0) } ?? "—")\t\(item.region.value)\t"
                      + "\(item.agreementFrom)…\(item.agreementTo)\t\(CLI.label(item.status))\t\(item.name)\t\((owed[item.id] ?? .zero).decimalString)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a designated hospital or pharmacy under a service agreement.")
        @Option(help: "The agreement number.") var code: String
        @Option(help: "The institution's name.") var name: String
        @Option(help: "hospital or pharmacy.") var kind: String
        @Option(help: "A hospital's level: community, district or city.") var level = ""
        @Option(help: "The region code of its town or street.") var region: String
        @Option(help: "The agreement's first day, YYYY-MM-DD.") var from: String
        @Option(help: "The agreement's last day, YYYY-MM-DD.") var to: String
        @Option(help: "The district clerk adding it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let added = try await database.run { operations in
                try await operations.benefits.addMedicalInstitution(code: code, name: name, kind: kind, level: level, region: region, agreementFrom: from,
                                                                    agreementTo: to, by: try await operations.access.principal(named: user))
            }
            print("\(added.id)\t\(added.code)\t\(added.name)")
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Renew an institution's agreement to a later day.")
        @Argument(help: "The institution's number.") var id: Int64
        @Option(help: "The new last day, YYYY-MM-DD.") var to: String
        @Option(help: "The district clerk renewing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let renewed = try await database.run { operations in
                let principal = try await operations.access.principal(named: user)
                let current = try await operations.benefits.medicalInstitution(id, by: principal).institution
                return try await operations.benefits.renewAgreement(id, until: to, version: current.version, by: principal)
            }
            print("\(renewed.id)\t\(renewed.agreementFrom)…\(renewed.agreementTo)")
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an inspection and the measure proposed (a reviewer decides it).")
        @Argument(help: "The institution's number.") var id: Int64
        @Option(help: "scheduled or unscheduled.") var kind = "scheduled"
        @Option(help: "The day of the inspection, YYYY-MM-DD.") var on: String
        @Option(help: "What the inspection found.") var findings: String
        @Option(help: "none, warning, fine, suspend or exit.") var measure: String
        @Option(help: "The fine in yuan, if any.") var fine = ""
        @Option(help: "The inspector (a district clerk).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let inspection = try await database.run { operations in
                try await operations.benefits.recordInspection(institution: id, kind: kind, inspectedOn: on, findings: findings, measure: measure, fine: fine,
                                                               by: try await operations.access.principal(named: user))
            }
            print(inspection)
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm or reject an inspection's measure (a reviewer who did not inspect).")
        @Argument(help: "The inspection's number.") var id: Int64
        @Flag(help: "Reject the measure instead of confirming it (give --note).") var reject = false
        @Option(help: "Why (required to reject).") var note = ""
        @Option(help: "The reviewer.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { operations in
                try await operations.benefits.decideInspection(id, confirm: !reject, note: note, by: try await operations.access.principal(named: user))
            }
            print(CLI.text(reject ? "inspection_state.rejected" : "inspection_state.confirmed"))
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended agreement once the institution has put things right (a reviewer).")
        @Argument(help: "The institution's number.") var id: Int64
        @Option(help: "How it put things right.") var note: String
        @Option(help: "The reviewer.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let reinstated = try await database.run { operations in
                let principal = try await operations.access.principal(named: user)
                let current = try await operations.benefits.medicalInstitution(id, by: principal).institution
                return try await operations.benefits.reinstateInstitution(id, version: current.version, note: note, by: principal)
            }
            print("\(reinstated.id)\t\(CLI.label(reinstated.status))")
        }
    }

    struct Purchases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take in an institution's purchases paid from individual accounts (单据号, 公民身份号码, 消费日期, 金额); any bad row refuses the file.")
        @Argument(help: "The institution's number.") var id: Int64
        @Argument(help: "The file (CSV or XLSX).") var file: String
        @Option(help: "The district clerk taking it in.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data = try PayrollCommand.read(file)
            let outcome = try await database.run { operations in
                try await operations.benefits.importPurchases(institution: id, data: data, fileName: (file as NSString).lastPathComponent,
                                                              by: try await operations.access.principal(named: user))
            }
            guard outcome.issues.isEmpty else {
                CLI.printIssues(outcome.issues)
                throw ExitCode(1)
            }
            print(CLI.text("medical.purchases_recorded", ["count": String(outcome.recorded), "amount": outcome.amount.decimalString]))
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Settle with an institution for every purchase not yet settled (the fund accountant).")
        @Argument(help: "The institution's number.") var id: Int64
        @Option(help: "The bank transfer's reference.") var reference: String
        @Option(help: "The fund accountant.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settled = try await database.run { operations in
                try await operations.benefits.settleInstitution(id, reference: reference, by: try await operations.access.principal(named: user))
            }
            print("#\(settled.id)\t\(settled.purchases)\t\(settled.amount.decimalString)\t\(settled.reference)")
        }
    }
}
