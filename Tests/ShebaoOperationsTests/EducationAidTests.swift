import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Education aid (issue 12 item 7): a student's application verified by the town, confirmed by a
/// reviewer who did not verify it, posted for 7 days with the name masked, then granted — the
/// year's aid owed from the education-aid fund and paid by the next payroll run to the head of
/// the student's household; one application per school year; nothing where the table is empty.
@Suite("Education aid")
struct EducationAidTests {
    @Test(arguments: TestDatabaseKind.available)
    func aPoorStudentsAidIsPostedThenPaidToTheHousehold(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            // A member of a household who is not its head: the head is paid.
            let (student, head) = try #require(try await operations.database.read { db in
                try await db.raw(
                    """
                    SELECT s.person_id AS student, h.person_id AS head FROM household_members s
                        JOIN household_members h ON h.household_id = s.household_id AND h.relation = 'head'
                    WHERE s.relation <> 'head' ORDER BY s.household_id LIMIT 1
                    """
                ).first().map { (try $0.decode(column: "student", as: Int64.self), try $0.decode(column: "head", as: Int64.self)) }
            })
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let draft = try await assistance.educationAidDraft(student: student, level: "junior_secondary", status: "poor", paymentPoint: point,
                                                               account: "6222000099990000", by: clerk)
            #expect(draft.result.output.covered && draft.result.output.yearlyAmount.fen > 0 && draft.request.guardianID == head)
            #expect(draft.request.input.year == 2025)   // July 2026 is in the school year that began in September 2025
            do {
                _ = try await assistance.educationAidDraft(student: student, level: "kindergarten", status: "rich", paymentPoint: point, account: "1", by: clerk)
                Issue.record("bad choices were accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["level", "status", "account"])
            }
            let id = try await assistance.openEducationAid(student: student, level: "junior_secondary", status: "poor", paymentPoint: point,
                                                           account: "6222000099990000", by: clerk)
            await #expect(throws: ServiceError.conflict("education_aid.this_year", ["case": String(id)])) {
                _ = try await assistance.openEducationAid(student: student, level: "junior_secondary", status: "poor", paymentPoint: point,
                                                          account: "6222000099990000", by: clerk)
            }
            for document in EducationAidApplication.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "证明", note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "verify", note: nil, expectedVersion: nil, by: clerk)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "confirm", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await operations.cases.take(id, transition: "confirm", note: nil, expectedVersion: nil, by: reviewer)
            let posted = try #require(try await assistance.educationAidNotices().first { $0.caseID == id })
            #expect(posted.maskedName.contains("*") && posted.yearly == draft.result.output.yearlyAmount)
            await #expect(throws: ServiceError.self) { _ = try await operations.cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk) }
            clock.advance(seconds: 8 * 86_400)
            _ = try await operations.cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk)
            // The next payroll run pays the head from the education-aid fund, once.
            for month in [clock.now().dateInChina.period, clock.now().dateInChina.period.next] {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            let paid = try await operations.benefits.payments(of: student, by: clerk).filter { $0.kind == "education_aid" }
            #expect(paid.count == 1 && paid[0].amount == draft.result.output.yearlyAmount)
            let payee = try #require(try await operations.database.read { db in
                try await db.raw("SELECT payee_person_id FROM pension_payments WHERE kind = 'education_aid'").first()?.decode(column: "payee_person_id", as: Int64?.self)
            })
            #expect(payee == head)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// Fees deferred or reduced for a family struck by disaster or illness (PROGRAMS.md §4.4): both
    /// the kind and the cause or neither; with them a student the aid table does not cover may
    /// still apply, and the case says what the school is to do.
    @Test(arguments: TestDatabaseKind.available)
    func feesAreDeferredOrReducedForAFamilyStruckByDisasterOrIllness(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind, clock: TestClock()) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let student = try #require(try await operations.database.read { db in
                try await db.raw("SELECT person_id FROM household_members WHERE relation <> 'head' ORDER BY household_id LIMIT 1").first()?
                    .decode(column: "person_id", as: Int64.self)
            })
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            do {
                _ = try await assistance.educationAidDraft(student: student, level: "senior_secondary", status: "dibao", paymentPoint: point,
                                                           account: "6222000099990000", feeRelief: "deferral", cause: "", by: clerk)
                Issue.record("a deferral without its cause was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["feeReliefCause"])
            }
            // Senior secondary below the dibao line: nothing in the aid table, so without relief it cannot be opened.
            await #expect(throws: ServiceError.conflict("education_aid.not_covered")) {
                _ = try await assistance.openEducationAid(student: student, level: "senior_secondary", status: "dibao", paymentPoint: point,
                                                          account: "6222000099990000", by: clerk)
            }
            let id = try await assistance.openEducationAid(student: student, level: "senior_secondary", status: "dibao", paymentPoint: point,
                                                           account: "6222000099990000", feeRelief: "reduction", cause: "disaster", by: clerk)
            let facts = try await operations.cases.view(id, by: clerk).facts
            #expect(facts.contains { $0.labelKey == "education_aid.fee_relief" && $0.value == "fee_relief.reduction" })
            #expect(facts.contains { $0.value == "fee_relief_cause.disaster" })
        }
    }
}
