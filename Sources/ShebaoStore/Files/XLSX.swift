public import Foundation
import ZIPFoundation

/// Reading and writing Office Open XML workbooks (.xlsx): the first visible sheet, shared and
/// inline strings, numbers, booleans, formulas (flagged, not evaluated).
public enum XLSX {
    // MARK: Reading

    public static func read(_ data: Data) throws(TableFileError) -> Table {
        guard data.count <= TableLimits.maximumBytes else { throw .tooLarge(limitBytes: TableLimits.maximumBytes) }
        guard data.starts(with: [0x50, 0x4B]), let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else { throw .notASpreadsheet }
        var unpacked = 0
        func entry(_ path: String) throws(TableFileError) -> String? {
            guard let entry = archive[path] else { return nil }
            // Judged on the declared sizes first, so a bomb is refused without inflating a byte.
            let declared = Int(clamping: entry.uncompressedSize)
            let allowed = min(TableLimits.maximumUnpackedBytes - unpacked, max(1, Int(clamping: entry.compressedSize)) * TableLimits.maximumCompressionRatio)
            guard declared <= allowed else { throw .tooLarge(limitBytes: TableLimits.maximumUnpackedBytes) }
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    bytes.append(chunk)
                    if bytes.count > allowed { throw TableFileError.tooLarge(limitBytes: TableLimits.maximumUnpackedBytes) }
                }
            } catch let error as TableFileError {
                throw error
            } catch {
                throw .notASpreadsheet
            }
            unpacked += bytes.count
            guard let text = String(data: bytes, encoding: .utf8) else { throw .notASpreadsheet }
            return text
        }
        guard let workbook = try entry("xl/workbook.xml") else { throw .notASpreadsheet }
        let (sheetName, relationID) = try firstVisibleSheet(workbook)
        let relations = try entry("xl/_rels/workbook.xml.rels") ?? ""
        var target = try relationTarget(relations, id: relationID) ?? "worksheets/sheet1.xml"
        if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
        let strings = try entry("xl/sharedStrings.xml").map(sharedStrings) ?? []
        guard let sheet = try entry(target) else { throw .notASpreadsheet }
        return Table(sheetName: sheetName, rows: try rows(sheet, strings: strings))
    }

    private static func firstVisibleSheet(_ workbook: String) throws(TableFileError) -> (String, String) {
        var scanner = XMLScanner(workbook)
        while let event = try scanner.next() {
            if case .start(let name, let attributes, _) = event, local(name) == "sheet", attributes["state"] == nil || attributes["state"] == "visible" {
                let id = attributes.first { local($0.key) == "id" && $0.key.contains(":") }?.value ?? attributes["r:id"] ?? ""
                return (attributes["name"] ?? "Sheet1", id)
            }
        }
        throw .notASpreadsheet
    }

    private static func relationTarget(_ relations: String, id: String) throws(TableFileError) -> String? {
        var scanner = XMLScanner(relations)
        while let event = try scanner.next() {
            if case .start(let name, let attributes, _) = event, local(name) == "Relationship", attributes["Id"] == id {
                return attributes["Target"]
            }
        }
        return nil
    }

    /// `<si>` items: plain `<t>` or rich runs `<r><t>`; phonetic runs `<rPh>` are not part of the text.
    private static func sharedStrings(_ xml: String) throws(TableFileError) -> [String] {
        var scanner = XMLScanner(xml)
        var strings: [String] = []
        var current = ""
        var inItem = false
        var inText = false
        var inPhonetic = false
        while let event = try scanner.next() {
            switch event {
            case .start(let name, _, let selfClosing):
                switch local(name) {
                case "si": inItem = true; current = ""; if selfClosing { strings.append(""); inItem = false }
                case "t": inText = !selfClosing
                case "rPh": inPhonetic = !selfClosing
                default: break
                }
            case .end(let name):
                switch local(name) {
                case "si": strings.append(decodeEscapes(current)); inItem = false
                case "t": inText = false
                case "rPh": inPhonetic = false
                default: break
                }
            case .text(let text):
                if inItem && inText && !inPhonetic { current += text }
            }
        }
        return strings
    }

    private static func rows(_ xml: String, strings: [String]) throws(TableFileError) -> [(number: Int, cells: [TableCell])] {
        var scanner = XMLScanner(xml)
        var rows: [(number: Int, cells: [TableCell])] = []
        var cells: [TableCell] = []
        var rowNumber = 0
        var cellColumn = 0
        var cellType = ""
        var cellHasFormula = false
        var value = ""
        var inValue = false
        var inCell = false
        func finishCell() {
            let kind: TableCell.Kind
            var text = value
            switch cellType {
            case "s":
                text = Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
                kind = .text
            case "inlineStr", "str":
                text = decodeEscapes(value)
                kind = .text
            case "b":
                kind = .boolean
            case "e":
                kind = .text
            default:
                kind = value.isEmpty ? .empty : .number
            }
            while cells.count < cellColumn { cells.append(.empty) }
            var cell = TableCell(text, kind: kind)
            if cellHasFormula { cell.kind = .formula }
            if cells.count == cellColumn { cells.append(cell) } else { cells[cellColumn] = cell }
        }
        while let event = try scanner.next() {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                switch local(name) {
                case "row":
                    rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                    cells = []
                    if selfClosing { rows.append((rowNumber, [])) }
                case "c":
                    cellColumn = attributes["r"].flatMap { ColumnName.index(ofReference: Substring($0)) } ?? cells.count
                    cellType = attributes["t"] ?? ""
                    cellHasFormula = false
                    value = ""
                    inCell = !selfClosing
                    if selfClosing { while cells.count <= cellColumn { cells.append(.empty) } }
                case "v", "t":
                    inValue = inCell && !selfClosing
                case "f":
                    if inCell { cellHasFormula = true }
                default:
                    break
                }
            case .end(let name):
                switch local(name) {
                case "row":
                    if cells.contains(where: { $0.kind != .empty }) {
                        rows.append((rowNumber, cells))
                        if rows.count > TableLimits.maximumRows + 1 { throw .tooManyRows(limit: TableLimits.maximumRows) }
                    }
                case "c":
                    finishCell()
                    inCell = false
                case "v", "t":
                    inValue = false
                default:
                    break
                }
            case .text(let text):
                if inValue { value += text }
            }
        }
        guard !rows.isEmpty else { throw .empty }
        return rows
    }

    private static func local(_ name: Substring) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return name[name.index(after: colon)...]
    }

    /// OOXML escapes characters XML cannot hold as `_xHHHH_` (e.g. `_x000D_` for a carriage return).
    private static func decodeEscapes(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            output += rest[..<range.lowerBound]
            let hex = rest[range.upperBound...].prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.prefix(4), radix: 16), let scalar = Unicode.Scalar(value) {
                output.unicodeScalars.append(scalar)
                rest = rest[rest.index(range.upperBound, offsetBy: 5)...]
            } else {
                output += "_x"
                rest = rest[range.upperBound...]
            }
        }
        return output + rest
    }

    // MARK: Writing

    /// A cell to write: text (kept as text, even when it looks like a number) or a number.
    public enum WriteCell: Sendable {
        case text(String)
        case number(String)
    }

    /// A workbook of one sheet. `textColumns` are formatted as Text (`@`), so that a user who types
    /// an 18-digit ID into the template keeps every digit. Text that looks like a formula is marked
    /// `quotePrefix`, which makes spreadsheets show it as text and never evaluate it.
    public static func write(sheetName: String, header: [String], rows: [[WriteCell]], textColumns: Set<Int> = []) throws -> Data {
        var sheet = SheetXML(columns: header.count, textColumns: textColumns)
        var xml = sheet.head()
        xml += sheet.rows([header.map { .text($0) }], header: true)
        xml += sheet.rows(rows, header: false)
        xml += SheetXML.tail
        let data = Data(xml.utf8)
        let archive = try Archive(accessMode: .create)
        try package(sheetName: sheetName, into: archive, sheetSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        guard let output = archive.data else { throw TableFileError.notASpreadsheet }
        return output
    }

    /// A workbook written a page of rows at a time: the sheet goes to a temporary file, then into
    /// a temporary workbook, so a list of any length is written in bounded memory.
    public final class SheetFile {
        private var sheet: SheetXML
        private let sheetURL: URL
        private let handle: FileHandle

        public init(header: [String], textColumns: Set<Int>) throws {
            sheet = SheetXML(columns: header.count, textColumns: textColumns)
            sheetURL = FileManager.default.temporaryDirectory.appendingPathComponent("shebao-sheet-\(UUID().uuidString).xml")
            guard FileManager.default.createFile(atPath: sheetURL.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            handle = try FileHandle(forWritingTo: sheetURL)
            try handle.write(contentsOf: Data((sheet.head() + sheet.rows([header.map { .text($0) }], header: true)).utf8))
        }

        deinit {
            try? handle.close()
            try? FileManager.default.removeItem(at: sheetURL)
        }

        public func append(_ rows: [[WriteCell]]) throws {
            var bytes: [UInt8] = []
            sheet.append(rows, header: false, to: &bytes)
            try handle.write(contentsOf: bytes)
        }

        /// The finished workbook, in a temporary file the caller removes.
        public func finish(sheetName: String) throws -> URL {
            try handle.write(contentsOf: Data(SheetXML.tail.utf8))
            try handle.close()
            let size = Int64(try FileManager.default.attributesOfItem(atPath: sheetURL.path)[.size] as? UInt64 ?? 0)
            let reader = try FileHandle(forReadingFrom: sheetURL)
            defer { try? reader.close() }
            let workbook = FileManager.default.temporaryDirectory.appendingPathComponent("shebao-\(UUID().uuidString).xlsx")
            do {
                let archive = try Archive(url: workbook, accessMode: .create)
                try package(sheetName: sheetName, into: archive, sheetSize: size) { position, count in
                    try reader.seek(toOffset: UInt64(position))
                    return try reader.read(upToCount: count) ?? Data()
                }
            } catch {
                try? FileManager.default.removeItem(at: workbook)
                throw error
            }
            return workbook
        }
    }

    /// The worksheet's XML: a frozen header row, the text columns formatted as text.
    struct SheetXML {
        let columns: Int
        let textColumns: Set<Int>
        private var next = 1

        private let letters: [[UInt8]]

        init(columns: Int, textColumns: Set<Int>) {
            self.columns = columns
            self.textColumns = textColumns
            letters = (0..<max(columns, 1)).map { Array(ColumnName.letters($0).utf8) }
        }

        func head() -> String {
            var xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>
                """
            for index in 0..<columns {
                let style = textColumns.contains(index) ? 2 : 0
                let width = textColumns.contains(index) ? 22 : 16
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" style=\"\(style)\" customWidth=\"1\"/>"
            }
            return xml + "</cols><sheetData>"
        }

        static let tail = "</sheetData></worksheet>"

        /// The next rows, numbered on from the last ones written.
        mutating func rows(_ rows: [[WriteCell]], header: Bool) -> String {
            var bytes: [UInt8] = []
            append(rows, header: header, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// The same as bytes: a whole district's sheet is a few hundred megabytes of XML, and
        /// building it byte by byte costs a fraction of string interpolation.
        mutating func append(_ rows: [[WriteCell]], header: Bool, to bytes: inout [UInt8]) {
            for cells in rows {
                let number = Array(String(next).utf8)
                bytes += Self.rowOpen
                bytes += number
                bytes += Self.tagEnd
                for (index, cell) in cells.enumerated() {
                    bytes += Self.cellOpen
                    if index < letters.count { bytes += letters[index] } else { bytes += ColumnName.letters(index).utf8 }
                    bytes += number
                    switch cell {
                    case .text(let text):
                        let style = header ? 1 : CSV.escapeFormula(text) != text ? 3 : textColumns.contains(index) ? 2 : 0
                        bytes += Self.textStyle[style]
                        XLSX.escape(text, to: &bytes)
                        bytes += Self.textClose
                    case .number(let value):
                        bytes += Self.numberOpen
                        XLSX.escape(value, to: &bytes)
                        bytes += Self.numberClose
                    }
                }
                bytes += Self.rowClose
                next += 1
            }
        }

        private static let rowOpen = Array("<row r=\"".utf8)
        private static let tagEnd = Array("\">".utf8)
        private static let cellOpen = Array("<c r=\"".utf8)
        private static let textStyle = (0...3).map { Array("\" s=\"\($0)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8) }
        private static let textClose = Array("</t></is></c>".utf8)
        private static let numberOpen = Array("\"><v>".utf8)
        private static let numberClose = Array("</v></c>".utf8)
        private static let rowClose = Array("</row>".utf8)
    }

    /// The package around one sheet, its content read through `sheet`.
    private static func package(sheetName: String, into archive: Archive, sheetSize: Int64,
                                sheet: (_ position: Int64, _ size: Int) throws -> Data) throws {
        for (path, content) in packageParts(sheetName: sheetName) {
            let data = Data(content.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: sheetSize, compressionMethod: .deflate,
                             bufferSize: 1 << 20, provider: sheet)
    }

    private static func packageParts(sheetName: String) -> [(String, String)] {
        let safeName = String(sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return packageParts(sheetNames: [safeName.isEmpty ? "Sheet1" : safeName])
    }

    /// The package's parts around `sheetNames.count` worksheets (`xl/worksheets/sheetN.xml`, written by the caller).
    static func packageParts(sheetNames: [String]) -> [(String, String)] {
        let overrides = sheetNames.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        let sheets = sheetNames.enumerated().map { "<sheet name=\"\(escape($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined()
        let relations = sheetNames.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        let styles = "rId\(sheetNames.count + 1)"
        return [
            ("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\(overrides)<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """),
            ("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheets)</sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)<Relationship Id="\(styles)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """),
            // Styles: 0 default, 1 bold header, 2 text format (@, numFmtId 49), 3 text shown literally (quotePrefix).
            ("xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """),
        ]
    }

    /// XML text escaping, plus removal of characters XML 1.0 cannot carry at all.
    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        escape(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, on UTF-8 bytes: `& < > "` as entities, C0 controls other than tab and line ends
    /// dropped, and U+FFFE and U+FFFF (EF BF BE, EF BF BF) dropped.
    static func escape(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                switch byte {
                case UInt8(ascii: "&"): bytes += Self.ampersand
                case UInt8(ascii: "<"): bytes += Self.lessThan
                case UInt8(ascii: ">"): bytes += Self.greaterThan
                case UInt8(ascii: "\""): bytes += Self.quote
                case 0x09, 0x0A, 0x0D: bytes.append(byte)
                case ..<0x20: break
                case 0xEF where index + 2 < utf8.count && utf8[index + 1] == 0xBF && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                    index += 2
                default: bytes.append(byte)
                }
                index += 1
            }
        }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
}
