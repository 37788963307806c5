public import Foundation
public import ShebaoCore
public import ShebaoStore

/// What an import did: rejected with every issue (nothing written), or imported.
public struct ImportOutcome: Sendable {
    public var kind: ImportKind
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    /// Present when the file was imported.
    public var runID: Int64?
    public var imported: Int

    public var accepted: Bool { runID != nil }

    /// The issues as a CSV report (sheet, row, column, reason) in `language`.
    public func reportCSV(strings: StringTables, language: Language) -> Data {
        let header = ["report.sheet", "report.row", "report.column", "report.reason"].map { strings.text($0, language) }
        let rows = issues.map { issue in
            [issue.sheet, issue.row > 0 ? String(issue.row) : "", issue.column.isEmpty ? "" : "\(issue.column)（\(issue.header)）",
             strings.error(issue.code, language, issue.arguments)]
        }
        return CSV.write(header: header, rows: rows)
    }
}

/// File imports of persons, households and employers, and their templates.
extension RegistryService {
    /// Checks a whole file and, when every row is clean, writes it in one transaction with one
    /// run record and one audit row. A rejected file leaves the database exactly as it was —
    /// not even a record of the attempt (the report goes back to the clerk).
    public func importFile(_ kind: ImportKind, data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> ImportOutcome {
        try principal.require(.importFile)
        let regions = try await context.perform { try await context.regions.allCodes() }
        let importer = Importer(strings: context.strings)
        let scope = principal.scope
        let today = context.today
        let checked = try await context.read { db in
            try await importer.check(kind, data: data, fileName: fileName, scope: scope, regions: regions, today: today, on: db)
        }
        let actor = AuditActor(principal)
        guard let plan = checked.plan else {
            // Nothing is written for a rejected file but the fact that its identifiers were checked.
            let registered = checked.issues.filter { $0.code == "import.already_registered" || $0.code == "household.register_number_taken" }.count
            try await context.record(AuditEvent(actor: actor, action: .importCheck, entity: "import", entityID: kind.rawValue, region: scope,
                                                after: ["rows": String(checked.rowCount), "alreadyRegistered": String(registered)]))
            return ImportOutcome(kind: kind, fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, runID: nil, imported: 0)
        }
        let now = context.now
        let runID = try await context.write { db in
            let id = try await importer.write(plan, kind: kind, fileName: fileName, rowCount: checked.rowCount, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "import_run", entityID: String(id), region: scope,
                           after: ["kind": kind.rawValue, "file": fileName, "rows": String(checked.rowCount)]),
                on: db, at: now)
            return id
        }
        return ImportOutcome(kind: kind, fileName: fileName, rowCount: checked.rowCount, issues: [], runID: runID, imported: plan.count)
    }

    /// An empty template of `kind` with its headers in `language`; every XLSX column is text, so
    /// nothing typed into it becomes a number.
    public func importTemplate(_ kind: ImportKind, format: FileFormat, language: Language, by principal: Principal) async throws(ServiceError) -> ExportFile {
        try principal.require(.importFile)
        let columns = Importer.columns(kind)
        let strings = context.strings
        let header = columns.map { strings.text($0.labelKey, language) + ($0.required ? "*" : "") }
        let table = ExportTable(sheetName: strings.label(kind, language), header: header, textColumns: Set(columns.indices))
        return table.file(format, baseName: strings.label(kind, language) + strings.text("import.template_suffix", language),
                          asciiBase: "\(kind.rawValue)-template", rows: [])
    }

    /// The columns of each kind's file, as the import page lists them.
    public func importColumns(_ kind: ImportKind, language: Language) -> [String] {
        Importer.columns(kind).map { context.strings.text($0.labelKey, language) + ($0.required ? "*" : "") }
    }

    public func recentImports(limit: Int = 20, by principal: Principal) async throws(ServiceError) -> [ImportRun] {
        try principal.require(.importFile)
        let scope = principal.scope
        return try await context.read { db in try await Importer().recentRuns(limit: limit, in: scope, on: db) }
    }
}
