import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

@Suite("Registry pages")
struct RegistryPageTests {
    @Test(arguments: TestDatabaseKind.available)
    func searchOpenEditAndSeeTheNewVersion(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
                        let person = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004103000"), perPage: 1).items.first)
            let outsider = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004001000"), perPage: 1).items.first)
            let browser = Browser(client)
            try await browser.logIn("xinqiao")

            // One person found opens that person.
            let byID = try await browser.get("/persons?q=\(person.residentID.value)")
            #expect(byID.status == .found && byID.headers[.location] == "/persons/\(person.id)")
            let notMine = try await browser.get("/persons?q=\(outsider.residentID.value)")
            #expect(notMine.text.contains("id=\"no-results\""))
            func found(_ q: String) async throws -> TestResponse {
                try await browser.get("/persons?q=" + (q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            let byName = try await found(person.name)
            #expect(byName.text.contains("/persons/\(person.id)\"") || byName.headers[.location] == "/persons/\(person.id)")
            // The last characters of an ID, within the town; the list says how each matches, IDs masked.
            let ending = String(person.residentID.value.suffix(5))
            let byEnding = try await found(ending)
            #expect(byEnding.text.contains("/persons/\(person.id)\"") && byEnding.text.contains("身份号码末位相同"))
            #expect(!byEnding.text.contains(person.residentID.value + "<"), "the list shows the ID masked")
            #expect(try await found(String(outsider.residentID.value.suffix(6))).headers[.location] != "/persons/\(outsider.id)")
            // A given name alone, and a name misspelt by one character: each labelled.
            let givenName = String(person.name.dropFirst())
            let byGivenName = try await found(givenName)
            #expect(byGivenName.text.contains("/persons/\(person.id)\""))
            #expect(byGivenName.text.contains("名字相同"))
            let misspelt = String(person.name.dropLast()) + (person.name.last == "伟" ? "玮" : "伟")
            let near = try await found(misspelt)
            #expect(near.text.contains("/persons/\(person.id)\"") && near.text.contains("近似：差一个字"))
            let badID = try await browser.get("/persons?q=331004197506154410")
            #expect(badID.status == .unprocessableContent)
            #expect(badID.text.contains("校验码错误"))

            let view = try await browser.get("/persons/\(person.id)")
            for panel in ["panel-registry", "panel-household", "panel-history"] { #expect(view.text.contains("id=\"\(panel)\""), "\(panel)") }
            let edit = try await browser.get("/persons/\(person.id)/edit")
            let token = try #require(Browser.csrf(in: edit.text))
            var form = [
                "_csrf": token, "version": String(person.version), "name": person.name, "hukouType": person.hukouType.rawValue,
                "region": person.region.value, "address": "新桥镇幸福路 99 号", "phone": person.phone ?? "", "status": "living",
            ]
            let noReason = try await browser.post("/persons/\(person.id)", form: form)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("id=\"e-reason\""))
            form["reason"] = "户主申请更正住址"
            let saved = try await browser.post("/persons/\(person.id)", form: form)
            #expect(saved.status == .found)
            let after = try await browser.get("/persons/\(person.id)?saved=1")
            #expect(after.text.contains("新桥镇幸福路 99 号"))
            #expect(after.text.contains("户主申请更正住址"))
            #expect(after.text.contains("→ 新桥镇幸福路 99 号"))
            // The same old form again: someone (we) saved meanwhile.
            let stale = try await browser.post("/persons/\(person.id)", form: form)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("已被他人修改"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func exportsCarryFullIDsAndAreAudited(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let xlsx = try await browser.get("/persons/export.xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(xlsx.headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
            let table = try XLSX.read(Data(xlsx.body.readableBytesView))
            let inTown = try await registeredCount(app.database, in: RegionCode(trusted: "331004103000"))
            #expect(table.rows.count == inTown + 1)
            #expect(table.rows.dropFirst().allSatisfy { (try? ResidentID($0.cells[0].text, today: LocalDate(year: 2026, month: 11, day: 29)!)) != nil })
            let csv = try await browser.get("/persons/export.csv?q=%E9%99%88")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let entry = try #require(try await AuditLog.entries(app.database, limit: 1).first)
            #expect(entry.action == "export")
            #expect(entry.actor == "xinqiao")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func uploadsAreCheckedWholeAndReportedByRowAndColumn(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let page = try await browser.get("/imports")
            let token = try #require(Browser.csrf(in: page.text))
            let template = try await browser.get("/imports/templates/persons.xlsx")
            #expect(try XLSX.read(Data(template.body.readableBytesView)).rows.first?.cells.first?.text == "公民身份号码*")
            let good = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1988, month: 8, day: 8)!, sequence: 881).value
            let bad = String(good.dropLast()) + (good.last == "1" ? "2" : "1")
            let before = try await registeredCount(app.database, in: .nation)
            let csv = "公民身份号码,姓名,户口性质,户籍地区划代码\n\(bad),赵六,农业,331004103201\n"
            let rejected = try await browser.upload("/imports/persons", fields: ["_csrf": token], fileName: "人员.csv", file: Data(csv.utf8))
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.text.contains("id=\"issues-table\""))
            #expect(rejected.text.contains("A 公民身份号码"))
            #expect(rejected.text.contains("<td>赵六</td>"))
            #expect(try await registeredCount(app.database, in: .nation) == before)
            let report = try #require(rejected.text.components(separatedBy: "name=\"report\" value=\"").dropFirst().first?.components(separatedBy: "\"").first)
            let download = try await browser.post("/imports/report", form: ["_csrf": token, "name": "人员.csv", "report": report
                .replacingOccurrences(of: "&#10;", with: "\n").replacingOccurrences(of: "&#13;", with: "\r")])
            #expect(download.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(download.text.contains(",2,赵六,A 公民身份号码,"))
            let fixed = csv.replacingOccurrences(of: bad, with: good)
            // A clean file is previewed, and nothing is written until the clerk confirms it.
            let preview = try await browser.upload("/imports/persons", fields: ["_csrf": token], fileName: "人员.csv", file: Data(fixed.utf8))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("id=\"import-preview\"") && preview.text.contains("赵六"))
            #expect(try await registeredCount(app.database, in: .nation) == before)
            func hidden(_ name: String) throws -> String {
                try #require(preview.text.components(separatedBy: "name=\"\(name)\" value=\"").dropFirst().first?.components(separatedBy: "\"").first)
            }
            let confirmation = ["_csrf": token, "name": try hidden("name"), "digest": try hidden("digest"), "content": try hidden("content")]
            // Another file under the previewed digest is refused.
            let swapped = try await browser.multipart("/imports/persons/confirm", fields: confirmation.merging(
                ["content": Data(csv.utf8).base64EncodedString()]) { $1 })
            #expect(swapped.status == .unprocessableContent)
            #expect(try await registeredCount(app.database, in: .nation) == before)
            let accepted = try await browser.multipart("/imports/persons/confirm", fields: confirmation)
            #expect(accepted.status == .ok)
            #expect(accepted.text.contains("id=\"import-done\""))
            #expect(accepted.text.contains("id=\"import-created\"") && accepted.text.contains(">赵六</a>"))
            #expect(try await registeredCount(app.database, in: .nation) == before + 1)
            let forged = try await browser.upload("/imports/persons", fields: ["_csrf": "nope"], fileName: "x.csv", file: Data(fixed.utf8))
            #expect(forged.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsEmployersAndThePortal(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let household = try #require(try await app.operations.registry.households(region: nil, paging: Paging(perPage: 200), by: clerk).items.first { $0.members.count >= 2 })
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let page = try await browser.get("/households/\(household.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(household.registerNumber))
            let token = try #require(Browser.csrf(in: page.text))
            let newHead = try #require(household.members.first { $0.relation != .head })
            let changed = try await browser.post("/households/\(household.id)/head", form: [
                "_csrf": token, "version": String(household.version), "personID": String(newHead.personID), "formerHeadRelation": "spouse", "reason": "户主变更",
            ])
            #expect(changed.status == .found)
            #expect(try await app.operations.registry.household(household.id, by: clerk).head?.personID == newHead.personID)

            let employers = try await browser.get("/employers")
            #expect(employers.status == .ok)
            let agent = Browser(client)
            #expect(try await agent.logIn("employer").headers[.location] == "/portal")
            let portal = try await agent.get("/portal")
            #expect(portal.text.contains("id=\"staff-table\""))
            #expect(try await agent.get("/employers").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aHouseholdIsRegisteredInOneFormAndFoundByItsNumber(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let village = try #require(try await app.operations.registry.households(region: nil, paging: Paging(perPage: 1), by: clerk).items.first).region
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let blank = try await browser.get("/households/new")
            #expect(blank.text.contains("id=\"members.5.residentID\""))
            let token = try #require(Browser.csrf(in: blank.text))
            let head = TestResidentIDs.make(born: "19750505", serial: 911)
            let child = TestResidentIDs.make(born: "20050505", serial: 912)
            var form = ["_csrf": token, "region": village.value, "hukouType": "agricultural", "address": "",
                        "members.0.residentID": head, "members.0.name": "郑国强",
                        "members.1.residentID": child, "members.1.relation": "child"]
            // The child is new and has no name: the form comes back with the error beside that cell and the IDs kept.
            let refused = try await browser.post("/households", form: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"e-members.1.name\""))
            #expect(refused.text.contains("value=\"\(child)\""))
            // "More rows" keeps what was typed and saves nothing.
            let more = try await browser.post("/households", form: form.merging(["_more": "1", "rows": "6"]) { $1 })
            #expect(more.status == .ok && more.text.contains("id=\"members.9.residentID\""))
            form["members.1.name"] = "郑小明"
            let saved = try await browser.post("/households", form: form)
            #expect(saved.status == .found)
            let location = try #require(saved.headers[.location])
            let household = try await browser.get(location)
            #expect(household.text.contains("郑小明"))
            let number = try #require(try await app.operations.registry.households(region: nil, matching: "郑国", by: clerk).items.first?.registerNumber)
            #expect(number.hasPrefix(village.value + "-"))
            // The child leaves from their own page; the panel's form carries the session's token (a fragment's forms did not).
            let childID = try #require(try await app.operations.registry.households(region: nil, matching: number, by: clerk).items.first?
                .members.first { $0.relation == .child }?.personID)
            let person = try await browser.get("/persons/\(childID)")
            let leaveForm = try #require(person.text.range(of: "id=\"household-leave-form\"").map { String(person.text[$0.upperBound...].prefix(400)) })
            #expect(leaveForm.contains("name=\"_csrf\" value=\"\(token)\""))
            let left = try await browser.post("/persons/\(childID)/household/leave", form: ["_csrf": token, "version": "1", "reason": ""])
            #expect(left.status == .unprocessableContent && left.text.contains("id=\"e-reason\""))
            #expect(try await browser.post("/persons/\(childID)/household/leave", form: ["_csrf": token, "version": "1", "reason": "分户"]).status == .found)
            #expect(try await app.operations.registry.person(childID, by: clerk).householdID == nil)
            // One household found opens it.
            let found = try await browser.get("/households?q=\(number)")
            #expect(found.status == .found)
            #expect(found.headers[.location].map { location.hasPrefix($0) } == true)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theRegistrationSheetHasTheFactsTheHouseholdAndSignatureLines(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let household = try #require(try await app.operations.registry.households(region: nil, paging: Paging(perPage: 50), by: clerk).items
                .first { $0.members.count >= 2 })
            let head = try #require(household.head)
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let person = try await browser.get("/persons/\(head.personID)")
            #expect(person.text.contains("href=\"/persons/\(head.personID)/sheet\""))
            let sheet = try await browser.get("/persons/\(head.personID)/sheet")
            #expect(sheet.status == .ok)
            #expect(sheet.text.contains(head.residentID.value) && sheet.text.contains(household.registerNumber))
            #expect(sheet.text.contains("id=\"signatures\"") && sheet.text.contains("class=\"print\""))
            #expect(sheet.text.contains("class=\"print-head\""))
            // Reading the sheet is a read of the full record, audited as the page is.
            let read = try #require(try await latestAudit(app.database).first)
            #expect(read.action == "read" && read.entityID == String(head.personID))
            // Another town's clerk: no such page.
            let lunan = Browser(client)
            try await lunan.logIn("lunan")
            #expect(try await lunan.get("/persons/\(head.personID)/sheet").status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func mergesAreAskedByClerksAndDecidedByReviewers(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let pair = try await mergeablePair(app.database, in: RegionCode(trusted: "331004103000"))
            let two = [pair.kept, pair.merged]
            let clerk = Browser(client)
            try await clerk.logIn("xinqiao")
            let page = try await clerk.get("/duplicates")
            let token = try #require(Browser.csrf(in: page.text))
            let asked = try await clerk.post("/duplicates", form: ["_csrf": token, "keepPersonID": String(two[0].id), "mergePersonID": String(two[1].id), "reason": "同一人"])
            #expect(asked.headers[.location] == "/duplicates?done=proposed")
            let pending = try #require(try await app.operations.registry.proposedMerges(by: try await app.principal("reviewer")).first?.request)
            let refused = try await clerk.post("/duplicates/\(pending.id)/decision", form: ["_csrf": token, "decision": "approve"])
            #expect(refused.status == .forbidden)
            let reviewer = Browser(client)
            try await reviewer.logIn("reviewer")
            let reviewPage = try await reviewer.get("/duplicates")
            #expect(reviewPage.text.contains("id=\"pending-table\""))
            let reviewToken = try #require(Browser.csrf(in: reviewPage.text))
            let approved = try await reviewer.post("/duplicates/\(pending.id)/decision", form: ["_csrf": reviewToken, "decision": "approve"])
            #expect(approved.headers[.location] == "/duplicates?done=approved")
            #expect(try await app.person(two[1].id)?.mergedInto == two[0].id)
        }
    }
}

@Suite("Registry API")
struct RegistryAPITests {
    struct PersonBody: Decodable {
        var id: Int64
        var residentID: String
        var address: String?
        var version: Int64
    }

    struct ProblemWithErrors: Decodable {
        struct FieldError: Decodable { var field: String; var code: String; var detail: String }
        var code: String
        var errors: [FieldError]?
    }

    @Test(arguments: TestDatabaseKind.available)
    func createChangeAndConflict(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let id = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1975, month: 6, day: 15)!, sequence: 441).value
            let body = #"{"residentID": "\#(id)", "name": "阿依古丽·买买提", "hukouType": "non_agricultural", "regionCode": "331004103201", "disabilityCategory": "visual", "disabilityGrade": 2}"#
            let created = try await client.execute(uri: "/api/v1/persons", method: .post, headers: app.json("xinqiao"), body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let person = try created.json(PersonBody.self)
            #expect(person.residentID == id)
            let again = try await client.execute(uri: "/api/v1/persons", method: .post, headers: app.json("xinqiao"), body: ByteBuffer(string: body))
            #expect(again.status == .unprocessableContent)
            #expect(try again.json(ProblemWithErrors.self).errors?.first?.code == "import.already_registered")
            let invalid = try await client.execute(uri: "/api/v1/persons", method: .post, headers: app.json("xinqiao"),
                                                   body: ByteBuffer(string: #"{"residentID": "123", "name": "", "regionCode": "331004104201"}"#))
            let problem = try invalid.json(ProblemWithErrors.self)
            #expect(Set(problem.errors?.map(\.field) ?? []) == ["residentID", "name", "hukouType", "region"])
            let outside = try await client.execute(uri: "/api/v1/persons", method: .post, headers: app.json("leader"), body: ByteBuffer(string: body))
            #expect(outside.status == .forbidden)

            let patch = #"{"version": \#(person.version), "reason": "地址更正", "address": "金清镇 1 号"}"#
            let changed = try await client.execute(uri: "/api/v1/persons/\(person.id)", method: .patch, headers: app.json("xinqiao"), body: ByteBuffer(string: patch))
            #expect(changed.status == .ok)
            #expect(try changed.json(PersonBody.self).address == "金清镇 1 号")
            let conflict = try await client.execute(uri: "/api/v1/persons/\(person.id)", method: .patch, headers: app.json("xinqiao"), body: ByteBuffer(string: patch))
            #expect(conflict.status == .conflict)
            #expect(try conflict.json(ProblemWithErrors.self).code == "version_conflict")
            let otherTown = try await client.execute(uri: "/api/v1/persons/\(person.id)", method: .patch, headers: app.json("lunan"), body: ByteBuffer(string: patch))
            #expect(otherTown.status == .notFound)

            struct View: Decodable {
                struct Panels: Decodable {
                    struct Registry: Decodable { var disability: String? }
                    struct History: Decodable { struct Entry: Decodable { var reason: String }; var entries: [Entry] }
                    var registry: Registry
                    var history: History
                }
                var panels: Panels
            }
            let view = try await client.execute(uri: "/api/v1/persons/\(person.id)/view", method: .get, headers: app.bearer("xinqiao")).json(View.self)
            #expect(view.panels.history.entries.first?.reason == "地址更正")
            #expect(view.panels.registry.disability?.contains("视力残疾") == true)
            let history = try await client.execute(uri: "/api/v1/persons/\(person.id)/history", method: .get, headers: app.bearer("xinqiao"))
            #expect(history.status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func importsThroughTheAPI(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            struct Rejected: Decodable {
                struct Issue: Decodable { var row: Int; var column: String; var code: String; var detail: String }
                var code: String
                var issues: [Issue]
            }
            let id = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1961, month: 1, day: 2)!, sequence: 13).value
            let csv = "公民身份号码,姓名,户口性质,户籍地区划代码\n\(id),钱七,农业,331004103201\n\(id),钱八,农业,331004103201\n"
            let rejected = try await client.execute(uri: "/api/v1/imports/persons?fileName=p.csv", method: .post, headers: app.bearer("xinqiao"), body: ByteBuffer(string: csv))
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.headers[.contentType] == "application/problem+json")
            let body = try rejected.json(Rejected.self)
            #expect(body.code == "import.rejected")
            #expect(body.issues.first?.row == 3)
            #expect(body.issues.first?.code == "import.duplicate_in_file")
            let single = String(csv.split(separator: "\n").prefix(2).joined(separator: "\n"))
            let accepted = try await client.execute(uri: "/api/v1/imports/persons?fileName=p.csv", method: .post, headers: app.bearer("xinqiao"), body: ByteBuffer(string: single))
            #expect(accepted.status == .created)
            let denied = try await client.execute(uri: "/api/v1/imports/persons", method: .post, headers: app.bearer("auditor"), body: ByteBuffer(string: single))
            #expect(denied.status == .forbidden)
            let unknown = try await client.execute(uri: "/api/v1/imports/pets", method: .post, headers: app.bearer("xinqiao"), body: ByteBuffer(string: single))
            #expect(unknown.status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsEmployersAndMergesOnTheAPI(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            struct List: Decodable { struct Item: Decodable { var id: Int64; var version: Int64? }; var items: [Item]; var total: Int }
            let households = try await client.execute(uri: "/api/v1/households?perPage=5", method: .get, headers: app.bearer("xinqiao")).json(List.self)
            #expect(households.total > 0)
            let employers = try await client.execute(uri: "/api/v1/employers?scheme=pension", method: .get, headers: app.bearer("district")).json(List.self)
            #expect(employers.total > 0)
            let first = try #require(employers.items.first)
            let staff = try await client.execute(uri: "/api/v1/employers/\(first.id)/staff", method: .get, headers: app.bearer("district"))
            #expect(staff.status == .ok)
            let patch = #"{"version": \#(first.version ?? 1), "reason": "电话变更", "contactPhone": "057682001234"}"#
            let changed = try await client.execute(uri: "/api/v1/employers/\(first.id)", method: .patch, headers: app.json("district"), body: ByteBuffer(string: patch))
            #expect(changed.status == .ok)
            let pair = try await mergeablePair(app.database, in: RegionCode(trusted: "331004103000"))
            let two = [pair.kept, pair.merged]
            let asked = try await client.execute(uri: "/api/v1/merges", method: .post, headers: app.json("xinqiao"),
                                                 body: ByteBuffer(string: #"{"keepPersonID": \#(two[0].id), "mergePersonID": \#(two[1].id), "reason": "同一人"}"#))
            #expect(asked.status == .created)
            struct Merge: Decodable { var id: Int64; var status: String }
            let merge = try asked.json(Merge.self)
            let decided = try await client.execute(uri: "/api/v1/merges/\(merge.id)/decision", method: .post, headers: app.json("reviewer"),
                                                   body: ByteBuffer(string: #"{"approve": false, "note": "不是同一人"}"#))
            #expect(try decided.json(Merge.self).status == "rejected")
        }
    }
}
