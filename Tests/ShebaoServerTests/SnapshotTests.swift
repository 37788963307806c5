import Foundation
import Hummingbird
import HummingbirdTesting
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Whole pages compared with their recorded HTML (`__Snapshots__/`), so a change to what a clerk
/// sees is a reviewed diff. Set `SHEBAO_RECORD_SNAPSHOTS=1` to record them anew.
@Suite("Page snapshots")
struct SnapshotTests {
    /// The demo's "today", so ages and times on the pages do not move.
    static let clock = TestClock(Timestamp(iso8601: "2026-06-30T02:00:00.000Z")!)

    /// Compares `html` (random tokens masked) with the recorded snapshot `name`.
    static func assertSnapshot(_ html: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        let file = folder.appendingPathComponent(name + ".html")
        let masked = html.replacing(try Regex(#"name="_csrf" value="[^"]*""#), with: #"name="_csrf" value="…""#)
        let record = ProcessInfo.processInfo.environment["SHEBAO_RECORD_SNAPSHOTS"] == "1"
        guard !record, let recorded = try? String(contentsOf: file, encoding: .utf8) else {
            try masked.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("recorded the snapshot \(name).html; review and commit it", sourceLocation: sourceLocation)
            return
        }
        if recorded != masked {
            let ours = masked.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = recorded.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(ours.count, theirs.count)).first { ours[$0] != theirs[$0] } ?? min(ours.count, theirs.count)
            Issue.record("""
                \(name).html differs from its snapshot at line \(first + 1):
                  recorded: \(first < theirs.count ? String(theirs[first]) : "(end)")
                  now:      \(first < ours.count ? String(ours[first]) : "(end)")
                """, sourceLocation: sourceLocation)
        }
    }

    @Test func thePersonView() async throws {
        try await TestApp.run(.sqlite, clock: Self.clock) { client, app in
            let clerk = try await app.principal("xinqiao")
            let household = try #require(try await app.operations.registry.households(region: nil, paging: Paging(perPage: 200), by: clerk)
                .items.first { $0.members.count >= 3 })
            let person = try #require(household.head)
            let record = try #require(try await app.person(person.personID))
            _ = try await app.operations.registry.updatePerson(person.personID, PersonDetails.Input(address: "新桥镇幸福路 99 号"),
                                                               expectedVersion: record.version, reason: "户主申请更正住址", by: clerk)
            let browser = Browser(client)
            try await browser.logIn("xinqiao")
            let page = try await browser.get("/persons/\(person.personID)")
            #expect(page.status == .ok)
            try Self.assertSnapshot(page.text, named: "person-view")
        }
    }

    @Test func aPolicyKeysHistory() async throws {
        try await TestApp.run(.sqlite, clock: Self.clock) { client, app in
            _ = try await app.operations.policy.propose(
                ParameterProposal(key: "dibao.standard.town", regionCode: "331004000000", validFrom: "2027-01-01", value: "1,100.00",
                                  legalBasis: "区政府〔2026〕9号", note: "年度调整"),
                by: try await app.principal("district"))
            let browser = Browser(client)
            try await browser.logIn("reviewer")
            let page = try await browser.get("/policy/keys/dibao.standard.town")
            #expect(page.status == .ok)
            try Self.assertSnapshot(page.text, named: "policy-key-history")
        }
    }
}
