import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShebaoCore
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
}
