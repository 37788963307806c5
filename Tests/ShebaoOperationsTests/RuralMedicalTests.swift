import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The rural cooperative medical scheme's enrolment (issue 12 item 5; acceptance): a household
/// of 3 with a dibao grant enrols whole; the financing is the parameters' split, its members' own
/// part paid by the district and the town; once a year; the participation per town counts it; the
/// financing is receivable in the rural medical fund and the ledger verifies.
@Suite("Rural cooperative medical scheme")
struct RuralMedicalTests {
    /// The head of a household of three living members outside employees' medical insurance,
    /// granted dibao (the grant paid from the month after).
    static func dibaoHouseholdOfThree(_ operations: Operations, clock: TestClock) async throws -> Int64 {
        let assistance = operations.assistance
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        // A household of three living members outside employees' medical insurance, granted dibao.
        let head = try #require(try await operations.database.write { db -> Int64? in
            guard let row = try await db.raw(
                """
                SELECT h.household_id, h.person_id FROM household_members h JOIN households x ON x.id = h.household_id
                    JOIN regions r ON r.code = x.region_code AND r.area_type IS NOT NULL
                WHERE h.relation = 'head' AND (SELECT COUNT(*) FROM household_members o WHERE o.household_id = h.household_id) = 3
                ORDER BY h.household_id LIMIT 1
                """).first() else { return nil }
            let household = try row.decode(column: "household_id", as: Int64.self)
            try await db.raw("DELETE FROM enrolments WHERE person_id IN (SELECT person_id FROM household_members WHERE household_id = \(bind: household))").run()
            try await db.raw("UPDATE persons SET status = 'living' WHERE id IN (SELECT person_id FROM household_members WHERE household_id = \(bind: household))").run()
            return try row.decode(column: "person_id", as: Int64.self)
        })
        let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
        let id = try await assistance.openDibao(person: head, monthlyIncome: "0", threeWithouts: false, paymentPoint: point, account: "6222000012123434",
                                                by: clerk)
        for kind in DibaoApplication.Document.allCases { _ = try await operations.cases.addDocument(id, kind: kind.rawValue, reference: "材料", note: nil, by: clerk) }
        for step in ["survey", "appraise", "review"] { _ = try await operations.cases.take(id, transition: step, note: "同意", expectedVersion: nil, by: clerk) }
        _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
        clock.advance(seconds: 8 * 86_400)
        _ = try await operations.cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk)
        return head
    }

    @Test(arguments: TestDatabaseKind.available)
    func aDibaoHouseholdOfThreeEnrolsWithItsOwnPartPaidByDistrictAndTown(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let head = try await Self.dibaoHouseholdOfThree(operations, clock: clock)
            let year = clock.now().dateInChina.year
            let book = try await operations.policy.book()
            let district = try await operations.installation.required().region
            let expected = try RuralMedicalFinancingRule.evaluate(.init(year: year, participants: 3, assisted: 3), book: book, region: district).output
            let enrolment = try await assistance.enrolNcms(person: head, year: String(year), by: clerk)
            #expect(enrolment.participants == 3 && enrolment.assisted == 3 && enrolment.financing == expected)
            // Their own part is the district's and the town's, half each: nothing from the participants.
            func share(_ key: String) throws -> Money {
                guard case .money(let money) = try book.resolve(key, region: district, on: LocalDate(year: year, month: 1, day: 1)!).value else {
                    throw RuleError.wrongKind(key: key, expected: "money")
                }
                return money
            }
            let perPerson = try share("ncms.share.participant")
            #expect(enrolment.financing.participantsPay == .zero)
            #expect(enrolment.financing.town.fen == (try share("ncms.share.town")).fen * 3 + perPerson.fen * 3 / 2)
            #expect(enrolment.financing.total.fen == enrolment.financing.perPerson.fen * 3)
            await #expect(throws: ServiceError.conflict("ncms.enrolled_already", ["year": String(year)])) {
                _ = try await assistance.enrolNcms(person: head, year: String(year), by: clerk)
            }
            let participation = try await assistance.ncmsParticipation(year: year, by: clerk)
            #expect(participation.reduce(0) { $0 + $1.participation.enrolled } == 3)
            #expect(participation.allSatisfy { $0.participation.enrolled <= $0.participation.eligible && $0.target != nil })
            let balances = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db).filter { $0.fund == .ruralMedical }
            }
            #expect(balances.first { $0.account == .receivable }?.balance == enrolment.financing.total)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// A catastrophic-illness claim (issue 12 items 5–6): the scheme pays its rate for the
    /// hospital's level; the member of a dibao household then gets medical assistance on what is
    /// left; a reviewer who did not check it approves; the payroll pays both, each from its fund.
    @Test(arguments: TestDatabaseKind.available)
    func aDibaoMembersStayIsPaidByTheSchemeThenByMedicalAssistance(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let head = try await Self.dibaoHouseholdOfThree(operations, clock: clock)
            let year = clock.now().dateInChina.year
            _ = try await assistance.enrolNcms(person: head, year: String(year), by: clerk)
            let hospital = try await MedicalTests.hospital(operations, "NH-1", level: .district, by: clerk)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            // Admitted in a month the household is paid dibao (the grant runs from the month after it).
            clock.advance(seconds: 60 * 86_400)
            let admitted = clock.now().dateInChina.period.previous.firstDay.adding(days: 9)
            func claim(_ person: Int64, handler: String = "insurer") async throws -> NcmsClaimDraft {
                try await assistance.ncmsClaim(person: person, institution: String(hospital.id), admittedOn: admitted.description,
                                               dischargedOn: admitted.adding(days: 10).description, totalCost: "30000.00", eligibleCost: "25000.00",
                                               handler: handler, paymentPoint: point, account: "6222000012125656", by: clerk)
            }
            do {
                _ = try await claim(head, handler: "nobody")
                Issue.record("an unknown handler was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["handler"])
            }
            let draft = try await claim(head)
            let book = try await operations.policy.book()
            let district = try await operations.installation.required().region
            let scheme = try RuralMedicalReimbursementRule.evaluate(.init(date: admitted, scheme: .ruralCooperative, cost: .yuan(25_000), paidThisYear: .zero,
                                                                          hospitalLevel: .district), book: book, region: district).output
            let left = Money.yuan(30_000) - scheme.reimbursement
            let help = try RuralMedicalReimbursementRule.evaluate(.init(date: admitted, scheme: .medicalAssistance, cost: left, paidThisYear: .zero),
                                                                  book: book, region: district).output
            #expect(draft.request.reimbursement == scheme && draft.request.assistance == help && help.reimbursement.fen > 0)
            // Someone whose household is not in the scheme is refused.
            let outsider = try #require(try await operations.database.read { db in
                try await db.raw(
                    """
                    SELECT m.person_id FROM household_members m WHERE NOT EXISTS (SELECT 1 FROM ncms_enrolments e WHERE e.household_id = m.household_id)
                    ORDER BY m.person_id LIMIT 1
                    """).first()?.decode(column: "person_id", as: Int64.self)
            })
            await #expect(throws: ServiceError.conflict("ncms_claim.not_enrolled", ["year": String(admitted.year)])) { _ = try await claim(outsider) }
            let id = try await assistance.openNcmsClaim(person: head, institution: String(hospital.id), admittedOn: admitted.description,
                                                        dischargedOn: admitted.adding(days: 10).description, totalCost: "30000.00", eligibleCost: "25000.00",
                                                        handler: "insurer", paymentPoint: point, account: "6222000012125656", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: RuralMedicalClaim.Document.allCases.map(\.rawValue), reference: "票据", note: nil,
                                                       clerk: clerk, reviewer: reviewer)
            await #expect(throws: ServiceError.conflict("medical.stay_claimed", ["date": admitted.description])) { _ = try await claim(head) }
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: clock.now().dateInChina.period.description, by: clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let paid = try await operations.benefits.payments(of: head, by: clerk)
            #expect(paid.first { $0.kind == "ncms" }?.amount == scheme.reimbursement)
            #expect(paid.first { $0.kind == "medical_assistance" }?.amount == help.reimbursement)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
