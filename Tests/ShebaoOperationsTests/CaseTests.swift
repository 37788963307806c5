import Foundation
import SQLKit
import ShebaoCore
@testable import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The case building block with a test type that has every feature: a deadline in working days,
/// a required document, a public notice with objections, separation of duties.
@Suite("Cases")
struct CaseTests {
    static let type = CaseType(
        id: "test.assistance",
        states: [
            CaseState("applied", deadline: 3),
            CaseState("surveyed", deadline: 5),
            CaseState("notice", noticeDays: 7),
            CaseState("approved", isFinal: true),
            CaseState("refused", isFinal: true),
        ],
        initial: "applied",
        openRoles: [.townClerk, .districtClerk],
        transitions: [
            CaseTransition("survey", from: ["applied"], to: "surveyed", roles: [.townClerk, .districtClerk, .reviewer], requires: ["survey_report"]),
            CaseTransition("post", from: ["surveyed"], to: "notice", roles: [.townClerk, .districtClerk]),
            CaseTransition("approve", from: ["notice"], to: "approved", roles: [.reviewer], separateFrom: [CaseType.openTransition, "survey"]),
            CaseTransition("refuse", from: ["applied", "surveyed", "notice"], to: "refused", roles: [.reviewer], separateFrom: ["survey"], needsNote: true),
        ],
        attachmentKinds: ["survey_report"])

    static let catalog = Catalog(rules: allCatalog.rules, caseTypes: allCatalog.caseTypes + [CaseHandler(type: type)], batchKinds: allCatalog.batchKinds)

    /// Opens a test case for `person` as `principal`, as a program would.
    static func open(_ operations: Operations, for person: Person, by principal: Principal) async throws -> Int64 {
        let context = operations.cases.context
        let now = context.now
        return try await operations.database.write { db in
            try await CaseService.open(type, region: person.region, personID: person.id, payload: "{}", by: principal, context: context, at: now, on: db)
        }
    }

    @Test func theTypesHangTogether() {
        #expect(Self.type.problems().isEmpty)
        for handler in allCatalog.caseTypes { #expect(handler.type.problems().isEmpty, "\(handler.type.id): \(handler.type.problems())") }
        var broken = Self.type.transitions
        broken.append(CaseTransition("x", from: ["nowhere"], to: "approved", roles: [.reviewer], requires: ["undeclared"], separateFrom: ["ghost"]))
        let bad = CaseType(id: "bad", states: Self.type.states, initial: "approved", openRoles: [], transitions: broken, attachmentKinds: Self.type.attachmentKinds)
        #expect(bad.problems().count == 4)
    }

    /// Deadlines count working days from the State Council's notice: the Mid-Autumn and National
    /// Day holidays of 2026 push a three-day step from Thursday 24 September to 30 September.
    @Test func deadlinesCountWorkingDays() throws {
        let calendar = WorkingCalendar.bundled
        let thursday = try #require(LocalDate(iso: "2026-09-24"))
        #expect(calendar.covers(2026))
        #expect(Self.type.dueDate(of: "applied", enteredOn: thursday, calendar: calendar) == LocalDate(iso: "2026-09-30"))
        // Five days from 30 September: 1–7 October are the holiday, 10 October (a Saturday) is worked:
        // 8, 9, 10, 12, 13 October.
        #expect(Self.type.dueDate(of: "surveyed", enteredOn: try #require(LocalDate(iso: "2026-09-30")), calendar: calendar) == LocalDate(iso: "2026-10-13"))
        #expect(calendar.isWorkingDay(try #require(LocalDate(iso: "2026-10-10"))))
        #expect(!calendar.isWorkingDay(try #require(LocalDate(iso: "2026-10-05"))))
        #expect(Self.type.dueDate(of: "approved", enteredOn: thursday, calendar: calendar) == nil)
        #expect(calendar.workingDays(after: thursday, through: try #require(LocalDate(iso: "2026-10-13"))) == 8)
    }

    @Test(arguments: TestDatabaseKind.available)
    func aCaseGoesThroughItsStepsWithDocumentsNoticeAndObjections(kind: TestDatabaseKind) async throws {
        let clock = TestClock(Timestamp(iso8601: "2026-09-24T02:00:00.000Z")!)
        try await withTestDistrict(kind, clock: clock, catalog: Self.catalog) { operations in
            let cases = operations.cases
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let person = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            let id = try await Self.open(operations, for: person, by: clerk)
            var view = try await cases.view(id, by: clerk)
            #expect(view.record.state == "applied")
            #expect(view.record.dueOn == LocalDate(iso: "2026-09-30"))
            #expect(view.allowed.map(\.id) == ["survey"], "a clerk sees the survey (which waits for its document), not the reviewer's moves")

            // A step that needs a document waits for it.
            await #expect(throws: ServiceError.refused("case.missing_documents", labels: ["documents": Self.type.attachmentKey("survey_report")])) {
                _ = try await cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: clerk)
            }
            _ = try await cases.addDocument(id, kind: "survey_report", reference: "入户调查表 2026-091", note: nil, by: clerk)
            await #expect(throws: ServiceError.invalid([FieldIssue("kind", "field.not_in_list", ["value": "selfie"])])) {
                _ = try await cases.addDocument(id, kind: "selfie", reference: "x", note: nil, by: clerk)
            }
            _ = try await cases.take(id, transition: "survey", note: "家庭收入属实", expectedVersion: nil, by: clerk)
            _ = try await cases.take(id, transition: "post", note: nil, expectedVersion: nil, by: clerk)
            view = try await cases.view(id, by: reviewer)
            #expect(view.record.state == "notice")
            let notice = try #require(view.record.notice)
            #expect(notice.startsOn == LocalDate(iso: "2026-09-24"))
            #expect(notice.endsOn == LocalDate(iso: "2026-10-01"))

            // The notice runs: approval waits for its end, then for every objection to be settled.
            await #expect(throws: ServiceError.conflict("case.notice_running", ["date": "2026-10-01"])) {
                _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            _ = try await cases.raiseObjection(id, raisedBy: "同村村民 王某", content: "申请人家中有轿车一辆", by: clerk)
            clock.advance(seconds: 8 * 86_400)
            await #expect(throws: ServiceError.conflict("case.unresolved_objections", ["count": "1"])) {
                _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            await #expect(throws: ServiceError.conflict("case.no_notice")) {
                _ = try await cases.raiseObjection(id, raisedBy: "x", content: "too late", by: clerk)
            }
            let objection = try #require(try await cases.view(id, by: clerk).record.notice?.objections.first)
            _ = try await cases.resolveObjection(id, objection: objection.id, outcome: "dismissed", resolution: "车辆已于 2025 年过户，经核实", by: clerk)
            await #expect(throws: ServiceError.conflict("case.objection_settled")) {
                _ = try await cases.resolveObjection(id, objection: objection.id, outcome: "upheld", resolution: "again", by: clerk)
            }
            let approved = try await cases.take(id, transition: "approve", note: "同意", expectedVersion: nil, by: reviewer)
            #expect(approved.state == "approved")
            #expect(approved.dueOn == nil)
            #expect(approved.steps.map(\.transition) == ["open", "survey", "post", "approve"])
            // Who took each step by name as the users stand (never the login).
            #expect(approved.steps.map(\.actorName) == ["新桥镇经办 陈磊", "新桥镇经办 陈磊", "新桥镇经办 陈磊", "复核 郑伟"])
            await #expect(throws: ServiceError.conflict("case.wrong_state", labels: ["state": Self.type.stateKey("approved")])) {
                _ = try await cases.take(id, transition: "refuse", note: "x", expectedVersion: nil, by: reviewer)
            }
            // Another town's clerk cannot see it.
            let lunan = try await operations.access.principal(named: "lunan")
            await #expect(throws: ServiceError.notFound) { _ = try await cases.view(id, by: lunan) }
            #expect(try await AuditLog.verify(operations.database).isIntact)
        }
    }

    /// Separation of duties: whoever surveyed a case may not approve it, even with the role.
    @Test(arguments: TestDatabaseKind.available)
    func theOneWhoSurveyedCannotApprove(kind: TestDatabaseKind) async throws {
        let clock = TestClock(Timestamp(iso8601: "2026-11-02T02:00:00.000Z")!)
        try await withTestDistrict(kind, clock: clock, catalog: Self.catalog) { operations in
            let cases = operations.cases
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let person = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            let id = try await Self.open(operations, for: person, by: clerk)
            _ = try await cases.addDocument(id, kind: "survey_report", reference: "R-1", note: nil, by: reviewer)
            _ = try await cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: reviewer)
            _ = try await cases.take(id, transition: "post", note: nil, expectedVersion: nil, by: clerk)
            clock.advance(seconds: 8 * 86_400)
            let view = try await cases.view(id, by: reviewer)
            #expect(view.allowed.isEmpty, "no approve button for the one who surveyed")
            await #expect(throws: ServiceError(.forbidden, "case.separation_of_duties", labels: ["transition": Self.type.transitionKey("survey")])) {
                _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            // Another reviewer may.
            let second = try await operations.access.createUser(username: "reviewer2", displayName: "复核 二", role: .reviewer, region: reviewer.scope,
                                                                password: "another long secret", by: nil).principal
            #expect(try await cases.view(id, by: second).allowed.map(\.id) == ["approve", "refuse"])
            await #expect(throws: ServiceError.invalid("note", "field.required")) {
                _ = try await cases.take(id, transition: "refuse", note: "  ", expectedVersion: nil, by: second)
            }
            #expect(try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: second).state == "approved")
        }
    }

    /// The overdue list of an office: open cases whose step is past its due date, in working days.
    @Test(arguments: TestDatabaseKind.available)
    func overdueCasesAreListedPerOffice(kind: TestDatabaseKind) async throws {
        let clock = TestClock(Timestamp(iso8601: "2026-09-24T02:00:00.000Z")!)
        try await withTestDistrict(kind, clock: clock, catalog: Self.catalog) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let lunan = try await operations.access.principal(named: "lunan")
            let person = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            let id = try await Self.open(operations, for: person, by: clerk)
            clock.advance(seconds: 6 * 86_400)  // 30 September: due today, not yet overdue
            #expect(try await operations.cases.overdue(by: clerk).isEmpty)
            clock.advance(seconds: 86_400)  // 1 October
            #expect(try await operations.cases.overdue(by: clerk).map(\.id) == [id])
            #expect(try await operations.cases.overdue(by: lunan).isEmpty, "another office's list")
            #expect(try await operations.cases.list(openOnly: true, by: clerk).items.map(\.id) == [id])
        }
    }
}
