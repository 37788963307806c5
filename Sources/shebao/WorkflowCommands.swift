import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoServer
import ShebaoStore

/// `shebao case list|overdue|show|take|document|correct-id`: cases from the command line, under the
/// same checks as the pages and the API (a step separation of duties forbids exits 1).
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Applications (cases): list, read, take a step, record a document, open an ID correction.",
        subcommands: [List.self, Overdue.self, Show.self, Take.self, Document.self, CorrectID.self])

    static func line(_ summary: CaseSummary, types: CaseService) -> String {
        let type = types.type(summary.type)
        return "#\(summary.id)\t\(type.map { CLI.text($0.titleKey) } ?? summary.type)\t\(summary.personName ?? "")\t"
            + "\(type.map { CLI.text($0.stateKey(summary.state)) } ?? summary.state)\t\(summary.dueOn?.description ?? "")"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases of the user's office, newest first.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user whose office is listed.") var user: String
        @Flag(help: "Only cases not yet closed.") var open = false

        func run() async throws {
            try await database.run { operations in
                let page = try await operations.cases.list(openOnly: open, paging: Paging(perPage: 200), by: try await operations.access.principal(named: user))
                for summary in page.items { print(CaseCommand.line(summary, types: operations.cases)) }
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open cases of the user's office past their due date (in working days).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user whose office is listed.") var user: String

        func run() async throws {
            try await database.run { operations in
                for summary in try await operations.cases.overdue(by: try await operations.access.principal(named: user)) {
                    print(CaseCommand.line(summary, types: operations.cases))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One case: its facts, history, documents and the steps the user may take.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The case number.") var id: Int64
        @Option(help: "The user reading it.") var user: String

        func run() async throws {
            let view = try await database.run { try await $0.cases.view(id, by: try await $0.access.principal(named: user)) }
            let type = view.type
            print("\(CLI.text(type.titleKey)) #\(view.record.id) · \(CLI.text(type.stateKey(view.record.state)))"
                + (view.record.dueOn.map { " · \(CLI.text("cases.due")) \($0)" } ?? ""))
            for fact in view.facts { print("  \(CLI.text(fact.labelKey)): \(fact.value)") }
            for step in view.record.steps {
                let name = step.transition == CaseType.openTransition ? "case.transition.open" : type.transitionKey(step.transition)
                print("  \(step.takenAt)  \(CLI.text(name)) → \(CLI.text(type.stateKey(step.toState)))  \(step.actorName)\(step.note.map { "  \($0)" } ?? "")")
            }
            for document in view.record.documents { print("  \(CLI.text(type.attachmentKey(document.kind))): \(document.reference)") }
            print(CLI.text("cases.next_step") + ": " + view.allowed.map { "\($0.id) (\(CLI.text(type.transitionKey($0.id))))" }.joined(separator: ", "))
        }
    }

    struct Take: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a step of a case (e.g. verify, approve, reject, withdraw).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The case number.") var id: Int64
        @Argument(help: "The step.") var transition: String
        @Option(help: "The user taking it; their role, scope and earlier steps in the case apply.") var user: String
        @Option(help: "A note (the reason of a refusal).") var note: String?

        func run() async throws {
            let record = try await database.run { operations in
                try await operations.cases.take(id, transition: transition, note: note, expectedVersion: nil, by: try await operations.access.principal(named: user))
            }
            print(CLI.text("cases.saved") + " #\(record.id) → \(record.state)")
        }
    }

    struct Document: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a document checked for a case (its kind and reference number).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The case number.") var id: Int64
        @Argument(help: "The document kind, e.g. police_certificate.") var kind: String
        @Argument(help: "Its reference (number, date).") var reference: String
        @Option(help: "The user recording it.") var user: String

        func run() async throws {
            _ = try await database.run { operations in
                try await operations.cases.addDocument(id, kind: kind, reference: reference, note: nil, by: try await operations.access.principal(named: user))
            }
            print(CLI.text("cases.saved") + " #\(id)")
        }
    }

    struct CorrectID: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "correct-id", abstract: "Open the correction of a person's resident ID.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The person's number (id).") var person: Int64
        @Argument(help: "The certified, corrected resident ID.") var correctedID: String
        @Option(help: "The clerk opening it.") var user: String

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.registry.openIDCorrection(personID: person, correctedID: correctedID, by: try await operations.access.principal(named: user))
            }
            print("#\(id)")
        }
    }
}

/// `shebao run start|list|show|resume|approve|reject|post`: batch runs with a progress bar; a
/// killed run resumes where it stopped, a rerun doubles nothing.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Batch runs (e.g. registry.census): start or resume with progress, list, show, approve or reject, post.",
        subcommands: [Start.self, Assessment.self, Payroll.self, Adjustment.self, Interest.self, List.self, Show.self, Resume.self, Approve.self, Reject.self, Post.self])

    static func line(_ run: BatchRun) -> String {
        "#\(run.id)\t\(run.key.kind)\t\(run.key.period)\t\(run.key.scope.value)\t\(CLI.label(run.state))\t\(run.chunksDone)/\(run.chunkCount)\t"
            + "\(run.rowCount)\t\(run.total)"
    }

    /// Prints the progress; with `--kill-after-chunks N` (the crash test's fault injection) the
    /// process kills itself with SIGKILL right after the N-th chunk of this process has committed.
    static func progress(label: String, killAfter: Int?) -> BatchProgress {
        let bar = ProgressBar(label: label)
        let first = Counter()
        return { done, total in
            bar.update(done, total)
            if let killAfter, first.next(done) == killAfter { kill(getpid(), SIGKILL) }
        }
    }

    /// Chunks computed by this process so far (the first report is where it started).
    final class Counter: @unchecked Sendable {
        private var start: Int?
        func next(_ done: Int) -> Int {
            if start == nil { start = done }
            return done - (start ?? 0)
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start (or resume, or find) the run of a kind for a period and scope.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The kind, e.g. registry.census.") var kind: String
        @Option(help: "The period, YYYY-MM.") var period: String
        @Option(help: "The scope (default: the user's).") var scope: String?
        @Option(help: "The user computing it.") var user: String
        @Option(help: .hidden) var killAfterChunks: Int?

        func run() async throws {
            try await Self.start(kind, period: period, scope: scope, user: user, killAfterChunks: killAfterChunks, database: database)
        }

        static func start(_ kind: String, period: String, scope: String?, user: String, killAfterChunks: Int?, database: DatabaseOptions) async throws {
            let run = try await database.run { operations in
                try await operations.batches.start(kind: kind, period: period, scope: scope, by: try await operations.access.principal(named: user),
                                                   progress: RunCommand.progress(label: kind, killAfter: killAfterChunks))
            }
            print(RunCommand.line(run))
        }
    }

    /// `shebao run assessment --period 2004-07`: the monthly assessment, as `start insurance.assessment`.
    struct Assessment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assess a month's contributions (start, resume or find the insurance.assessment run).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The period, YYYY-MM.") var period: String
        @Option(help: "The scope (default: the user's).") var scope: String?
        @Option(help: "The clerk computing it.") var user: String
        @Option(help: .hidden) var killAfterChunks: Int?

        func run() async throws {
            try await Start.start(InsuranceAssessment.kind.id, period: period, scope: scope, user: user, killAfterChunks: killAfterChunks, database: database)
        }
    }

    struct Payroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute a month's pension payroll (start, resume or find the benefits.payroll run).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The period, YYYY-MM.") var period: String
        @Option(help: "The clerk or fund accountant computing it.") var user: String
        @Option(help: .hidden) var killAfterChunks: Int?

        func run() async throws {
            try await Start.start(PensionPayroll.kind.id, period: period, scope: nil, user: user, killAfterChunks: killAfterChunks, database: database)
        }
    }

    struct Adjustment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute a year's pension adjustment (the benefits.adjustment run of YYYY-01).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The year whose adjustment it is.") var year: Int
        @Option(help: "The clerk or fund accountant computing it.") var user: String

        func run() async throws {
            try await Start.start(PensionAdjustment.kind.id, period: String(format: "%04d-01", year), scope: nil, user: user, killAfterChunks: nil,
                                  database: database)
        }
    }

    /// `shebao run interest --year 2025`: the yearly account interest, as `start insurance.interest --period 2025-12`.
    struct Interest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Credit a year's interest to the pension accounts (the insurance.interest run).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The year, once it is over.") var year: Int
        @Option(help: "The clerk computing it.") var user: String

        func run() async throws {
            try await Start.start(AccountInterest.kind.id, period: String(format: "%04d-12", year), scope: nil, user: user, killAfterChunks: nil,
                                  database: database)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute what is left of a draft run.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The run number.") var id: Int64
        @Option(help: "The user computing it.") var user: String
        @Option(help: .hidden) var killAfterChunks: Int?

        func run() async throws {
            let run = try await database.run { operations in
                try await operations.batches.resume(id, by: try await operations.access.principal(named: user),
                                                    progress: RunCommand.progress(label: "#\(id)", killAfter: killAfterChunks))
            }
            print(RunCommand.line(run))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs in the user's scope, newest first.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user reading them.") var user: String

        func run() async throws {
            try await database.run { operations in
                let page = try await operations.batches.runs(paging: Paging(perPage: 200), by: try await operations.access.principal(named: user))
                for run in page.items { print(RunCommand.line(run)) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run with its inputs and output.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The run number.") var id: Int64
        @Option(help: "The user reading it.") var user: String

        func run() async throws {
            try await database.run { operations in
                let who = try await operations.access.principal(named: user)
                let run = try await operations.batches.run(id, by: who)
                print(RunCommand.line(run))
                for (name, value) in run.inputs.sorted(by: { $0.key < $1.key }) { print("  \(name): \(value)") }
                guard run.state != .draft else { return }
                let output = try await operations.batches.output(of: run, by: who)
                print(output.columns.map { CLI.text($0) }.joined(separator: "\t"))
                for row in output.rows { print(row.joined(separator: "\t")) }
                if let total = output.total { print(([CLI.text("overview.total")] + total).joined(separator: "\t")) }
            }
        }
    }

    struct Decision: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The run number.") var id: Int64
        @Option(help: "The reviewer deciding (not the one who started it).") var user: String
        @Option(help: "A note.") var note: String?

        func decide(approve: Bool) async throws {
            let run = try await database.run { operations in
                try await operations.batches.decide(id, approve: approve, note: note, by: try await operations.access.principal(named: user))
            }
            print(RunCommand.line(run))
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a computed run.")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.decide(approve: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a computed run.")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.decide(approve: false) }
    }

    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post an approved run.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The run number.") var id: Int64
        @Option(help: "The user posting it.") var user: String

        func run() async throws {
            let run = try await database.run { operations in try await operations.batches.post(id, by: try await operations.access.principal(named: user)) }
            print(RunCommand.line(run))
        }
    }
}
