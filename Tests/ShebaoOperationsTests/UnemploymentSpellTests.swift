import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Unemployment beyond the monthly benefit (issue 11 item 5): husband and wife both unemployed are
/// flagged; a spell whose months are all paid while the person is still jobless is listed and
/// referred to the minimum-living-guarantee office once; re-employment ends a spell; training and
/// placement subsidies are the rule's share up to the cap, approved by another person and paid from
/// the unemployment fund — only for someone registered unemployed.
@Suite("Unemployment spells")
struct UnemploymentSpellTests {
    @Test(arguments: TestDatabaseKind.available)
    func spousesAreFlaggedEndedSpellsReferredOnceAndSubsidiesPaid(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let benefits = operations.benefits
            let point = String(try #require(try await benefits.paymentPoints(by: clerk).first).id)
            let today = operations.clock.now().dateInChina
            // A household's head and spouse, each with 30 months paid into unemployment insurance.
            let (head, spouse) = try await operations.database.write { db in
                let row = try #require(try await db.raw(
                    """
                    SELECT h.person_id AS head, s.person_id AS spouse FROM household_members h
                    JOIN household_members s ON s.household_id = h.household_id AND s.relation = 'spouse'
                    WHERE h.relation = 'head' ORDER BY h.household_id LIMIT 1
                    """).first())
                let pair = (try row.decode(column: "head", as: Int64.self), try row.decode(column: "spouse", as: Int64.self))
                let start = today.period.advanced(by: -30)
                for person in [pair.0, pair.1] {
                    for offset in 0..<30 {
                        try await db.raw(
                            """
                            INSERT INTO paid_months (person_id, scheme, period, base_fen, individual_fen, account_credit_fen, employer_transfer_fen, credited_on)
                            VALUES (\(bind: person), 'unemployment', \(bind: Int64(start.advanced(by: offset).yyyymm)), 400000, 2000, 0, 0, '2026-01-01')
                            """).run()
                    }
                }
                return pair
            }
            func approve(_ id: Int64, documents: [String]) async throws {
                try await operations.cases.checkAndApprove(id, documents: documents, reference: "证明", note: nil, clerk: clerk, reviewer: reviewer)
            }
            func claim(_ person: Int64) async throws -> Int64 {
                try await benefits.openUnemploymentClaim(personID: person, registeredOn: today.adding(days: -20).description, involuntary: true,
                                                         carriedOverMonths: "", paymentPoint: point, account: "6222000055556666", by: clerk)
            }
            let documents = UnemploymentClaim.Document.allCases.map(\.rawValue)
            #expect(!(try await benefits.unemploymentClaim(personID: head, registeredOn: today.adding(days: -20).description, involuntary: true,
                                                           carriedOverMonths: "", paymentPoint: point, account: "6222000055556666", by: clerk)
                .request.priorityGroups.contains(.bothSpouses)))
            try await approve(try await claim(spouse), documents: documents)
            let draft = try await benefits.unemploymentClaim(personID: head, registeredOn: today.adding(days: -20).description, involuntary: true,
                                                             carriedOverMonths: "", paymentPoint: point, account: "6222000055556666", by: clerk)
            #expect(draft.request.priorityGroups.contains(.bothSpouses))
            let headCase = try await claim(head)
            try await approve(headCase, documents: documents)
            // The spouse works again; the head draws all twelve months.
            _ = try await benefits.recordReemployment(personID: spouse, on: today.description, by: clerk)
            for month in 0..<12 {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.advanced(by: month).description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            let spells = try await benefits.unemploymentSpells(by: clerk)
            let headSpell = try #require(spells.first { $0.personID == head })
            #expect(headSpell.status == .ended && headSpell.issued == 12 && headSpell.owed == 0 && headSpell.priority.contains("both_spouses"))
            #expect(spells.first { $0.personID == spouse }.map { $0.status == .reemployed && $0.priority.contains("both_spouses") } == true)
            // Referred once; a re-employed spell is not referred.
            try await benefits.referToDibao(headCase, by: clerk)
            #expect(try await benefits.unemploymentSpells(by: clerk).first { $0.personID == head }?.status == .referred)
            await #expect(throws: ServiceError.self) { try await benefits.referToDibao(headCase, by: clerk) }
            // The dibao office finds the referral until the household applies.
            #expect(try await operations.assistance.referrals(by: clerk).contains { $0.personID == head })
            _ = try await operations.assistance.openDibao(person: head, monthlyIncome: "0", threeWithouts: false, paymentPoint: point,
                                                          account: "6222000055556666", by: clerk)
            #expect(try await operations.assistance.referrals(by: clerk).allSatisfy { $0.personID != head })
            let spouseCase = try #require(spells.first { $0.personID == spouse }).caseID
            await #expect(throws: ServiceError.self) { try await benefits.referToDibao(spouseCase, by: clerk) }
            // A course for the head: 2,000.00 invoiced, the cap 1,200.00; none for the re-employed spouse.
            let subsidy = try await benefits.employmentSubsidy(personID: head, kind: "training", provider: "路桥职业技术学校", cost: "2000.00",
                                                               paymentPoint: point, account: "6222000077778888", by: clerk)
            #expect(subsidy.result.output.subsidy == Money.yuan(1_200))
            await #expect(throws: ServiceError.conflict("subsidy.not_unemployed")) {
                _ = try await benefits.employmentSubsidy(personID: spouse, kind: "placement", provider: "人力资源市场", cost: "100.00", paymentPoint: point,
                                                         account: "6222000077778888", by: clerk)
            }
            let id = try await benefits.openEmploymentSubsidy(personID: head, kind: "training", provider: "路桥职业技术学校", cost: "2000.00",
                                                              paymentPoint: point, account: "6222000077778888", by: clerk)
            try await approve(id, documents: EmploymentSubsidy.Document.allCases.map(\.rawValue))
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.advanced(by: 12).description, by: clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let paid = try #require(try await benefits.payments(of: head, by: clerk).first { $0.kind == "training_subsidy" })
            #expect(paid.amount == Money.yuan(1_200) && paid.runID == run.id)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
