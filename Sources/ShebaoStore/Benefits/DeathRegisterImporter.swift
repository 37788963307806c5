public import Foundation
public import ShebaoCore

/// A death the civil register (民政殡葬 / 公安户籍注销) reported: who, and on what day.
public struct RegisteredDeath: Sendable, Hashable {
    public var row: Int
    public var residentID: ResidentID
    public var name: String
    public var diedOn: LocalDate
}

/// The death register's file read and checked: its deaths when every row is clean, else every issue.
public struct CheckedDeathRegister: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var deaths: [RegisteredDeath]
}

/// Reads the death register (CSV or XLSX): 公民身份号码, 姓名, 死亡日期. Any bad row rejects the
/// whole file with its row, column and reason; nothing is written here.
public struct DeathRegisterImporter: Sendable {
    let strings: StringTables

    public init(strings: StringTables = .bundled) {
        self.strings = strings
    }

    static let columns = [
        ImportColumn(field: "residentID", labelKey: "death.resident_id", required: true, identifier: true),
        ImportColumn(field: "name", labelKey: "death.name", required: true),
        ImportColumn(field: "diedOn", labelKey: "death.died_on", required: true),
    ]

    public static var columnKeys: [(labelKey: String, required: Bool)] { columns.map { ($0.labelKey, $0.required) } }

    public func check(_ data: Data, fileName: String, today: LocalDate) -> CheckedDeathRegister {
        let table: Table
        do {
            table = try Importer.readTable(data, fileName: fileName)
        } catch {
            return CheckedDeathRegister(fileName: fileName, rowCount: 0, issues: [
                ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments),
            ], deaths: [])
        }
        var validation = Validation(table: table, columns: Self.columns, strings: strings)
        let rowCount = table.rows.count - 1
        guard validation.checkHeader() else { return CheckedDeathRegister(fileName: fileName, rowCount: rowCount, issues: validation.issues, deaths: []) }
        var deaths: [RegisteredDeath] = []
        var firstRow: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            guard validation.check(number, cells, skipping: ["residentID"]) else { continue }
            let before = validation.issues.count
            let id = validation.identifier("residentID", cells, row: number) { (text: String) throws(ResidentIDError) in
                try ResidentID(text.trimmingASCIIWhitespace().uppercased(), today: today)
            }
            let name = validation.text("name", cells)?.trimmingUnicodeWhitespace() ?? ""
            if name.isEmpty { validation.report(number, "name", "field.required") }
            let dateText = validation.text("diedOn", cells)?.trimmingASCIIWhitespace() ?? ""
            let diedOn = LocalDate(iso: dateText) ?? LocalDate(compact: dateText)
            if diedOn == nil || diedOn! > today || diedOn!.year < 1990 {
                validation.report(number, "diedOn", dateText.isEmpty ? "field.required" : "death.bad_date", ["value": dateText])
            }
            if let id {
                if let first = firstRow[id.value] {
                    validation.report(number, "residentID", "death.twice", ["row": String(first)])
                } else {
                    firstRow[id.value] = number
                }
            }
            guard validation.issues.count == before, let id, let diedOn else { continue }
            deaths.append(RegisteredDeath(row: number, residentID: id, name: name, diedOn: diedOn))
        }
        return CheckedDeathRegister(fileName: fileName, rowCount: rowCount, issues: validation.issues, deaths: validation.issues.isEmpty ? deaths : [])
    }
}
