public import Foundation
import ZIPFoundation

extension XLSX {
    /// A small workbook of several sheets, written in memory: an import template with its
    /// instructions and its code lists. The first sheet is the one an import reads.
    public struct Workbook: Sendable {
        public struct Sheet: Sendable {
            public var name: String
            public var rows: [[String]]
            /// Columns formatted as text (IDs, codes).
            public var textColumns: Set<Int>
            /// Drop-down lists: a column of this sheet takes its values from a column of another
            /// sheet (rows 2 to the last), as spreadsheets' data validation does.
            public var lists: [List]

            public init(name: String, rows: [[String]], textColumns: Set<Int> = [], lists: [List] = []) {
                self.name = name
                self.rows = rows
                self.textColumns = textColumns
                self.lists = lists
            }
        }

        public struct List: Sendable {
            /// The column of this sheet that offers the list, from row 2 to `lastRow`.
            public var column: Int
            /// Where the values are: a sheet of the workbook (by position), its column and how many values.
            public var sheet: Int
            public var sourceColumn: Int
            public var count: Int

            public init(column: Int, sheet: Int, sourceColumn: Int, count: Int) {
                self.column = column
                self.sheet = sheet
                self.sourceColumn = sourceColumn
                self.count = count
            }
        }

        public var sheets: [Sheet]
        /// How far down a list applies on the first sheet.
        public var lastRow = 5_000

        public init(sheets: [Sheet]) { self.sheets = sheets }

        public func data() throws -> Data {
            let archive = try Archive(accessMode: .create)
            let names = sheets.enumerated().map { index, sheet in
                let safe = String(sheet.name.filter { !"[]:*?/\\'".contains($0) }.prefix(31))
                return safe.isEmpty ? "Sheet\(index + 1)" : safe
            }
            var parts = XLSX.packageParts(sheetNames: names)
            for (index, sheet) in sheets.enumerated() {
                var xml = SheetXML(columns: sheet.rows.map(\.count).max() ?? 1, textColumns: sheet.textColumns)
                var text = xml.head()
                if let header = sheet.rows.first { text += xml.rows([header.map { .text($0) }], header: true) }
                text += xml.rows(sheet.rows.dropFirst().map { $0.map { .text($0) } }, header: false)
                text += "</sheetData>"
                let valid = sheet.lists.filter { $0.count > 0 && $0.sheet < names.count }
                if !valid.isEmpty {
                    text += "<dataValidations count=\"\(valid.count)\">"
                    for list in valid {
                        let column = ColumnName.letters(list.column), source = ColumnName.letters(list.sourceColumn)
                        let reference = "'\(names[list.sheet])'!$\(source)$2:$\(source)$\(list.count + 1)"
                        text += "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(column)2:\(column)\(lastRow)\">"
                            + "<formula1>\(XLSX.escape(reference))</formula1></dataValidation>"
                    }
                    text += "</dataValidations>"
                }
                text += "</worksheet>"
                parts.append(("xl/worksheets/sheet\(index + 1).xml", text))
            }
            for (path, content) in parts {
                let data = Data(content.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let output = archive.data else { throw TableFileError.notASpreadsheet }
            return output
        }
    }
}
