public import Foundation
public import SQLKit
public import ShebaoCore

/// What a checked file would write: the rows of one kind, ready for one transaction.
public enum ImportPlan: Sendable {
    case persons(PersonsPlan)
    case employers([(code: CreditCode, details: EmployerDetails)])
    case households([HouseholdGroup])

    /// The records the file creates or changes (households for a households file).
    public var count: Int {
        switch self {
        case .persons(let plan): plan.new.count + plan.changed.count
        case .employers(let rows): rows.count
        case .households(let groups): groups.count
        }
    }
}

/// A persons file: people new to the registry, records it changes, and rows that change nothing.
public struct PersonsPlan: Sendable {
    public var new: [NewPerson] = []
    public var changed: [PersonChange] = []
    public var unchanged = 0
}

/// A record a file changes: as it was when checked, and its new details.
public struct PersonChange: Sendable {
    public var before: Person
    public var details: PersonDetails
}

/// A record a confirmed file would change was changed by someone else since the file was checked.
public struct ImportChangedMeanwhile: Error, Sendable {
    public var residentID: String
}

/// One household of a households file: its register number, place and members.
public struct HouseholdGroup: Sendable {
    public var registerNumber: String
    public var region: RegionCode
    public var address: String?
    public var members: [(person: Person, relation: HouseholdRelation)]
}

/// A file read and checked: the plan when it is clean, else every issue.
public struct CheckedImport: Sendable {
    public var kind: ImportKind
    public var fileName: String
    /// Data rows in the file (the header not counted).
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var plan: ImportPlan?
}

/// Imports persons, households or employers from CSV or XLSX.
///
/// The whole file is checked first (``check(_:data:fileName:scope:regions:today:on:)``): any
/// issue rejects the whole file — the report names sheet, row, column and reason — and nothing is
/// written. A clean file is written by ``write(_:kind:fileName:rowCount:by:at:on:)`` in the
/// caller's one transaction.
public struct Importer: Sendable {
    let strings: StringTables

    public init(strings: StringTables = .bundled) {
        self.strings = strings
    }

    /// The columns of each kind, in template order (the string keys are the headers).
    public static func columns(_ kind: ImportKind) -> [(field: String, labelKey: String, required: Bool, identifier: Bool)] {
        definitions(kind).map { ($0.field, $0.labelKey, $0.required, $0.identifier) }
    }

    static func definitions(_ kind: ImportKind) -> [ImportColumn] {
        switch kind {
        case .persons:
            // The person fields a registration sets, from the one field list; identifiers are read as text only.
            let identifiers: Set<PersonField> = [.phone, .bankAccount]
            return [ImportColumn(field: "residentID", labelKey: "person.resident_id", required: true, identifier: true)]
                + PersonField.allCases.filter(\.isRegistered).map {
                    ImportColumn(field: $0.rawValue, labelKey: $0.importLabelKey, required: [.name, .hukouType, .region].contains($0),
                                 identifier: identifiers.contains($0))
                }
        case .households:
            return [
                ImportColumn(field: "householdKey", labelKey: "household.key", required: true),
                ImportColumn(field: "residentID", labelKey: "person.resident_id", required: true, identifier: true),
                ImportColumn(field: "relation", labelKey: "household.relation", required: true),
                ImportColumn(field: "region", labelKey: "household.region_code", required: false),
                ImportColumn(field: "address", labelKey: "household.address", required: false),
            ]
        case .employers:
            return [
                ImportColumn(field: "creditCode", labelKey: "employer.credit_code", required: true, identifier: true),
                ImportColumn(field: "name", labelKey: "employer.name", required: true),
                ImportColumn(field: "ownershipType", labelKey: "employer.ownership_type", required: true),
                ImportColumn(field: "industry", labelKey: "employer.industry", required: true),
                ImportColumn(field: "riskClass", labelKey: "employer.risk_class", required: false),
                ImportColumn(field: "region", labelKey: "employer.region_code", required: true),
                ImportColumn(field: "staffCount", labelKey: "employer.staff_count", required: false),
                ImportColumn(field: "contactName", labelKey: "employer.contact_name", required: false),
                ImportColumn(field: "contactPhone", labelKey: "employer.contact_phone", required: false, identifier: true),
                ImportColumn(field: "address", labelKey: "employer.address", required: false),
                ImportColumn(field: "schemes", labelKey: "employer.schemes", required: false),
            ]
        }
    }

    /// Reads a file as XLSX (a ZIP package) or CSV, by its content, not its name.
    public static func readTable(_ data: Data, fileName: String) throws(TableFileError) -> Table {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try XLSX.read(data) }
        let sheet = (fileName as NSString).deletingPathExtension
        return try CSV.read(data, sheetName: sheet.isEmpty ? "CSV" : sheet)
    }

    /// Reads and checks `data` as a file of `kind` for a clerk whose scope is `scope`: every row,
    /// every column, duplicates in the file and against the register. Reads only.
    public func check(_ kind: ImportKind, data: Data, fileName: String, scope: RegionCode, regions: Set<RegionCode>, today: LocalDate,
                      on db: any SQLDatabase) async throws -> CheckedImport {
        let table: Table
        do {
            table = try Self.readTable(data, fileName: fileName)
        } catch {
            return CheckedImport(kind: kind, fileName: fileName, rowCount: 0,
                                 issues: [ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments)],
                                 plan: nil)
        }
        var validation = Validation(table: table, columns: Self.definitions(kind), strings: strings)
        let rowCount = table.rows.count - 1
        guard validation.checkHeader() else {
            return CheckedImport(kind: kind, fileName: fileName, rowCount: rowCount, issues: validation.issues, plan: nil)
        }
        let plan: ImportPlan
        switch kind {
        case .persons:
            plan = .persons(try await checkPersons(&validation, regions: regions, scope: scope, today: today, on: db))
        case .employers:
            plan = .employers(try await checkEmployers(&validation, regions: regions, scope: scope, on: db))
        case .households:
            plan = .households(try await checkHouseholds(&validation, regions: regions, scope: scope, today: today, on: db))
        }
        return CheckedImport(kind: kind, fileName: fileName, rowCount: rowCount, issues: validation.issues.sorted(by: ImportIssue.inReportOrder),
                             plan: validation.issues.isEmpty ? plan : nil)
    }

    /// A record an import created, to link to from its result.
    public struct Created: Sendable, Hashable {
        public var kind: ImportKind
        public var id: Int64
        /// The name (a person's or a unit's) or a household's register number.
        public var label: String
    }

    /// Writes a clean plan inside the caller's transaction and records the import run; returns
    /// its id and what it created. The versions' reason names the file in the office's language.
    public func write(_ plan: ImportPlan, kind: ImportKind, fileName: String, rowCount: Int, by actor: AuditActor, at now: Timestamp,
                      on db: any SQLDatabase) async throws -> (runID: Int64, created: [Created]) {
        let reason = strings.text("import.reason", .zhHans, ["file": fileName])
        var created: [Created] = []
        switch plan {
        case .persons(let plan):
            let persons = PersonStore()
            let ids = try await persons.insert(plan.new, by: actor, reason: reason, at: now, on: db)
            created = zip(ids, plan.new).map { Created(kind: .persons, id: $0, label: $1.details.name) }
            for change in plan.changed {
                guard let current = try await persons.lock(id: change.before.id, on: db), current.version == change.before.version else {
                    throw ImportChangedMeanwhile(residentID: change.before.residentID.value)
                }
                var updated = current.applying(change.details)
                updated.version = current.version + 1
                try await persons.save(updated, at: now, on: db)
                try await persons.recordVersions(ids: [updated.id], by: actor, reason: reason, at: now, on: db)
                if updated.name != current.name { try await persons.rebuildNameKeys(ids: [updated.id], on: db) }
                created.append(Created(kind: .persons, id: updated.id, label: updated.name))
            }
        case .employers(let rows):
            let ids = try await EmployerStore().insert(rows, by: actor, reason: reason, at: now, on: db)
            created = zip(ids, rows).map { Created(kind: .employers, id: $0, label: $1.details.name) }
        case .households(let groups):
            for group in groups {
                let household = try await HouseholdStore().create(registerNumber: group.registerNumber, region: group.region, address: group.address,
                                                                  members: group.members, by: actor, reason: reason, at: now, on: db)
                created.append(Created(kind: .households, id: household.id, label: household.registerNumber))
            }
        }
        let row = try await db.raw(
            """
            INSERT INTO import_runs (kind, file_name, status, row_count, error_count, created_by, created_at)
            VALUES (\(bind: kind.rawValue), \(bind: fileName), 'imported', \(bind: Int64(rowCount)), 0, \(bind: actor.userID), \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("import_runs") }
        return (id, created)
    }

    // MARK: Persons

    /// A persons file registers the IDs the registry does not know and changes the records of
    /// those it knows in the clerk's scope — only the columns the file has (an exported list
    /// edited and sent back round-trips); an unchanged row changes nothing. An ID registered
    /// outside the clerk's scope is refused as registered, whichever town holds it.
    private func checkPersons(_ validation: inout Validation, regions: Set<RegionCode>, scope: RegionCode, today: LocalDate,
                              on db: any SQLDatabase) async throws -> PersonsPlan {
        let strings = self.strings
        var plan = PersonsPlan()
        var rowsOfID: [String: Int] = [:]
        var rows: [String: (input: PersonDetails.Input, details: PersonDetails?)] = [:]
        var order: [ResidentID] = []
        for (number, cells) in validation.dataRows {
            // Every column is checked even when the ID is wrong, so one pass reports everything.
            let id = validation.identifier("residentID", cells, row: number, parse: { try ResidentID($0, today: today) })
            let clean = validation.check(number, cells, skipping: ["residentID"])
            let input = PersonDetails.Input(reading: { $0.isRegistered ? validation.text($0.rawValue, cells) : nil })
            var details: PersonDetails?
            if clean {
                switch PersonDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: scope, today: today) {
                case .success(let valid): details = valid
                case .failure(let issues): for issue in issues.issues { validation.report(number, issue.field, issue.code, issue.arguments) }
                }
            }
            guard let id else { continue }
            if let first = rowsOfID[id.value] {
                validation.report(number, "residentID", "import.duplicate_in_file", ["first": String(first)])
                continue
            }
            rowsOfID[id.value] = number
            rows[id.value] = (input, details)
            order.append(id)
        }
        let existing = try await PersonStore().existingResidentIDs(Array(rowsOfID.keys), on: db)
        let known = try await PersonStore().find(residentIDs: order.filter { existing.contains($0.value) }, in: scope, on: db)
        for id in order {
            guard let row = rows[id.value], let details = row.details else { continue }
            guard existing.contains(id.value) else {
                plan.new.append(NewPerson(residentID: id, details: details))
                continue
            }
            guard let person = known[id.value] else {
                validation.report(rowsOfID[id.value]!, "residentID", "import.already_registered", ["id": id.value])
                continue
            }
            // The file's columns over the record as it stands: a column the file leaves out keeps its value.
            switch PersonDetails.validate(row.input.filling(from: person), labels: { strings.labels($0) }, knownRegion: { regions.contains($0) },
                                          scope: scope, today: today) {
            case .success(let changed):
                if changed == person.details { plan.unchanged += 1 } else { plan.changed.append(PersonChange(before: person, details: changed)) }
            case .failure(let issues):
                for issue in issues.issues { validation.report(rowsOfID[id.value]!, issue.field, issue.code, issue.arguments) }
            }
        }
        return plan
    }

    // MARK: Employers

    private func checkEmployers(_ validation: inout Validation, regions: Set<RegionCode>, scope: RegionCode,
                                on db: any SQLDatabase) async throws -> [(code: CreditCode, details: EmployerDetails)] {
        let strings = self.strings
        var units: [(code: CreditCode, details: EmployerDetails)] = []
        var rowsOfCode: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            let code = validation.identifier("creditCode", cells, row: number, parse: { try CreditCode($0) })
            let clean = validation.check(number, cells, skipping: ["creditCode"])
            let input = EmployerDetails.Input(
                name: validation.text("name", cells), ownershipType: validation.text("ownershipType", cells),
                industry: validation.text("industry", cells), riskClass: validation.text("riskClass", cells),
                region: validation.text("region", cells), staffCount: validation.text("staffCount", cells),
                contactName: validation.text("contactName", cells), contactPhone: validation.text("contactPhone", cells),
                address: validation.text("address", cells), schemes: validation.text("schemes", cells))
            var details: EmployerDetails?
            if clean {
                switch EmployerDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: scope) {
                case .success(let valid): details = valid
                case .failure(let issues): for issue in issues.issues { validation.report(number, issue.field, issue.code, issue.arguments) }
                }
            }
            guard let code else { continue }
            if let first = rowsOfCode[code.value] {
                validation.report(number, "creditCode", "import.duplicate_in_file", ["first": String(first)])
                continue
            }
            rowsOfCode[code.value] = number
            if let details { units.append((code, details)) }
        }
        let existing = try await EmployerStore().existingCreditCodes(Array(rowsOfCode.keys), on: db)
        for code in existing.sorted(by: { rowsOfCode[$0]! < rowsOfCode[$1]! }) {
            validation.report(rowsOfCode[code]!, "creditCode", "import.already_registered", ["id": code])
        }
        return units
    }

    // MARK: Households

    private func checkHouseholds(_ validation: inout Validation, regions: Set<RegionCode>, scope: RegionCode, today: LocalDate,
                                 on db: any SQLDatabase) async throws -> [HouseholdGroup] {
        let strings = self.strings
        struct Row { var number: Int; var key: String; var id: ResidentID; var relation: HouseholdRelation; var region: RegionCode?; var address: String? }
        var rows: [Row] = []
        var rowsOfID: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            let key = validation.text("householdKey", cells)?.trimmingASCIIWhitespace() ?? ""
            if key.isEmpty { validation.report(number, "householdKey", "field.required") }
            let id = validation.identifier("residentID", cells, row: number, parse: { try ResidentID($0, today: today) })
            let relation = FieldRules.choice(validation.text("relation", cells), field: "relation",
                                             labels: { (value: HouseholdRelation) in strings.labels(value.labelKey) }, required: true)
            let region = FieldRules.region(validation.text("region", cells), field: "region", known: { regions.contains($0) }, scope: scope, required: false)
            let address = FieldRules.text(validation.text("address", cells), field: "address", max: 200)
            guard validation.check(number, cells, skipping: ["residentID"]) else { continue }
            var valid = !key.isEmpty && id != nil
            for case .failure(let issue) in [relation.map { _ in () }, region.map { _ in () }, address.map { _ in () }] {
                validation.report(number, issue.field, issue.code, issue.arguments)
                valid = false
            }
            guard valid, let id, case .success(let relationValue?) = relation, case .success(let regionValue) = region,
                case .success(let addressValue) = address else { continue }
            if let first = rowsOfID[id.value] {
                validation.report(number, "residentID", "import.duplicate_in_file", ["first": String(first)])
                continue
            }
            rowsOfID[id.value] = number
            rows.append(Row(number: number, key: key, id: id, relation: relationValue, region: regionValue, address: addressValue))
        }
        // Every person must be registered, in scope, and not yet in a household.
        let registered = try await PersonStore().find(residentIDs: rows.map(\.id), in: scope, on: db)
        var found: [String: Person] = [:]
        for row in rows {
            guard let person = registered[row.id.value] else {
                validation.report(row.number, "residentID", "import.person_not_registered", ["id": row.id.value])
                continue
            }
            if let household = person.householdID {
                validation.report(row.number, "residentID", "household.already_member", ["person": String(person.id), "household": String(household)])
                continue
            }
            found[row.id.value] = person
        }
        var groups: [HouseholdGroup] = []
        var order: [String] = []
        var byKey: [String: [Row]] = [:]
        for row in rows {
            if byKey[row.key] == nil { order.append(row.key) }
            byKey[row.key, default: []].append(row)
        }
        for key in order {
            let members = byKey[key]!
            let heads = members.filter { $0.relation == .head }
            guard heads.count == 1 else {
                validation.report(members[0].number, "relation", "household.one_head", ["count": String(heads.count)])
                continue
            }
            let head = heads[0]
            guard let region = head.region ?? members.compactMap(\.region).first else {
                validation.report(head.number, "region", "field.required")
                continue
            }
            if region.level != .village {
                validation.report(head.number, "region", "household.region_not_village", ["code": region.value])
                continue
            }
            if let other = members.first(where: { $0.region != nil && $0.region != region }) {
                validation.report(other.number, "region", "import.household_regions_differ", ["code": region.value])
                continue
            }
            let ids = members.compactMap { member in found[member.id.value].map { (person: $0, relation: member.relation) } }
            guard ids.count == members.count else { continue }
            groups.append(HouseholdGroup(registerNumber: key, region: region, address: head.address ?? members.compactMap(\.address).first, members: ids))
        }
        let taken = try await HouseholdStore().existingRegisterNumbers(groups.map(\.registerNumber), on: db)
        for key in order where taken.contains(key) {
            validation.report(byKey[key]![0].number, "householdKey", "household.register_number_taken", ["number": key])
        }
        return groups
    }
}

/// The running validation of one table: header mapping, the data rows, and the issues found.
struct Validation {
    let table: Table
    let columns: [ImportColumn]
    let strings: StringTables
    let map: ColumnMap
    var issues: [ImportIssue] = []
    /// Cells already reported (row and column).
    private var reported: Set<String> = []
    /// Where each spreadsheet row number sits in `table.rows`.
    private let rowIndex: [Int: Int]

    init(table: Table, columns: [ImportColumn], strings: StringTables) {
        self.table = table
        self.columns = columns
        self.strings = strings
        self.map = ColumnMap(header: table.rows.first?.cells ?? [], columns: columns, strings: strings)
        self.rowIndex = Dictionary(table.rows.enumerated().map { ($0.element.number, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    var dataRows: ArraySlice<(number: Int, cells: [TableCell])> { table.rows.dropFirst() }

    /// False (with issues) when required columns are missing or there are no data rows.
    mutating func checkHeader() -> Bool {
        let headerRow = table.rows.first?.number ?? 1
        for column in columns where column.required && map.indexByField[column.field] == nil {
            issues.append(ImportIssue(sheet: table.sheetName, row: headerRow, column: "", header: strings.text(column.labelKey, .zhHans),
                                      code: "import.missing_column", arguments: ["column": strings.text(column.labelKey, .zhHans)]))
        }
        if table.rows.count < 2 {
            issues.append(ImportIssue(sheet: table.sheetName, row: headerRow, column: "", header: "", code: "import.no_rows", arguments: [:]))
        }
        return issues.isEmpty
    }

    func text(_ field: String, _ cells: [TableCell]) -> String? {
        map.value(field, in: cells).map(\.text)
    }

    func place(of field: String) -> (column: String, header: String) { map.place(of: field) }

    /// One issue per cell: the first thing found wrong with a value is what the clerk must fix
    /// ("二级" in the grade column is not a grade; that the grade is then missing is no news).
    mutating func report(_ row: Int, _ field: String, _ code: String, _ arguments: [String: String] = [:]) {
        let place = map.place(of: field)
        guard reported.insert("\(row)\u{1F}\(place.column.isEmpty ? field : place.column)").inserted else { return }
        issues.append(ImportIssue(sheet: table.sheetName, row: row, column: place.column, header: place.header, code: code, arguments: arguments,
                                  subject: subject(ofRow: row)))
    }

    /// Whom a data row is about: its name column, else its first identifier.
    func subject(ofRow row: Int) -> String {
        guard let index = rowIndex[row] else { return "" }
        let cells = table.rows[index].cells
        for field in ["name", "residentID", "creditCode"] {
            if let text = map.value(field, in: cells)?.text.trimmingUnicodeWhitespace(), !text.isEmpty { return String(text.prefix(40)) }
        }
        return ""
    }

    /// Reads an identifier column: refuses numbers (digits already lost) and formulas, then parses.
    mutating func identifier<T, E: Error>(_ field: String, _ cells: [TableCell], row: Int, parse: (String) throws(E) -> T) -> T? {
        guard let cell = map.value(field, in: cells), cell.kind != .empty else {
            report(row, field, "field.required")
            return nil
        }
        if cell.kind == .number || Self.looksLikeExcelNumber(cell.text) {
            report(row, field, "import.numeric_identifier", ["value": cell.text])
            return nil
        }
        if cell.kind == .formula {
            report(row, field, "import.formula")
            return nil
        }
        do {
            return try parse(cell.text)
        } catch {
            if let error = error as? ResidentIDError {
                report(row, field, error.code, error.arguments)
            } else if let error = error as? CreditCodeError {
                report(row, field, error.code, error.arguments)
            } else {
                report(row, field, "field.invalid")
            }
            return nil
        }
    }

    /// Other identifier columns (phones, accounts) in number cells, and formulas anywhere.
    @discardableResult
    mutating func check(_ row: Int, _ cells: [TableCell], skipping: Set<String>) -> Bool {
        var clean = true
        for column in columns where !skipping.contains(column.field) {
            guard let cell = map.value(column.field, in: cells) else { continue }
            if cell.kind == .formula {
                report(row, column.field, "import.formula")
                clean = false
            } else if column.identifier && (Self.looksLikeExcelNumber(cell.text) || (cell.kind == .number && cell.text.count > 15)) {
                report(row, column.field, "import.numeric_identifier", ["value": cell.text])
                clean = false
            }
        }
        return clean
    }

    /// `3.31004E+17`: what a spreadsheet writes for a long number it has already rounded.
    static func looksLikeExcelNumber(_ text: String) -> Bool {
        let upper = text.uppercased()
        guard upper.contains("E+") else { return false }
        return upper.allSatisfy { $0.isASCIIDigit || $0 == "." || $0 == "E" || $0 == "+" }
    }
}

/// A file that was imported.
public struct ImportRun: Sendable, Codable {
    public var id: Int64
    public var kind: ImportKind
    public var fileName: String
    public var rowCount: Int64
    public var createdAt: String
}

extension Importer {
    /// The latest imports made by users whose scope lies inside `scope` (a town's clerks see their
    /// town's imports; the district office sees all).
    public func recentRuns(limit: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [ImportRun] {
        try await db.raw(
            """
            SELECT r.id, r.kind, r.file_name, r.row_count, r.created_at FROM import_runs r JOIN users u ON u.id = r.created_by
            WHERE \(SQLPieces.scope(scope, column: "u.region_code")) ORDER BY r.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "import_runs")
            return ImportRun(id: try reader.int("id"), kind: try reader.value("kind", as: ImportKind.self), fileName: try reader.string("file_name"),
                             rowCount: try reader.int("row_count"), createdAt: try reader.string("created_at"))
        }
    }
}
