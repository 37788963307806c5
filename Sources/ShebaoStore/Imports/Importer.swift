public import Foundation
import SQLKit
public import ShebaoCore

/// Imports persons, households or employers from CSV or XLSX.
///
/// The whole file is validated first. Any issue rejects the whole file — the report names sheet,
/// row, column and reason — and nothing is written. A clean file is written in one transaction.
public struct Importer: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    let strings: StringTables

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock(), strings: StringTables = .bundled) {
        self.database = database
        self.clock = clock
        self.strings = strings
    }

    /// The columns of each kind, in template order (the string keys are the headers).
    public static func columns(_ kind: ImportKind) -> [(field: String, labelKey: String, required: Bool, identifier: Bool)] {
        definitions(kind).map { ($0.field, $0.labelKey, $0.required, $0.identifier) }
    }

    static func definitions(_ kind: ImportKind) -> [ImportColumn] {
        switch kind {
        case .persons:
            return [
                ImportColumn(field: "residentID", labelKey: "person.resident_id", required: true, identifier: true),
                ImportColumn(field: "name", labelKey: "person.name", required: true),
                ImportColumn(field: "hukouType", labelKey: "person.hukou_type", required: true),
                ImportColumn(field: "region", labelKey: "person.region_code", required: true),
                ImportColumn(field: "residenceRegion", labelKey: "person.residence_region_code", required: false),
                ImportColumn(field: "address", labelKey: "person.address", required: false),
                ImportColumn(field: "phone", labelKey: "person.phone", required: false, identifier: true),
                ImportColumn(field: "bankName", labelKey: "person.bank_name", required: false),
                ImportColumn(field: "bankAccount", labelKey: "person.bank_account", required: false, identifier: true),
                ImportColumn(field: "disabilityCategory", labelKey: "person.disability_category", required: false),
                ImportColumn(field: "disabilityGrade", labelKey: "person.disability_grade", required: false),
            ]
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

    /// Validates and, if clean, imports `data`. Without `importFile` permission nothing happens.
    public func run(_ kind: ImportKind, data: Data, fileName: String, by principal: Principal) async throws -> ImportOutcome {
        guard principal.decide(.importFile) == .allowed else { throw StoreError.notFound("import") }
        let table: Table
        do {
            table = try Self.readTable(data, fileName: fileName)
        } catch {
            return ImportOutcome(kind: kind, fileName: fileName, rowCount: 0,
                                 issues: [ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments)],
                                 runID: nil, imported: 0)
        }
        var validation = Validation(table: table, columns: Self.definitions(kind), strings: strings)
        guard validation.checkHeader() else {
            return ImportOutcome(kind: kind, fileName: fileName, rowCount: table.rows.count - 1, issues: validation.issues, runID: nil, imported: 0)
        }
        let regions = try await RegionStore(database: database).allCodes()
        switch kind {
        case .persons:
            let rows = try await validatePersons(&validation, regions: regions, scope: principal.scope)
            return try await finish(kind, fileName, validation, count: rows.count, by: principal) { db, now in
                _ = try await PersonStore.insert(rows, on: db, dialect: database.dialect, by: AuditActor(principal), reason: "import: " + fileName,
                                                 auditEach: false, at: now)
            }
        case .employers:
            let rows = try await validateEmployers(&validation, regions: regions, scope: principal.scope)
            return try await finish(kind, fileName, validation, count: rows.count, by: principal) { db, now in
                _ = try await EmployerStore.insert(rows, on: db, dialect: database.dialect, by: AuditActor(principal), reason: "import: " + fileName,
                                                   auditEach: false, at: now)
            }
        case .households:
            let groups = try await validateHouseholds(&validation, regions: regions, principal: principal)
            return try await finish(kind, fileName, validation, count: groups.count, by: principal) { db, now in
                for group in groups {
                    _ = try await HouseholdStore.insert(registerNumber: group.registerNumber, region: group.region, address: group.address, members: group.members,
                                                        on: db, by: principal, reason: "import: " + fileName, at: now)
                }
            }
        }
    }

    /// Writes in one transaction when the validation found nothing, with a run record and one audit row.
    private func finish(_ kind: ImportKind, _ fileName: String, _ validation: Validation, count: Int, by principal: Principal,
                        write: @Sendable @escaping (any SQLDatabase, Timestamp) async throws -> Void) async throws -> ImportOutcome {
        let rowCount = validation.table.rows.count - 1
        guard validation.issues.isEmpty else {
            return ImportOutcome(kind: kind, fileName: fileName, rowCount: rowCount, issues: validation.issues, runID: nil, imported: 0)
        }
        let now = clock.now()
        let dialect = database.dialect
        let runID = try await database.write { db in
            try await write(db, now)
            let row = try await db.raw(
                """
                INSERT INTO import_runs (kind, file_name, status, row_count, error_count, created_by, created_at)
                VALUES (\(bind: kind.rawValue), \(bind: fileName), 'imported', \(bind: Int64(rowCount)), 0, \(bind: principal.userID), \(bind: now.iso8601))
                RETURNING id
                """
            ).first()
            let id = try row!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .create, entity: "import_run", entityID: String(id), region: principal.scope,
                           after: ["kind": kind.rawValue, "file": fileName, "rows": String(rowCount)]),
                on: db, dialect: dialect, at: now)
            return id
        }
        return ImportOutcome(kind: kind, fileName: fileName, rowCount: rowCount, issues: [], runID: runID, imported: count)
    }

    // MARK: Persons

    private func validatePersons(_ validation: inout Validation, regions: Set<RegionCode>, scope: RegionCode) async throws -> [NewPerson] {
        let today = clock.now().dateInChina
        let strings = self.strings
        var people: [NewPerson] = []
        var rowsOfID: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            // Every column is checked even when the ID is wrong, so one pass reports everything.
            let id = validation.identifier("residentID", cells, row: number, parse: { try ResidentID($0, today: today) })
            let clean = validation.check(number, cells, skipping: ["residentID"])
            let input = PersonDetails.Input(
                name: validation.text("name", cells), hukouType: validation.text("hukouType", cells), region: validation.text("region", cells),
                residenceRegion: validation.text("residenceRegion", cells), address: validation.text("address", cells),
                phone: validation.text("phone", cells), bankName: validation.text("bankName", cells),
                bankAccount: validation.text("bankAccount", cells), disabilityCategory: validation.text("disabilityCategory", cells),
                disabilityGrade: validation.text("disabilityGrade", cells))
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
            if let details { people.append(NewPerson(residentID: id, details: details)) }
        }
        let existing = try await PersonStore(database: database).existingResidentIDs(Array(rowsOfID.keys))
        for id in existing.sorted(by: { rowsOfID[$0]! < rowsOfID[$1]! }) {
            validation.report(rowsOfID[id]!, "residentID", "import.already_registered", ["id": id])
        }
        return people
    }

    // MARK: Employers

    private func validateEmployers(_ validation: inout Validation, regions: Set<RegionCode>, scope: RegionCode) async throws -> [(code: CreditCode, details: EmployerDetails)] {
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
        let existing = try await EmployerStore(database: database).existingCreditCodes(Array(rowsOfCode.keys))
        for code in existing.sorted(by: { rowsOfCode[$0]! < rowsOfCode[$1]! }) {
            validation.report(rowsOfCode[code]!, "creditCode", "import.already_registered", ["id": code])
        }
        return units
    }

    // MARK: Households

    struct HouseholdGroup: Sendable {
        var registerNumber: String
        var region: RegionCode
        var address: String?
        var members: [(personID: Int64, relation: HouseholdRelation)]
    }

    private func validateHouseholds(_ validation: inout Validation, regions: Set<RegionCode>, principal: Principal) async throws -> [HouseholdGroup] {
        let today = clock.now().dateInChina
        let strings = self.strings
        struct Row { var number: Int; var key: String; var id: ResidentID; var relation: HouseholdRelation; var region: RegionCode?; var address: String? }
        var rows: [Row] = []
        var rowsOfID: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            let key = validation.text("householdKey", cells)?.trimmingASCIIWhitespace() ?? ""
            if key.isEmpty { validation.report(number, "householdKey", "field.required") }
            let id = validation.identifier("residentID", cells, row: number, parse: { try ResidentID($0, today: today) })
            let relation = FieldRules.choice(validation.text("relation", cells), field: "relation",
                                             labels: { (value: HouseholdRelation) in strings.labels("relation.\(value.rawValue)") }, required: true)
            let region = FieldRules.region(validation.text("region", cells), field: "region", known: { regions.contains($0) }, scope: principal.scope, required: false)
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
        let persons = PersonStore(database: database)
        var personIDs: [String: Int64] = [:]
        for row in rows {
            guard let person = try await persons.find(residentID: row.id, in: principal.scope) else {
                validation.report(row.number, "residentID", "import.person_not_registered", ["id": row.id.value])
                continue
            }
            if let household = person.householdID {
                validation.report(row.number, "residentID", "household.already_member", ["person": String(person.id), "household": String(household)])
                continue
            }
            personIDs[row.id.value] = person.id
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
            let ids = members.compactMap { member in personIDs[member.id.value].map { (personID: $0, relation: member.relation) } }
            guard ids.count == members.count else { continue }
            groups.append(HouseholdGroup(registerNumber: key, region: region, address: head.address ?? members.compactMap(\.address).first, members: ids))
        }
        let taken = try await HouseholdStore(database: database).existingRegisterNumbers(groups.map(\.registerNumber))
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

    init(table: Table, columns: [ImportColumn], strings: StringTables) {
        self.table = table
        self.columns = columns
        self.strings = strings
        self.map = ColumnMap(header: table.rows.first?.cells ?? [], columns: columns, strings: strings)
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

    mutating func report(_ row: Int, _ field: String, _ code: String, _ arguments: [String: String] = [:]) {
        let place = map.place(of: field)
        issues.append(ImportIssue(sheet: table.sheetName, row: row, column: place.column, header: place.header, code: code, arguments: arguments))
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
    public var kind: String
    public var fileName: String
    public var rowCount: Int64
    public var createdAt: String
}

extension Importer {
    public func recentRuns(limit: Int) async throws -> [ImportRun] {
        try await database.read { db in
            try await db.raw("SELECT id, kind, file_name, row_count, created_at FROM import_runs ORDER BY id DESC LIMIT \(literal: limit)").all().map {
                ImportRun(id: try $0.decode(column: "id", as: Int64.self), kind: try $0.decode(column: "kind", as: String.self),
                          fileName: try $0.decode(column: "file_name", as: String.self), rowCount: try $0.decode(column: "row_count", as: Int64.self),
                          createdAt: try $0.decode(column: "created_at", as: String.self))
            }
        }
    }
}
