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

/// A file for download: its bytes, its name in the user's language and an ASCII fallback.
public struct ExportFile: Sendable {
    public var data: Data
    public var fileName: String
    public var asciiName: String
    public var format: FileFormat
    /// The rows written (the header not counted).
    public var rows: Int

    public var contentType: String { format.contentType }
}

/// A table to write as CSV or XLSX: column headers, rows of text, the columns that hold
/// identifiers (formatted as text, so a spreadsheet keeps every digit).
struct ExportTable {
    var sheetName: String
    var header: [String]
    var rows: [[String]]
    var textColumns: Set<Int>

    func file(_ format: FileFormat, baseName: String, asciiBase: String) throws -> ExportFile {
        switch format {
        case .xlsx:
            let data = try XLSX.write(sheetName: sheetName, header: header, rows: rows.map { $0.map { .text($0) } }, textColumns: textColumns)
            return ExportFile(data: data, fileName: baseName + ".xlsx", asciiName: asciiBase + ".xlsx", format: .xlsx, rows: rows.count)
        case .csv:
            return ExportFile(data: CSV.write(header: header, rows: rows), fileName: baseName + ".csv", asciiName: asciiBase + ".csv", format: .csv,
                              rows: rows.count)
        }
    }
}

extension RegistryService {
    /// Exports stop here: a bigger list must be narrowed first (an export is not a backup).
    public static let exportLimit = 100_000

    /// The person list's columns, the same on the page, the API and the command line.
    static func personTable(_ people: [Person], labels: [RegionCode: String], strings: StringTables, language: Language) -> ExportTable {
        let header = ["person.name", "person.resident_id", "person.sex", "person.birth_date", "person.hukou_type", "person.region", "person.region_code",
                      "person.status"].map { strings.text($0, language) }
        let rows = people.map { person in
            [person.name, person.residentID.value, strings.label(person.sex, language), person.birthDate.description,
             strings.label(person.hukouType, language), labels[person.region] ?? person.region.value, person.region.value,
             strings.label(person.status, language)]
        }
        return ExportTable(sheetName: strings.text("export.persons_file", language), header: header, rows: rows, textColumns: [1, 6])
    }

    /// The employer list's columns.
    static func employerTable(_ employers: [Employer], labels: [RegionCode: String], strings: StringTables, language: Language) -> ExportTable {
        let header = ["employer.credit_code", "employer.name", "employer.ownership_type", "employer.non_public", "employer.industry",
                      "employer.risk_class", "employer.region", "employer.staff_count", "employer.schemes", "employer.status"].map { strings.text($0, language) }
        let rows = employers.map { e in
            [e.creditCode.value, e.name, strings.label(e.details.ownershipType, language),
             strings.text(e.details.ownershipType.isNonPublic ? "common.yes" : "common.no", language),
             strings.label(e.details.industry, language), String(e.details.riskClass), labels[e.region] ?? e.region.value,
             String(e.details.staffCount), e.details.schemes.sorted { $0.rawValue < $1.rawValue }.map { strings.text($0.shortLabelKey, language) }.joined(separator: "、"),
             strings.label(e.details.status, language)]
        }
        return ExportTable(sheetName: strings.text("export.employers_file", language), header: header, rows: rows, textColumns: [0])
    }
}
