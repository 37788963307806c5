import Foundation
import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Files: CSV, XLSX, imports")
struct ImportExportTests {
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

    @Test func xlsxWithADocumentTypeIsRefused() throws {
        #expect(throws: TableFileError.unsafeXML) {
            var scanner = XMLScanner("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>")
            while try scanner.next() != nil {}
        }
        #expect(throws: TableFileError.unsafeXML) { _ = try XMLScanner.unescape("&a;") }
        #expect(try XMLScanner.unescape("&lt;&#x4E2D;&#25991;&amp;") == "<中文&")
        #expect(throws: TableFileError.notASpreadsheet) { try XLSX.read(Data("PK not really".utf8)) }
    }

    // MARK: Person imports

    static func personCSV(_ rows: Int, region: String = "331004103201", badCheckRow: Int? = nil, startSequence: Int = 0) -> (Data, [String]) {
        var lines = ["公民身份号码,姓名,户口性质,户籍地区划代码,联系电话"]
        var ids: [String] = []
        for index in 0..<rows {
            let birth = LocalDate(daysSinceEpoch: -9000 + (index + startSequence) / 900)
            var id = ResidentID(areaCode: "331004", birthDate: birth, sequence: (index + startSequence) % 900 + 1).value
            ids.append(id)
            if index + 2 == badCheckRow {
                let last = id.last!
                id = String(id.dropLast()) + (last == "0" ? "1" : "0")
            }
            let given = Array("一二三四五六七八九十")[index % 10]
            lines.append("\(id),陈\(index % 7 == 0 ? "𠮷" : "小")\(given),农业,\(region),1381234\(String(format: "%04d", index % 10000))")
        }
        return (Data((lines.joined(separator: "\r\n") + "\r\n").utf8), ids)
    }

    static func snapshotCounts(_ database: ShebaoDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["persons", "person_versions", "person_name_keys", "households", "household_members", "employers", "import_runs", "audit_log"] {
            counts[table] = try await database.read { db in try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(ident: table)") }
        }
        return counts
    }

    @Test(arguments: TestDatabaseKind.available)
    func aBadCheckCharacterRejectsTheWholeFileAndWritesNothing(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try #require(try await UserStore(database: database).find(username: "xinqiao")).principal
            let importer = Importer(database: database)
            let before = try await Self.snapshotCounts(database)
            let (bad, _) = Self.personCSV(500, badCheckRow: 345)
            let rejected = try await importer.run(.persons, data: bad, fileName: "人员.csv", by: clerk)
            #expect(!rejected.accepted)
            #expect(rejected.issues.count == 1)
            let issue = try #require(rejected.issues.first)
            #expect(issue.row == 345)
            #expect(issue.column == "A")
            #expect(issue.header == "公民身份号码")
            #expect(issue.code == "resident_id.check")
            let report = String(decoding: rejected.reportCSV(strings: .bundled, language: .zhHans), as: UTF8.self)
            #expect(report.contains("345,A（公民身份号码）,公民身份号码校验码错误"))
            #expect(try await Self.snapshotCounts(database) == before, "a rejected file must leave the database exactly as it was")

            let (good, ids) = Self.personCSV(500)
            let imported = try await importer.run(.persons, data: good, fileName: "人员.csv", by: clerk)
            #expect(imported.accepted)
            #expect(imported.imported == 500)
            let after = try await Self.snapshotCounts(database)
            #expect(after["persons"] == before["persons"]! + 500)
            #expect(after["person_versions"] == before["person_versions"]! + 500)
            #expect(after["import_runs"] == 1)
            // One row for the batch of persons, one for the import itself.
            #expect(after["audit_log"] == before["audit_log"]! + 2)
            let found = try await PersonStore(database: database).find(residentID: ResidentID(trusted: ids[7]), in: clerk.scope)
            #expect(found?.name == "陈𠮷八")
            #expect(try await AuditLog.verify(database).isIntact)

            // The same file again: every row is already registered.
            let again = try await importer.run(.persons, data: good, fileName: "人员.csv", by: clerk)
            #expect(again.issues.count == 500)
            #expect(again.issues.allSatisfy { $0.code == "import.already_registered" })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func everyKindOfBadRowIsNamed(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try #require(try await UserStore(database: database).find(username: "xinqiao")).principal
            let a = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1970, month: 1, day: 1)!, sequence: 501).value
            let b = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1971, month: 1, day: 1)!, sequence: 502).value
            let c = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1972, month: 1, day: 1)!, sequence: 503).value
            let csv = """
                姓名,公民身份号码,户口性质,户籍地区划代码
                王一,\(a),农业,331004103201
                王二,\(a),农业,331004103201
                王三,3.31004E+17,农业,331004103201
                王四,\(b),农业,331004999999
                王五,\(c),外星,331004104201
                ,331004197001010519,农业,331004103201
                """
            let outcome = try await Importer(database: database).run(.persons, data: Data(csv.utf8), fileName: "x.csv", by: clerk)
            let byRow = Dictionary(grouping: outcome.issues, by: \.row)
            #expect(byRow[3]?.first?.code == "import.duplicate_in_file")
            #expect(byRow[3]?.first?.column == "B")
            #expect(byRow[4]?.first?.code == "import.numeric_identifier")
            #expect(byRow[5]?.first?.code == "region_code.unknown")
            #expect(byRow[5]?.first?.column == "D")
            #expect(Set(byRow[6]?.map(\.code) ?? []) == ["field.not_in_list", "region.outside_scope"])
            #expect(byRow[7]?.contains { $0.code == "field.required" && $0.column == "A" } == true)
            #expect(byRow[2] == nil)

            let missing = try await Importer(database: database).run(.persons, data: Data("姓名\n王一\n".utf8), fileName: "x.csv", by: clerk)
            #expect(missing.issues.map(\.code).contains("import.missing_column"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func xlsxNumericIDCellsAreRefused(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try #require(try await UserStore(database: database).find(username: "xinqiao")).principal
            let good = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1990, month: 5, day: 5)!, sequence: 77).value
            let data = try XLSX.write(sheetName: "人员", header: ["公民身份号码", "姓名", "户口性质", "户籍地区划代码"], rows: [
                [.text(good), .text("李四"), .text("非农业"), .text("331004103201")],
                [.number("331004199005050000"), .text("李五"), .text("农业"), .text("331004103201")],
            ])
            let outcome = try await Importer(database: database).run(.persons, data: data, fileName: "人员.xlsx", by: clerk)
            #expect(outcome.issues.count == 1)
            #expect(outcome.issues.first?.sheet == "人员")
            #expect(outcome.issues.first?.row == 3)
            #expect(outcome.issues.first?.code == "import.numeric_identifier")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsImportWithOneHeadEach(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try #require(try await UserStore(database: database).find(username: "xinqiao")).principal
            let importer = Importer(database: database)
            let (persons, ids) = Self.personCSV(5, startSequence: 600)
            #expect(try await importer.run(.persons, data: persons, fileName: "p.csv", by: clerk).accepted)
            let twoHeads = """
                户号,公民身份号码,与户主关系,所属社区（村）区划代码,住址
                H1,\(ids[0]),户主,331004103202,甲村1号
                H1,\(ids[1]),户主,,
                """
            let refused = try await importer.run(.households, data: Data(twoHeads.utf8), fileName: "h.csv", by: clerk)
            #expect(refused.issues.first?.code == "household.one_head")
            #expect(refused.issues.first?.row == 2)
            let good = """
                户号,公民身份号码,与户主关系,所属社区（村）区划代码,住址
                H1,\(ids[0]),户主,331004103202,甲村1号
                H1,\(ids[1]),妻子,,
                H1,\(ids[2]),子女,331004103202,
                H2,\(ids[3]),本人,331004103203,乙村2号
                """
            let outcome = try await importer.run(.households, data: Data(good.utf8), fileName: "h.csv", by: clerk)
            #expect(outcome.accepted, "\(outcome.issues)")
            #expect(outcome.imported == 2)
            let spouse = try #require(try await PersonStore(database: database).find(residentID: ResidentID(trusted: ids[1]), in: clerk.scope))
            #expect(spouse.region.value == "331004103202")
            let householdID = try #require(spouse.householdID)
            let household = try #require(try await HouseholdStore(database: database).find(id: householdID, by: clerk))
            #expect(household.registerNumber == "H1")
            #expect(household.members.map(\.relation) == [.head, .spouse, .child])
            let dup = try await importer.run(.households, data: Data(good.utf8), fileName: "h.csv", by: clerk)
            #expect(dup.issues.contains { $0.code == "household.already_member" })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func employersImportFromTheirCodes(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try #require(try await UserStore(database: database).find(username: "district")).principal
            let csv = """
                统一社会信用代码,单位名称,经济类型,行业门类,所在地区划代码,职工人数,参保险种
                91350100M000100Y43,台州市测试机电有限公司,私营,C,331004103201,12,"养老,医疗"
                91331004MA28A5X142,路桥区测试商店,个体工商户,F 批发和零售业,331004104201,3,
                91350100M000100I43,坏代码公司,私营,C,331004103201,1,
                """
            let refused = try await Importer(database: database).run(.employers, data: Data(csv.utf8), fileName: "e.csv", by: clerk)
            #expect(refused.issues.map(\.code) == ["credit_code.excluded_letter"])
            #expect(refused.issues.first?.row == 4)
            let fixed = csv.components(separatedBy: "\n").dropLast().joined(separator: "\n")
            let outcome = try await Importer(database: database).run(.employers, data: Data(fixed.utf8), fileName: "e.csv", by: clerk)
            #expect(outcome.accepted, "\(outcome.issues)")
            let found = try await EmployerStore(database: database).search(EmployerQuery(text: "91350100M000100Y43"), in: clerk.scope).items.first
            #expect(found?.details.schemes == [.pension, .medical])
            #expect(found?.details.ownershipType.isNonPublic == true)
            #expect(found?.details.riskClass == Industry.C.typicalRiskClass)
        }
    }
}
