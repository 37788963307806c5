public import Foundation
import ShebaoCore

/// RFC 4180 CSV: quoted fields with `""` for a quote, line breaks inside quotes, CRLF or LF,
/// an optional UTF-8 byte-order mark. Files must be UTF-8 (Excel's "CSV UTF-8").
public enum CSV {
    public static func read(_ data: Data, sheetName: String = "CSV") throws(TableFileError) -> Table {
        guard data.count <= TableLimits.maximumBytes else { throw .tooLarge(limitBytes: TableLimits.maximumBytes) }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        var rows: [(number: Int, cells: [TableCell])] = []
        var field: [UInt8] = []
        var record: [TableCell] = []
        var quoted = false
        var inQuotes = false
        var index = 0
        var recordNumber = 1
        func endField() {
            let text = String(decoding: field, as: UTF8.self)
            record.append(TableCell(text, kind: text.isEmpty ? .empty : .text))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRecord() throws(TableFileError) {
            endField()
            if !(record.count == 1 && record[0].kind == .empty) {
                rows.append((recordNumber, record))
                if rows.count > TableLimits.maximumRows + 1 { throw .tooManyRows(limit: TableLimits.maximumRows) }
            }
            record = []
            recordNumber += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\"") where field.isEmpty && !quoted:
                    inQuotes = true
                    quoted = true
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\r"):
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                    try endRecord()
                case UInt8(ascii: "\n"):
                    try endRecord()
                default:
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw .unterminatedQuote(row: recordNumber) }
        if !field.isEmpty || !record.isEmpty { try endRecord() }
        guard !rows.isEmpty else { throw .empty }
        return Table(sheetName: sheetName, rows: rows)
    }

    /// CSV with a UTF-8 byte-order mark (so Excel opens it as UTF-8) and CRLF line ends.
    /// Text that a spreadsheet would run as a formula (`= + - @`, tab, CR) gets a leading `'`
    /// (OWASP CSV injection).
    public static func write(header: [String], rows: [[String]]) -> Data {
        byteOrderMark + lines([header] + rows)
    }

    /// What a CSV file starts with, before its first line.
    public static let byteOrderMark = Data([0xEF, 0xBB, 0xBF])

    /// `rows` as CSV lines, for a file written a page of rows at a time.
    public static func lines(_ rows: [[String]]) -> Data {
        var bytes: [UInt8] = []
        for fields in rows {
            for (index, field) in fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                let safe = escapeFormula(field)
                if safe.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                    bytes.append(UInt8(ascii: "\""))
                    for byte in safe.utf8 {
                        if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                        bytes.append(byte)
                    }
                    bytes.append(UInt8(ascii: "\""))
                } else {
                    bytes += safe.utf8
                }
            }
            bytes += [0x0D, 0x0A]
        }
        return Data(bytes)
    }

    /// `'=1+1` for `=1+1`: the text stays readable and is never evaluated.
    public static func escapeFormula(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        // A plain signed number such as -12.50 runs nothing; leave it a number.
        if isPlainNumber(text) { return text }
        return "'" + text
    }

    static func isPlainNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return !body.isEmpty && parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}
