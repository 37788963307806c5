import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The dibao notice boards (issue 12 item 2): open to anyone without logging in, a community at a
/// time or all, with masked names, the household's size and amount — and no 18-character ID
/// number and no full name anywhere in the page. The application over the API and its form.
@Suite("Assistance pages")
struct AssistancePageTests {
    @Test(arguments: TestDatabaseKind.available)
    func theNoticeBoardShowsNoIDNumberAndNoFullName(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let operations = app.operations
            let clerk = try await app.principal("district")
            let reviewer = try await app.principal("reviewer")
            let heads = try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT m.person_id FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                        JOIN regions r ON r.code = h.region_code AND r.area_type IS NOT NULL
                    ORDER BY h.id LIMIT 3
                    """
                ).all().map { try $0.decode(column: "person_id", as: Int64.self) }
            }
            #expect(heads.count == 3)
            let point = try #require(try await operations.benefits.paymentPoints(by: clerk).first).id
            // The first over the API, the others through the service; all three approved and posted.
            let opened = try await client.execute(
                uri: "/api/v1/persons/\(heads[0])/dibao-applications", method: .post, headers: app.json("district"),
                body: ByteBuffer(string: #"{"monthlyIncome":"50.00","paymentPointId":\#(point),"account":"6222000055556666"}"#))
            #expect(opened.status == .created)
            struct Opened: Decodable { var caseId: Int64 }
            var ids = [try opened.json(Opened.self).caseId]
            for head in heads.dropFirst() {
                ids.append(try await operations.assistance.openDibao(person: head, monthlyIncome: "0", threeWithouts: false, paymentPoint: String(point),
                                                                     account: "6222000055557777", by: clerk))
            }
            for id in ids {
                for kind in DibaoApplication.Document.allCases {
                    _ = try await operations.cases.addDocument(id, kind: kind.rawValue, reference: "材料", note: nil, by: clerk)
                }
                for step in ["survey", "appraise", "review"] {
                    _ = try await operations.cases.take(id, transition: step, note: "同意", expectedVersion: nil, by: clerk)
                }
                _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            let board = try await client.execute(uri: "/portal/notices", method: .get)
            #expect(board.status == .ok)
            #expect(board.text.firstMatch(of: /[0-9]{17}[0-9Xx]/) == nil, "an ID number is on the board")
            let names = try await app.database.read { db in
                try await db.raw("SELECT name FROM persons").all().map { try $0.decode(column: "name", as: String.self) }.filter { $0.count >= 2 }
            }
            for name in Set(names) { #expect(!board.text.contains(name), "\(name) is on the board in full") }
            let notices = try await operations.assistance.notices()
            #expect(notices.count == 3 && notices.allSatisfy { board.text.contains($0.maskedName) && $0.maskedName.contains("*") })
            // One community's board, to print; a region that does not exist is not found.
            let region = try #require(notices.first).region
            let one = try await client.execute(uri: "/portal/notices?region=\(region.value)", method: .get)
            #expect(one.status == .ok && one.text.contains(notices.first!.maskedName))
            #expect(try await client.execute(uri: "/portal/notices?region=999999999999", method: .get).status == .notFound)

            // The staff pages: the form on a member's page, the office's list.
            let browser = Browser(client)
            try await browser.logIn("district")
            let form = try await browser.get("/persons/\(heads[0])/dibao?monthlyIncome=50.00&paymentPoint=\(point)&account=6222000055556666")
            #expect(form.status == .ok && form.text.contains("id=\"claim-open\"") && form.text.contains("低保标准（") && !form.text.contains("dibao.standard."))
            #expect(try await browser.get("/assistance").text.contains("id=\"grants-table\""))
            let grants = try await client.execute(uri: "/api/v1/dibao-grants", method: .get, headers: app.bearer("district"))
            #expect(grants.status == .ok)
        }
    }

    /// A granted household comes due for its review on the office's page; the review is recorded
    /// from the form (a note is required) and the household is reviewed again later.
    @Test(arguments: TestDatabaseKind.available)
    func aGrantDueForReviewIsReviewedFromTheOfficesPage(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await TestApp.run(kind, clock: clock) { client, app in
            let operations = app.operations
            let clerk = try await app.principal("district")
            let reviewer = try await app.principal("reviewer")
            let head = try #require(try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT m.person_id FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                        JOIN regions r ON r.code = h.region_code AND r.area_type IS NOT NULL
                    ORDER BY h.id LIMIT 1
                    """
                ).first()?.decode(column: "person_id", as: Int64.self)
            })
            let point = try #require(try await operations.benefits.paymentPoints(by: clerk).first).id
            let id = try await operations.assistance.openDibao(person: head, monthlyIncome: "0", threeWithouts: true, paymentPoint: String(point),
                                                               account: "6222000055558888", by: clerk)
            for kind in DibaoApplication.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: kind.rawValue, reference: "材料", note: nil, by: clerk)
            }
            for step in ["survey", "appraise", "review"] { _ = try await operations.cases.take(id, transition: step, note: "同意", expectedVersion: nil, by: clerk) }
            _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            clock.advance(seconds: 8 * 86_400)
            _ = try await operations.cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk)
            // Three withouts: reviewed yearly.
            let grant = try #require(try await operations.assistance.dibaoGrants(of: head, by: clerk)?.first)
            #expect(grant.category == .stable && grant.nextReview == clock.now().dateInChina.addingMonths(12))

            let browser = Browser(client)
            try await browser.logIn("district")
            #expect(try await browser.get("/assistance").text.contains("id=\"due-table\"") == false)
            clock.advance(seconds: 370 * 86_400)
            try await browser.logIn("district")   // a year on, the session has expired
            let page = try await browser.get("/assistance")
            #expect(page.text.contains("id=\"due-table\"") && page.text.contains("/assistance/dibao/\(id)/review"))
            let csrf = Browser.csrf(in: page.text) ?? ""
            let missing = try await browser.post("/assistance/dibao/\(id)/review", form: ["_csrf": csrf, "outcome": "continued", "note": ""])
            #expect(missing.status == .unprocessableContent && missing.text.contains("id=\"assistance-problem\""))
            let done = try await browser.post("/assistance/dibao/\(id)/review", form: ["_csrf": csrf, "outcome": "continued", "note": "入户复核：无变化"])
            #expect(done.status == .found)
            #expect(try await browser.get("/assistance").text.contains("id=\"due-table\"") == false)
            #expect(try await operations.assistance.dibaoReviews(of: id, by: clerk).map(\.outcome) == [.continued])
        }
    }

    /// A refusal is given in writing with its reasons: the letter to print, linked from the
    /// applicant's page; a case not refused has none.
    @Test(arguments: TestDatabaseKind.available)
    func aRefusalIsPrintedWithItsReasons(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let operations = app.operations
            let clerk = try await app.principal("district")
            let heads = try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT m.person_id FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                        JOIN regions r ON r.code = h.region_code AND r.area_type IS NOT NULL
                    ORDER BY h.id LIMIT 2
                    """
                ).all().map { try $0.decode(column: "person_id", as: Int64.self) }
            }
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let refused = try await operations.assistance.openDibao(person: heads[0], monthlyIncome: "10.00", threeWithouts: false, paymentPoint: point,
                                                                    account: "6222000055559999", by: clerk)
            _ = try await operations.cases.take(refused, transition: "refuse", note: "入户调查发现有经营性收入，人均收入高于标准", expectedVersion: nil, by: clerk)
            let open = try await operations.assistance.openDibao(person: heads[1], monthlyIncome: "10.00", threeWithouts: false, paymentPoint: point,
                                                                 account: "6222000055550000", by: clerk)
            let browser = Browser(client)
            try await browser.logIn("district")
            let letter = try await browser.get("/assistance/dibao/\(refused)/refusal")
            #expect(letter.status == .ok && letter.text.contains("id=\"refusal-letter\"") && letter.text.contains("入户调查发现有经营性收入"))
            #expect(letter.text.contains("行政复议"))
            #expect(try await browser.get("/assistance/dibao/\(open)/refusal").status == .notFound)
            #expect(try await browser.get("/persons/\(heads[0])").text.contains("/assistance/dibao/\(refused)/refusal"))
        }
    }

    /// A household enrols in the rural scheme from a member's page; the participation page counts it.
    @Test(arguments: TestDatabaseKind.available)
    func aHouseholdEnrolsInTheRuralSchemeFromAMembersPage(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let person = try #require(try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT m.person_id FROM household_members m JOIN persons p ON p.id = m.person_id AND p.status = 'living'
                    WHERE NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.scheme = 'medical')
                    ORDER BY m.household_id LIMIT 1
                    """
                ).first()?.decode(column: "person_id", as: Int64.self)
            })
            let browser = Browser(client)
            try await browser.logIn("district")
            let page = try await browser.get("/persons/\(person)")
            #expect(page.text.contains("id=\"ncms-form\""))
            let year = String(app.operations.clock.now().dateInChina.year)
            let enrolled = try await browser.post("/persons/\(person)/ncms", form: ["_csrf": Browser.csrf(in: page.text) ?? "", "year": year])
            #expect(enrolled.status == .found)
            let after = try await browser.get("/persons/\(person)")
            #expect(after.text.contains("id=\"ncms-enrolments\"") && !after.text.contains("id=\"ncms-form\""))
            let participation = try await browser.get("/assistance/ncms?year=\(year)")
            #expect(participation.status == .ok && participation.text.contains("id=\"ncms-table\""))
            let api = try await client.execute(uri: "/api/v1/ncms/participation?year=\(year)", method: .get, headers: app.bearer("district"))
            #expect(api.status == .ok && api.text.contains("\"enrolled\""))
        }
    }

    /// Five-guarantees support over the API and its page: a district clerk adds a home (a town
    /// clerk may not), an application opens for an elderly villager in it, the overview lists the
    /// home with the rate against its target, and a town's page shows it; a bad home is refused
    /// naming each field.
    @Test(arguments: TestDatabaseKind.available)
    func aHomeAndAnApplicationOverTheAPIAreOnTheSupportPage(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("district")
            let (person, region) = try #require(try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT id, region_code FROM persons WHERE hukou_type = 'agricultural' AND status = 'living' AND birth_date <= '1960-01-01'
                    ORDER BY id LIMIT 1
                    """
                ).first().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
            })
            let point = try #require(try await app.operations.benefits.paymentPoints(by: clerk).first).id
            let home = #"{"name":"测试敬老院","kind":"nursing_home","regionCode":"\#(region)","beds":10,"floorArea":300,"paymentPointId":\#(point),"account":"6222000077770000"}"#
            let refused = try await client.execute(uri: "/api/v1/welfare-homes", method: .post, headers: app.json("lunan"), body: ByteBuffer(string: home))
            #expect(refused.status == .forbidden)
            let bad = try await client.execute(uri: "/api/v1/welfare-homes", method: .post, headers: app.json("district"), body: ByteBuffer(string:
                #"{"name":"","kind":"hotel","regionCode":"1","beds":0,"floorArea":0,"paymentPointId":\#(point),"account":"1"}"#))
            #expect(bad.status == .unprocessableContent)
            for field in ["name", "kind", "region", "beds", "floorArea", "account"] { #expect(bad.text.contains("\"\(field)\""), "\(field) is not named") }
            let added = try await client.execute(uri: "/api/v1/welfare-homes", method: .post, headers: app.json("district"), body: ByteBuffer(string: home))
            #expect(added.status == .created)
            struct Added: Decodable { var id: Int64 }
            let id = try added.json(Added.self).id
            let opened = try await client.execute(
                uri: "/api/v1/persons/\(person)/support-applications", method: .post, headers: app.json("district"),
                body: ByteBuffer(string: #"{"kind":"five_guarantees","ground":"elderly","arrangement":"institution","institutionId":\#(id)}"#))
            #expect(opened.status == .created)
            let overview = try await client.execute(uri: "/api/v1/support", method: .get, headers: app.json("district"))
            #expect(overview.status == .ok && overview.text.contains("测试敬老院") && overview.text.contains("\"target\":\"0.8"))
            let browser = Browser(client)
            try await browser.logIn("district")
            let page = try await browser.get("/assistance/support")
            #expect(page.status == .ok && page.text.contains("测试敬老院") && page.text.contains("80.0%"))
            #expect(try await browser.get("/persons/\(person)/support").status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aRequisitionADonationAndAPairingOverTheAPIAreOnTheirPages(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = try await app.principal("district")
            let (residentID, region) = try #require(try await app.database.read { db in
                try await db.raw(
                    """
                    SELECT resident_id, region_code FROM persons WHERE status = 'living' AND birth_date >= '2016-01-01' ORDER BY id LIMIT 1
                    """
                ).first().map { (try $0.decode(column: "resident_id", as: String.self), try $0.decode(column: "region_code", as: String.self)) }
            })
            let town = String(region.prefix(9)) + "000"
            let point = try #require(try await app.operations.benefits.paymentPoints(by: clerk).first).id
            func body(_ ids: String) -> ByteBuffer {
                ByteBuffer(string: #"{"townCode":"\#(town)","village":"北岙村","area":"8.25","compensation":"200000","landSaleIncome":"300000","requisitionedOn":"2026-05-04","tier":"260","contribution":"36000","paymentPointId":\#(point),"residentIds":[\#(ids)]}"#)
            }
            let bad = try await client.execute(uri: "/api/v1/land-requisitions", method: .post, headers: app.json("district"), body: body(#""123""#))
            #expect(bad.status == .unprocessableContent && bad.text.contains("\"members\""))
            let forbidden = try await client.execute(uri: "/api/v1/land-requisitions", method: .post, headers: app.json("lunan"), body: body("\"\(residentID)\""))
            #expect(forbidden.status == .forbidden)
            let recorded = try await client.execute(uri: "/api/v1/land-requisitions", method: .post, headers: app.json("district"), body: body("\"\(residentID)\""))
            #expect(recorded.status == .created && recorded.text.contains("\"group\":\"child\"") && recorded.text.contains("\"area\":\"8.25\""))
            struct Recorded: Decodable { var id: Int64 }
            let id = try recorded.json(Recorded.self).id
            let donation = try await client.execute(uri: "/api/v1/donations", method: .post, headers: app.json("accountant"), body: ByteBuffer(string:
                #"{"fund":"charity","donor":"测试商会","amount":"5000","receivedOn":"2026-06-20"}"#))
            #expect(donation.status == .created && donation.text.contains("\"amountFen\":500000"))
            let household = try #require(try await app.database.read { db in
                try await db.raw("SELECT register_number FROM households ORDER BY id LIMIT 1").first()?.decode(column: "register_number", as: String.self)
            })
            let pairing = try await client.execute(uri: "/api/v1/paired-help", method: .post, headers: app.json("district"), body: ByteBuffer(string:
                #"{"helperKind":"cadre","helper":"李干部","householdNumber":"\#(household)","year":2026,"pledged":"1500"}"#))
            #expect(pairing.status == .created)
            let browser = Browser(client)
            try await browser.logIn("district")
            let land = try await browser.get("/assistance/land/\(id)")
            #expect(land.status == .ok && land.text.contains("北岙村") && land.text.contains("16岁以下"))
            let charity = try await browser.get("/assistance/charity?year=2026")
            #expect(charity.status == .ok && charity.text.contains("测试商会") && charity.text.contains("李干部") && charity.text.contains("1,500.00"))
            // The household's page shows its paired help beside every member's insurance.
            let householdID = try #require(try await app.database.read { db in
                try await db.raw("SELECT id FROM households WHERE register_number = \(bind: household)").first()?.decode(column: "id", as: Int64.self)
            })
            let overview = try await browser.get("/households/\(householdID)")
            #expect(overview.status == .ok && overview.text.contains("household-overview") && overview.text.contains("李干部"))
            let citizen = Browser(client)
            try await citizen.logIn("citizen")
            let refused = try await citizen.get("/assistance/land")
            #expect(refused.status == .forbidden, "\(refused.status)")
        }
    }
}
