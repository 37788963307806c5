import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// File imports through the registry service: the whole file checked first, a row/column report,
/// nothing written for a rejected file, one transaction and one audit row for a clean one.
@Suite("Imports")
struct ImportTests {
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
            counts[table] = try await database.read { db in try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(ident: table)") }
        }
        return counts
    }

    @Test(arguments: TestDatabaseKind.available)
    func aBadCheckCharacterRejectsTheWholeFileAndWritesNothing(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let database = operations.database
            let clerk = try await operations.access.principal(named: "xinqiao")
            let before = try await Self.snapshotCounts(database)
            let (bad, _) = Self.personCSV(500, badCheckRow: 345)
            let rejected = try await operations.registry.importFile(.persons, data: bad, fileName: "人员.csv", by: clerk)
            #expect(!rejected.accepted)
            #expect(rejected.issues.count == 1)
            let issue = try #require(rejected.issues.first)
            #expect(issue.row == 345)
            #expect(issue.column == "A")
            #expect(issue.header == "公民身份号码")
            #expect(issue.code == "resident_id.check")
            let report = String(decoding: rejected.reportCSV(strings: .bundled, language: .zhHans), as: UTF8.self)
            #expect(issue.subject.hasPrefix("陈"))
            #expect(report.contains("345,\(issue.subject),A 公民身份号码,公民身份号码校验码错误"))
            // The records are exactly as they were; only the check itself is on record (an audit row).
            var rejectedCounts = try await Self.snapshotCounts(database)
            #expect(rejectedCounts.removeValue(forKey: "audit_log") == before["audit_log"]! + 1)
            #expect(rejectedCounts == before.filter { $0.key != "audit_log" }, "a rejected file must leave the records exactly as they were")
            #expect(try await latestAudit(database).first?.action == "import_check")

            let (good, ids) = Self.personCSV(500)
            let imported = try await operations.registry.importFile(.persons, data: good, fileName: "人员.csv", by: clerk)
            #expect(imported.accepted)
            #expect(imported.imported == 500)
            let after = try await Self.snapshotCounts(database)
            #expect(after["persons"] == before["persons"]! + 500)
            #expect(after["person_versions"] == before["person_versions"]! + 500)
            #expect(after["import_runs"] == 1)
            // One audit row for the refused check, and one for the import (its kind, file and row count), written with the rows.
            #expect(after["audit_log"] == before["audit_log"]! + 2)
            #expect(try await latestAudit(database).first?.entity == "import_run")
            let found = try await database.read { db in try await PersonStore().find(residentID: ResidentID(trusted: ids[7]), in: clerk.scope, on: db) }
            #expect(found?.name == "陈𠮷八")
            #expect(try await AuditLog.verify(database).isIntact)

            // The same file again: every row is registered as the file says; nothing changes.
            let again = try await operations.registry.previewImport(.persons, data: good, fileName: "人员.csv", by: clerk)
            #expect(again.issues.isEmpty && again.records == 0 && again.unchanged == 500)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPreviewWritesNothingAndOnlyThePreviewedFileIsConfirmed(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let database = operations.database
            let clerk = try await operations.access.principal(named: "xinqiao")
            let (file, _) = Self.personCSV(30)
            let before = try await Self.snapshotCounts(database)
            let preview = try await operations.registry.previewImport(.persons, data: file, fileName: "人员.csv", by: clerk)
            #expect(preview.clean && preview.records == 30 && preview.first.count == 10)
            #expect(preview.first[0].name == "陈𠮷一" && preview.first[0].identifier.contains("*"))
            #expect(preview.byRegion.map(\.count) == [30])
            #expect(preview.warnings.isEmpty)
            var counts = try await Self.snapshotCounts(database)
            #expect(counts.removeValue(forKey: "audit_log") == before["audit_log"]! + 1)
            #expect(counts == before.filter { $0.key != "audit_log" }, "a preview writes no record")

            let (other, _) = Self.personCSV(30, startSequence: 100)
            await #expect(throws: ServiceError.invalid("file", "import.changed_since_preview")) {
                _ = try await operations.registry.importFile(.persons, data: other, fileName: "人员.csv", digest: preview.digest, by: clerk)
            }
            let imported = try await operations.registry.importFile(.persons, data: file, fileName: "人员.csv", digest: preview.digest, by: clerk)
            #expect(imported.created.count == 30 && imported.created[0].label == "陈𠮷一")
            let history = try await operations.registry.personHistory(imported.created[0].id, by: clerk)
            #expect(history.first?.reason == "文件导入：人员.csv")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anExportedListEditedAndImportedChangesWhatWasEdited(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let registry = operations.registry
            let export = try await registry.exportPersons(PersonSearchText(q: "陈"), format: .csv, language: .zhHans, by: clerk)
            var table = try CSV.read(try await export.data()).rows.map { $0.cells.map(\.text) }
            let header = table[0]
            let phone = try #require(header.firstIndex(of: "联系电话")), address = try #require(header.firstIndex(of: "地址"))
            #expect(table.count > 3)
            table[1][phone] = "13912345678"
            table[2][address] = "新桥镇新街 8 号"
            let edited = CSV.write(header: header, rows: Array(table.dropFirst()))
            let preview = try await registry.previewImport(.persons, data: edited, fileName: "陈.csv", by: clerk)
            #expect(preview.issues.isEmpty)
            #expect(preview.changed == 2 && preview.records == 2 && preview.unchanged == table.count - 3)
            #expect(preview.first.map(\.changes) == [["person.phone"], ["person.address"]])
            let imported = try await registry.importFile(.persons, data: edited, fileName: "陈.csv", digest: preview.digest, by: clerk)
            #expect(imported.accepted && imported.created.count == 2)
            let first = try await registry.person(imported.created[0].id, by: clerk)
            #expect(first.phone == "13912345678" && first.residentID.value == table[1][0])
            #expect(try await registry.personHistory(first.id, by: clerk).first?.reason == "文件导入：陈.csv")
            // The same file again changes nothing.
            let again = try await registry.previewImport(.persons, data: edited, fileName: "陈.csv", by: clerk)
            #expect(again.records == 0 && again.unchanged == table.count - 1)
            // The English export imports too (its labels are the import's headers and values).
            let english = try await registry.exportPersons(PersonSearchText(q: "陈"), format: .csv, language: .en, by: clerk)
            let back = try await registry.previewImport(.persons, data: try await english.data(), fileName: "chen.csv", by: clerk)
            #expect(back.issues.isEmpty && back.records == 0)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aGradeAsTheCertificateWritesItIsAGradeAndACellHasOneError(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let a = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1970, month: 2, day: 2)!, sequence: 601).value
            let b = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1971, month: 2, day: 2)!, sequence: 602).value
            let csv = """
                公民身份号码,姓名,户口性质,户籍地区划代码,残疾类别,残疾等级
                \(b),李四,农业,331004103201,肢体残疾,五级
                \(a),张三,农业,331004103201,肢体残疾,二级
                """
            let outcome = try await operations.registry.previewImport(.persons, data: Data(csv.utf8), fileName: "x.csv", by: clerk)
            #expect(outcome.issues.map(\.row) == [2])
            #expect(outcome.issues.map(\.code) == ["field.out_of_range"])
            #expect(outcome.issues.map(\.subject) == ["李四"])
            let fixed = csv.replacingOccurrences(of: "五级", with: "4")
            let preview = try await operations.registry.previewImport(.persons, data: Data(fixed.utf8), fileName: "x.csv", by: clerk)
            #expect(preview.clean)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func everyKindOfBadRowIsNamed(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
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
            let outcome = try await operations.registry.importFile(.persons, data: Data(csv.utf8), fileName: "x.csv", by: clerk)
            let byRow = Dictionary(grouping: outcome.issues, by: \.row)
            #expect(byRow[3]?.first?.code == "import.duplicate_in_file")
            #expect(byRow[3]?.first?.column == "B")
            #expect(byRow[4]?.first?.code == "import.numeric_identifier")
            #expect(byRow[5]?.first?.code == "region_code.unknown")
            #expect(byRow[5]?.first?.column == "D")
            #expect(Set(byRow[6]?.map(\.code) ?? []) == ["field.not_in_list", "region.outside_scope"])
            #expect(byRow[7]?.contains { $0.code == "field.required" && $0.column == "A" } == true)
            #expect(byRow[2] == nil)

            let missing = try await operations.registry.importFile(.persons, data: Data("姓名\n王一\n".utf8), fileName: "x.csv", by: clerk)
            #expect(missing.issues.map(\.code).contains("import.missing_column"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func xlsxNumericIDCellsAreRefused(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let good = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1990, month: 5, day: 5)!, sequence: 77).value
            let data = try XLSX.write(sheetName: "人员", header: ["公民身份号码", "姓名", "户口性质", "户籍地区划代码"], rows: [
                [.text(good), .text("李四"), .text("非农业"), .text("331004103201")],
                [.number("331004199005050000"), .text("李五"), .text("农业"), .text("331004103201")],
            ])
            let outcome = try await operations.registry.importFile(.persons, data: data, fileName: "人员.xlsx", by: clerk)
            #expect(outcome.issues.count == 1)
            #expect(outcome.issues.first?.sheet == "人员")
            #expect(outcome.issues.first?.row == 3)
            #expect(outcome.issues.first?.code == "import.numeric_identifier")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsImportWithOneHeadEach(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let database = operations.database
            let clerk = try await operations.access.principal(named: "xinqiao")
            let (persons, ids) = Self.personCSV(5, startSequence: 600)
            #expect(try await operations.registry.importFile(.persons, data: persons, fileName: "p.csv", by: clerk).accepted)
            let twoHeads = """
                户号,公民身份号码,与户主关系,所属社区（村）区划代码,住址
                H1,\(ids[0]),户主,331004103202,甲村1号
                H1,\(ids[1]),户主,,
                """
            let refused = try await operations.registry.importFile(.households, data: Data(twoHeads.utf8), fileName: "h.csv", by: clerk)
            #expect(refused.issues.first?.code == "household.one_head")
            #expect(refused.issues.first?.row == 2)
            let good = """
                户号,公民身份号码,与户主关系,所属社区（村）区划代码,住址
                H1,\(ids[0]),户主,331004103202,甲村1号
                H1,\(ids[1]),妻子,,
                H1,\(ids[2]),子女,331004103202,
                H2,\(ids[3]),本人,331004103203,乙村2号
                """
            let outcome = try await operations.registry.importFile(.households, data: Data(good.utf8), fileName: "h.csv", by: clerk)
            #expect(outcome.accepted, "\(outcome.issues)")
            #expect(outcome.imported == 2)
            let spouse = try #require(try await database.read { db in try await PersonStore().find(residentID: ResidentID(trusted: ids[1]), in: clerk.scope, on: db) })
            #expect(spouse.region.value == "331004103202")
            let householdID = try #require(spouse.householdID)
            let household = try await operations.registry.household(householdID, by: clerk)
            #expect(household.registerNumber == "H1")
            #expect(household.members.map(\.relation) == [.head, .spouse, .child])
            let dup = try await operations.registry.importFile(.households, data: Data(good.utf8), fileName: "h.csv", by: clerk)
            #expect(dup.issues.contains { $0.code == "household.already_member" })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func employersImportFromTheirCodes(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let csv = """
                统一社会信用代码,单位名称,经济类型,行业门类,所在地区划代码,职工人数,参保险种
                91350100M000100Y43,台州市测试机电有限公司,私营,C,331004103201,12,"养老,医疗"
                91331004MA28A5X142,路桥区测试商店,个体工商户,F 批发和零售业,331004104201,3,
                91350100M000100I43,坏代码公司,私营,C,331004103201,1,
                """
            let refused = try await operations.registry.importFile(.employers, data: Data(csv.utf8), fileName: "e.csv", by: clerk)
            #expect(refused.issues.map(\.code) == ["credit_code.excluded_letter"])
            #expect(refused.issues.first?.row == 4)
            let fixed = csv.components(separatedBy: "\n").dropLast().joined(separator: "\n")
            let outcome = try await operations.registry.importFile(.employers, data: Data(fixed.utf8), fileName: "e.csv", by: clerk)
            #expect(outcome.accepted, "\(outcome.issues)")
            let found = try await operations.registry.searchEmployers(EmployerSearchText(q: "91350100M000100Y43"), by: clerk).items.first
            #expect(found?.details.schemes == [.pension, .medical])
            #expect(found?.details.ownershipType.isNonPublic == true)
            #expect(found?.details.riskClass == Industry.C.typicalRiskClass)
        }
    }
}
