public import Foundation
import ShebaoCore
import ShebaoStore

/// The formats a list can leave the office in.
public enum FileFormat: String, Sendable, CaseIterable {
    case csv
    case xlsx

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}

/// A file for download: its name in the user's language and an ASCII fallback, its format, the
/// rows it holds, and how to write it. A list is written a page of rows at a time as the reader
/// takes them, so a whole district's list never sits in memory and other requests keep their pace.
public struct ExportFile: Sendable {
    public var fileName: String
    public var asciiName: String
    public var format: FileFormat
    /// The rows written (the header not counted).
    public var rows: Int
    let produce: @Sendable (_ sink: (Data) async throws -> Void) async throws -> Void

    public var contentType: String { format.contentType }

    /// Writes the file to `sink` chunk by chunk; an error after the first chunk ends the file short
    /// (a download then fails rather than delivering a truncated list as if whole).
    public func write(to sink: (Data) async throws -> Void) async throws(ServiceError) {
        try await perform { try await produce(sink) }
    }

    /// The whole file in memory (templates, tests).
    public func data() async throws(ServiceError) -> Data {
        var data = Data()
        try await write { data.append($0) }
        return data
    }
}

/// A table to write as CSV or XLSX: column headers, the rows as pages arrive, the columns that hold
/// identifiers (formatted as text, so a spreadsheet keeps every digit).
struct ExportTable: Sendable {
    var sheetName: String
    var header: [String]
    var textColumns: Set<Int>

    /// The file of the rows `produce` hands over, a page at a time.
    func file(_ format: FileFormat, baseName: String, asciiBase: String, rows: Int,
              produce: @escaping @Sendable (_ page: ([[String]]) async throws -> Void) async throws -> Void) -> ExportFile {
        let table = self
        return ExportFile(fileName: baseName + "." + format.rawValue, asciiName: asciiBase + "." + format.rawValue, format: format, rows: rows) { sink in
            switch format {
            case .csv:
                try await sink(CSV.byteOrderMark + CSV.lines([table.header]))
                try await produce { rows in try await sink(CSV.lines(rows)) }
            case .xlsx:
                let sheet = try XLSX.SheetFile(header: table.header, textColumns: table.textColumns)
                try await produce { rows in try sheet.append(rows.map { $0.map { .text($0) } }) }
                let workbook = try sheet.finish(sheetName: table.sheetName)
                defer { try? FileManager.default.removeItem(at: workbook) }
                let handle = try FileHandle(forReadingFrom: workbook)
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 1 << 18), !chunk.isEmpty { try await sink(chunk) }
            }
        }
    }

    /// The file of `rows`, already in memory.
    func file(_ format: FileFormat, baseName: String, asciiBase: String, rows: [[String]]) -> ExportFile {
        file(format, baseName: baseName, asciiBase: asciiBase, rows: rows.count) { page in try await page(rows) }
    }
}

/// Reads `pages` known in advance (ranges of ids) `ahead` at a time, and hands them to `body`
/// in order: no read waits for the one before it to be read and parsed, as a cursor's does.
func readInOrder<Page: Sendable, Rows: Sendable>(_ pages: [Page], ahead: Int, read: @escaping @Sendable (Page) async throws -> Rows,
                                                 each body: (Rows) async throws -> Void) async throws {
    var pending: [Task<Rows, any Error>] = []
    var next = pages.startIndex
    defer { for task in pending { task.cancel() } }
    while next < pages.endIndex || !pending.isEmpty {
        while pending.count < max(1, ahead), next < pages.endIndex {
            let page = pages[next]
            pending.append(Task { try await read(page) })
            next += 1
        }
        let rows = try await pending.removeFirst().value
        try await body(rows)
    }
}

/// Reads the pages of an export one ahead: while one page is formatted and written, the next is
/// read, so the database and the formatting overlap instead of taking turns.
func readAhead<Rows: Sendable, Cursor: Sendable>(read: @escaping @Sendable (Cursor?) async throws -> (Rows, Cursor?),
                                                  each body: (Rows) async throws -> Void) async throws {
    var pending = Task { try await read(nil) }
    defer { pending.cancel() }
    while true {
        let (rows, next) = try await pending.value
        if let next { pending = Task { try await read(next) } }
        try await body(rows)
        if next == nil { return }
    }
}

extension RegistryService {
    /// Exports stop here: a bigger list must be narrowed first (an export is not a backup). A
    /// district's whole register fits; a province's does not, nor does a spreadsheet's sheet
    /// (1,048,576 rows).
    public static let exportLimit = 1_000_000

    /// Rows read per page of an export: each page is one short read, so an export holds a
    /// connection for milliseconds at a time and never starves the pages clerks are waiting for.
    static let exportPageSize = 2_000

    /// The fields of the person list's export that a persons import reads back, in the import
    /// template's order: an exported list edited in a spreadsheet and imported changes just what
    /// was edited. Bank accounts and disability stay out of lists that leave the screen (PIPL
    /// Art. 28); a file without those columns leaves them as they are.
    static let exportedPersonFields: [PersonField] = PersonField.allCases.filter { $0.isRegistered && !$0.isSensitive && $0 != .bankName }

    /// The person list's columns, the same on the page, the API and the command line: the
    /// import's columns first, then what a clerk reads but an import ignores.
    static func personTable(strings: StringTables, language: Language) -> ExportTable {
        let importable = ["person.resident_id"] + exportedPersonFields.map(\.importLabelKey)
        let readOnly = ["person.sex", "person.birth_date", "person.region", "person.status", "household.register_number", "household.head"]
        let header = (importable + readOnly).map { strings.text($0, language) }
        let codes = Set([0] + exportedPersonFields.enumerated().filter { [.region, .residenceRegion, .phone].contains($0.element) }.map { $0.offset + 1 })
        return ExportTable(sheetName: strings.text("export.persons_file", language), header: header, textColumns: codes)
    }

    static func personRows(_ people: [Person], labels: [RegionCode: String], households: [Int64: (number: String, head: String)], strings: StringTables,
                           language: Language) -> [[String]] {
        people.map { person in
            let household = person.householdID.flatMap { households[$0] }
            return [person.residentID.value] + exportedPersonFields.map { field in
                field.valueLabelKey(of: person).map { strings.text($0, language) } ?? field.text(of: person) ?? ""
            } + [strings.label(person.sex, language), person.birthDate.description, labels[person.region] ?? person.region.value,
                 strings.label(person.status, language), household?.number ?? "", household?.head ?? ""]
        }
    }

    /// The employer list's columns.
    static func employerTable(strings: StringTables, language: Language) -> ExportTable {
        let header = ["employer.credit_code", "employer.name", "employer.ownership_type", "employer.non_public", "employer.industry",
                      "employer.risk_class", "employer.region", "employer.staff_count", "employer.schemes", "employer.status"].map { strings.text($0, language) }
        return ExportTable(sheetName: strings.text("export.employers_file", language), header: header, textColumns: [0])
    }

    static func employerRows(_ employers: [Employer], labels: [RegionCode: String], strings: StringTables, language: Language) -> [[String]] {
        employers.map { e in
            [e.creditCode.value, e.name, strings.label(e.details.ownershipType, language),
             strings.text(e.details.ownershipType.isNonPublic ? "common.yes" : "common.no", language),
             strings.label(e.details.industry, language), String(e.details.riskClass), labels[e.region] ?? e.region.value,
             String(e.details.staffCount), e.details.schemes.sorted { $0.rawValue < $1.rawValue }.map { strings.text($0.shortLabelKey, language) }.joined(separator: "、"),
             strings.label(e.details.status, language)]
        }
    }
}
