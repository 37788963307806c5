import ArgumentParser
import Foundation
import Logging
import ShebaoCore
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

    /// Opens the database, migrates it and loads the bundled regions and policy defaults.
    func open(logger: Logger) async throws -> ShebaoDatabase {
        let database = try await ShebaoDatabase.open(try location(), logger: logger)
        do {
            try await Setup.prepare(database)
        } catch {
            await database.close()
            throw error
        }
        return database
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

    static func logger(_ label: String = "shebao", level: Logger.Level = .notice) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
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
