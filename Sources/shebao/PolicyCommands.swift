import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoServer
import ShebaoStore

/// `shebao params list|show|propose|approve|reject`: the policy book from the command line, with
/// the same maker–checker rule as the pages (the proposer cannot approve).
struct ParamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params", abstract: "Read the policy book; propose dated values and decide them.",
        subcommands: [List.self, Show.self, Propose.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every key with the value in force for a region on a date, or the proposals awaiting a decision.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The region (default: the district this database serves).") var region: String?
        @Option(help: "The date, YYYY-MM-DD (default: today).") var date: String?
        @Flag(help: "List the proposals awaiting a decision instead.") var proposed = false

        func run() async throws {
            if proposed {
                for record in try await database.run({ try await $0.policy.records(status: .proposed, by: nil) }) {
                    print("#\(record.id)\t\(record.parameter.key)\t\(record.parameter.value.text)\t\(record.parameter.validFrom)\t\(record.parameter.region.value)\t\(record.proposedByName)\t\(record.parameter.legalBasis)")
                }
                return
            }
            let day = try date.map { text in
                guard let day = LocalDate(iso: text) else { throw ValidationError(CLI.text("error.parameter.bad_date", ["date": text])) }
                return day
            } ?? SystemClock().now().dateInChina
            let (place, rows) = try await database.run { operations in
                var place: RegionCode
                if let region {
                    guard let code = try? RegionCode(region) else { throw ServiceError.invalid("region", "parameter.bad_region", ["region": region]) }
                    place = code
                } else {
                    place = try await operations.policy.defaultRegion()
                }
                return (place, try await operations.policy.inForce(on: day, region: place, by: nil))
            }
            print(CLI.text("policy.as_of", ["date": day.description]) + " · \(place.value)")
            for (key, value) in rows {
                let current = value.current
                print("\(key)\t\(current.value.text) \(current.unit)\t\(current.validFrom)\t\(current.region.value)\t\(current.label.rawValue)\t\(current.legalBasis)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One key's history: every value with its date, region, status and legal basis.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key, e.g. dibao.standard.street.") var key: String

        func run() async throws {
            let records = try await database.run { try await $0.policy.records(key: key, by: nil) }
            guard !records.isEmpty else { throw CLI.fail(.invalid("key", "parameter.unknown_key", ["key": key])) }
            print("\(CLI.text("param.\(key)")) (\(key), \(records[0].parameter.unit))")
            for record in records {
                print("#\(record.id)\t\(record.parameter.validFrom)\t\(record.parameter.region.value)\t\(record.parameter.value.text)\t"
                    + "\(CLI.label(record.status))\t\(record.parameter.label.rawValue)\t\(record.proposedByName)\t\(record.parameter.legalBasis)")
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose a value of a key from a date; it applies once another person approves it.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key, e.g. dibao.standard.street.") var key: String
        @Argument(help: "The value: yuan for money (2,520.00), a decimal or percent for rates, an integer, a choice, or 60:139, 61:132.") var value: String
        @Option(name: .customLong("from"), help: "The first day it applies, YYYY-MM-DD.") var validFrom: String
        @Option(help: "Where it applies (default: the user's scope).") var region: String?
        @Option(help: "The legal basis: document number and article.") var basis: String
        @Option(help: "A note for the reviewer.") var note: String?
        @Option(help: "Why the value starts before today (required for such a value).") var retroactiveReason: String?
        @Option(help: "The user proposing; their role and scope apply.") var user: String

        func run() async throws {
            let record = try await database.run { operations in
                let who = try await operations.access.principal(named: user)
                let proposal = ParameterProposal(key: key, regionCode: region ?? who.scope.value, validFrom: validFrom, value: value, legalBasis: basis, note: note,
                                             retroactiveReason: retroactiveReason)
                return try await operations.policy.propose(proposal, by: who)
            }
            print(CLI.text("policy.done.proposed") + " #\(record.id) \(record.parameter.key) = \(record.parameter.value.text) (\(record.parameter.validFrom))")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposed value (a reviewer other than the proposer).")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.decide(approve: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a proposed value (a reviewer other than the proposer).")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.decide(approve: false) }
    }

    struct Decision: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The proposal's number (#ID in `params list --proposed`).") var id: Int64
        @Option(help: "The reviewer deciding.") var user: String

        func decide(approve: Bool) async throws {
            let record = try await database.run { operations in
                try await operations.policy.decide(id, approve: approve, by: try await operations.access.principal(named: user))
            }
            let done = record.status == .proposed && record.firstApprovedBy != nil ? "policy.done.first_approval" : "policy.done.\(record.status.rawValue)"
            print(CLI.text(done) + " #\(record.id) \(record.parameter.key) = \(record.parameter.value.text) (\(record.parameter.validFrom))")
        }
    }
}

/// `shebao calc RULE --input FILE.json [--explain] [--region CODE] [--json]`: any rule of RULES.md
/// on the parameters in the database, as the API computes it; `shebao calc` alone lists the rules.
struct CalcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calc", abstract: "Calculate with a rule and explain the result (inputs, parameters with dates and legal basis, steps).")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The rule, e.g. pension-award; leave out to list the rules.") var rule: String?
    @Option(help: "The input as JSON (money in fen); - for standard input; leave out for the rule's worked example.") var input: String?
    @Option(help: "The region whose parameters apply (default: the district this database serves).") var region: String?
    @Flag(help: "Print the explanation.") var explain = false
    @Flag(help: "Print the output as JSON (money in fen) instead of lines.") var json = false

    func run() async throws {
        let rules = Programs.all.catalog.rules
        guard let rule else {
            for entry in rules { print("\(entry.id)\t\(CLI.text("rule.\(entry.id)"))\t\(entry.fields.map { $0.optional ? "[\($0.name)]" : $0.name }.joined(separator: " "))") }
            return
        }
        guard let entry = rules.first(where: { $0.id == rule }) else {
            CLI.printError(CLI.text("error.rule.unknown", ["rule": rule]))
            throw ExitCode(1)
        }
        let data: Data
        switch input {
        case nil: data = entry.exampleJSON
        case "-": data = FileHandle.standardInput.readDataToEndOfFile()
        case let path?:
            guard let contents = FileManager.default.contents(atPath: path) else {
                CLI.printError(CLI.text("error.file.unreadable", ["file": path]))
                throw ExitCode(1)
            }
            data = contents
        }
        let evaluation = try await database.run { try await $0.policy.calculate(entry.id, input: data, region: region, by: nil).evaluation }
        if json {
            print(String(decoding: evaluation.output, as: UTF8.self))
        } else {
            print("\(CLI.text("rule.\(entry.id)")) · \(CLI.text("calculate.result"))")
            for line in evaluation.lines { print("  \(CLI.text(line.key)): \(StringTables.bundled.value(line.value, CLI.language))") }
        }
        if explain { print(ExplanationText(evaluation.explanation).text) }
    }
}

/// An explanation as plain text for a terminal, labelled in the operator's language.
struct ExplanationText {
    let explanation: Explanation
    init(_ explanation: Explanation) { self.explanation = explanation }

    var text: String {
        var lines = ["", "\(CLI.text("explain.title")) · \(CLI.text("explain.date")) \(explanation.date) · \(CLI.text("explain.region")) \(explanation.region)"]
        lines.append(CLI.text("explain.inputs"))
        for item in explanation.inputs { lines.append("  \(CLI.text(item.key)): \(StringTables.bundled.value(item.value, CLI.language))") }
        lines.append(CLI.text("explain.parameters"))
        for used in explanation.parameters {
            lines.append("  \(CLI.text("param.\(used.key)")) (\(used.key)) = \(used.value) \(used.unit) · \(used.validFrom) · \(used.region) · \(used.legalBasis) [\(used.label)]")
        }
        lines.append(CLI.text("explain.steps"))
        for (number, step) in explanation.steps.enumerated() {
            lines.append("  \(number + 1). \(CLI.text(step.key)): \(StringTables.bundled.value(step.expression, CLI.language)) = \(step.result)")
        }
        lines.append(CLI.text(explanation.rounding))
        return lines.joined(separator: "\n")
    }
}
