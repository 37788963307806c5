public import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
public import ShebaoStore

extension ImportKind: ExpressibleByArgument {}
extension FileFormat: ExpressibleByArgument {}

/// `shebao import persons|households|employers FILE --user NAME`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or XLSX file of persons, households or employers. The whole file is checked first; any problem rejects it whole.")

    @Argument(help: "persons, households or employers.") var kind: ImportKind
    @Argument(help: "The CSV (UTF-8) or XLSX file.") var file: String
    @Option(help: "The clerk on whose behalf the file is imported; their scope applies.") var user: String
    @Option(help: "Where to write the problem report (CSV) when the file is rejected.") var report: String?
    @Flag(help: "Check the file and tell what it would create or change; write nothing.") var preview = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            CLI.printError(CLI.text("error.file.unreadable", ["file": file]))
            throw ExitCode(1)
        }
        if preview {
            let checked = try await database.run { operations in
                try await operations.registry.previewImport(kind, data: data, fileName: (file as NSString).lastPathComponent,
                                                            by: try await operations.access.principal(named: user))
            }
            guard checked.clean else {
                CLI.printIssues(checked.issues)
                throw ExitCode(1)
            }
            print(CLI.text("import.preview_summary", [
                "rows": String(checked.rowCount), "new": String(checked.records - checked.changed), "changed": String(checked.changed),
                "unchanged": String(checked.unchanged),
            ]))
            for warning in checked.warnings { print(CLI.text(warning.code, warning.arguments)) }
            return
        }
        let start = ContinuousClock.now
        let outcome = try await database.run { operations in
            try await operations.registry.importFile(kind, data: data, fileName: (file as NSString).lastPathComponent,
                                                     by: try await operations.access.principal(named: user))
        }
        if outcome.accepted {
            print(CLI.text("import.done", ["rows": String(outcome.imported), "file": outcome.fileName])
                + String(format: " (%.2f s)", Timings.milliseconds(ContinuousClock.now - start) / 1000))
            return
        }
        CLI.printIssues(outcome.issues)
        if let report {
            guard FileManager.default.createFile(atPath: report, contents: outcome.reportCSV(strings: .bundled, language: CLI.language)) else {
                throw CLI.fail(ServiceError(.invalid, "file.unwritable", ["file": report]))
            }
            CLI.printError(CLI.text("import.report_written", ["file": report]))
        }
        throw ExitCode(1)
    }
}

/// `shebao export persons|employers --format xlsx --output FILE --user NAME [--region CODE]`: the
/// same file, columns and audit row as the page's and the API's export.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the persons or employers of a user's scope (or a region in it) as CSV or XLSX, with full identifiers (audited).")

    enum What: String, ExpressibleByArgument { case persons, employers }

    @Argument(help: "persons or employers.") var what: What
    @Option(help: "csv or xlsx.") var format: FileFormat = .xlsx
    @Option(help: "The file to write.") var output: String
    @Option(help: "The user on whose behalf the export is made; their scope applies.") var user: String
    @Option(help: "A region inside the user's scope.") var region: String?
    @Option(help: "A name, or a resident ID, to narrow the list (persons).") var query: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
            throw CLI.fail(ServiceError(.invalid, "file.unwritable", ["file": output]))
        }
        defer { try? handle.close() }
        let rows = try await database.run { operations in
            let who = try await operations.access.principal(named: user)
            let file = switch what {
            case .persons:
                try await operations.registry.exportPersons(PersonSearchText(q: query, region: region), format: format, language: CLI.language, by: who)
            case .employers:
                try await operations.registry.exportEmployers(EmployerSearchText(q: query, region: region), format: format, language: CLI.language, by: who)
            }
            try await file.write { data in try handle.write(contentsOf: data) }
            return file.rows
        }
        print(CLI.text("export.done", ["rows": String(rows), "file": output]))
    }
}
