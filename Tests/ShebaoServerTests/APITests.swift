import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import SQLKit
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

struct PersonListBody: Decodable {
    struct Item: Decodable {
        var id: Int64
        var name: String
        var residentIDMasked: String
        var regionCode: String
    }
    var items: [Item]
    var page: Int
    var perPage: Int
    var total: Int
}

struct ProblemBody: Decodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var errors: [FieldError]?

    struct FieldError: Decodable {
        var field: String
        var code: String
    }
}

@Suite("API /api/v1")
struct APITests {
    @Test(arguments: TestDatabaseKind.available)
    func healthAndMetrics(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.text.contains("\"status\":\"ok\""))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func withoutATokenTheAnswerIs401ProblemJSON(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            for headers: HTTPFields in [[:], [.authorization: "Bearer shb_forged"], [.authorization: "Basic YWRtaW46eA=="]] {
                let response = try await client.execute(uri: "/api/v1/persons", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.json(ProblemBody.self)
                #expect(problem.code == "auth.required")
                #expect(problem.status == 401)
                #expect(problem.type == "urn:shebao:problem:auth.required")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    /// A town clerk lists only their town, page after page, and gets 404 for anyone else.
    @Test(arguments: TestDatabaseKind.available)
    func aTownClerkSeesOnlyTheirTown(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            var seen: [PersonListBody.Item] = []
            var page = 1
            while true {
                let response = try await client.execute(uri: "/api/v1/persons?page=\(page)&perPage=20", method: .get, headers: app.bearer("xinqiao"))
                #expect(response.status == .ok)
                let body = try response.json(PersonListBody.self)
                seen += body.items
                if body.items.count < 20 { break }
                page += 1
            }
            #expect(!seen.isEmpty)
            #expect(seen.allSatisfy { $0.regionCode.hasPrefix("331004103") })
            #expect(seen.allSatisfy { $0.residentIDMasked.contains("**********") })
            let inTown = try await registeredCount(app.database, in: RegionCode(trusted: "331004103000"))
            #expect(seen.count == inTown)

            let district = try await client.execute(uri: "/api/v1/persons?perPage=200", method: .get, headers: app.bearer("district")).json(PersonListBody.self)
            #expect(district.total == 410)
            let other = try #require(district.items.first { !$0.regionCode.hasPrefix("331004103") })
            let mine = try #require(seen.first)

            let refused = try await client.execute(uri: "/api/v1/persons/\(other.id)", method: .get, headers: app.bearer("xinqiao"))
            #expect(refused.status == .notFound)
            #expect(try refused.json(ProblemBody.self).code == "not_found")
            let missing = try await client.execute(uri: "/api/v1/persons/99999999", method: .get, headers: app.bearer("xinqiao"))
            #expect(missing.status == .notFound)
            #expect(missing.text == refused.text, "an out-of-scope person must look exactly like a missing one")

            let allowed = try await client.execute(uri: "/api/v1/persons/\(mine.id)", method: .get, headers: app.bearer("xinqiao"))
            #expect(allowed.status == .ok)
            #expect(allowed.text.contains("\"residentID\":\"3"))
            // The full read is in the audit log, by that user.
            let entry = try #require(try await AuditLog.entries(app.database, limit: 1).first)
            #expect(entry.action == "read")
            #expect(entry.actor == "xinqiao")
            #expect(entry.entityID == String(mine.id))
        }
    }

    /// Role × endpoint: what each demo account gets from each API route.
    @Test(arguments: TestDatabaseKind.available)
    func accessMatrix(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let someone = try await registeredPersons(app.database, perPage: 1).items[0]
            let expected: [String: [HTTPResponse.Status]] = [
                // /me, /regions, /persons, /persons/{id in 路桥 district}
                "admin": [.ok, .ok, .ok, .ok],
                "district": [.ok, .ok, .ok, .ok],
                "reviewer": [.ok, .ok, .ok, .ok],
                "accountant": [.ok, .ok, .ok, .ok],
                "auditor": [.ok, .ok, .ok, .ok],
                "leader": [.ok, .ok, .forbidden, .forbidden],
                // A portal user reads their own record only: anyone else's is outside their scope.
                "employer": [.ok, .forbidden, .forbidden, .notFound],
                "citizen": [.ok, .forbidden, .forbidden, .notFound],
            ]
            for (username, statuses) in expected {
                let uris = ["/api/v1/me", "/api/v1/regions", "/api/v1/persons", "/api/v1/persons/\(someone.id)"]
                for (uri, status) in zip(uris, statuses) {
                    let response = try await client.execute(uri: uri, method: .get, headers: app.bearer(username))
                    #expect(response.status == status, "\(username) \(uri)")
                }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func regionsStayInScope(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            struct Regions: Decodable {
                struct Item: Decodable { var code: String; var name: String; var areaType: String? }
                var items: [Item]
            }
            let mine = try await client.execute(uri: "/api/v1/regions", method: .get, headers: app.bearer("xinqiao")).json(Regions.self)
            #expect(mine.items.allSatisfy { $0.code.hasPrefix("331004103") })
            #expect(mine.items.first?.name == "新桥镇")
            let children = try await client.execute(uri: "/api/v1/regions?parent=331004", method: .get, headers: app.bearer("district")).json(Regions.self)
            #expect(children.items.count == 12)
            // Outside the caller's scope and malformed get the same answer: 422 naming `parent` (issue 13).
            let outside = try await client.execute(uri: "/api/v1/regions?parent=331004104", method: .get, headers: app.bearer("xinqiao"))
            let bad = try await client.execute(uri: "/api/v1/regions?parent=33x", method: .get, headers: app.bearer("xinqiao"))
            for response in [outside, bad] {
                #expect(response.status == .unprocessableContent && response.text.contains("\"field\":\"parent\"") && response.text.contains("region_code.unknown"))
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func problemsSpeakTheCallersLanguage(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let english = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9"])
            #expect(try english.json(ProblemBody.self).title == "Authentication required")
            let chinese = try await client.execute(uri: "/api/v1/me", method: .get)
            #expect(try chinese.json(ProblemBody.self).title == "需要登录")
        }
    }

    /// Every route under /api/v1 is described in the OpenAPI document (API9: improper inventory).
    @Test func everyAPIRouteIsInTheOpenAPIDocument() async throws {
        try await TestApp.run(.sqlite) { client, app in
            let services = ShebaoServices(
                configuration: ServerConfiguration(), operations: app.operations, pages: try await PageRenderer.load(programs: Programs.all, districtName: "路桥区"),
                programs: Programs.all, logger: testLogger, metrics: .init())
            let router = buildRouter(services: services)
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let yaml = response.text
            let apiRoutes = router.routes.filter { $0.path.description.hasPrefix("/api/v1/") }
            #expect(apiRoutes.count >= 5)
            // `/calculate/{rule}` is served as one operation per rule (RuleSchemas).
            let paths = apiRoutes.flatMap { route in
                let path = String(route.path.description.dropFirst("/api/v1".count))
                return path == "/calculate/{rule}" ? RuleCatalog.entries.map { (route, "/calculate/\($0.id)") } : [(route, path)]
            }
            for (route, path) in paths {
                let block = yaml.components(separatedBy: "\n  \(path):\n")
                #expect(block.count == 2, "\(route.method) \(route.path) is not in openapi.yaml")
                if block.count == 2 {
                    let section = block[1].components(separatedBy: "\n  /")[0]
                    #expect(section.contains("    \(route.method.rawValue.lowercased()):"), "\(route.method) \(path) has no operation in openapi.yaml")
                }
            }
        }
    }

    /// RELIABILITY A6.7 A4: logs carry no resident ID, whatever was requested.
    @Test func logsCarryNoResidentIDs() async throws {
        try await TestApp.run(.sqlite) { client, app in
            let person = try await registeredPersons(app.database, perPage: 1).items[0]
            _ = try await client.execute(uri: "/api/v1/persons/\(person.id)", method: .get, headers: app.bearer("district"))
            _ = try await client.execute(uri: "/api/v1/persons?search=\(person.residentID.value)", method: .get, headers: app.bearer("district"))
            _ = try await client.execute(uri: "/persons/\(person.residentID.value)", method: .get)
            _ = try await client.execute(uri: "/no/such/\(person.residentID.value)", method: .get)
            let logs = app.logs.all
            #expect(logs.contains { $0.contains("request") })
            let pattern = try Regex(#"\d{17}[\dX]"#)
            #expect(!logs.contains { $0.contains(pattern) }, "a log line holds a resident ID")
            #expect(!logs.contains { $0.contains(person.name) })
        }
    }
}
