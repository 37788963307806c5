import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
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
