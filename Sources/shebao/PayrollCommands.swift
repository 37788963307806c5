import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao payroll …`: pensions paid through banks — payment points, the bank files of a posted
/// payroll run, the banks' returns, the three-way reconciliation, pension accounts, the death
/// register and overpayments. The run itself is `shebao run payroll --period YYYY-MM`.
struct PayrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payroll", abstract: "Pensions paid through banks: bank files, returns, reconciliation, accounts, deaths, overpayments.",
        subcommands: [Points.self, Files.self, ImportReturn.self, Reconcile.self, Account.self, DecideAccount.self, ImportDeaths.self,
                      Overpayments.self, Recover.self, Survival.self, Certify.self, SuspendOverdue.self])

    static func read(_ file: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: file) else {
            CLI.printError(CLI.text("error.file.unreadable", ["file": file]))
            throw ExitCode(1)
        }
        return data
    }

    struct Points: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "points", abstract: "The payment points (bank branches and post offices) in the user's scope.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let points = try await database.run { operations in try await operations.benefits.paymentPoints(by: try await operations.access.principal(named: user)) }
            for point in points {
                print("\(point.id)\t\(point.bankCode)\t\(CLI.label(point.kind))\t\(point.region.value)\t\(point.name)\t\(point.pensions)")
            }
        }
    }

    struct Files: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the bank files of a posted payroll run into a folder: per bank, at most --per-file transfers each.")
        @Argument(help: "The payroll run's number.") var run: Int64
        @Option(help: "The folder the files are written to (created if missing).") var out: String
        @Option(help: "Transfers per file at most.") var perFile = 10_000
        @Option(help: "pain.001 (ISO 20022 pain.001.001.03) or text (序号|姓名|帐号|金额|身份证|, each bank's encoding).") var format = "pain.001"
        @Option(help: "The fund accountant or clerk writing them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let format = PayrollFile.Format(rawValue: format) else { throw ValidationError("--format: pain.001 or text") }
            let runID = run
            let files = try await BankFileFolder.with(out) { folder in
                try await database.run { operations in
                    try await operations.benefits.writePayrollFiles(run: runID, perFile: perFile, format: format, by: try await operations.access.principal(named: user)) {
                        file, data in try await folder.write(file, run: runID, data)
                    }
                }
            }
            for file in files { print("\(file.name(run: runID))\t\(file.count)\t\(file.amount.decimalString)") }
        }
    }

    struct ImportReturn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-return", abstract: "Import a bank's return (pain.002 or the text return): each line posts or voids its payment once.")
        @Argument(help: "The return file.") var file: String
        @Option(help: "The fund accountant or clerk importing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data = try PayrollCommand.read(file)
            let outcome = try await database.run { operations in
                try await operations.benefits.importReturn(data, fileName: (file as NSString).lastPathComponent, by: try await operations.access.principal(named: user))
            }
            let record = outcome.record
            print(CLI.text(outcome.repeated ? "bank_return.repeated" : "bank_return.imported", [
                "file": record.fileName, "paid": String(record.paidCount), "failed": String(record.failedCount), "quarantined": String(record.quarantinedCount),
            ]))
            for line in outcome.quarantined {
                print("\(line.lineNumber)\t\(line.endToEndID)\t\(line.amount.decimalString)\t\(CLI.text("bank_return_reason.\(line.reason)"))")
            }
        }
    }

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A payroll run's three-way reconciliation: payments, ledger, bank. Exits 1 when they differ.")
        @Argument(help: "The payroll run's number.") var run: Int64
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let runID = run
            let result = try await database.run { operations in
                try await operations.benefits.reconciliation(run: runID, by: try await operations.access.principal(named: user))
            }
            print("\t\(CLI.text("reconciliation.issued"))\t\(CLI.text("reconciliation.paid"))\t\(CLI.text("reconciliation.failed"))\t\(CLI.text("reconciliation.pending"))")
            for (key, side) in [("reconciliation.business", result.business), ("reconciliation.ledger", result.ledger), ("reconciliation.bank", result.bank)] {
                print("\(CLI.text(key))\t\(side.issued.decimalString)\t\(side.paid.decimalString) (\(side.paidCount))\t"
                      + "\(side.failed.decimalString) (\(side.failedCount))\t\(side.pending.decimalString)")
            }
            print(CLI.text(result.isReconciled ? "reconciliation.agrees" : "reconciliation.differs"))
            if !result.isReconciled { throw ExitCode(1) }
        }
    }

    struct Account: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose the account a person's pension is paid into (a reviewer decides).")
        @Option(help: "The retiree's resident ID.") var residentId: String
        @Option(help: "The payment point's number (see `payroll points`).") var point: String
        @Option(help: "The account number.") var account: String
        @Option(help: "Why (e.g. the old account was closed).") var reason: String
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                let clerk = try await operations.access.principal(named: user)
                guard let person = try await operations.registry.searchPersons(PersonSearchText(residentID: residentId), by: clerk).items.first else {
                    throw ServiceError.notFound
                }
                return try await operations.benefits.proposeAccount(personID: person.id, paymentPoint: point, account: account, reason: reason, by: clerk)
            }
            print("#\(id)")
        }
    }

    struct DecideAccount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decide-account", abstract: "Approve or reject a proposed pension account (a reviewer, not its proposer).")
        @Argument(help: "The change's number.") var id: Int64
        @Flag(help: "Reject instead of approving.") var reject = false
        @Option(help: "The reviewer.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let changeID = id
            try await database.run { operations in
                try await operations.benefits.decideAccount(changeID, approve: !reject, by: try await operations.access.principal(named: user))
            }
        }
    }

    struct ImportDeaths: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-deaths", abstract: "Import the death register (公民身份号码, 姓名, 死亡日期): stop pensions, raise overpayments.")
        @Argument(help: "The register's file (CSV or XLSX).") var file: String
        @Option(help: "The fund accountant or clerk importing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data = try PayrollCommand.read(file)
            let outcome = try await database.run { operations in
                try await operations.benefits.importDeaths(data, fileName: (file as NSString).lastPathComponent, by: try await operations.access.principal(named: user))
            }
            guard outcome.issues.isEmpty else {
                CLI.printIssues(outcome.issues)
                throw ExitCode(1)
            }
            for stopped in outcome.stopped {
                print("\(stopped.personID)\t\(stopped.name)\t\(stopped.diedOn)\t\(stopped.overpayment?.decimalString ?? "")")
            }
            print(CLI.text("death.imported", ["stopped": String(outcome.stopped.count), "unaffected": String(outcome.unaffected)]))
        }
    }

    struct Overpayments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Overpayments raised by deaths and what was recovered.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let list = try await database.run { operations in try await operations.benefits.overpayments(by: try await operations.access.principal(named: user)) }
            for item in list {
                print("#\(item.id)\t\(item.personName)\t\(item.diedOn)\t\(item.first)…\(item.last)\t\(item.amount.decimalString)\t\(item.recovered.decimalString)\t"
                      + "\(item.outstanding.decimalString)")
            }
        }
    }

    struct Recover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record money recovered against an overpayment.")
        @Argument(help: "The overpayment's number.") var id: Int64
        @Option(help: "The amount in yuan.") var amount: String
        @Option(help: "The day it was received, YYYY-MM-DD.") var receivedOn: String
        @Option(help: "From whom, how.") var note: String
        @Option(help: "The fund accountant or clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let overpaymentID = id
            let result = try await database.run { operations in
                try await operations.benefits.recordRecovery(overpaymentID, amount: amount, receivedOn: receivedOn, note: note,
                                                             by: try await operations.access.principal(named: user))
            }
            print("#\(result.id)\t\(result.recovered.decimalString)\t\(result.outstanding.decimalString)")
        }
    }

    struct Survival: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pensions due for survival certification within 60 days, overdue, or suspended.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let checks = try await database.run { operations in try await operations.benefits.survivalChecks(by: try await operations.access.principal(named: user)) }
            for check in checks {
                let status = check.standing.suspendedFrom.map { CLI.text("survival.status.suspended", ["from": $0.description]) }
                    ?? (check.output.suspend ? CLI.text("survival.status.overdue", ["from": check.output.suspendFrom.description]) : CLI.text("survival.status.due"))
                print("\(check.standing.personID)\t\(check.standing.name)\t\(check.standing.lastCertified)\t\(check.output.due)\t\(check.output.graceEnds)\t\(status)")
            }
        }
    }

    struct Certify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a pensioner's survival certification (a suspended pension resumes; the next payroll pays the months held back).")
        @Option(help: "The pensioner's resident ID.") var residentId: String
        @Option(help: "The day certified, YYYY-MM-DD.") var on: String
        @Option(help: "in_person, remote_face or data_match.") var method = "in_person"
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { operations in
                let clerk = try await operations.access.principal(named: user)
                guard let person = try await operations.registry.searchPersons(PersonSearchText(residentID: residentId), by: clerk).items.first else {
                    throw ServiceError.notFound
                }
                try await operations.benefits.certify(personID: person.id, on: on, method: method, by: clerk)
            }
            print(CLI.text("survival.certified"))
        }
    }

    struct SuspendOverdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "suspend-overdue",
                                                        abstract: "Suspend the pensions whose certification cycle and grace period are over.")
        @Option(help: "The fund accountant or clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let count = try await database.run { operations in try await operations.benefits.suspendUncertified(by: try await operations.access.principal(named: user)) }
            print(CLI.text("survival.suspended", ["count": String(count)]))
        }
    }
}
