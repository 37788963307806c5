import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

@testable import ShebaoServer

/// What a probe of the server as an attacker found, each closed (issue 9).
@Suite("Hardening")
struct HardeningTests {
    /// A redirect goes only to one of our own pages: no `/\t/evil.example`, no unknown path.
    @Test(arguments: TestDatabaseKind.available)
    func redirectsStayOnOurPages(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            for back in ["/%09/evil.example", "%2F%09%2Fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "%2Fno-such-page", "https://evil.example/"] {
                let response = try await browser.get("/language?to=en&back=\(back)")
                #expect(response.headers[.location] == "/", "back=\(back)")
            }
            #expect(try await browser.get("/language?to=en&back=%2Fpersons%2F12%3Fsaved%3D1").headers[.location] == "/persons/12?saved=1")

            let page = try await browser.get("/login?next=/%09/evil.example")
            #expect(page.text.contains(#"name="next" value="/""#))
            let token = Browser.csrf(in: page.text) ?? ""
            let login = try await browser.post("/login", form: ["_csrf": token, "username": "district", "password": DemoDistrict.demoPassword, "next": "/\t/evil.example"])
            #expect(login.headers[.location] == "/")
            try await browser.post("/logout", form: ["_csrf": Browser.csrf(in: try await browser.get("/").text) ?? ""])
            let again = try await browser.get("/login")
            let next = try await browser.post("/login", form: ["_csrf": Browser.csrf(in: again.text) ?? "", "username": "district",
                                                               "password": DemoDistrict.demoPassword, "next": "/persons"])
            #expect(next.headers[.location] == "/persons")
        }
    }

    static let xinqiao = RegionCode(trusted: "331004103000")
    static let lunan = RegionCode(trusted: "331004001000")

    /// A merge between two towns is proposed and seen only by someone whose scope covers both;
    /// after it, a town's clerk sees none of the other town's record in the kept person's history.
    @Test(arguments: TestDatabaseKind.available)
    func aMergeAcrossTownsLeaksNothingToEitherTown(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let kept = try await mergeablePair(app.database, in: Self.xinqiao).kept
            let merged = try await mergeablePair(app.database, in: Self.lunan).merged
            // A town clerk cannot even propose it: the other record is not found.
            await #expect(throws: ServiceError.notFound) {
                _ = try await app.operations.registry.proposeMerge(keep: kept.id, merge: merged.id, reason: "同一人", by: try await app.principal("xinqiao"))
            }
            let request = try await app.operations.registry.proposeMerge(keep: kept.id, merge: merged.id, reason: "同一人", by: try await app.principal("district"))
            #expect(request.region == RegionCode(trusted: "331004000000"))
            let townMerges = try await client.execute(uri: "/api/v1/merges", method: .get, headers: app.bearer("xinqiao"))
            #expect(!townMerges.text.contains("\"id\":\(request.id)"))
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let page = try await browser.get("/duplicates")
            #expect(!page.text.contains(Route.person.path(merged.id) + "\""))
            let reviewerMerges = try await client.execute(uri: "/api/v1/merges", method: .get, headers: app.bearer("reviewer"))
            #expect(reviewerMerges.text.contains("\"id\":\(request.id)"))

            _ = try await app.operations.registry.decideMerge(request.id, approve: true, note: nil, by: try await app.principal("reviewer"))
            let townHistory = try await client.execute(uri: "/api/v1/persons/\(kept.id)/history", method: .get, headers: app.bearer("xinqiao"))
            #expect(townHistory.status == .ok)
            #expect(!townHistory.text.contains(merged.residentID.value))
            let districtHistory = try await client.execute(uri: "/api/v1/persons/\(kept.id)/history", method: .get, headers: app.bearer("district"))
            #expect(districtHistory.text.contains(merged.residentID.value))
        }
    }

    /// A merge keeps households whole: a head is not merged away, and nobody joins another
    /// village's household by being merged; the reviewer is warned when the records disagree.
    @Test(arguments: TestDatabaseKind.available)
    func mergesKeepHouseholdsWhole(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let pair = try await mergeablePair(app.database, in: Self.xinqiao)
            let household = try #require(try await app.operations.registry.household(of: pair.merged, by: clerk))
            let head = try #require(household.head)
            await #expect(throws: ServiceError.conflict("merge.household_head", ["number": household.registerNumber])) {
                _ = try await app.operations.registry.proposeMerge(keep: pair.kept.id, merge: head.personID, reason: "同一人", by: clerk)
            }
            // A record without a household would take the merged one's place in another village's household: refused.
            let loner = try await app.operations.registry.registerPerson(
                residentID: "331004196501159977", PersonDetails.Input(name: "王单", hukouType: "agricultural", region: "331004103001"), reason: "测试", by: clerk)
            if household.region != loner.region {
                await #expect(throws: ServiceError.conflict("merge.household_elsewhere", ["number": household.registerNumber])) {
                    _ = try await app.operations.registry.proposeMerge(keep: loner.id, merge: pair.merged.id, reason: "同一人", by: clerk)
                }
            }
            // A good pair is proposed; the reviewer's page warns that the names differ.
            _ = try await app.operations.registry.proposeMerge(keep: pair.kept.id, merge: pair.merged.id, reason: "同一人", by: clerk)
            let reviewer = Browser(client)
            try await reviewer.logIn("reviewer")
            let page = try await reviewer.get("/duplicates")
            if pair.kept.name != pair.merged.name { #expect(page.text.contains("merge-differences")) }
            let api = try await client.execute(uri: "/api/v1/merges", method: .get, headers: app.bearer("reviewer"))
            #expect(api.text.contains("\"differences\""))
        }
    }

    /// An employer's staff list shows the reader's own town and only a count of the rest; the
    /// import history shows the reader's town's imports; a rejected import's check is audited.
    @Test(arguments: TestDatabaseKind.available)
    func staffListsImportsAndImportChecksStayInScope(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let employers = try await app.operations.registry.searchEmployers(EmployerSearchText(), paging: Paging(perPage: 100), by: clerk).items
            var checked = 0
            for employer in employers {
                let response = try await client.execute(uri: "/api/v1/employers/\(employer.id)/staff", method: .get, headers: app.bearer("xinqiao"))
                struct Staff: Decodable {
                    struct Item: Decodable { var personID: Int64 }
                    var items: [Item]
                    var elsewhere: Int
                }
                let staff = try response.json(Staff.self)
                for item in staff.items { #expect(Self.xinqiao.contains(try #require(try await app.person(item.personID)).region)) }
                let all = try await app.operations.registry.staff(of: employer, by: try await app.principal("district")).staff.count
                #expect(staff.items.count + staff.elsewhere == all)
                checked += staff.elsewhere
            }
            #expect(checked > 0, "some unit of the town has staff registered elsewhere")

            // Lunan imports a file; Xinqiao's import page does not show it.
            let lunanClerk = try await app.principal("lunan")
            let file = Data("公民身份号码,姓名,户口性质,户籍地区划代码\r\n331004197001010038,测试甲,农业,331004001201\r\n".utf8)
            #expect(try await app.operations.registry.importFile(.persons, data: file, fileName: "路南导入.csv", by: lunanClerk).accepted)
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            #expect(!(try await browser.get("/imports").text.contains("路南导入.csv")))
            #expect(try await app.operations.registry.recentImports(by: lunanClerk).contains { $0.fileName == "路南导入.csv" })

            // Xinqiao tries the same ID: refused like any conflict, saying nothing of where; the check is audited.
            let probe = Data("公民身份号码,姓名,户口性质,户籍地区划代码\r\n331004197001010038,测试乙,农业,331004103201\r\n".utf8)
            let outcome = try await app.operations.registry.importFile(.persons, data: probe, fileName: "probe.csv", by: clerk)
            #expect(!outcome.accepted)
            #expect(outcome.issues.map(\.code) == ["import.already_registered"])
            let report = String(decoding: outcome.reportCSV(strings: .bundled, language: .zhHans), as: UTF8.self)
            #expect(!report.contains("路南") && !report.contains("331004001"))
            #expect(try await latestAudit(app.database).first?.action == "import_check")
        }
    }

    struct Stop: Error {}

    /// A server stopped by an error (its task cancelled) still closes every database connection:
    /// an unclosed SQLite connection traps the whole process when released.
    @Test(arguments: TestDatabaseKind.available)
    func aServerStoppedByAnErrorClosesItsDatabase(kind: TestDatabaseKind) async throws {
        await #expect(throws: Stop.self) {
            try await TestApp.run(kind) { client, app in
                _ = try await client.execute(uri: "/api/v1/persons?perPage=1", method: .get, headers: app.bearer("district"))
                throw Stop()
            }
        }
    }

    /// Text typed with an ideographic space or a bidi override: "王小明　" is "王小明" (so the two
    /// are seen as duplicates), and an address with U+202E is refused by name on the API.
    @Test(arguments: TestDatabaseKind.available)
    func textIsCleanedBeforeItIsStoredOrCompared(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("xinqiao")
            let first = try await app.operations.registry.registerPerson(
                residentID: "331004197001010038", PersonDetails.Input(name: "王小明", hukouType: "agricultural", region: "331004103201"), reason: "测试", by: clerk)
            let second = try await app.operations.registry.registerPerson(
                residentID: "331004197001010054", PersonDetails.Input(name: "王小明\u{3000}", hukouType: "agricultural", region: "331004103201"), reason: "测试", by: clerk)
            #expect(second.name == "王小明")
            let pairs = try await app.operations.registry.duplicateCandidates(by: clerk)
            #expect(pairs.contains { Set([$0.first.id, $0.second.id]) == Set([first.id, second.id]) })
            let body = #"{"residentID":"331004197001010070","name":"王小红","hukouType":"agricultural","regionCode":"331004103201","address":"新桥镇\u202E路7号","reason":"测试"}"#
            let refused = try await client.execute(uri: "/api/v1/persons", method: .post, headers: app.json("xinqiao"), body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("\"field\":\"address\""))
        }
    }

    /// A standard changed from the past needs a reason and shows what it changes; a change far
    /// from the value in force needs two reviewers; a region that does not exist is refused.
    @Test(arguments: TestDatabaseKind.available)
    func policyProposalsFromThePastOrFarOffNeedMore(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let policy = app.operations.policy
            let clerk = try await app.principal("district")
            func proposal(_ value: String, from: String, region: String = "331004000000", reason: String? = nil) -> ParameterProposal {
                ParameterProposal(key: "dibao.standard.street", regionCode: region, validFrom: from, value: value, legalBasis: "测试", retroactiveReason: reason)
            }
            await #expect(throws: ServiceError.invalid("retroactiveReason", "parameter.retroactive_reason_required", ["date": "2005-03-01"])) {
                _ = try await policy.propose(proposal("999,999.00", from: "2005-03-01"), by: clerk)
            }
            await #expect(throws: ServiceError.invalid("regionCode", "region_code.unknown", ["code": "331004999000"])) {
                _ = try await policy.propose(proposal("300.00", from: "2031-01-01", region: "331004999000"), by: clerk)
            }
            // Beyond the plausible range of a monthly standard per person (0–50,000 yuan): refused outright.
            await #expect(throws: ServiceError.invalid("value", "parameter.implausible", ["low": "0.00", "high": "50,000.00", "unit": "yuan/person/month"])) {
                _ = try await policy.propose(proposal("999,999.00", from: "2005-03-01", reason: "补发区政府文件"), by: clerk)
            }
            let record = try await policy.propose(proposal("9,999.00", from: "2005-03-01", reason: "补发区政府文件"), by: clerk)
            #expect(record.needsSecondApproval)
            #expect(record.retroactiveReason == "补发区政府文件")
            let impact = try #require(try await policy.impact(of: record))
            #expect(impact.from.description == "2005-03-01")
            #expect(impact.until?.description == "2006-01-01")
            #expect(impact.rules.contains("dibao-benefit"))

            // The first reviewer's approval does not put it in force; the same reviewer cannot approve twice.
            let reviewer = try await app.principal("reviewer")
            let half = try await policy.decide(record.id, approve: true, by: reviewer)
            #expect(half.status == .proposed)
            #expect(half.firstApprovedBy == reviewer.userID)
            await #expect(throws: ServiceError(.forbidden, "parameter.second_reviewer_needed")) { _ = try await policy.decide(record.id, approve: true, by: reviewer) }
            func dibao2005() async throws -> Int {
                let input = #"{"period":"2005-06","areaType":"street","householdSize":1,"monthlyIncome":0}"#
                let response = try await client.execute(uri: "/api/v1/calculate/dibao-benefit", method: .post, headers: app.json("district"), body: ByteBuffer(string: input))
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                return (object?["result"] as? [String: Any])?["benefit"] as? Int ?? -1
            }
            #expect(try await dibao2005() == 21_000)
            _ = try await app.operations.access.createUser(username: "reviewer2", displayName: "复核二", role: .reviewer, region: RegionCode(trusted: "331004000000"),
                                                          password: "second reviewer password", by: nil)
            let second = try await policy.decide(record.id, approve: true, by: try await app.principal("reviewer2"))
            #expect(second.status == .approved)
            #expect(try await dibao2005() == 999_900)

            // A plausible change (within three times) needs one reviewer.
            let ordinary = try await policy.propose(proposal("1,300.00", from: "2031-01-01"), by: clerk)
            #expect(!ordinary.needsSecondApproval)
            #expect(try await policy.decide(ordinary.id, approve: true, by: reviewer).status == .approved)
        }
    }
}

/// Accounts on the pages (issue 9): a privileged account is approved by another administrator,
/// a reset password is changed before anything else, a disabled account's pages and tokens stop,
/// the bearer scheme is case-insensitive.
@Suite("Accounts on the pages")
struct AccountPageTests {
    @Test(arguments: TestDatabaseKind.available)
    func aPrivilegedAccountIsApprovedByAnotherAdministrator(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let admin = Browser(client)
            try await admin.logIn("admin")
            let form = try await admin.get("/admin/users")
            let created = try await admin.post("/admin/users", form: [
                "_csrf": Browser.csrf(in: form.text) ?? "", "username": "rev2", "displayName": "复核二", "role": "reviewer",
                "region": "331004000000", "password": "reviewer-two-2026",
            ])
            #expect(created.status == .ok && created.text.contains("id=\"account-requests\""))
            let request = try #require(try await app.operations.access.accountRequests(by: nil).first)
            // The administrator who asked sees the request without the buttons, and a forged post is refused.
            #expect(!created.text.contains("/admin/account-requests/\(request.id)/approve"))
            let forged = try await admin.post("/admin/account-requests/\(request.id)/approve", form: ["_csrf": Browser.csrf(in: created.text) ?? ""])
            #expect(forged.status == .forbidden && forged.text.contains("id=\"users-error\""))

            let second = Browser(client)
            try await second.logIn("admin2")
            let list = try await second.get("/admin/users")
            #expect(list.text.contains("/admin/account-requests/\(request.id)/approve"))
            let approved = try await second.post("/admin/account-requests/\(request.id)/approve", form: ["_csrf": Browser.csrf(in: list.text) ?? ""])
            #expect(approved.status == .ok && approved.text.contains("id=\"users-notice\""))
            let reviewer = Browser(client)
            #expect(try await reviewer.logIn("rev2", password: "reviewer-two-2026").headers[.location] == "/")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aResetPasswordIsChangedBeforeAnythingElse(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let admin = Browser(client)
            try await admin.logIn("admin")
            let lunan = try #require(try await app.operations.access.allUsers().first { $0.username == "lunan" })
            let list = try await admin.get("/admin/users")
            let reset = try await admin.post("/admin/users/\(lunan.id)/reset-password", form: ["_csrf": Browser.csrf(in: list.text) ?? ""])
            let password = try #require(reset.text.firstMatch(of: /<code>([A-Za-z0-9]{16})<\/code>/)?.1).description

            let holder = Browser(client)
            try await holder.logIn("lunan", password: password)
            let home = try await holder.get("/persons")
            #expect(home.status == .found && home.headers[.location] == "/account/password")
            let page = try await holder.get("/account/password")
            #expect(page.text.contains("id=\"password-required\""))
            let differs = try await holder.post("/account/password", form: ["_csrf": Browser.csrf(in: page.text) ?? "", "current": password,
                                                                         "new": "lunan-own-2026", "repeat": "lunan-own-2027"])
            #expect(differs.status == .unprocessableContent)
            let changed = try await holder.post("/account/password", form: ["_csrf": Browser.csrf(in: page.text) ?? "", "current": password,
                                                                         "new": "lunan-own-2026", "repeat": "lunan-own-2026"])
            #expect(changed.status == .ok && changed.text.contains("id=\"password-done\""))
            #expect(try await holder.get("/persons").status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aDisabledAccountStopsAndTheBearerSchemeIgnoresCase(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let token = try await app.operations.access.createToken(username: "xinqiao", label: "test")
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "\(scheme) \(token)"])
                #expect(me.status == .ok, "\(scheme)")
            }
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Basic \(token)"]).status == .unauthorized)
            let clerk = Browser(client)
            try await clerk.logIn("xinqiao")
            #expect(try await clerk.get("/persons").status == .ok)
            let admin = Browser(client)
            try await admin.logIn("admin")
            let id = try #require(try await app.operations.access.allUsers().first { $0.username == "xinqiao" }).id
            let list = try await admin.get("/admin/users")
            #expect(try await admin.post("/admin/users/\(id)/disable", form: ["_csrf": Browser.csrf(in: list.text) ?? ""]).status == .ok)
            #expect(try await clerk.get("/persons").status == .found)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
    }
}
