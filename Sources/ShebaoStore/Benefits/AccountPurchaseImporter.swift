public import Foundation
public import ShebaoCore

/// One purchase line of a pharmacy's file, as read.
public struct ReportedPurchase: Sendable, Hashable {
    public var row: Int
    public var receipt: String
    public var residentID: ResidentID
    public var spentOn: LocalDate
    public var amount: Money
}

/// A pharmacy's purchase file read and checked: its lines when every row is clean, else every issue.
public struct CheckedPurchaseFile: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var purchases: [ReportedPurchase]
    /// Where each column sits in the file (letter, header), to name a row's problem found later.
    var places: [String: (column: String, header: String)] = [:]

    /// A problem with row `row`'s `field` found against the database (e.g. an account too small).
    public func issue(row: Int, field: String, code: String, arguments: [String: String] = [:]) -> ImportIssue {
        let place = places[field] ?? ("", field)
        return ImportIssue(sheet: fileName, row: row, column: place.column, header: place.header, code: code, arguments: arguments)
    }
}

/// Reads what a designated pharmacy (or hospital outpatient desk) charged to individual medical
/// accounts (CSV or XLSX): 单据号, 公民身份号码, 消费日期, 金额. Any bad row rejects the whole file
/// with its row, column and reason; nothing is written here. Whether each person's account covers
/// the amounts is the caller's check, against the database.
public struct AccountPurchaseImporter: Sendable {
    let strings: StringTables

    public init(strings: StringTables = .bundled) {
        self.strings = strings
    }

    static let columns = [
        ImportColumn(field: "receipt", labelKey: "purchase.receipt", required: true),
        ImportColumn(field: "residentID", labelKey: "purchase.resident_id", required: true, identifier: true),
        ImportColumn(field: "spentOn", labelKey: "purchase.spent_on", required: true),
        ImportColumn(field: "amount", labelKey: "purchase.amount", required: true),
    ]

    public static var columnKeys: [(labelKey: String, required: Bool)] { columns.map { ($0.labelKey, $0.required) } }

    /// The most one purchase may charge: far above any pharmacy bill, so a slip of the decimal point is caught.
    public static let largestPurchase = Money.yuan(100_000)

    public func check(_ data: Data, fileName: String, today: LocalDate) -> CheckedPurchaseFile {
        let table: Table
        do {
            table = try Importer.readTable(data, fileName: fileName)
        } catch {
            return CheckedPurchaseFile(fileName: fileName, rowCount: 0, issues: [
                ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments),
            ], purchases: [])
        }
        var validation = Validation(table: table, columns: Self.columns, strings: strings)
        let rowCount = table.rows.count - 1
        guard validation.checkHeader() else { return CheckedPurchaseFile(fileName: fileName, rowCount: rowCount, issues: validation.issues, purchases: []) }
        var purchases: [ReportedPurchase] = []
        var firstRow: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            guard validation.check(number, cells, skipping: ["residentID"]) else { continue }
            let before = validation.issues.count
            let receipt = validation.text("receipt", cells)?.trimmingUnicodeWhitespace() ?? ""
            if receipt.isEmpty || receipt.count > 40 {
                validation.report(number, "receipt", receipt.isEmpty ? "field.required" : "purchase.bad_receipt")
            } else if let first = firstRow[receipt] {
                validation.report(number, "receipt", "purchase.twice", ["row": String(first)])
            } else {
                firstRow[receipt] = number
            }
            let id = validation.identifier("residentID", cells, row: number) { (text: String) throws(ResidentIDError) in
                try ResidentID(text.trimmingASCIIWhitespace().uppercased(), today: today)
            }
            let dateText = validation.text("spentOn", cells)?.trimmingASCIIWhitespace() ?? ""
            let spentOn = LocalDate(iso: dateText) ?? LocalDate(compact: dateText)
            if spentOn == nil || spentOn! > today || spentOn!.year < 1998 {
                validation.report(number, "spentOn", dateText.isEmpty ? "field.required" : "purchase.bad_date", ["value": dateText])
            }
            let amountText = validation.text("amount", cells)?.trimmingASCIIWhitespace() ?? ""
            let amount = try? Money.parse(amountText)
            if amount == nil || amount!.fen <= 0 || amount! > Self.largestPurchase {
                validation.report(number, "amount", amountText.isEmpty ? "field.required" : "purchase.bad_amount",
                                  ["value": amountText, "max": Self.largestPurchase.yuanText])
            }
            guard validation.issues.count == before, let id, let spentOn, let amount else { continue }
            purchases.append(ReportedPurchase(row: number, receipt: receipt, residentID: id, spentOn: spentOn, amount: amount))
        }
        var checked = CheckedPurchaseFile(fileName: fileName, rowCount: rowCount, issues: validation.issues, purchases: validation.issues.isEmpty ? purchases : [])
        checked.places = Dictionary(uniqueKeysWithValues: Self.columns.map { ($0.field, validation.place(of: $0.field)) })
        return checked
    }
}
