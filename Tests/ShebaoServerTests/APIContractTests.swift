import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ShebaoCore
@testable import ShebaoServer
import ShebaoTestSupport
import Testing

/// One vocabulary of problems for the API (issue 13): a filter value that is not one of its kind —
/// an unknown scheme or status, a format, a yes/no, a page out of range — is 422 naming the
/// parameter, never ignored or clamped; a region that is malformed, unknown or outside the
/// caller's scope gets the same 422 on every list; a method a path does not take is 405 with the
/// methods it does, while a handler's own 404 stays a 404.
@Suite("API contract")
struct APIContractTests {
    @Test(arguments: TestDatabaseKind.available)
    func badFiltersAreNamedNeverIgnored(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            func status(_ uri: String, _ user: String = "district", method: HTTPRequest.Method = .get) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: "/api/v1/" + uri, method: method, headers: app.bearer(user))
                return (response.status, response.text)
            }
            for (uri, parameter) in [("employers?scheme=AAA", "scheme"), ("parameters?status=AAA", "status"), ("persons/export?format=AAA", "format"),
                                     ("employers/export?format=AAA", "format"), ("persons?perPage=0", "perPage"), ("persons?perPage=201", "perPage"),
                                     ("persons?perPage=abc", "perPage"), ("cases?page=0", "page"), ("cases?open=maybe", "open"),
                                     ("dibao-grants?current=1", "current"), ("levy-bills?year=2026&year=2027", "year"), ("levy-bills?year=", "year"),
                                     ("persons?region=", "region"), ("insurance/bills?period=", "period")] {
                let (code, body) = try await status(uri)
                #expect(code == .unprocessableContent, "\(uri) answered \(code)")
                #expect(body.contains("\"field\":\"\(parameter)\""), "\(uri) does not name \(parameter): \(body)")
            }
            // A region: malformed, unknown, or outside a town clerk's town — one answer on every list.
            let elsewhere = "331004001000"
            for list in ["persons", "employers", "households"] {
                for (region, user) in [("zz", "district"), ("999999999999", "district"), (elsewhere, "xinqiao")] {
                    let (code, body) = try await status("\(list)?region=\(region)", user)
                    #expect(code == .unprocessableContent && body.contains("\"field\":\"region\""), "\(list)?region=\(region) as \(user): \(code)")
                }
                #expect(try await status("\(list)?region=\(elsewhere)").0 == .ok)
            }
            let (parent, body) = try await status("regions?parent=zz")
            #expect(parent == .unprocessableContent && body.contains("\"field\":\"parent\""))
            // A method the path does not take; a handler's own 404 is left alone.
            let refused = try await client.execute(uri: "/api/v1/persons", method: .delete, headers: app.bearer("district"))
            #expect(refused.status == .methodNotAllowed && refused.headers[.allow] == "GET, POST")
            let export = try await client.execute(uri: "/api/v1/employers/export", method: .patch, headers: app.bearer("district"))
            #expect(export.status == .methodNotAllowed && export.headers[.allow] == "GET")
            #expect(try await status("persons/99999999").0 == .notFound)
        }
    }
}

/// Each rule is its own operation in the document, its input schema generated from the rule's
/// fields (issue 13): the schema must be exact — what it allows the rule takes, what it refuses
/// the rule refuses — or the fuzzer finds the difference.
@Suite("Rule schemas")
struct RuleSchemasTests {
    @Test func everyFieldOfEveryRuleHasAStatedSchema() throws {
        for entry in RuleCatalog.entries {
            let schema = RuleSchemas.input(entry.fields)
            let text = schema.text
            #expect(!text.contains("unstated bounds"), "\(entry.id): a field's bounds are not stated in the document")
        }
    }

    /// The date pattern matches exactly the days the rules take (1900–2100, real days only).
    @Test func theDatePatternIsExact() throws {
        let pattern = try Regex(RuleSchemas.datePattern)
        for year in [1899, 1900, 1904, 1999, 2000, 2023, 2024, 2100, 2101] {
            for month in 0...13 {
                for day in [0, 1, 28, 29, 30, 31, 32] {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let taken = LocalDate(iso: text).map { RuleField.dates.contains($0) } ?? false
                    #expect((text.wholeMatch(of: pattern) != nil) == taken, "\(text)")
                }
            }
        }
        let period = try Regex(RuleSchemas.periodPattern)
        for text in ["1899-12", "1900-01", "2100-12", "2101-01", "2024-00", "2024-13", "202401", "2024-1"] {
            let taken = text.count == 7 && Period(text).map { RuleField.periods.contains($0) } == true
            #expect((text.wholeMatch(of: period) != nil) == taken, "\(text)")
        }
    }

    /// The decimal patterns match exactly the texts the rules take for each bound in use.
    @Test(arguments: ["1", "10", "100", "0.1"])
    func theDecimalPatternIsExact(upper: String) throws {
        let pattern = try Regex(try #require(RuleSchemas.decimalPattern(lower: "0", upper: upper)))
        let field = RuleField("x", .decimal, bounds: .decimal(lower: "0", upper: upper))
        for text in ["0", "0.0", "00", "01", "0.05", "0.1", "0.10", "0.11", "0.099999999", "0.0999999999", "1", "1.0", "1.000000001",
                     "9.99", "10", "10.0", "10.5", "99.9", "100", "100.0", "100.01", "101", "-0", "-1", ".5", "5.", "8%", " 1", "1e2", ""] {
            let data = Data("{\"x\":\"\(text)\"}".utf8)
            var taken = true
            do {
                try RuleInputs.checkForm(data, against: [field])
                try RuleInputs.check(["x": text], against: [field])
            } catch {
                taken = false
            }
            #expect((text.wholeMatch(of: pattern) != nil) == taken, "\(text) under \(upper)")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func eachRuleIsAnOperationAndItsFormsAreHeld(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let document = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).text
            #expect(!document.contains("/calculate/{rule}:"))
            for entry in RuleCatalog.entries {
                #expect(document.contains("\n  /calculate/\(entry.id):\n    post: {"), "\(entry.id) has no operation")
            }
            func calculate(_ rule: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: "/api/v1/calculate/\(rule)", method: .post, headers: app.json("district"),
                                                        body: ByteBuffer(string: body))
                return (response.status, response.text)
            }
            // What a schema cannot say is listed per operation, each code a refusal in all three languages.
            let listed = try Regex(#"x-refused-although-valid"?: ?\[([^\]]*)\]"#)
            let codes = Set(document.matches(of: listed).flatMap { match in
                String(match.output[1].substring ?? "").split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
            })
            #expect(codes.count >= 20)
            for code in codes {
                for language in Language.allCases {
                    #expect(StringTables.bundled.table(language)["error." + code] != nil, "error.\(code) is not in the \(language) table")
                }
            }
            let example = String(decoding: try #require(RuleCatalog.entry("contribution")).exampleJSON, as: UTF8.self)
            #expect(try await calculate("contribution", example).0 == .ok)
            // The forms the decoders would also take are refused, naming the field.
            let month = try await calculate("contribution", example.replacingOccurrences(of: "\"period\":\"2024-07\"", with: "\"period\":\"200401\""))
            #expect(month.0 == .unprocessableContent && month.1.contains("\"field\":\"period\""), "\(month)")
            // No parameter in force on the rule's date: the book's state, 409.
            let early = try await calculate("contribution", example.replacingOccurrences(of: "\"period\":\"2024-07\"", with: "\"period\":\"1901-01\""))
            #expect(early.0 == .conflict, "\(early)")
        }
    }
}
