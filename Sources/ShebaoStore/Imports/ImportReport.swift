import Foundation
import ShebaoCore

/// The three registers a file can fill.
public enum ImportKind: String, Sendable, Codable, CaseIterable {
    case persons, households, employers
}

/// One problem in an uploaded file: where (sheet, row, column) and why.
public struct ImportIssue: Sendable, Hashable, Codable {
    public var sheet: String
    /// The row as the spreadsheet numbers it (1 is the header).
    public var row: Int
    /// Column letter, e.g. `A`; empty for a problem with the file as a whole.
    public var column: String
    /// The column's header as written in the file.
    public var header: String
    /// A stable code; the message is the string `error.<code>`.
    public var code: String
    public var arguments: [String: String]
    /// Whom the row is about, as the file names them (the name, else the ID or code), so that a
    /// clerk finds the line in their own list; empty for a problem with the file as a whole.
    public var subject: String

    public init(sheet: String, row: Int, column: String, header: String, code: String, arguments: [String: String], subject: String = "") {
        self.sheet = sheet
        self.row = row
        self.column = column
        self.header = header
        self.code = code
        self.arguments = arguments
        self.subject = subject
    }

    /// Report order: by row, then by column as the sheet lays them out (B before AA).
    public static func inReportOrder(_ a: ImportIssue, _ b: ImportIssue) -> Bool {
        if a.row != b.row { return a.row < b.row }
        if a.column.count != b.column.count { return a.column.count < b.column.count }
        return a.column < b.column
    }
}

/// One column an import understands: the field it fills and the headers that name it.
struct ImportColumn: Sendable {
    var field: String
    /// The string-table key of the column's label; its three translations are accepted headers.
    var labelKey: String
    var required: Bool
    /// A column holding an identifier that must be text, never a number (resident IDs, credit codes).
    var identifier: Bool = false
}

/// Maps a sheet's header row to columns; reports missing required columns.
struct ColumnMap {
    var indexByField: [String: Int] = [:]
    var headers: [Int: String] = [:]

    init(header: [TableCell], columns: [ImportColumn], strings: StringTables) {
        for (index, cell) in header.enumerated() {
            let text = cell.text.trimmingASCIIWhitespace().replacingOccurrences(of: "*", with: "").trimmingASCIIWhitespace()
            headers[index] = cell.text
            for column in columns where indexByField[column.field] == nil {
                let names = strings.labels(column.labelKey) + [column.field]
                if names.contains(where: { $0.lowercased() == text.lowercased() }) { indexByField[column.field] = index }
            }
        }
    }

    func value(_ field: String, in cells: [TableCell]) -> TableCell? {
        guard let index = indexByField[field], index < cells.count else { return nil }
        return cells[index]
    }

    func place(of field: String) -> (column: String, header: String) {
        guard let index = indexByField[field] else { return ("", field) }
        return (ColumnName.letters(index), headers[index] ?? field)
    }
}
