import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

@testable import ShebaoServer

/// Collection on the pages and the API: the accountant uploads a tax file and settles the queue;
/// the clerk reads rates, bills, arrears and drop-outs; the unit sees only its own bills; the
/// citizen prints a statement that anyone checks on /verify without logging in.
@Suite("Collection and the rights record on the pages")
struct InsurancePageTests {
    @Test(arguments: TestDatabaseKind.available)
    func aTaxFileIsUploadedSettledAndReadEverywhere(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let period = Period(year: 2026, month: 7)!
            let bills = try await closeMonth(app.operations, period)
            #expect(bills.count >= 3)
            // All paid on time but the first unit's first bill; one unknown unit.
            var rows = bills.dropFirst().enumerated().map { index, bill in
                [bill.creditCode, "2026-07", bill.scheme.rawValue, bill.assessed.decimalString, "2026-07-20", "P\(index)", String(bill.headcount)]
            }
            rows.append([CreditCode(body: "91331004MA2DEMKQ9").value, "2026-07", "pension", "99.00", "2026-07-21", "PX", ""])

            let accountant = Browser(client)
            try await accountant.logIn("accountant")
            let page = try await accountant.get("/insurance/collections")
            #expect(page.status == .ok && page.text.contains("id=\"collection-upload\""))
            let uploaded = try await accountant.upload("/insurance/collections", fields: ["_csrf": Browser.csrf(in: page.text) ?? ""], fileName: "tax.csv",
                                                       file: collectionFile(rows))
            #expect(uploaded.status == .ok && uploaded.text.contains("id=\"collection-done\"") && uploaded.text.contains(/id="queue-\d/))
            let bad = try await accountant.upload("/insurance/collections", fields: ["_csrf": Browser.csrf(in: page.text) ?? ""], fileName: "bad.csv",
                                                  file: collectionFile([[bills[0].creditCode, "2026-07", "pension", "1.234", "2026-07-20", "Q1", ""]]))
            #expect(bad.status == .unprocessableContent && bad.text.contains("id=\"issues-table\"") && bad.text.contains("<td class=\"num\">2</td><td>D（"))
            // The queued line: matching it to a unit without such a bill is refused; returning it works.
            let line = try #require(uploaded.text.firstMatch(of: /action="(\/insurance\/collections\/\d+\/resolution)"/)?.1).description
            let refused = try await accountant.post(line, form: ["_csrf": Browser.csrf(in: page.text) ?? "", "decision": "match", "creditCode": "91331004MA2DEMKQ9X",
                                                                  "note": "试试"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("id=\"collection-problem\""))
            let returned = try await accountant.post(line, form: ["_csrf": Browser.csrf(in: page.text) ?? "", "decision": "return", "note": "非本区单位"])
            #expect(returned.status == .found)
            #expect(try await accountant.get("/insurance/collections").text.contains(/id="queue-\d/) == false)

            let clerk = Browser(client)
            try await clerk.logIn("district")
            let overview = try await clerk.get("/insurance?period=2026-07")
            #expect(overview.status == .ok && overview.text.contains("id=\"rates-scheme\"") && overview.text.contains("%"))
            let list = try await clerk.get("/insurance/bills?period=2026-07&unpaid=1")
            #expect(list.text.contains("state-unpaid") && !list.text.contains("state-paid\""))
            let bill = try await clerk.get("/insurance/bills/\(bills[0].employerID)?period=2026-07")
            #expect(bill.status == .ok && bill.text.contains("id=\"bill-lines\"") && bill.text.contains(bills[0].assessed.formatted))
            let arrears = try await clerk.get("/insurance/arrears")
            #expect(arrears.status == .ok && arrears.text.contains(bills[0].employerName) && arrears.text.contains("/calculate/late-surcharge?"))
            #expect(try await clerk.get("/insurance/drop-outs?period=2026-07").text.contains("id=\"enrolment-changes\""))
            #expect(try await clerk.get("/insurance?period=2026-13").status == .badRequest)

            // The unit's agent sees its own bills only; a town clerk cannot import.
            let agentUnit = try #require(try await app.operations.database.read { db in
                try await db.raw("SELECT employer_id FROM users WHERE username = 'employer'").first()?.decode(column: "employer_id", as: Int64?.self)
            })
            let agent = Browser(client)
            try await agent.logIn("employer")
            let own = try await agent.get("/insurance/bills?period=2026-07")
            #expect(own.status == .ok)
            if let other = bills.first(where: { $0.employerID != agentUnit }) {
                #expect(try await agent.get("/insurance/bills/\(other.employerID)?period=2026-07").status == .notFound)
            }
            let town = Browser(client)
            try await town.logIn("xinqiao")
            #expect(try await town.get("/insurance/collections").status == .forbidden)

            // The API: rates, the queue, and a file posted as the body.
            let rates = try await client.execute(uri: "/api/v1/insurance/collection-rates?period=2026-07&by=township", method: .get, headers: app.bearer("district"))
            #expect(rates.status == .ok && rates.text.contains("assessedFen"))
            let again = try await client.execute(uri: "/api/v1/insurance/collections?fileName=tax.csv", method: .post, headers: app.bearer("accountant"),
                                                 body: ByteBuffer(bytes: Array(collectionFile(rows))))
            #expect(again.status == .ok && again.text.contains(#""repeated":true"#))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aCitizenPrintsAStatementThatAnyoneVerifies(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let bills = try await closeMonth(app.operations, Period(year: 2026, month: 7)!)
            let rows = bills.enumerated().map { index, bill in
                [bill.creditCode, "2026-07", bill.scheme.rawValue, bill.assessed.decimalString, "2026-07-20", "C\(index)", ""]
            }
            _ = try await app.operations.insurance.importCollections(collectionFile(rows), fileName: "t.csv",
                                                                     by: try await app.operations.access.principal(named: "accountant"))
            // A clerk opens an insured person's record at the counter and prints it.
            let person = try await app.operations.database.read { db in
                try await db.raw("SELECT person_id FROM paid_months WHERE scheme = 'pension' ORDER BY person_id LIMIT 1").first()!.decode(column: "person_id", as: Int64.self)
            }
            let clerk = Browser(client)
            try await clerk.logIn("district")
            let record = try await clerk.get("/persons/\(person)/record")
            #expect(record.status == .ok && record.text.contains("id=\"record-months\"") && record.text.contains("id=\"statement-form\""))
            let printed = try await clerk.post("/persons/\(person)/statements", form: ["_csrf": Browser.csrf(in: record.text) ?? ""])
            let location = try #require(printed.headers[.location])
            #expect(location.hasPrefix("/verify?code="))
            let code = String(location.dropFirst("/verify?code=".count))
            let full = try #require(try await app.operations.database.read { db in try await PersonStore().find(id: person, on: db) }).residentID.value

            // Anyone, without logging in, sees the statement with the masked ID only.
            let anyone = try await client.execute(uri: location, method: .get)
            #expect(anyone.status == .ok && anyone.text.contains("id=\"verify-found\"") && anyone.text.contains(String(full.suffix(4))))
            #expect(!anyone.text.contains(full))
            #expect(try await client.execute(uri: "/verify?code=2222-3333-4444-5555", method: .get).status == .notFound)
            let api = try await client.execute(uri: "/api/v1/statements/\(code)", method: .get)
            #expect(api.status == .ok && !api.text.contains(full))
            // The citizen's own record on the portal, when linked.
            let citizen = Browser(client)
            try await citizen.logIn("citizen")
            let own = try await citizen.get("/portal/record")
            #expect(own.status == .ok || own.status == .found)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aClerkEnrolsAPersonOnTheirOwnAccountAndDeclaresTheirBase(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let person = try await app.operations.database.read { db in
                try await db.raw(
                    "SELECT id FROM persons WHERE id NOT IN (SELECT person_id FROM enrolments) AND birth_date < '2000-01-01' AND birth_date > '1970-01-01' ORDER BY id LIMIT 1"
                ).first()!.decode(column: "id", as: Int64.self)
            }
            let clerk = Browser(client)
            try await clerk.logIn("district")
            let view = try await clerk.get("/persons/\(person)")
            #expect(view.text.contains("/persons/\(person)/own-account"))
            let page = try await clerk.get("/persons/\(person)/own-account")
            #expect(page.status == .ok && page.text.contains("id=\"own-enrol-form\"") && !page.text.contains("id=\"own-base-form\""))
            let bad = try await clerk.post("/persons/\(person)/own-account/enrolment", form: ["_csrf": Browser.csrf(in: page.text) ?? "", "start": "2026-13"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("id=\"e-start\""))
            let enrolled = try await clerk.post("/persons/\(person)/own-account/enrolment", form: ["_csrf": Browser.csrf(in: page.text) ?? "", "start": "2026-06"])
            #expect(enrolled.status == .found)
            let after = try await clerk.get("/persons/\(person)/own-account?done=enrolled")
            #expect(after.text.contains("id=\"own-account-notice\"") && after.text.contains("id=\"own-base-form\"") && !after.text.contains("id=\"own-enrol-form\""))
            let declared = try await clerk.post("/persons/\(person)/own-account/base", form: ["_csrf": Browser.csrf(in: after.text) ?? "", "year": "2026", "declared": "4800.00"])
            #expect(declared.status == .found)
            let bases = try await clerk.get("/persons/\(person)/own-account")
            #expect(bases.text.contains("4,800.00"))
            // Nothing without the form's token; a unit's agent does not find the page.
            let forged = try await clerk.post("/persons/\(person)/own-account/base", form: ["year": "2026", "declared": "9000.00"])
            #expect(forged.status == .forbidden)
            let agent = Browser(client)
            try await agent.logIn("employer")
            #expect(try await agent.get("/persons/\(person)/own-account").status == .notFound)
        }
    }

    /// A struggling enterprise's inpatient-only coverage over the API and on the unit's page: the
    /// clerk proposes, the reviewer approves, everyone in scope reads it.
    @Test(arguments: TestDatabaseKind.available)
    func inpatientOnlyCoverageOverTheAPIAndOnThePage(kind: TestDatabaseKind) async throws {
        struct Change: Decodable {
            var id: Int64
            var coverage: String
            var funding: String?
            var state: String
        }
        struct Coverage: Decodable {
            var coverage: String
            var earliestFrom: String
            var items: [Change]
        }
        try await TestApp.run(kind) { client, app in
            let unit = try #require(try await app.database.read { db in
                try await db.raw("SELECT MIN(employer_id) AS id FROM enrolments WHERE scheme = 'medical' AND employer_id IS NOT NULL").first()?
                    .decode(column: "id", as: Int64?.self)
            })
            let uri = "/api/v1/employers/\(unit)/medical-coverage"
            let missing = try await client.execute(uri: uri, method: .post, headers: app.json("district"),
                                                   body: ByteBuffer(string: #"{"coverage":"inpatient_only","from":"2099-01","note":"停产"}"#))
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.json(ProblemBody.self).errors?.map(\.field) == ["funding"])
            let created = try await client.execute(uri: uri, method: .post, headers: app.json("district"),
                                                   body: ByteBuffer(string: #"{"coverage":"inpatient_only","from":"2099-01","funding":"asset_disposal","note":"停产"}"#))
            #expect(created.status == .created)
            let change = try created.json(Change.self)
            #expect(change.state == "proposed" && change.funding == "asset_disposal")
            let decision = "/api/v1/medical-coverage/\(change.id)/decision"
            let own = try await client.execute(uri: decision, method: .post, headers: app.json("district"), body: ByteBuffer(string: #"{"decision":"approve"}"#))
            #expect(own.status == .forbidden)
            let approved = try await client.execute(uri: decision, method: .post, headers: app.json("reviewer"), body: ByteBuffer(string: #"{"decision":"approve"}"#))
            #expect(approved.status == .ok)
            #expect(try approved.json(Change.self).state == "approved")
            let read = try await client.execute(uri: uri, method: .get, headers: app.bearer("accountant"))
            #expect(read.status == .ok)
            let coverage = try read.json(Coverage.self)
            #expect(coverage.coverage == "full" && coverage.items.map(\.state) == ["approved"])

            let reviewer = Browser(client)
            try await reviewer.logIn("reviewer")
            let page = try await reviewer.get("/employers/\(unit)/insurance")
            #expect(page.status == .ok && page.text.contains("id=\"coverage-table\"") && page.text.contains("2099-01") && page.text.contains("企业资产变现"))
            #expect(!page.text.contains("id=\"coverage-form\""))   // only a district clerk proposes
            let clerk = Browser(client)
            try await clerk.logIn("district")
            #expect(try await clerk.get("/employers/\(unit)/insurance").text.contains("id=\"coverage-form\""))
            #expect(try await clerk.get("/benefits/medical").text.contains("id=\"coverage-units-table\""))
        }
    }
}
