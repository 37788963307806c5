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
    @Test(arguments: TestDatabaseKind.available)
    func aDibaoHouseholdOfThreeEnrolsWithItsOwnPartPaidByDistrictAndTown(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
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
}
