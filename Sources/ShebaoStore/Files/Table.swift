/// A cell read from a spreadsheet or CSV file, with what kind of value the file said it was.
///
/// The kind matters: an ID in a *number* cell has already lost digits (Excel keeps 15
/// significant digits), so it is refused instead of being read as text.
public struct TableCell: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text
        case number
        case boolean
        /// A formula: the file holds a computed value, which an import does not trust.
        case formula
        case empty
    }

    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind = .text) {
        self.text = text
        self.kind = text.isEmpty && kind == .text ? .empty : kind
    }

    public static let empty = TableCell("", kind: .empty)
}

/// One sheet: rows of cells with their row number as the user sees it (1 = the header row).
public struct Table: Sendable {
    public var sheetName: String
    public var rows: [(number: Int, cells: [TableCell])]

    public init(sheetName: String, rows: [(number: Int, cells: [TableCell])]) {
        self.sheetName = sheetName
        self.rows = rows
    }
}

/// Why a file could not be read at all (before any row is looked at).
public enum TableFileError: Error, Equatable, Sendable {
    case notUTF8
    case tooLarge(limitBytes: Int)
    case tooManyRows(limit: Int)
    case notASpreadsheet
    /// XML with a DTD or entities beyond the five predefined ones (XXE, billion laughs).
    case unsafeXML
    case unterminatedQuote(row: Int)
    case empty

    public var code: String {
        switch self {
        case .notUTF8: "file.not_utf8"
        case .tooLarge: "file.too_large"
        case .tooManyRows: "file.too_many_rows"
        case .notASpreadsheet: "file.not_spreadsheet"
        case .unsafeXML: "file.unsafe_xml"
        case .unterminatedQuote: "file.unterminated_quote"
        case .empty: "file.empty"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .tooLarge(let limit): ["mb": String(limit / 1_048_576)]
        case .tooManyRows(let limit): ["limit": String(limit)]
        case .unterminatedQuote(let row): ["row": String(row)]
        default: [:]
        }
    }
}

/// Limits on uploaded files (RELIABILITY A6.5 I5).
public enum TableLimits {
    public static let maximumBytes = 64 * 1_048_576
    public static let maximumRows = 200_000
    /// Total uncompressed size of an XLSX package: 200,000 rows of a register fit in far less.
    public static let maximumUnpackedBytes = 128 * 1_048_576
    /// How much larger than its compressed form an entry may be. Spreadsheet XML compresses 5–30
    /// times; a zip bomb a thousand times — refused before anything is inflated, and again while
    /// inflating in case the declared sizes lie.
    public static let maximumCompressionRatio = 200
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
public enum ColumnName {
    public static func letters(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// The 0-based column of a cell reference such as `AB12`.
    public static func index(ofReference reference: Substring) -> Int? {
        var value = 0
        var sawLetter = false
        for byte in reference.utf8 {
            if byte >= 65 && byte <= 90 {
                value = value * 26 + Int(byte - 64)
                sawLetter = true
            } else {
                break
            }
        }
        return sawLetter ? value - 1 : nil
    }
}
