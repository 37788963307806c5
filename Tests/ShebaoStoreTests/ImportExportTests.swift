import Foundation
import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Files: CSV and XLSX")
struct FileTests {
    // MARK: Readers and writers

    @Test func csvReadsQuotesBreaksAndBOM() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\n3,,\n"
        let table = try CSV.read(Data(text.utf8))
        #expect(table.rows.count == 3)
        #expect(table.rows[1].cells.map(\.text) == ["1", "x, \"y\"", "two\nlines"])
        #expect(table.rows[1].number == 2)
        #expect(table.rows[2].number == 4, "the blank line still counts as a row")
        #expect(throws: TableFileError.notUTF8) { try CSV.read(Data([0x61, 0x2C, 0xB2, 0xE2])) }
        #expect(throws: TableFileError.unterminatedQuote(row: 2)) { try CSV.read(Data("a\n\"open".utf8)) }
    }

    @Test func csvExportsNeverRunFormulas() throws {
        let data = CSV.write(header: ["名称", "金额"], rows: [["=HYPERLINK(\"http://x\")", "-12.50"], ["@SUM(A1)", "+7"], ["plain", "3"]])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}"))
        #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(text.contains("'@SUM(A1)"))
        #expect(text.contains(",-12.50\r\n"), "a plain negative number stays a number")
        let back = try CSV.read(data)
        #expect(back.rows[1].cells[0].text == "'=HYPERLINK(\"http://x\")")
    }

    /// The sheet's XML is well formed: every element opened is closed, in order (our own reader is
    /// lenient; spreadsheets are not).
    @Test func theSheetXMLIsWellFormed() throws {
        var sheet = XLSX.SheetXML(columns: 3, textColumns: [0])
        let xml = sheet.head() + sheet.rows([[.text("a&b"), .text("<x>"), .number("1")]], header: true)
            + sheet.rows([[.text("=1+1"), .text("名"), .number("2")]], header: false) + XLSX.SheetXML.tail
        var open: [Substring] = []
        for match in xml.matches(of: /<(\/?)([A-Za-z:]+)[^>]*?(\/?)>/) {
            if match.output.3 == "/" { continue }
            if match.output.1 == "/" {
                #expect(open.popLast() == match.output.2, "closing \(match.output.2)")
            } else {
                open.append(match.output.2)
            }
        }
        #expect(open.isEmpty, "left open: \(open)")
    }

    @Test func xlsxRoundTripKeepsIDsAsText() throws {
        let ids = ["331004197506154416", "11010519491231002X", "000123"]
        let data = try XLSX.write(sheetName: "人员", header: ["公民身份号码", "姓名", "数"], rows: ids.map { [.text($0), .text("阿依古丽·买买提 & <𠮷>"), .number("42")] }, textColumns: [0])
        let table = try XLSX.read(data)
        #expect(table.sheetName == "人员")
        #expect(table.rows.count == 4)
        #expect(table.rows.dropFirst().map { $0.cells[0].text } == ids)
        #expect(table.rows.dropFirst().allSatisfy { $0.cells[0].kind == .text })
        #expect(table.rows[1].cells[1].text == "阿依古丽·买买提 & <𠮷>")
        #expect(table.rows[1].cells[2].kind == .number)
    }

    /// A small file that inflates to something huge (a zip bomb) is refused from its declared
    /// sizes, before anything is inflated; a normal workbook still reads.
    @Test func aZipBombIsRefusedBeforeInflating() throws {
        let filler = String(repeating: "0", count: 40 * 1_048_576)
        let bomb = try XLSX.write(sheetName: "人员", header: ["公民身份号码"], rows: [[.text(filler)]], textColumns: [0])
        #expect(bomb.count < 1_048_576, "40 MB of one character compresses to well under a megabyte")
        #expect(throws: TableFileError.tooLarge(limitBytes: TableLimits.maximumUnpackedBytes)) { try XLSX.read(bomb) }
        let normal = try XLSX.write(sheetName: "人员", header: ["公民身份号码", "姓名"],
                                    rows: (0..<2_000).map { [.text("3310041975061544\($0 % 10)6"), .text("陈小\($0)")] }, textColumns: [0])
        #expect(try XLSX.read(normal).rows.count == 2_001)
    }

    @Test func xlsxWithADocumentTypeIsRefused() throws {
        #expect(throws: TableFileError.unsafeXML) {
            var scanner = XMLScanner("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>")
            while try scanner.next() != nil {}
        }
        #expect(throws: TableFileError.unsafeXML) { _ = try XMLScanner.unescape("&a;") }
        #expect(try XMLScanner.unescape("&lt;&#x4E2D;&#25991;&amp;") == "<中文&")
        #expect(throws: TableFileError.notASpreadsheet) { try XLSX.read(Data("PK not really".utf8)) }
    }
}
