public import Foundation
public import SQLKit
public import ShebaoCore

/// One checked line of a unit's staff-changes file (增减员).
public struct StaffChangeLine: Sendable, Hashable {
    public var row: Int
    public var personID: Int64
    public var change: StaffChange
    /// add: the first month; remove: the first month no longer covered.
    public var period: Period
    public var reason: EnrolmentEnd?
}

/// One checked line of a unit's yearly base declaration.
public struct BaseLine: Sendable, Hashable {
    public var row: Int
    public var personID: Int64
    public var year: Int
    public var declared: Money
    public var wage: Money?

    public init(row: Int, personID: Int64, year: Int, declared: Money, wage: Money?) {
        self.row = row
        self.personID = personID
        self.year = year
        self.declared = declared
        self.wage = wage
    }
}

/// A unit's file read and checked: its lines when every row is clean, else every issue.
public struct CheckedUnitFile<Line: Sendable>: Sendable {
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var lines: [Line]
}

/// Reads the two files a unit sends (CSV or XLSX): its staff changes and its yearly bases. Each
/// row names a registered person by resident ID; any bad row rejects the whole file with its row,
/// column and reason. Only reads.
public struct UnitFileImporter: Sendable {
    let strings: StringTables

    public init(strings: StringTables = .bundled) {
        self.strings = strings
    }

    static let staffColumns = [
        ImportColumn(field: "residentID", labelKey: "person.resident_id", required: true, identifier: true),
        ImportColumn(field: "change", labelKey: "staff_change.column", required: true),
        ImportColumn(field: "period", labelKey: "staff_change.period", required: true),
        ImportColumn(field: "reason", labelKey: "staff_change.reason", required: false),
    ]

    static let baseColumns = [
        ImportColumn(field: "residentID", labelKey: "person.resident_id", required: true, identifier: true),
        ImportColumn(field: "year", labelKey: "insurance.year", required: true),
        ImportColumn(field: "declared", labelKey: "insurance.declared_base", required: true),
        ImportColumn(field: "wage", labelKey: "base.wage", required: false),
    ]

    /// The column labels of each file (string keys) and whether each is required.
    public static var staffColumnKeys: [(labelKey: String, required: Bool)] { staffColumns.map { ($0.labelKey, $0.required) } }
    public static var baseColumnKeys: [(labelKey: String, required: Bool)] { baseColumns.map { ($0.labelKey, $0.required) } }

    /// The largest monthly base or wage a file may carry.
    public static let amountLimit = Money(fen: 100_000_000)

    public func staffChanges(_ data: Data, fileName: String, today: LocalDate, on db: any SQLDatabase) async throws -> CheckedUnitFile<StaffChangeLine> {
        let changes = labelled(StaffChange.self)
        let reasons = labelled(EnrolmentEnd.self)
        return try await read(data, fileName: fileName, columns: Self.staffColumns, today: today, on: db) { validation, number, cells, person in
            let changeText = validation.text("change", cells)?.trimmingASCIIWhitespace() ?? ""
            let change = changes[changeText.lowercased()]
            if change == nil { validation.report(number, "change", changeText.isEmpty ? "field.required" : "field.not_in_list", ["value": changeText]) }
            let period = Self.period(&validation, number, cells, today: today)
            let reasonText = validation.text("reason", cells)?.trimmingASCIIWhitespace() ?? ""
            var reason: EnrolmentEnd?
            if !reasonText.isEmpty {
                reason = reasons[reasonText.lowercased()]
                if reason == nil { validation.report(number, "reason", "field.not_in_list", ["value": reasonText]) }
            }
            guard let person, let change, let period else { return nil }
            return StaffChangeLine(row: number, personID: person, change: change, period: period, reason: change == .remove ? (reason ?? .leftUnit) : nil)
        }
    }

    public func bases(_ data: Data, fileName: String, today: LocalDate, on db: any SQLDatabase) async throws -> CheckedUnitFile<BaseLine> {
        try await read(data, fileName: fileName, columns: Self.baseColumns, today: today, on: db) { validation, number, cells, person in
            let yearText = validation.text("year", cells)?.trimmingASCIIWhitespace() ?? ""
            let year = Int(yearText).flatMap { (1990...today.year + 1).contains($0) ? $0 : nil }
            if year == nil { validation.report(number, "year", yearText.isEmpty ? "field.required" : "base.bad_year", ["value": yearText]) }
            let declared = Self.amount(&validation, "declared", number, cells, required: true)
            let wage = Self.amount(&validation, "wage", number, cells, required: false)
            guard let person, let year, let declared else { return nil }
            return BaseLine(row: number, personID: person, year: year, declared: declared, wage: wage)
        }
    }

    /// Reads a table, resolves each row's resident ID to a registered person, and parses the rest.
    private func read<Line: Sendable>(_ data: Data, fileName: String, columns: [ImportColumn], today: LocalDate, on db: any SQLDatabase,
                                      parse: (inout Validation, Int, [TableCell], Int64?) -> Line?) async throws -> CheckedUnitFile<Line> {
        let table: Table
        do {
            table = try Importer.readTable(data, fileName: fileName)
        } catch {
            return CheckedUnitFile(rowCount: 0, issues: [ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments)],
                                   lines: [])
        }
        var validation = Validation(table: table, columns: columns, strings: strings)
        let rowCount = table.rows.count - 1
        guard validation.checkHeader() else { return CheckedUnitFile(rowCount: rowCount, issues: validation.issues, lines: []) }
        var ids: [(row: Int, id: ResidentID)] = []
        for (number, cells) in validation.dataRows {
            if let id = validation.identifier("residentID", cells, row: number, parse: { (text: String) throws(ResidentIDError) in try ResidentID(text, today: today) }) {
                ids.append((number, id))
            }
        }
        let registered = try await PersonStore().ids(ofResidentIDs: ids.map(\.id), on: db)
        var personOfRow: [Int: Int64] = [:]
        for (row, id) in ids {
            if let person = registered[id.value] { personOfRow[row] = person } else { validation.report(row, "residentID", "base.not_registered", ["id": id.masked]) }
        }
        var lines: [Line] = []
        for (number, cells) in validation.dataRows {
            guard validation.check(number, cells, skipping: ["residentID"]) else { continue }
            if let line = parse(&validation, number, cells, personOfRow[number]) { lines.append(line) }
        }
        return CheckedUnitFile(rowCount: rowCount, issues: validation.issues, lines: validation.issues.isEmpty ? lines : [])
    }

    private func labelled<T: Labelled & CaseIterable & RawRepresentable>(_ type: T.Type) -> [String: T] where T.RawValue == String {
        Dictionary(T.allCases.flatMap { value in (strings.labels(value.labelKey) + [value.rawValue]).map { ($0.lowercased(), value) } },
                   uniquingKeysWith: { first, _ in first })
    }

    private static func period(_ validation: inout Validation, _ row: Int, _ cells: [TableCell], today: LocalDate) -> Period? {
        let text = validation.text("period", cells)?.trimmingASCIIWhitespace() ?? ""
        guard let period = Period(text), period.year >= 1990, period.firstDay <= today.adding(days: 62) else {
            validation.report(row, "period", text.isEmpty ? "field.required" : "period.invalid", ["value": text])
            return nil
        }
        return period
    }

    private static func amount(_ validation: inout Validation, _ field: String, _ row: Int, _ cells: [TableCell], required: Bool) -> Money? {
        let text = validation.text(field, cells)?.trimmingASCIIWhitespace() ?? ""
        if text.isEmpty {
            if required { validation.report(row, field, "field.required") }
            return nil
        }
        do {
            let value = try Money.parse(text)
            guard value.fen > 0, value <= amountLimit else {
                validation.report(row, field, "base.amount_range", ["max": amountLimit.yuanText])
                return nil
            }
            return value
        } catch {
            validation.report(row, field, error.code, ["value": text])
            return nil
        }
    }
}
