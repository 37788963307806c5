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

/// The fund ledger's pages and API: an accountant posts from the form once however often it is
/// sent, reverses an entry, verifies; the API answers a retried key with the original; others read
/// or are refused.
@Suite("Fund ledger on the pages and the API")
struct LedgerPageTests {
    @Test(arguments: TestDatabaseKind.available)
    func anAccountantPostsReversesAndVerifies(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let browser = Browser(client)
            try await browser.logIn("accountant")
            let index = try await browser.get("/ledger")
            #expect(index.status == .ok && index.text.contains("id=\"funds-table\"") && index.text.contains("¥6,800,000.00"))
            let form = try await browser.get("/ledger/new")
            let key = try #require(form.text.firstMatch(of: /name="key" value="([^"]+)"/)?.1).description
            let fields = ["_csrf": Browser.csrf(in: form.text) ?? "", "key": key, "fund": "maternity", "occurredOn": "2026-02-01", "memo": "存款利息",
                          "account0": "special_deposit", "debit0": "1,234.56", "account1": "interest_income", "credit1": "1,234.56"]
            let posted = try await browser.post("/ledger/entries", form: fields)
            #expect(posted.status == .found)
            let location = try #require(posted.headers[.location])
            // The same form sent again (a double click): the same entry, nothing posted twice.
            #expect(try await browser.post("/ledger/entries", form: fields).headers[.location] == location)
            let entry = try await browser.get(location)
            #expect(entry.text.contains("存款利息") && entry.text.contains("¥1,234.56") && entry.text.contains("id=\"reversal-form\""))
            let unbalanced = try await browser.post("/ledger/entries", form: fields.merging(["key": "other-key-1", "credit1": "1,234.00"]) { $1 })
            #expect(unbalanced.status == .unprocessableContent && unbalanced.text.contains("id=\"entry-problem\""))
            // A bad amount is told beside its cell, by no internal name.
            let badAmount = try await browser.post("/ledger/entries", form: fields.merging(["key": "other-key-2", "debit0": "1.2.3"]) { $1 })
            #expect(badAmount.status == .unprocessableContent && badAmount.text.contains("id=\"e-debit0\"") && !badAmount.text.contains("lines["))

            let reversalKey = try #require(entry.text.firstMatch(of: /name="key" value="([^"]+)"/)?.1).description
            let reversed = try await browser.post(location + "/reversal", form: ["_csrf": Browser.csrf(in: entry.text) ?? "", "key": reversalKey, "reason": "记错基金"])
            #expect(reversed.status == .found)
            let reversal = try await browser.get(try #require(reversed.headers[.location]))
            #expect(reversal.text.contains("id=\"entry-reverses\"") && !reversal.text.contains("id=\"reversal-form\""))

            let verified = try await browser.post("/ledger/verify", form: ["_csrf": Browser.csrf(in: index.text) ?? ""])
            #expect(verified.text.contains("id=\"ledger-verification\"") && !verified.text.contains("id=\"ledger-problems\""))
            let fund = try await browser.get("/ledger/funds/maternity")
            #expect(fund.text.contains("存款利息") && fund.text.contains("id=\"accounts-table\""))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theAPIPostsAKeyOnceAndOthersOnlyRead(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let body = #"{"fund":"work_injury","occurredOn":"2026-02-01","memo":"财政补贴","idempotencyKey":"subsidy-2026-02","lines":[{"account":"special_deposit","debitFen":500000},{"account":"subsidy_income","creditFen":500000}]}"#
            let first = try await client.execute(uri: "/api/v1/ledger/entries", method: .post, headers: app.json("accountant"), body: ByteBuffer(string: body))
            #expect(first.status == .created)
            let retry = try await client.execute(uri: "/api/v1/ledger/entries", method: .post, headers: app.json("accountant"), body: ByteBuffer(string: body))
            #expect(retry.status == .ok && retry.headers[.location] == first.headers[.location])
            let changed = body.replacingOccurrences(of: "500000", with: "500001")
            let collision = try await client.execute(uri: "/api/v1/ledger/entries", method: .post, headers: app.json("accountant"), body: ByteBuffer(string: changed))
            #expect(collision.status == .conflict && collision.text.contains("ledger.key_reused"))
            let negative = body.replacingOccurrences(of: "500000", with: "-5").replacingOccurrences(of: "subsidy-2026-02", with: "subsidy-negative")
            #expect(try await client.execute(uri: "/api/v1/ledger/entries", method: .post, headers: app.json("accountant"), body: ByteBuffer(string: negative)).status
                == .unprocessableContent)

            let funds = try await client.execute(uri: "/api/v1/ledger/funds", method: .get, headers: app.bearer("auditor"))
            let items = try #require((try JSONSerialization.jsonObject(with: Data(funds.body.readableBytesView)) as? [String: Any])?["items"] as? [[String: Any]])
            #expect(funds.status == .ok && items.first { $0["fund"] as? String == "work_injury" }?["balanceFen"] as? Int == 40_500_000)
            #expect(try await client.execute(uri: "/api/v1/ledger/verify", method: .get, headers: app.bearer("leader")).text.contains(#""intact":true"#))
            // An auditor reads but does not post; a town clerk does neither.
            let auditorPost = try await client.execute(uri: "/api/v1/ledger/entries", method: .post, headers: app.json("auditor"), body: ByteBuffer(string: body))
            #expect(auditorPost.status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/ledger/funds", method: .get, headers: app.bearer("xinqiao")).status == .forbidden)
            let clerk = Browser(client)
            try await clerk.logIn("xinqiao")
            #expect(try await clerk.get("/ledger").status == .forbidden)
        }
    }
}
