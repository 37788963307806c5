import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

struct CalculationBody: Decodable {
    struct Explanation: Decodable {
        struct Parameter: Decodable {
            var key: String
            var value: String
            var validFrom: String
            var legalBasis: String
            var verification: String
        }
        struct Step: Decodable {
            var key: String
            var label: String
            var expression: String
            var result: String
        }
        var rule: String
        var date: String
        var parameters: [Parameter]
        var steps: [Step]
    }
    var rule: String
    var region: String
    var explanation: Explanation?
}

struct ParameterBody: Decodable {
    var id: Int64
    var key: String
    var regionCode: String
    var validFrom: String
    var value: String
    var status: String
    var proposedBy: String
}

@Suite("Policy and rules on the API and the pages")
struct PolicyTests {
    /// The result object of a calculation, as the rule encoded it.
    static func result(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return try #require(object?["result"] as? [String: Any])
    }

    /// RULES.md §1.4 example 3 through the API: 1,902.03 + 622.61 + 956.25 = 3,480.89, and the
    /// explanation names each parameter with its date and legal basis.
    @Test(arguments: TestDatabaseKind.available)
    func pensionAwardExplainsItself(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let example = try #require(RuleCatalog.entry("pension-award")).exampleJSON
            let plain = try await client.execute(uri: "/api/v1/calculate/pension-award", method: .post, headers: app.json("district"), body: ByteBuffer(bytes: example))
            #expect(plain.status == .ok)
            let result = try Self.result(plain)
            #expect(result["total"] as? Int == 348_089)
            #expect(result["basic"] as? Int == 190_203)
            #expect(try plain.json(CalculationBody.self).explanation == nil)

            let explained = try await client.execute(uri: "/api/v1/calculate/pension-award?explain=true", method: .post, headers: app.json("district"), body: ByteBuffer(bytes: example))
            let body = try explained.json(CalculationBody.self)
            let explanation = try #require(body.explanation)
            #expect(body.rule == "pension-award")
            #expect(body.region == "331004000000")
            #expect(explanation.date == "2024-07-01")
            let floor = try #require(explanation.parameters.first { $0.key == "pension.index_floor" })
            #expect(!floor.legalBasis.isEmpty)
            #expect(!floor.validFrom.isEmpty)
            #expect(explanation.steps.contains { $0.result == "3,480.89" || $0.result.contains("3480.89") })
            #expect(explanation.steps.allSatisfy { !$0.label.hasPrefix("explain.") })
        }
    }

    /// Acceptance (issue 4): the same household gets different benefits in 2003-12 and 2004-01;
    /// the explanation says which standard applied and from when.
    @Test(arguments: TestDatabaseKind.available)
    func dibaoFollowsTheStandardInForce(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            func calculate(_ period: String) async throws -> ([String: Any], CalculationBody) {
                let input = #"{"period":"\#(period)","areaType":"street","householdSize":3,"monthlyIncome":30000}"#
                let response = try await client.execute(uri: "/api/v1/calculate/dibao-benefit?explain=true&region=331004001000", method: .post,
                                                        headers: app.json("district"), body: ByteBuffer(string: input))
                #expect(response.status == .ok, "\(response.text)")
                return (try Self.result(response), try response.json(CalculationBody.self))
            }
            let (december, decemberBody) = try await calculate("2003-12")
            let (january, januaryBody) = try await calculate("2004-01")
            #expect(december["benefit"] as? Int == 24_000)
            #expect(january["benefit"] as? Int == 33_000)
            #expect(decemberBody.explanation?.parameters.first { $0.key == "dibao.standard.street" }?.validFrom == "1997-07-01")
            let used = try #require(januaryBody.explanation?.parameters.first { $0.key == "dibao.standard.street" })
            #expect(used.validFrom == "2004-01-01")
            #expect(used.value == "210.00")
            #expect(januaryBody.region == "331004001000")
        }
    }

    /// Bad input names the field; an unknown rule is 404; a region outside one's scope is 404.
    @Test(arguments: TestDatabaseKind.available)
    func badInputIsNamed(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let missing = try await client.execute(uri: "/api/v1/calculate/dibao-benefit", method: .post, headers: app.json("district"),
                                                   body: ByteBuffer(string: #"{"period":"2004-01","areaType":"street","monthlyIncome":30000}"#))
            #expect(missing.status == .unprocessableContent)
            let problem = try missing.json(ProblemBody.self)
            #expect(problem.code == "rule.required")
            #expect(problem.detail.contains("家庭人数"))
            #expect(problem.errors?.map(\.field) == ["householdSize"])
            // A number beyond the field's bounds is refused before any arithmetic, with the bounds.
            let huge = try await client.execute(uri: "/api/v1/calculate/dibao-benefit", method: .post, headers: app.json("district"),
                                                body: ByteBuffer(string: #"{"period":"2004-01","areaType":"street","householdSize":1000000000000000,"monthlyIncome":0}"#))
            #expect(huge.status == .unprocessableContent)
            let range = try huge.json(ProblemBody.self)
            #expect(range.code == "rule.out_of_range_between")
            #expect(range.detail.contains("1 至 30"))
            #expect(range.errors?.map(\.field) == ["householdSize"])

            let unknown = try await client.execute(uri: "/api/v1/calculate/no-such-rule", method: .post, headers: app.json("district"), body: ByteBuffer(string: "{}"))
            #expect(unknown.status == .notFound)

            let example = try #require(RuleCatalog.entry("dibao-benefit")).exampleJSON
            let elsewhere = try await client.execute(uri: "/api/v1/calculate/dibao-benefit?region=331004001000", method: .post, headers: app.json("xinqiao"),
                                                     body: ByteBuffer(bytes: example))
            #expect(elsewhere.status == .notFound)
            let citizen = try await client.execute(uri: "/api/v1/calculate/dibao-benefit", method: .post, headers: app.json("citizen"), body: ByteBuffer(bytes: example))
            #expect(citizen.status == .forbidden)

            let rules = try await client.execute(uri: "/api/v1/rules", method: .get, headers: app.bearer("xinqiao"))
            #expect(rules.status == .ok)
            #expect(rules.text.contains("\"pension-award\""))
        }
    }

    /// Maker–checker on the policy book: a clerk proposes a future-dated standard, cannot approve
    /// it, a reviewer does; calculations on and after that date use it, earlier ones do not.
    @Test(arguments: TestDatabaseKind.available)
    func aFutureStandardNeedsASecondPerson(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let proposal = #"""
                {"key":"dibao.standard.street","regionCode":"331004000000","validFrom":"2030-01-01","value":"1,250.00",
                 "legalBasis":"区政府 2029 年第 9 号通知（测试）","note":"test"}
                """#
            let proposed = try await client.execute(uri: "/api/v1/parameters", method: .post, headers: app.json("district"), body: ByteBuffer(string: proposal))
            #expect(proposed.status == .created, "\(proposed.text)")
            let record = try proposed.json(ParameterBody.self)
            #expect(record.status == "proposed")
            #expect(record.value == "1,250.00" || record.value == "1250.00")

            func dibao(_ period: String) async throws -> Int? {
                let input = #"{"period":"\#(period)","areaType":"street","householdSize":1,"monthlyIncome":0}"#
                let response = try await client.execute(uri: "/api/v1/calculate/dibao-benefit", method: .post, headers: app.json("district"), body: ByteBuffer(string: input))
                return try Self.result(response)["benefit"] as? Int
            }
            let before = try await dibao("2030-01")
            #expect(before != 125_000)  // not yet approved: not in force

            // A clerk cannot decide; the reviewer who did not propose can. A town clerk cannot propose.
            let byClerk = try await client.execute(uri: "/api/v1/parameters/\(record.id)/decision", method: .post, headers: app.json("district"), body: ByteBuffer(string: #"{"approve":true}"#))
            #expect(byClerk.status == .forbidden)
            let byTown = try await client.execute(uri: "/api/v1/parameters", method: .post, headers: app.json("xinqiao"), body: ByteBuffer(string: proposal))
            #expect(byTown.status == .forbidden)
            let pending = try await client.execute(uri: "/api/v1/parameters?status=proposed", method: .get, headers: app.bearer("reviewer"))
            #expect(pending.text.contains("\"id\":\(record.id)"))

            let approved = try await client.execute(uri: "/api/v1/parameters/\(record.id)/decision", method: .post, headers: app.json("reviewer"), body: ByteBuffer(string: #"{"approve":true}"#))
            #expect(approved.status == .ok)
            #expect(try approved.json(ParameterBody.self).status == "approved")
            let again = try await client.execute(uri: "/api/v1/parameters/\(record.id)/decision", method: .post, headers: app.json("reviewer"), body: ByteBuffer(string: #"{"approve":false}"#))
            #expect(again.status == .conflict)

            #expect(try await dibao("2030-01") == 125_000)
            #expect(try await dibao("2029-12") != 125_000)

            // The approval is in the audit log, by the reviewer.
            let entries = try await AuditLog.entries(app.database, limit: 10)
            #expect(entries.contains { $0.actor.contains("reviewer") && $0.entity == "parameter" && $0.entityID == String(record.id) })
        }
    }

    /// The proposer cannot approve their own value even with the reviewer role (the same user
    /// proposes as a clerk and decides as a reviewer: this exercises the service rule directly).
    @Test(arguments: TestDatabaseKind.available)
    func theProposerCannotApprove(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { _, app in
            let policy = app.operations.policy
            let reviewer = try await app.principal("reviewer")
            var proposer = reviewer
            proposer.role = .districtClerk
            let record = try await policy.propose(
                ParameterProposal(key: "dibao.standard.town", regionCode: "331004000000", validFrom: "2031-01-01", value: "900", legalBasis: "test"), by: proposer)
            await #expect(throws: ServiceError(.forbidden, "parameter.own_proposal")) { _ = try await policy.decide(record.id, approve: true, by: reviewer) }
            #expect(try await policy.records(key: "dibao.standard.town", by: reviewer).first { $0.id == record.id }?.status == .proposed)
        }
    }

    /// The pages: the policy book, one key's history, the try-it page with its explanation.
    @Test(arguments: TestDatabaseKind.available)
    func pagesShowTheBookAndExplainACalculation(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            try await browser.logIn("district")
            let book = try await browser.get("/policy")
            #expect(book.status == .ok)
            #expect(book.text.contains("dibao.standard.street"))
            // Grouped by programme, units and legal bases in words; no stored codes in what is shown.
            #expect(book.text.contains("id=\"policy-dibao\"") && book.text.contains("id=\"policy-pension\""))
            #expect(book.text.contains("元/人/月") && book.text.contains("本区社会保障工作资料第"))
            #expect(!book.text.contains("PROGRAMS.md") && !book.text.contains(">330000000000<") && !book.text.contains("national_2020"))
            #expect(!book.text.contains("yuan/"))
            let found = try await browser.get("/policy?q=%E4%BD%8E%E4%BF%9D%E6%A0%87%E5%87%86")
            #expect(found.text.contains("id=\"policy-dibao\"") && !found.text.contains("id=\"policy-pension\""))
            let history = try await browser.get("/policy/keys/dibao.standard.street")
            #expect(history.status == .ok)
            #expect(history.text.contains("1997-07-01"))
            #expect(history.text.contains("2004-01-01"))

            let index = try await browser.get("/calculate")
            #expect(index.text.contains("/calculate/pension-award"))
            let page = try await browser.get("/calculate/pension-award")
            #expect(page.status == .ok)
            let token = Browser.csrf(in: page.text) ?? ""
            var form = ["_csrf": token]
            let example = try JSONSerialization.jsonObject(with: RuleCatalog.entry("pension-award")!.exampleJSON) as! [String: Any]
            for field in RuleCatalog.entry("pension-award")!.fields {
                guard let value = example[field.name] else { continue }
                if case .money = field.kind, let fen = value as? Int64 { form[field.name] = Money(fen: fen).decimalString } else { form[field.name] = "\(value)" }
            }
            let result = try await browser.post("/calculate/pension-award", form: form)
            #expect(result.status == .ok)
            #expect(result.text.contains("3,480.89"))
            #expect(result.text.contains("pension.index_floor") || result.text.contains("缴费指数"))

            var bad = form
            bad["contributionMonths"] = "abc"
            let refused = try await browser.post("/calculate/pension-award", form: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("contributionMonths"))
        }
    }
}
