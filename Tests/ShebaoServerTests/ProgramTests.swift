import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

/// A program added through the registration point, in the test target only.
enum ToyProgram {
    static let route = Route("/toys")
    static let apiRoute = Route.api("/toys")

    struct ToyPanel: PersonPanelProvider {
        let order = 50

        func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
            PersonPanel(id: "toys", title: "玩具", html: "<p id=\"toy-count\">\(person.name) 有 0 个玩具</p>", data: ["toys": 0])
        }
    }

    static let program = Program(
        id: "toys",
        templates: ["home"],
        navigation: [NavigationItem(route, label: "nav.persons", hint: "home.hint.persons", order: 150, visible: { $0.role.isStaff })],
        panels: [ToyPanel()],
        api: { group, _ in group.get(apiRoute) { _, _ in "[]" } },
        pages: { group, _ in group.get(route) { _, _ in "toys" } })
}

@Suite("Programs and the surfaces over the operations layer")
struct ProgramTests {
    /// Adding a program is one value in the list: its route, navigation entry, home tile and panel appear.
    @Test func aProgramAppearsThroughTheRegistrationPoint() async throws {
        try await TestApp.run(.sqlite, programs: Programs.all + [ToyProgram.program]) { client, app in
            let browser = Browser(client)
            try await browser.logIn("district")
            let home = try await browser.get("/")
            #expect(home.text.contains("href=\"/toys\""), "a navigation entry and a home tile")
            #expect(home.text.components(separatedBy: "href=\"/toys\"").count == 3, "once in the navigation, once as a tile")
            #expect(try await browser.get("/toys").text == "toys")
            let api = try await client.execute(uri: "/api/v1/toys", method: .get, headers: app.bearer("district"))
            #expect(api.status == .ok)
            let person = try await registeredPersons(app.database, perPage: 1).items[0]
            let view = try await browser.get("/persons/\(person.id)")
            #expect(view.text.contains("id=\"panel-toys\""))
            #expect(view.text.contains("id=\"toy-count\""))
            let apiView = try await client.execute(uri: "/api/v1/persons/\(person.id)/view", method: .get, headers: app.bearer("district"))
            #expect(apiView.text.contains("\"toys\":{\"toys\":0}"))
        }
        // Without it, none of that exists.
        try await TestApp.run(.sqlite) { client, _ in
            let browser = Browser(client)
            try await browser.logIn("district")
            #expect(!(try await browser.get("/").text.contains("/toys")))
            #expect(try await browser.get("/toys").status == .notFound)
        }
    }

    /// The home page's tiles and the navigation come from the same list and agree for every role.
    @Test func theHomePageAndTheNavigationAgree() async throws {
        try await TestApp.run(.sqlite) { client, _ in
            for account in DemoDistrict.accounts where account.role.isStaff {
                let browser = Browser(client)
                try await browser.logIn(account.username)
                let home = try await browser.get("/").text
                let navigation = home.components(separatedBy: "<nav aria-label")[1].components(separatedBy: "</nav>")[0]
                let tiles = home.components(separatedBy: "<ul class=\"tiles\">").dropFirst().first?.components(separatedBy: "</ul>")[0] ?? ""
                func links(_ html: String) -> [String] {
                    html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix(while: { $0 != "\"" })) }
                }
                #expect(Array(links(navigation).dropFirst()) == links(tiles), "\(account.username)")
                for link in links(tiles) { #expect(try await browser.get(link).status == .ok, "\(account.username) \(link)") }
            }
        }
    }

    /// An API name search writes the same audit row as the page's search.
    @Test(arguments: TestDatabaseKind.available)
    func anAPISearchIsAuditedLikeThePageSearch(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let person = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004103000"), perPage: 1).items.first)
            let name = person.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            #expect(try await browser.get("/persons?q=\(name)").status == .ok)
            let page = try #require(try await latestAudit(app.database).first)
            #expect(try await client.execute(uri: "/api/v1/persons?q=\(name)", method: .get, headers: app.bearer("xinqiao")).status == .ok)
            let api = try #require(try await latestAudit(app.database).first)
            #expect(api.seq == page.seq + 1)
            #expect([api.action, api.entity, api.entityID, api.actor] == ["search", "person", "query", "xinqiao"])
            #expect(api.regionCode == page.regionCode)
            #expect(api.afterDigest == page.afterDigest)
            // A list without a name or ID writes none.
            _ = try await client.execute(uri: "/api/v1/persons", method: .get, headers: app.bearer("xinqiao"))
            #expect(try await latestAudit(app.database).first?.seq == api.seq)
        }
    }

    /// Person export from the page, the API and the command line: the same columns, rows and audit row.
    @Test(arguments: TestDatabaseKind.available)
    func anExportIsTheSameOnEverySurface(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let query = "q=%E9%99%88"
            let page = try await browser.get("/persons/export.csv?\(query)")
            let pageAudit = try #require(try await latestAudit(app.database).first)
            let api = try await client.execute(uri: "/api/v1/persons/export?\(query)", method: .get, headers: app.bearer("xinqiao"))
            let apiAudit = try #require(try await latestAudit(app.database).first)
            // The command line calls the same use case with the operator's language and the user's name.
            let cli = try await app.operations.registry.exportPersons(PersonSearchText(q: "陈"), format: .csv, language: .zhHans,
                                                                      by: try await app.principal("xinqiao"))
            let cliAudit = try #require(try await latestAudit(app.database).first)
            #expect(page.status == .ok && api.status == .ok)
            let pageRows = try CSV.read(Data(page.body.readableBytesView)).rows.map { $0.cells.map(\.text) }
            let apiRows = try CSV.read(Data(api.body.readableBytesView)).rows.map { $0.cells.map(\.text) }
            let cliRows = try CSV.read(try await cli.data()).rows.map { $0.cells.map(\.text) }
            // The import template's columns first (a list exported, edited and imported round-trips), then what a clerk reads.
            #expect(pageRows.first?.count == 13)
            #expect(pageRows.first?.prefix(7).map { $0.replacingOccurrences(of: "*", with: "") }
                == Array(app.operations.registry.importColumns(.persons, language: .zhHans).map { $0.replacingOccurrences(of: "*", with: "") }
                    .filter { !["开户银行", "银行账号", "残疾类别", "残疾等级"].contains($0) }.prefix(7)))
            #expect(pageRows == apiRows)
            #expect(pageRows == cliRows)
            for audit in [apiAudit, cliAudit] {
                #expect([audit.action, audit.entity, audit.entityID, audit.actor] == [pageAudit.action, pageAudit.entity, pageAudit.entityID, pageAudit.actor])
                #expect(audit.regionCode == pageAudit.regionCode)
                #expect(audit.afterDigest == pageAudit.afterDigest)
            }
            #expect(pageAudit.action == "export")
            #expect(pageAudit.entityID == "rows:\(pageRows.count - 1)")
        }
    }

    /// A case cannot be approved by the one who checked it: 403 on the API, no button on the page;
    /// another reviewer approves it on the page and the record takes the corrected number.
    @Test(arguments: TestDatabaseKind.available)
    func theReviewerWhoCheckedACorrectionCannotApproveIt(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let person = try #require(try await registeredPersons(app.database, in: RegionCode(trusted: "331004103000"), perPage: 1).items.first)
            let corrected = ResidentID(areaCode: "331004", birthDate: person.birthDate, sequence: person.sex == .male ? 997 : 998)
            // A clerk opens it on the page.
            let clerk = Browser(client)
            try await clerk.logIn("xinqiao")
            let form = try await clerk.get("/persons/\(person.id)/id-correction")
            #expect(form.status == .ok)
            let token = try #require(Browser.csrf(in: form.text))
            let opened = try await clerk.post("/persons/\(person.id)/id-correction", form: ["_csrf": token, "correctedID": corrected.value])
            #expect(opened.status == .found)
            let caseLink = try #require(opened.headers[.location]).components(separatedBy: "?")[0]
            let caseID = try #require(Int64(caseLink.split(separator: "/").last.map(String.init) ?? ""))
            // The reviewer records the documents and checks them, through the API.
            for kind in ["police_certificate", "household_register"] {
                let added = try await client.execute(uri: "/api/v1/cases/\(caseID)/documents", method: .post, headers: app.json("reviewer"),
                                                     body: ByteBuffer(string: #"{"kind": "\#(kind)", "reference": "证明 1"}"#))
                #expect(added.status == .created)
            }
            let verified = try await client.execute(uri: "/api/v1/cases/\(caseID)/steps", method: .post, headers: app.json("reviewer"),
                                                    body: ByteBuffer(string: #"{"transition": "verify"}"#))
            #expect(verified.status == .ok, "\(verified.text)")
            let refused = try await client.execute(uri: "/api/v1/cases/\(caseID)/steps", method: .post, headers: app.json("reviewer"),
                                                   body: ByteBuffer(string: #"{"transition": "approve"}"#))
            #expect(refused.status == .forbidden)
            #expect(try refused.json(ProblemBody.self).code == "case.separation_of_duties")
            #expect(try refused.json(ProblemBody.self).detail.contains("材料核验通过"))
            // On the page: no approve button for them.
            let reviewer = Browser(client)
            try await reviewer.logIn("reviewer")
            let page = try await reviewer.get(caseLink)
            #expect(page.status == .ok)
            #expect(page.text.contains(corrected.value))
            #expect(!page.text.contains("id=\"move-approve\""))
            // A second reviewer sees it and approves.
            _ = try await app.operations.access.createUser(username: "reviewer2", displayName: "复核 二", role: .reviewer,
                                                           region: RegionCode(trusted: "331004000000"), password: "another long secret", by: nil)
            let second = Browser(client)
            let login = try await second.logIn("reviewer2", password: "another long secret")
            #expect(login.status == .found)
            let secondPage = try await second.get(caseLink)
            #expect(secondPage.text.contains("id=\"move-approve\""))
            let approved = try await second.post(caseLink + "/steps", form: [
                "_csrf": try #require(Browser.csrf(in: secondPage.text)), "transition": "approve", "note": "同意",
            ])
            #expect(approved.status == .found)
            #expect(try await app.person(person.id)?.residentID == corrected)
            let list = try await second.get("/cases")
            #expect(list.text.contains("公民身份号码更正"))
            #expect(try await second.get("/cases/overdue").status == .ok)
        }
    }

    /// A batch run started on the page, approved by another person, posted; its output shown.
    @Test(arguments: TestDatabaseKind.available)
    func aRunIsStartedApprovedAndPostedOnThePages(kind: TestDatabaseKind) async throws {
        try await TestApp.run(kind) { client, app in
            let clerk = Browser(client)
            try await clerk.logIn("xinqiao")
            let runs = try await clerk.get("/runs")
            #expect(runs.text.contains("id=\"run-form\""))
            let started = try await clerk.post("/runs", form: ["_csrf": try #require(Browser.csrf(in: runs.text)), "kind": "registry.census", "period": "2026-06",
                                                               "scope": ""])
            #expect(started.status == .found)
            let runLink = try #require(started.headers[.location])
            var run: BatchRun?
            for _ in 0..<100 {
                run = try await app.operations.batches.runs(by: try await app.principal("xinqiao")).items.first
                if run?.state == .computed { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(run?.state == .computed)
            let page = try await clerk.get(runLink)
            #expect(page.text.contains("id=\"run-output\""))
            #expect(page.text.contains("新桥镇"))
            #expect(!page.text.contains("id=\"run-approve\""), "the one who started it has no approve button")
            let reviewer = Browser(client)
            try await reviewer.logIn("reviewer")
            let reviewPage = try await reviewer.get(runLink)
            let approved = try await reviewer.post(runLink + "/decision", form: [
                "_csrf": try #require(Browser.csrf(in: reviewPage.text)), "decision": "approve",
            ])
            #expect(approved.status == .found)
            let posted = try await clerk.post(runLink + "/post", form: ["_csrf": try #require(Browser.csrf(in: page.text))])
            #expect(posted.status == .found)
            #expect(try await clerk.get(runLink).text.contains("已入账"))
            // The API shows the same run.
            let api = try await client.execute(uri: "/api/v1" + runLink, method: .get, headers: app.bearer("xinqiao"))
            #expect(api.text.contains("\"state\":\"posted\""))
        }
    }

    /// No handler or command builds a store or opens a transaction: they parse, call one use case
    /// of the operations layer and present (DESIGN.md §1).
    @Test func adaptersNeitherBuildStoresNorOpenTransactions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let forbidden = try Regex(#"\b[A-Z]\w*Store\(|\bImporter\(|\bDemoDistrict\(|\bAuditLog\.|\bMigrator\.migrate|\bSetup\.prepare|\.database\.(read|write)|\bdatabase\.(read|write)|\bdb\.raw\(|ShebaoDatabase\.open"#)
        var offenders: [String] = []
        for folder in ["Sources/ShebaoServer", "Sources/shebao"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { Issue.record("no \(folder)"); continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                // The composition root prepares the database once, at start.
                if file.hasSuffix("Application+build.swift") { continue }
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(forbidden) {
                    offenders.append("\(folder)/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    /// Every value of every closed list, every case type, batch kind and navigation entry has a
    /// label in the three tables: a missing translation fails here, not on a page.
    @Test func everyLabelExistsInTheThreeTables() {
        var keys = LabelledLists.all.flatMap { $0.labelKeys } + LabelledLists.extraKeys
        keys += AuditAction.labelKeys + ImportKind.labelKeys + UserStatus.labelKeys + AccountRequestKind.labelKeys + Fund.labelKeys + LedgerAccountKind.labelKeys
        keys += allCatalog.caseTypes.flatMap(\.type.labelKeys)
        keys += allCatalog.batchKinds.map(\.labelKey)
        keys += Programs.all.navigation.flatMap { [$0.labelKey] + ($0.hintKey.map { [$0] } ?? []) }
        keys += allCatalog.rules.flatMap { ["rule.\($0.id)", "rule.\($0.id).summary"] }
        // Keys composed at run time: parameters, rule inputs and their choices.
        keys += Set(PolicyDefaults.parameters.map(\.key)).map { "param.\($0)" }
        for field in allCatalog.rules.flatMap(\.fields) {
            keys.append("input.\(field.name)")
            if case .choice(let choices) = field.kind { keys += choices.map { "choice.\($0)" } }
        }
        for language in Language.allCases {
            let table = StringTables.bundled.table(language)
            let missing = keys.filter { table[$0] == nil }
            #expect(missing.isEmpty, "\(language): \(missing)")
        }
    }
}
