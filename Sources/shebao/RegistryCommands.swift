public import ArgumentParser
import Foundation
import ShebaoCore
public import ShebaoStore

extension ImportKind: ExpressibleByArgument {}

/// Looks up the user on whose behalf a command works; their role and scope apply.
func principal(named name: String, in database: ShebaoDatabase) async throws -> Principal {
    guard let user = try await UserStore(database: database).find(username: name), user.status == .active else {
        CLI.printError(CLI.text("error.user.unknown", ["username": name]))
        throw ExitCode(1)
    }
    return user.principal
}

/// `shebao import persons|households|employers FILE --user NAME`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or XLSX file of persons, households or employers. The whole file is checked first; any problem rejects it whole.")

    @Argument(help: "persons, households or employers.") var kind: ImportKind
    @Argument(help: "The CSV (UTF-8) or XLSX file.") var file: String
    @Option(help: "The clerk on whose behalf the file is imported; their scope applies.") var user: String
    @Option(help: "Where to write the problem report (CSV) when the file is rejected.") var report: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            CLI.printError(CLI.text("error.file.unreadable", ["file": file]))
            throw ExitCode(1)
        }
        let db = try await database.open(logger: CLI.logger())
        let start = ContinuousClock.now
        let outcome: ImportOutcome
        do {
            let who = try await principal(named: user, in: db)
            outcome = try await Importer(database: db).run(kind, data: data, fileName: (file as NSString).lastPathComponent, by: who)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
        let seconds = Self.seconds(since: start)
        if outcome.accepted {
            print(CLI.text("import.done", ["rows": String(outcome.imported), "file": outcome.fileName]) + " (\(seconds) s)")
            return
        }
        CLI.printError(CLI.text("error.import.rejected", ["count": String(outcome.issues.count)]))
        for issue in outcome.issues.prefix(20) {
            let place = issue.column.isEmpty ? "\(issue.sheet)" : "\(issue.sheet)!\(issue.column)\(issue.row)（\(issue.header)）"
            CLI.printError("  \(place): \(CLI.text("error." + issue.code, issue.arguments))")
        }
        if let report {
            FileManager.default.createFile(atPath: report, contents: outcome.reportCSV(strings: .bundled, language: CLI.language))
            CLI.printError(CLI.text("import.report_written", ["file": report]))
        }
        throw ExitCode(1)
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        return String(format: "%.2f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

/// `shebao export persons --format xlsx --output FILE --user NAME [--region CODE]`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the persons of a user's scope (or a region in it) as CSV or XLSX, with full resident IDs (audited).")

    enum Format: String, ExpressibleByArgument { case csv, xlsx }

    @Argument(help: "What to export: persons.") var what: String
    @Option(help: "csv or xlsx.") var format: Format = .xlsx
    @Option(help: "The file to write.") var output: String
    @Option(help: "The user on whose behalf the export is made; their scope applies.") var user: String
    @Option(help: "A region inside the user's scope.") var region: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard what == "persons" else { throw ValidationError("only persons can be exported from the command line") }
        let db = try await database.open(logger: CLI.logger())
        do {
            let who = try await principal(named: user, in: db)
            guard AccessPolicy.allows(who.role, .exportList) else { throw ValidationError(CLI.text("error.auth.forbidden")) }
            var query = PersonQuery()
            if let region { query.region = try? RegionCode(region) }
            let people = try await PersonStore(database: db).all(query, in: who.scope, limit: 1_000_000)
            let header = ["person.name", "person.resident_id", "person.sex", "person.birth_date", "person.region_code"].map { CLI.text($0) }
            let rows = people.map { [$0.name, $0.residentID.value, CLI.text("sex.\($0.sex.rawValue)"), $0.birthDate.description, $0.region.value] }
            let data = format == .xlsx
                ? try XLSX.write(sheetName: CLI.text("export.persons_file"), header: header, rows: rows.map { $0.map { .text($0) } }, textColumns: [1, 4])
                : CSV.write(header: header, rows: rows)
            FileManager.default.createFile(atPath: output, contents: data)
            let now = SystemClock().now()
            let dialect = db.dialect
            try await db.write { sql in
                try await AuditLog.append(
                    AuditEvent(actor: AuditActor(who), action: .export, entity: "person", entityID: "rows:\(rows.count)", region: who.scope,
                               after: ["file": output]),
                    on: sql, dialect: dialect, at: now)
            }
            print(CLI.text("export.done", ["rows": String(rows.count), "file": output]))
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
