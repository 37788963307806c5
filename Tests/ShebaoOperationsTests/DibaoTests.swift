import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The minimum living guarantee (issue 12 items 1–2): a household's application surveyed,
/// appraised, reviewed and approved — never by whoever surveyed it — then posted for 7 days with
/// masked names; it cannot be granted while the notice runs or an objection is unsettled; once
/// granted, the payroll pays the head each month from the dibao fund, until the grant is ended.
@Suite("Dibao")
struct DibaoTests {
    /// A household head whose community has an area type, and a payment point.
    static func applicant(_ operations: Operations) async throws -> (person: Int64, size: Int) {
        try #require(try await operations.database.read { db in
            try await db.raw(
                """
                SELECT m.person_id, (SELECT COUNT(*) FROM household_members o WHERE o.household_id = h.id) AS size
                FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                    JOIN regions r ON r.code = h.region_code AND r.area_type IS NOT NULL
                ORDER BY h.id LIMIT 1
                """
            ).first().map { (try $0.decode(column: "person_id", as: Int64.self), Int(try $0.decode(column: "size", as: Int64.self))) }
        })
    }

    @Test(arguments: TestDatabaseKind.available)
    func anApplicationIsPostedForSevenDaysBeforeItIsPaid(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let cases = operations.cases
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let (person, size) = try await Self.applicant(operations)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)

            // The rule's figures, explained; too much income is not eligible and cannot be opened.
            let draft = try await assistance.dibaoDraft(person: person, monthlyIncome: "100.00", threeWithouts: false, paymentPoint: point,
                                                        account: "6222000033334444", by: clerk)
            let standard = draft.result.output.standard
            #expect(draft.result.output.eligible && draft.request.input.householdSize == size)
            #expect(draft.result.output.total == Money(fen: standard.fen * Int64(size) - 10_000))
            #expect(draft.result.explanation.parameters.contains { $0.key.hasPrefix("dibao.standard.") })
            let rich = Money(fen: standard.fen * Int64(size) * 3).decimalString
            await #expect(throws: ServiceError.self) {
                _ = try await assistance.openDibao(person: person, monthlyIncome: rich, threeWithouts: false, paymentPoint: point, account: "6222000033334444",
                                                   by: clerk)
            }
            do {
                _ = try await assistance.dibaoDraft(person: person, monthlyIncome: "-5", threeWithouts: false, elderly: "99", paymentPoint: "x", account: "12",
                                                    by: clerk)
                Issue.record("bad figures were accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["monthlyIncome", "elderly", "paymentPoint", "account"])
            }

            // A member who has died is not counted, though still on the register.
            let (other, members) = try #require(try await operations.database.write { db -> (Int64, Int64)? in
                guard let row = try await db.raw(
                    """
                    SELECT h.household_id, h.person_id, COUNT(*) AS size FROM household_members h JOIN household_members o ON o.household_id = h.household_id
                        JOIN households x ON x.id = h.household_id JOIN regions r ON r.code = x.region_code AND r.area_type IS NOT NULL
                    WHERE h.relation = 'head' AND h.person_id <> \(bind: person) GROUP BY h.household_id, h.person_id HAVING COUNT(*) >= 2
                    ORDER BY h.household_id LIMIT 1
                    """).first() else { return nil }
                let household = try row.decode(column: "household_id", as: Int64.self)
                try await db.raw(
                    """
                    UPDATE persons SET status = 'deceased' WHERE id = (SELECT MAX(person_id) FROM household_members
                        WHERE household_id = \(bind: household) AND relation <> 'head')
                    """).run()
                return (try row.decode(column: "person_id", as: Int64.self), try row.decode(column: "size", as: Int64.self))
            })
            #expect(try await assistance.dibaoDraft(person: other, monthlyIncome: "0", threeWithouts: false, paymentPoint: point, account: "6222000033335555",
                                                    by: clerk).request.input.householdSize == Int(members) - 1)

            let id = try await assistance.openDibao(person: person, monthlyIncome: "100.00", threeWithouts: false, paymentPoint: point,
                                                    account: "6222000033334444", by: clerk)
            await #expect(throws: ServiceError.conflict("dibao.open", ["case": String(id)])) {
                _ = try await assistance.openDibao(person: person, monthlyIncome: "100.00", threeWithouts: false, paymentPoint: point,
                                                   account: "6222000033334444", by: clerk)
            }
            // Survey (its record on file), appraisal (the meeting's outcome noted), the town's review.
            await #expect(throws: ServiceError.self) { _ = try await cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await cases.addDocument(id, kind: "income_survey", reference: "调查表 2026-001", note: nil, by: clerk)
            _ = try await cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: clerk)
            _ = try await cases.addDocument(id, kind: "appraisal_record", reference: "评议记录 2026-001", note: nil, by: clerk)
            await #expect(throws: ServiceError.self) { _ = try await cases.take(id, transition: "appraise", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await cases.take(id, transition: "appraise", note: "到会 11 人，一致同意", expectedVersion: nil, by: clerk)
            _ = try await cases.take(id, transition: "review", note: nil, expectedVersion: nil, by: clerk)
            // The clerk who surveyed cannot approve; a reviewer does, and the notice starts.
            await #expect(throws: ServiceError.forbidden) { _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
            let posted = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            #expect(posted.state == "notice" && posted.notice?.endsOn == clock.now().dateInChina.adding(days: 7))

            // On the boards: the name masked, the size and amount; nothing else.
            let board = try await assistance.notices()
            let line = try #require(board.first { $0.caseID == id })
            let name = try #require(try await operations.database.read { db in try await PersonStore().find(id: person, on: db) }).name
            #expect(line.maskedName == maskedName(name) && line.maskedName != name && line.householdSize == size && line.monthly == draft.result.output.total)

            // Not while the notice runs; not while an objection is unsettled.
            await #expect(throws: ServiceError.self) { _ = try await cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk) }
            let objected = try await cases.raiseObjection(id, raisedBy: "邻居（匿名）", content: "家中有出租房收入", by: clerk)
            clock.advance(seconds: 8 * 86_400)
            await #expect(throws: ServiceError.self) { _ = try await cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk) }
            let objection = try #require(objected.notice?.objections.first)
            _ = try await cases.resolveObjection(id, objection: objection.id, outcome: "dismissed", resolution: "复查：房屋自住，无出租收入", by: clerk)
            let granted = try await cases.take(id, transition: "grant", note: nil, expectedVersion: nil, by: clerk)
            #expect(granted.state == "granted")
            #expect(try await assistance.notices().allSatisfy { $0.caseID != id })
            let grant = try #require(try await assistance.dibaoGrants(of: person, by: clerk)?.first)
            let today = clock.now().dateInChina.period
            #expect(grant.monthly == draft.result.output.total && grant.monthlyFrom == today.next && grant.endsFrom == nil)

            // Reviewed by its category: a household with members who may work, every 3 months.
            #expect(grant.category == .working && grant.nextReview == clock.now().dateInChina.addingMonths(3))
            #expect(try await assistance.dibaoDueForReview(by: clerk).isEmpty)

            // The payroll pays the head each month from the month after, from the dibao fund.
            func payroll(_ month: Period) async throws {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            try await payroll(today)
            #expect(try await operations.benefits.payments(of: person, by: clerk).filter { $0.kind == "dibao" }.isEmpty)
            try await payroll(today.next)
            try await payroll(today.advanced(by: 2))
            let paid = try await operations.benefits.payments(of: person, by: clerk).filter { $0.kind == "dibao" }
            #expect(paid.count == 2 && paid.allSatisfy { $0.amount == grant.monthly })
            let balances = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db).filter { $0.fund == .dibao }
            }
            #expect(balances.first { $0.account == .benefitExpense }?.balance == Money(fen: grant.monthly.fen * 2))

            // Due after three months: still eligible once, then ended from a month not yet paid by
            // the next review; the months after are not owed.
            clock.advance(seconds: 95 * 86_400)
            #expect(try await assistance.dibaoDueForReview(by: clerk).map(\.caseID) == [id])
            do {
                _ = try await assistance.reviewDibao(id, outcome: "again", note: " ", by: clerk)
                Issue.record("a review without outcome and note was recorded")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["outcome", "note"])
            }
            let continued = try await assistance.reviewDibao(id, outcome: "continued", note: "入户复核：收入无变化", by: clerk)
            #expect(continued.nextReview == clock.now().dateInChina.addingMonths(3))
            #expect(try await assistance.dibaoDueForReview(by: clerk).isEmpty)
            await #expect(throws: ServiceError.self) {
                _ = try await assistance.reviewDibao(id, outcome: "ended", from: today.next.description, note: "收入增加", by: clerk)
            }
            let ended = try await assistance.reviewDibao(id, outcome: "ended", from: today.advanced(by: 3).description, note: "收入增加", by: clerk)
            #expect(try await assistance.dibaoReviews(of: id, by: clerk).map(\.outcome) == [.ended, .continued])
            #expect(ended.endsFrom == today.advanced(by: 3))
            try await payroll(today.advanced(by: 3))
            #expect(try await operations.benefits.payments(of: person, by: clerk).filter { $0.kind == "dibao" }.count == 2)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
            // Another application is possible once it has ended.
            _ = try await assistance.openDibao(person: person, monthlyIncome: "100.00", threeWithouts: false, paymentPoint: point,
                                               account: "6222000033334444", by: clerk)
        }
    }
}
