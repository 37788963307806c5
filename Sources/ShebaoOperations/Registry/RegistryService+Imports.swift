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
    /// What the import created, in file order, to link to.
    public var created: [Importer.Created] = []

    public var accepted: Bool { runID != nil }

    public init(kind: ImportKind, fileName: String, rowCount: Int, issues: [ImportIssue], runID: Int64?, imported: Int, created: [Importer.Created] = []) {
        self.kind = kind
        self.fileName = fileName
        self.rowCount = rowCount
        self.issues = issues
        self.runID = runID
        self.imported = imported
        self.created = created
    }

    /// The issues as a CSV report (sheet, row, column, reason) in `language`.
    public func reportCSV(strings: StringTables, language: Language) -> Data {
        let header = ["report.sheet", "report.row", "report.subject", "report.column", "report.reason"].map { strings.text($0, language) }
        let rows = issues.map { issue in
            [issue.sheet, issue.row > 0 ? String(issue.row) : "", issue.subject, issue.column.isEmpty ? "" : "\(issue.column) \(issue.header)",
             strings.error(issue.code, language, issue.arguments)]
        }
        return CSV.write(header: header, rows: rows)
    }
}

/// What a clean file would do, shown before the clerk confirms it: nothing is written until then.
public struct ImportPreview: Sendable {
    /// One record the file would create, as a clerk checks it against their list.
    public struct Record: Sendable {
        public var name: String
        /// The resident ID or credit code, masked; a household's register number.
        public var identifier: String
        public var region: RegionCode
        /// A household's members; nil for a person or a unit.
        public var members: Int?
        /// For a record the file changes, the fields it changes (their label keys); empty for a new record.
        public var changes: [String] = []
    }
    /// Something that is not wrong but a clerk should know before confirming.
    public struct Warning: Sendable, Hashable {
        public var code: String
        public var arguments: [String: String]
    }
    public var kind: ImportKind
    public var fileName: String
    public var rowCount: Int
    /// Every problem, when the file would be refused (then nothing else is filled).
    public var issues: [ImportIssue]
    /// The file's SHA-256: the confirmation must send the same file.
    public var digest: String
    /// How many records the file creates or changes.
    public var records: Int
    /// Of those, how many it changes (a persons file's rows for people already registered).
    public var changed = 0
    /// Rows for people already registered that change nothing.
    public var unchanged = 0
    public var first: [Record]
    /// Records per community or village, most first.
    public var byRegion: [(region: RegionCode, count: Int)]
    public var warnings: [Warning]

    public var clean: Bool { issues.isEmpty }
}

/// File imports of persons, households and employers, and their templates.
extension RegistryService {
    /// Checks a whole file and tells what it would create — counts, the first records, warnings —
    /// or every problem; writes nothing (the audit log notes that identifiers were checked).
    public func previewImport(_ kind: ImportKind, data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> ImportPreview {
        let checked = try await checkImport(kind, data: data, fileName: fileName, by: principal)
        try await auditCheck(checked, kind, by: principal)
        var preview = ImportPreview(kind: kind, fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, digest: data.sha256Hex,
                                    records: checked.plan?.count ?? 0, first: [], byRegion: [], warnings: [])
        guard let plan = checked.plan else { return preview }
        var records: [ImportPreview.Record] = []
        var warnings: [ImportPreview.Warning] = []
        switch plan {
        case .persons(let persons):
            records = persons.changed.map { change in
                let after = change.before.applying(change.details)
                return .init(name: after.name, identifier: after.residentID.masked, region: after.region, members: nil,
                             changes: PersonField.allCases.filter { $0.text(of: change.before) != $0.text(of: after) }.map(\.labelKey))
            } + persons.new.map { .init(name: $0.details.name, identifier: $0.residentID.masked, region: $0.details.region, members: nil) }
            preview.changed = persons.changed.count
            preview.unchanged = persons.unchanged
            let rows = persons.new.map(\.details) + persons.changed.map(\.details)
            let withoutPhone = rows.filter { $0.phone == nil }.count
            if withoutPhone > 0 { warnings.append(.init(code: "import.warning_no_phone", arguments: ["count": String(withoutPhone)])) }
            let deceased = rows.filter { $0.status == .deceased }.count
            if deceased > 0 { warnings.append(.init(code: "import.warning_deceased", arguments: ["count": String(deceased)])) }
        case .employers(let rows):
            records = rows.map { .init(name: $0.details.name, identifier: $0.code.value, region: $0.details.region, members: nil) }
        case .households(let groups):
            records = groups.map { group in
                .init(name: group.members.first { $0.relation == .head }?.person.name ?? "", identifier: group.registerNumber, region: group.region,
                      members: group.members.count)
            }
            // Joining a household moves a person's registration to its village (户籍随户).
            let moving = groups.reduce(0) { total, group in total + group.members.filter { $0.person.region != group.region }.count }
            if moving > 0 { warnings.append(.init(code: "import.warning_moves", arguments: ["count": String(moving)])) }
        }
        preview.first = Array(records.prefix(10))
        preview.byRegion = Dictionary(grouping: records, by: \.region).map { ($0.key, $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.region.value < $1.region.value }
        preview.warnings = warnings
        return preview
    }

    /// Reads and checks a file for the caller.
    private func checkImport(_ kind: ImportKind, data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> CheckedImport {
        try principal.require(.importFile)
        let regions = try await context.perform { try await context.regions.allCodes() }
        let importer = Importer(strings: context.strings)
        let scope = principal.scope
        let today = context.today
        let checked = try await context.read { db in
            try await importer.check(kind, data: data, fileName: fileName, scope: scope, regions: regions, today: today, on: db)
        }
        return checked
    }

    /// A check that wrote nothing is audited on its own: the file's identifiers were looked up in
    /// the registry (who is registered is itself personal data). A written import's run row says it.
    private func auditCheck(_ checked: CheckedImport, _ kind: ImportKind, by principal: Principal) async throws(ServiceError) {
        let registered = checked.issues.filter { $0.code == "import.already_registered" || $0.code == "household.register_number_taken" }.count
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .importCheck, entity: "import", entityID: kind.rawValue,
                                            region: principal.scope, after: ["rows": String(checked.rowCount), "alreadyRegistered": String(registered)]))
    }

    /// Checks a whole file and, when every row is clean, writes it in one transaction with one
    /// run record and one audit row. A rejected file leaves the registry exactly as it was (the
    /// report goes back to the clerk); only the audit log notes the check. With `digest` (the
    /// preview's), the file must be the one previewed.
    public func importFile(_ kind: ImportKind, data: Data, fileName: String, digest: String? = nil, by principal: Principal) async throws(ServiceError) -> ImportOutcome {
        try principal.require(.importFile)
        if let digest, digest != data.sha256Hex { throw .invalid("file", "import.changed_since_preview") }
        let checked = try await checkImport(kind, data: data, fileName: fileName, by: principal)
        guard let plan = checked.plan else {
            try await auditCheck(checked, kind, by: principal)
            return ImportOutcome(kind: kind, fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, runID: nil, imported: 0)
        }
        let importer = Importer(strings: context.strings)
        let actor = AuditActor(principal)
        let scope = principal.scope
        let now = context.now
        let written: (runID: Int64, created: [Importer.Created])
        do {
            written = try await context.write { db in
                // A record changed by someone else since the check fails the whole file, as any problem does.
                let written = try await importer.write(plan, kind: kind, fileName: fileName, rowCount: checked.rowCount, by: actor, at: now, on: db)
                try await context.append(
                    AuditEvent(actor: actor, action: .create, entity: "import_run", entityID: String(written.runID), region: scope,
                               after: ["kind": kind.rawValue, "file": fileName, "rows": String(checked.rowCount)]),
                    on: db, at: now)
                return written
            }
        } catch {
            try await auditCheck(checked, kind, by: principal)
            throw error
        }
        return ImportOutcome(kind: kind, fileName: fileName, rowCount: checked.rowCount, issues: [], runID: written.runID, imported: plan.count,
                             created: written.created)
    }

    /// The template of `kind` in `language`. As XLSX: the sheet to fill (headers only, every
    /// column text, drop-down lists on coded columns), a sheet of instructions with an example
    /// row, and a sheet of codes — the communities and villages of the caller's scope with their
    /// names, and each list's values. As CSV: the headers.
    public func importTemplate(_ kind: ImportKind, format: FileFormat, language: Language, by principal: Principal) async throws(ServiceError) -> ExportFile {
        try principal.require(.importFile)
        let columns = Importer.columns(kind)
        let strings = context.strings
        let header = columns.map { strings.text($0.labelKey, language) + ($0.required ? "*" : "") }
        let baseName = strings.label(kind, language) + strings.text("import.template_suffix", language)
        guard format == .xlsx else {
            let table = ExportTable(sheetName: strings.label(kind, language), header: header, textColumns: Set(columns.indices))
            return table.file(format, baseName: baseName, asciiBase: "\(kind.rawValue)-template", rows: [])
        }
        let scope = principal.scope
        let villages = try await context.perform { try await context.regions.all(in: scope) }.filter { $0.code.level == .village }
            .sorted { $0.code.value < $1.code.value }
        let lists = Self.templateLists(kind, strings: strings, language: language)
        // The codes sheet: A the village codes, B their names, then one column per list.
        var codes: [[String]] = [[strings.text("import.template_region_code", language), strings.text("import.template_region_name", language)]
            + lists.map { strings.text(columns[$0.column].labelKey, language) }]
        let depth = max(villages.count, lists.map(\.values.count).max() ?? 0)
        for row in 0..<depth {
            codes.append([row < villages.count ? villages[row].code.value : "", row < villages.count ? villages[row].name : ""]
                + lists.map { row < $0.values.count ? $0.values[row] : "" })
        }
        var drops = lists.enumerated().map { XLSX.Workbook.List(column: $0.element.column, sheet: 2, sourceColumn: $0.offset + 2, count: $0.element.values.count) }
        for (index, column) in columns.enumerated() where column.field == "region" || column.field == "residenceRegion" {
            drops.append(XLSX.Workbook.List(column: index, sheet: 2, sourceColumn: 0, count: villages.count))
        }
        let example = Self.templateExample(kind, village: villages.first?.code.value ?? scope.value, lists: lists, columns: columns)
        let notes = [[strings.text("import.template_column", language), strings.text("import.template_required", language),
                      strings.text("import.template_values", language), strings.text("import.template_example", language)]]
            + columns.enumerated().map { index, column in
                let listed = lists.contains { $0.column == index } || column.field == "region" || column.field == "residenceRegion"
                return [strings.text(column.labelKey, language), strings.text(column.required ? "common.yes" : "common.no", language),
                        strings.text(listed ? "import.template_from_list" : column.identifier ? "import.template_as_text" : "import.template_free", language),
                        example[index]]
            }
        let workbook = XLSX.Workbook(sheets: [
            .init(name: strings.label(kind, language), rows: [header], textColumns: Set(columns.indices), lists: drops),
            .init(name: strings.text("import.template_instructions", language), rows: notes, textColumns: [3]),
            .init(name: strings.text("import.template_codes", language), rows: codes, textColumns: [0]),
        ])
        let data: Data
        do { data = try workbook.data() } catch { throw .failure(error) }
        return ExportFile(fileName: baseName + ".xlsx", asciiName: "\(kind.rawValue)-template.xlsx", format: .xlsx, rows: 0) { sink in try await sink(data) }
    }

    /// The coded columns of a kind's file and the labels they accept, for drop-down lists.
    static func templateLists(_ kind: ImportKind, strings: StringTables, language: Language) -> [(column: Int, values: [String])] {
        let columns = Importer.columns(kind)
        func labels<T: Labelled>(_ type: T.Type) -> [String] { T.allCases.map { strings.label($0, language) } }
        return columns.enumerated().compactMap { index, column -> (column: Int, values: [String])? in
            switch (kind, column.field) {
            case (.persons, "hukouType"): (index, labels(HukouType.self))
            case (.persons, "disabilityCategory"): (index, labels(DisabilityCategory.self))
            case (.households, "relation"): (index, labels(HouseholdRelation.self))
            case (.employers, "ownershipType"): (index, labels(OwnershipType.self))
            case (.employers, "industry"): (index, labels(Industry.self))
            default: nil
            }
        }
    }

    /// One filled-in row, on the instructions sheet (never on the sheet an import reads).
    static func templateExample(_ kind: ImportKind, village: String, lists: [(column: Int, values: [String])],
                                columns: [(field: String, labelKey: String, required: Bool, identifier: Bool)]) -> [String] {
        let values: [String: String] = [
            "residentID": "11010519491231002X", "name": kind == .employers ? "路桥示例机械有限公司" : "王小明", "region": village, "residenceRegion": "",
            "address": "新桥镇新街 8 号", "phone": "13800000000", "bankName": "中国农业银行", "bankAccount": "6228480000000000000",
            "disabilityGrade": "2", "householdKey": "H1", "creditCode": "91350100M000100Y43", "riskClass": "1", "staffCount": "20",
            "contactName": "李会计", "contactPhone": "057612345678", "schemes": "养老、医疗",
        ]
        return columns.enumerated().map { index, column in
            lists.first { $0.column == index }?.values.first ?? values[column.field] ?? ""
        }
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
