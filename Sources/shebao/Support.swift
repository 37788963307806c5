import ArgumentParser
import Foundation
import Logging
import ShebaoCore
import ShebaoOperations
import ShebaoServer
import ShebaoStore

/// `--database`, shared by every command that touches data.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite:PATH (default ./shebao.sqlite) or postgres://USER:PASSWORD@HOST:PORT/DB. Also SHEBAO_DATABASE_URL.")
    var database: String?

    func location() throws -> DatabaseLocation {
        let text = database ?? ProcessInfo.processInfo.environment["SHEBAO_DATABASE_URL"]
        guard let text, !text.isEmpty else { return .default }
        do {
            return try DatabaseLocation(text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Opens the database (migrated, with the bundled reference data) and the operations over it.
    func open(logger: Logger = CLI.logger(), hasher: PasswordHasher = PasswordHasher(), clock: any WallClock = SystemClock()) async throws -> Operations {
        try await Operations.open(try location(), migrations: Programs.all.migrations, catalog: Programs.all.catalog, clock: clock, hasher: hasher,
                                  logger: logger)
    }

    /// Runs `body` on the operations and closes them; a refusal is printed in the operator's
    /// language and exits 1.
    func run<T>(logger: Logger = CLI.logger(), _ body: (Operations) async throws -> T) async throws -> T {
        let operations = try await open(logger: logger)
        do {
            let result = try await body(operations)
            await operations.close()
            return result
        } catch let error as ServiceError {
            await operations.close()
            throw CLI.fail(error)
        } catch {
            await operations.close()
            throw error
        }
    }
}

/// Command-line messages in the operator's language: SHEBAO_LANG, then LANG; zh-Hans by default.
enum CLI {
    static let language: Language = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["SHEBAO_LANG"].flatMap(Language.init(rawValue:)) { return chosen }
        return Language.fromPOSIX(environment["SHEBAO_LANG"] ?? environment["LANG"])
    }()

    static func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        StringTables.bundled.text(key, language, arguments)
    }

    static func label(_ value: some Labelled) -> String { StringTables.bundled.label(value, language) }

    static func logger(_ label: String = "shebao", level: Logger.Level = .notice) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// Writes a line to standard output at once (`print` waits for a block to fill when the
    /// output is a pipe, as in a service log).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Prints a refusal (and each field's problem) and returns the exit code to throw.
    /// A rejected file's issues, the first twenty, each with its sheet, cell and reason.
    static func printIssues(_ issues: [ImportIssue]) {
        printError(text("error.import.rejected", ["count": String(issues.count)]))
        for issue in issues.prefix(20) {
            let place = issue.column.isEmpty ? "\(issue.sheet)" : "\(issue.sheet)!\(issue.column)\(issue.row)（\(issue.header)）"
            printError("  \(place): \(text("error." + issue.code, issue.arguments))")
        }
    }

    static func fail(_ error: ServiceError) -> ExitCode {
        if error.kind == .failure, let underlying = error.underlying { printError(underlying) }
        printError(error.message(.bundled, language))
        for line in error.fieldMessages(.bundled, language) { printError("  " + line) }
        return ExitCode(1)
    }
}

/// A one-line progress bar on standard error: `persons 12,000 / 41,000 [#######.............]`.
struct ProgressBar: Sendable {
    let label: String

    func update(_ done: Int, _ total: Int) {
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(done) / \(total) [\(bar)]".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
