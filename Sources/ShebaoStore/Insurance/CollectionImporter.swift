public import Foundation
public import SQLKit
public import ShebaoCore

/// Who paid a line of the tax bureau's file: a unit, named by its credit code, or a person
/// insured on their own account (个体工商户、灵活就业人员), named by their resident ID.
public enum CollectionPayer: Sendable, Hashable {
    case unit(creditCode: String)
    case person(ResidentID)

    public var creditCode: String? {
        if case .unit(let code) = self { code } else { nil }
    }

    public var residentID: ResidentID? {
        if case .person(let id) = self { id } else { nil }
    }
}

/// One checked line of a tax-bureau collection file (先征后登: the tax bureau collects, we record).
public struct CollectionLine: Sendable, Hashable {
    /// The row as the spreadsheet numbers it.
    public var row: Int
    public var payer: CollectionPayer
    public var period: Period
    public var scheme: Scheme
    public var amount: Money
    public var paidOn: LocalDate
    public var voucher: String
    /// The unit's taxable-wage headcount, when the tax bureau gave it.
    public var headcount: Int64?

    public init(row: Int, payer: CollectionPayer, period: Period, scheme: Scheme, amount: Money, paidOn: LocalDate, voucher: String, headcount: Int64? = nil) {
        self.row = row
        self.payer = payer
        self.period = period
        self.scheme = scheme
        self.amount = amount
        self.paidOn = paidOn
        self.voucher = voucher
        self.headcount = headcount
    }
}

/// A collection file read and checked: its lines when every row is clean, else every issue.
public struct CheckedCollectionFile: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var lines: [CollectionLine]
}

/// Reads the tax bureau's collection file (CSV or XLSX): the payer (a unit's credit code or, for
/// a person on their own account, the resident ID), month, scheme, amount, date paid, voucher
/// number and, optionally, a unit's taxable-wage headcount. Any bad row rejects
/// the whole file with its row, column and reason; nothing is written here.
public struct CollectionImporter: Sendable {
    let strings: StringTables

    public init(strings: StringTables = .bundled) {
        self.strings = strings
    }

    static let columns = [
        ImportColumn(field: "creditCode", labelKey: "collection.credit_code", required: true, identifier: true),
        ImportColumn(field: "residentID", labelKey: "collection.resident_id", required: false, identifier: true),
        ImportColumn(field: "period", labelKey: "collection.period", required: true),
        ImportColumn(field: "scheme", labelKey: "collection.scheme", required: true),
        ImportColumn(field: "amount", labelKey: "collection.amount", required: true),
        ImportColumn(field: "paidOn", labelKey: "collection.paid_on", required: true),
        ImportColumn(field: "voucher", labelKey: "collection.voucher", required: true, identifier: true),
        ImportColumn(field: "headcount", labelKey: "collection.headcount", required: false),
    ]

    /// The column labels in file order (string keys) and whether each is required.
    public static var columnKeys: [(labelKey: String, required: Bool)] { columns.map { ($0.labelKey, $0.required) } }

    /// The largest line a tax file may carry: a month of one scheme for the district's largest unit is far below.
    public static let lineLimit = Money(fen: 10_000_000_000)

    public func check(_ data: Data, fileName: String, today: LocalDate, on db: any SQLDatabase) async throws -> CheckedCollectionFile {
        let table: Table
        do {
            table = try Importer.readTable(data, fileName: fileName)
        } catch {
            return CheckedCollectionFile(fileName: fileName, rowCount: 0, issues: [
                ImportIssue(sheet: fileName, row: 0, column: "", header: "", code: error.code, arguments: error.arguments),
            ], lines: [])
        }
        var validation = Validation(table: table, columns: Self.columns, strings: strings)
        let rowCount = table.rows.count - 1
        guard validation.checkHeader() else { return CheckedCollectionFile(fileName: fileName, rowCount: rowCount, issues: validation.issues, lines: []) }
        let schemes = Dictionary(Scheme.allCases.flatMap { scheme in (strings.labels(scheme.labelKey) + [scheme.rawValue]).map { ($0.lowercased(), scheme) } },
                                 uniquingKeysWith: { first, _ in first })
        var lines: [CollectionLine] = []
        var firstRowOfVoucher: [String: Int] = [:]
        for (number, cells) in validation.dataRows {
            guard validation.check(number, cells, skipping: ["creditCode", "residentID"]) else { continue }
            let before = validation.issues.count
            let payer = self.payer(&validation, cells, row: number, today: today)
            let periodText = validation.text("period", cells)?.trimmingASCIIWhitespace() ?? ""
            let period = Period(periodText)
            if periodText.isEmpty {
                validation.report(number, "period", "field.required")
            } else if period == nil || period!.firstDay > today {
                validation.report(number, "period", "period.invalid", ["value": periodText])
            }
            let schemeText = validation.text("scheme", cells)?.trimmingASCIIWhitespace() ?? ""
            let scheme = schemes[schemeText.lowercased()]
            if scheme == nil { validation.report(number, "scheme", schemeText.isEmpty ? "field.required" : "field.not_in_list", ["value": schemeText]) }
            var amount: Money?
            do {
                let parsed = try Money.parse(validation.text("amount", cells) ?? "")
                if parsed.fen <= 0 || parsed > Self.lineLimit {
                    validation.report(number, "amount", "collection.amount_range", ["max": Self.lineLimit.yuanText])
                } else {
                    amount = parsed
                }
            } catch {
                validation.report(number, "amount", error.code, ["value": validation.text("amount", cells) ?? ""])
            }
            let dateText = validation.text("paidOn", cells)?.trimmingASCIIWhitespace() ?? ""
            let paidOn = LocalDate(iso: dateText) ?? LocalDate(compact: dateText)
            if paidOn == nil || paidOn! > today || (period != nil && paidOn! < period!.firstDay) {
                validation.report(number, "paidOn", dateText.isEmpty ? "field.required" : "collection.bad_paid_on", ["value": dateText])
            }
            let voucher = validation.text("voucher", cells)?.trimmingASCIIWhitespace() ?? ""
            if voucher.isEmpty || voucher.utf8.count > 40 || !voucher.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
                validation.report(number, "voucher", voucher.isEmpty ? "field.required" : "collection.bad_voucher", ["value": voucher])
            } else if let first = firstRowOfVoucher[voucher] {
                validation.report(number, "voucher", "collection.voucher_twice", ["row": String(first)])
            } else {
                firstRowOfVoucher[voucher] = number
            }
            var headcount: Int64?
            if let text = validation.text("headcount", cells)?.trimmingASCIIWhitespace(), !text.isEmpty {
                // A headcount is a unit's: a person pays for themself.
                if payer?.residentID != nil {
                    validation.report(number, "headcount", "collection.headcount_of_person")
                } else if let value = Int64(text), (0...1_000_000).contains(value) { headcount = value } else {
                    validation.report(number, "headcount", "collection.bad_headcount", ["value": text])
                }
            }
            guard validation.issues.count == before, let payer, let period, let scheme, let amount, let paidOn else { continue }
            lines.append(CollectionLine(row: number, payer: payer, period: period, scheme: scheme, amount: amount, paidOn: paidOn,
                                        voucher: voucher, headcount: headcount))
        }
        let known = try await CollectionStore().knownVouchers(lines.map(\.voucher), on: db)
        for line in lines where known.contains(line.voucher) {
            validation.report(line.row, "voucher", "collection.voucher_known", ["value": line.voucher])
        }
        return CheckedCollectionFile(fileName: fileName, rowCount: rowCount, issues: validation.issues, lines: validation.issues.isEmpty ? lines : [])
    }

    /// The line's payer: a credit code or a resident ID, exactly one of them.
    private func payer(_ validation: inout Validation, _ cells: [TableCell], row: Int, today: LocalDate) -> CollectionPayer? {
        let filled = ["creditCode", "residentID"].map { !(validation.text($0, cells)?.trimmingASCIIWhitespace().isEmpty ?? true) }
        switch (filled[0], filled[1]) {
        case (true, true):
            validation.report(row, "residentID", "collection.two_payers")
            return nil
        case (false, true):
            return validation.identifier("residentID", cells, row: row) { (text: String) throws(ResidentIDError) in
                try ResidentID(text.trimmingASCIIWhitespace().uppercased(), today: today)
            }.map(CollectionPayer.person)
        default:
            return validation.identifier("creditCode", cells, row: row) { (text: String) throws(CreditCodeError) in try CreditCode(text).value }
                .map { CollectionPayer.unit(creditCode: $0) }
        }
    }
}
