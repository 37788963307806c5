import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

@Suite("Staff pages and the portal")
struct PageTests {
    @Test(arguments: TestDatabaseKind.available)
    func theLoginPageIsInSimplifiedChineseAndSwitchesLanguage(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.text.contains("<html lang=\"zh-Hans\">"))
            #expect(page.text.contains("登录"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            // A browser set to English still gets the district's language until the user switches.
            let englishBrowser = try await client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "en-US,en;q=0.9"])
            #expect(englishBrowser.text.contains("<html lang=\"zh-Hans\">"))
            let switched = try await browser.get("/language?to=en&back=%2Flogin")
            #expect(switched.status == .found)
            #expect(switched.headers[.location] == "/login")
            let english = try await browser.get("/login")
            #expect(english.text.contains("<html lang=\"en\">"))
            #expect(english.text.contains("Log in"))
            try await browser.get("/language?to=zh-Hant&back=%2Flogin")
            #expect(try await browser.get("/login").text.contains("登入"))
            // Only local targets: an open redirect is refused.
            let evil = try await browser.get("/language?to=en&back=%2F%2Fevil.example")
            #expect(evil.headers[.location] == "/")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func loggingInAndOut(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            // A planted session cookie (fixation) is ignored and replaced at login.
            await browser.setCookie("shebao_session", "planted-by-an-attacker")
            #expect(try await browser.get("/").status == .found)
            let login = try await browser.logIn("xinqiao")
            #expect(login.status == .found)
            #expect(login.headers[.location] == "/")
            let setCookie = login.headers[values: .setCookie].first { $0.hasPrefix("shebao_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("planted"))
            let session = try #require(await browser.cookies["shebao_session"])
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("新桥镇"))
            #expect(home.text.contains("id=\"home-persons\""))

            // Logging out needs the page's CSRF token.
            let withoutToken = try await browser.post("/logout", form: [:])
            #expect(withoutToken.status == .forbidden)
            let token = try #require(Browser.csrf(in: home.text))
            let logout = try await browser.post("/logout", form: ["_csrf": token])
            #expect(logout.headers[.location] == "/login")
            // The old cookie no longer opens anything.
            await browser.setCookie("shebao_session", session)
            let replay = try await browser.get("/persons")
            #expect(replay.status == .found)
            #expect(replay.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func failedLoginsLookAlikeAndNeedTheFormToken(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            let wrong = try await browser.logIn("xinqiao", password: "not the password")
            #expect(wrong.status == .unauthorized)
            let unknown = try await browser.logIn("nobody-here", password: "not the password")
            #expect(unknown.status == .unauthorized)
            func message(_ html: String) -> String? {
                html.components(separatedBy: "id=\"login-error\">").dropFirst().first?.components(separatedBy: "<").first
            }
            #expect(message(wrong.text) != nil)
            #expect(message(wrong.text) == message(unknown.text))
            let forged = try await browser.post("/login", form: ["_csrf": "guess", "username": "xinqiao", "password": DemoDistrict.demoPassword])
            #expect(forged.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aTownClerkGets404ForAPersonOfAnotherTown(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
                        let other = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004001000"), perPage: 1).items.first)
            let mine = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004103000"), perPage: 1).items.first)
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let refused = try await browser.get("/persons/\(other.id)")
            #expect(refused.status == .notFound)
            #expect(refused.text.contains("没有找到该记录"))
            #expect(!refused.text.contains(other.name))
            let shown = try await browser.get("/persons/\(mine.id)")
            #expect(shown.status == .ok)
            #expect(shown.text.contains(mine.residentID.value))
            let list = try await browser.get("/persons")
            #expect(list.text.contains(mine.residentID.masked))
            #expect(!list.text.contains(mine.residentID.value), "lists show masked IDs")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func eachRoleHasItsHomePage(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let expectations: [(String, String, String)] = [
                ("admin", "/", "/admin/users"), ("district", "/", "/persons"), ("leader", "/", "/overview"),
                ("auditor", "/", "/audit"), ("citizen", "/portal", "own-record"), ("employer", "/portal", "employer-facts"),
            ]
            for (username, home, marker) in expectations {
                let browser = Browser(client)
                let login = try await browser.logIn(username)
                #expect(login.headers[.location] == home, "\(username)")
                let page = try await browser.get(home)
                #expect(page.status == .ok)
                #expect(page.text.contains(marker), "\(username)'s home lacks \(marker)")
            }
            let citizen = Browser(client)
            try await citizen.logIn("citizen")
            #expect(try await citizen.get("/persons").status == .forbidden)
            #expect(try await citizen.get("/").headers[.location] == "/portal")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theLeaderSeesThePopulationByTownship(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            try await browser.logIn("leader")
            let page = try await browser.get("/overview")
            #expect(page.status == .ok)
            for name in ["路南街道", "新桥镇", "蓬街镇"] { #expect(page.text.contains(name)) }
            #expect(page.text.contains(">410<"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theAdministratorAddsAUser(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let browser = Browser(client)
            try await browser.logIn("admin")
            let page = try await browser.get("/admin/users")
            let token = try #require(Browser.csrf(in: page.text))
            let weak = try await browser.post("/admin/users", form: [
                "_csrf": token, "username": "hengjie", "displayName": "横街镇经办", "role": "town_clerk", "region": "331004104000", "password": "short",
            ])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("密码至少 8 个字符"))
            let added = try await browser.post("/admin/users", form: [
                "_csrf": token, "username": "hengjie", "displayName": "横街镇经办", "role": "town_clerk", "region": "331004104000", "password": "a long enough secret",
            ])
            #expect(added.status == .ok)
            #expect(try await app.principal("hengjie").scope.value == "331004104000")
            let clerk = Browser(client)
            try await clerk.logIn("district")
            #expect(try await clerk.get("/admin/users").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theAuditorVerifiesTheLog(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, _ in
            let browser = Browser(client)
            try await browser.logIn("auditor")
            let page = try await browser.get("/audit")
            #expect(page.text.contains("登录"))
            let token = try #require(Browser.csrf(in: page.text))
            let verified = try await browser.post("/audit/verify", form: ["_csrf": token])
            #expect(verified.text.contains("id=\"audit-result\""))
            #expect(verified.text.contains("操作日志完整"))
        }
    }

    /// Every `{{s.key}}` a template uses exists in the string tables.
    @Test func templatesUseOnlyKnownStrings() throws {
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ShebaoServer/Resources/templates")
        let keys = Set(StringTables.bundled.table(.zhHans).keys.map { $0.replacingOccurrences(of: ".", with: "_") })
        let pattern = try Regex(#"\{\{s\.([a-z0-9_]+)\}\}"#)
        var used = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: templates.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(text[match.range]).dropFirst(4).dropLast(2)
                #expect(keys.contains(String(key)), "\(file) uses unknown string \(key)")
                used += 1
            }
        }
        #expect(used > 50)
    }
}
