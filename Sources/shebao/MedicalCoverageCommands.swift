import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations

/// `shebao insurance coverage|propose-coverage|decide-coverage`: a struggling enterprise's staff
/// insured for inpatient pooling only from a month (PROGRAMS.md §2.8), proposed by one person and
/// approved by another.
extension InsuranceCommand {
    static func printCoverage(_ change: MedicalCoverageChange) {
        Swift.print("\(change.id)\t\(change.employerID)\t\(change.from)\t\(CLI.label(change.coverage))\t\(change.funding.map { CLI.label($0) } ?? "—")\t"
                    + "\(CLI.label(change.state))\t\(change.proposedBy)\t\(change.decidedBy ?? "—")\t\(change.employerName)")
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Units' medical coverage changes: one unit's (with this month's coverage), or every unit's approved or waiting in the user's scope.")
        @Option(help: "The unit's number (id); every unit's when left out.") var employer: Int64?
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (changes, now) = try await database.run { operations in
                let principal = try await operations.access.principal(named: user)
                guard let employer else { return (try await operations.insurance.medicalCoverageChanges(by: principal), nil as String?) }
                let coverage = try await operations.insurance.medicalCoverage(of: employer, by: principal)
                return (coverage.changes, "\(CLI.label(coverage.inForce?.coverage ?? .full))\t\(coverage.earliestFrom)")
            }
            if let now { Swift.print(now) }
            changes.forEach(InsuranceCommand.printCoverage)
        }
    }

    struct ProposeCoverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "propose-coverage", abstract: "Propose inpatient pooling only (or full coverage again) for a unit's staff from a month.")
        @Option(help: "The unit's number (id).") var employer: Int64
        @Option(help: "inpatient_only or full.") var coverage: String
        @Option(help: "The first month, YYYY-MM (not one already assessed).") var from: String
        @Option(help: "For inpatient_only: asset_disposal or supervising_department.") var funding = ""
        @Option(help: "The grounds.") var note: String
        @Option(help: "The district clerk proposing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let change = try await database.run { operations in
                try await operations.insurance.proposeMedicalCoverage(employer: employer, coverage: coverage, from: from, funding: funding, note: note,
                                                                      by: try await operations.access.principal(named: user))
            }
            InsuranceCommand.printCoverage(change)
        }
    }

    struct DecideCoverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide-coverage", abstract: "Approve or reject a proposed coverage change (a reviewer who did not propose it).")
        @Argument(help: "The change's number.") var id: Int64
        @Flag(help: "Approve it.") var approve = false
        @Flag(help: "Reject it (say why with --note).") var reject = false
        @Option(help: "The decision's note.") var note = ""
        @Option(help: "The reviewer.") var user: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard approve != reject else { throw ValidationError("Give exactly one of --approve and --reject.") }
        }

        func run() async throws {
            let change = try await database.run { operations in
                try await operations.insurance.decideMedicalCoverage(id, approve: approve, note: note, by: try await operations.access.principal(named: user))
            }
            InsuranceCommand.printCoverage(change)
        }
    }
}
