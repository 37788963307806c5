public import ArgumentParser
import Foundation
public import ShebaoCore
import ShebaoOperations
public import ShebaoStore

extension CollectionStore.RateGrouping: ExpressibleByArgument {}
extension EnrolmentEnd: ExpressibleByArgument {}

/// `shebao insurance collections|queue|settle|rates|statement|verify`: collection with the tax
/// bureau and the rights record from the command line.
struct InsuranceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insurance", abstract: "Social insurance: the tax bureau's collection files, the queue, collection rates, statements.",
        subcommands: [Enrol.self, End.self, Transfer.self, StaffChanges.self, Bases.self, OwnBase.self, Headcount.self,
                      Collections.self, Queue.self, Settle.self, Rates.self, Statement.self, Verify.self, Coverage.self, ProposeCoverage.self, DecideCoverage.self])

    /// Prints an applied unit file's count, or its issues and exits 1.
    static func report(_ outcome: UnitFileOutcome) throws {
        guard outcome.accepted else {
            CLI.printIssues(outcome.issues)
            throw ExitCode(1)
        }
        Swift.print(CLI.text("unit.file_done", ["rows": String(outcome.applied)]))
    }

    static func read(_ file: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: file) else {
            CLI.printError(CLI.text("error.file.unreadable", ["file": file]))
            throw ExitCode(1)
        }
        return data
    }

    static func list(_ enrolments: [Enrolment]) {
        for enrolment in enrolments {
            Swift.print("#\(enrolment.id)\t\(enrolment.personID)\t\(enrolment.scheme.rawValue)\t\(enrolment.employerName ?? "")\t\(enrolment.start)\t"
                        + "\(enrolment.end?.description ?? "")\t\(enrolment.endReason ?? "")")
        }
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol a registered person with a unit (each of its schemes), or on their own account.")
        @Option(help: "The person's resident ID.") var residentId: String
        @Option(help: "The unit's number (id); without it, self-employed in pension and medical.") var employer: Int64?
        @Option(help: "The first month, YYYY-MM.") var from: String
        @Option(help: "The clerk (or the unit's agent).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let created = try await database.run { operations in
                try await operations.insurance.enrol(residentID: residentId, employer: employer, from: from, by: try await operations.access.principal(named: user))
            }
            InsuranceCommand.list(created)
        }
    }

    struct OwnBase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "own-base", abstract: "Declare the base of a person insured on their own account (pension and medical) for a year.")
        @Option(help: "The person's resident ID.") var residentId: String
        @Option(help: "The year, YYYY.") var year: Int
        @Option(help: "The monthly base in yuan, e.g. 4800.00.") var base: String
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let declared = try await database.run { operations in
                try await operations.insurance.declareOwnBase(residentID: residentId, year: year, declared: base, by: try await operations.access.principal(named: user))
            }
            Swift.print(CLI.text("own_account.done.declared") + " \(year): \(declared.formatted)")
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an enrolment with its last month and reason (interrupted, left_unit, retired, died, moved_away).")
        @Argument(help: "The enrolment's number.") var id: Int64
        @Option(help: "The last month covered, YYYY-MM.") var last: String
        @Option(help: "Why.") var reason: EnrolmentEnd
        @Option(help: "The clerk (or the unit's agent).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let ended = try await database.run { operations in
                try await operations.insurance.endEnrolment(id, last: last, reason: reason, by: try await operations.access.principal(named: user))
            }
            InsuranceCommand.list([ended])
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a person from one unit to another (by credit code) from a month.")
        @Argument(help: "The person's number (id).") var person: Int64
        @Option(help: "The unit they leave (id).") var from: Int64
        @Option(help: "The credit code of the unit they join.") var to: String
        @Option(help: "The first month with the new unit, YYYY-MM.") var start: String
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let created = try await database.run { operations in
                try await operations.insurance.transfer(person, from: from, toCreditCode: to, start: start, by: try await operations.access.principal(named: user))
            }
            InsuranceCommand.list(created)
        }
    }

    struct StaffChanges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a unit's staff-changes file (增减员); any bad row rejects it whole.")
        @Argument(help: "The CSV or XLSX file.") var file: String
        @Option(help: "The unit's number (id).") var employer: Int64
        @Option(help: "The clerk (or the unit's agent).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data = try InsuranceCommand.read(file)
            try InsuranceCommand.report(try await database.run { operations in
                try await operations.insurance.importStaffChanges(data, fileName: (file as NSString).lastPathComponent, employer: employer,
                                                                  by: try await operations.access.principal(named: user))
            })
        }
    }

    struct Bases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a unit's yearly base declaration file; any bad row rejects it whole.")
        @Argument(help: "The CSV or XLSX file.") var file: String
        @Option(help: "The unit's number (id).") var employer: Int64
        @Option(help: "The clerk (or the unit's agent).") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data = try InsuranceCommand.read(file)
            try InsuranceCommand.report(try await database.run { operations in
                try await operations.insurance.declareBases(employer, fileName: (file as NSString).lastPathComponent, data: data,
                                                            by: try await operations.access.principal(named: user))
            })
        }
    }

    struct Headcount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A unit's enrolled headcount per scheme in a month.")
        @Option(help: "The unit's number (id).") var employer: Int64
        @Option(help: "YYYY-MM.") var period: String
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let month = Period(period) else { throw CLI.fail(ServiceError.invalid("period", "period.invalid", ["value": period])) }
            let unit = try await database.run { operations in
                try await operations.insurance.unitInsurance(employer, period: month, by: try await operations.access.principal(named: user))
            }
            for scheme in Scheme.allCases where unit.schemes.contains(scheme) { Swift.print("\(scheme.rawValue)\t\(unit.headcount[scheme] ?? 0)") }
        }
    }

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
                print("#\(line.id)\t\(line.voucher)\t\(line.payer.creditCode ?? line.payer.residentID?.masked ?? "")\t\(line.period)\t\(line.scheme.rawValue)\t\(line.amount.decimalString)\t"
                      + "\(line.paidOn)\t\(line.note.map { CLI.text($0) } ?? "")")
            }
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a queued line: match it to a unit by credit code or to a person on their own account by resident ID, or return it to the tax bureau.")
        @Argument(help: "The line's number.") var id: Int64
        @Option(help: "The unit's credit code to match it to.") var creditCode: String?
        @Option(help: "The resident ID of the person (insured on their own account) to match it to.") var residentID: String?
        @Flag(name: .customLong("return"), help: "Return it to the tax bureau.") var returning = false
        @Option(help: "Why.") var note: String
        @Option(help: "The clerk or fund accountant settling it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            let named = [creditCode, residentID].compactMap { $0 }.count
            guard named + (returning ? 1 : 0) == 1 else { throw ValidationError("Give one of --credit-code, --resident-id or --return.") }
        }

        func run() async throws {
            let line = try await database.run { operations in
                try await operations.insurance.resolveCollection(id, returning ? .returnToTaxBureau : .match(creditCode: creditCode, residentID: residentID),
                                                                 note: note, by: try await operations.access.principal(named: user))
            }
            print("#\(line.id)\t\(CLI.label(line.state))\t\(line.employerName ?? line.personName ?? "")")
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
