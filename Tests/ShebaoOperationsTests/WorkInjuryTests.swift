import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Work-injury benefits as a case (issue 11): RULES.md §4 example 1 — injured in 2012, grade 7,
/// own wage 5,000.00 — is a one-time subsidy of 65,000.00 with its explanation; a report after a
/// year is refused, one after 30 days marked late; approval by another person makes the subsidy
/// owed by the work-injury fund.
@Suite("Work injury")
struct WorkInjuryTests {
    @Test(arguments: TestDatabaseKind.available)
    func aGradeSevenInjuryIsSixtyFiveThousandAndOwedOnceApproved(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let person = try #require(try await registeredPersons(operations.database).items.first)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let draft = try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                      ownWage: "5000.00", paymentPoint: point, account: "6222000011112222", by: clerk)
            #expect(draft.result.output.lumpSum == Money.yuan(65_000) && !draft.request.lateReport)
            #expect(draft.result.explanation.steps.contains { $0.key == "explain.injury.lump_sum" && $0.result.contains("65,000.00") },
                    "\(draft.result.explanation.steps.map(\.result))")
            // Reported after 30 days: late; after a year: refused, naming the field.
            #expect(try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-07-01", grade: "7",
                                                                  ownWage: "5000.00", paymentPoint: point, account: "6222000011112222", by: clerk).request.lateReport)
            do {
                _ = try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2013-06-01", grade: "11",
                                                                  ownWage: "-1", paymentPoint: point, account: "6222000011112222", by: clerk)
                Issue.record("a report after a year was accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["reportedOn", "grade", "ownWage"])
            }
            let id = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                       ownWage: "5000.00", paymentPoint: point, account: "6222000011112222", by: clerk)
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                      ownWage: "5000.00", paymentPoint: point, account: "6222000011112222", by: clerk)
            }
            for document in WorkInjuryAward.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "文书", note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
            #expect(try await operations.benefits.workInjuryAwards(of: person.id, by: clerk).isEmpty)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await operations.cases.take(id, transition: "approve", note: "认定与鉴定核实", expectedVersion: nil, by: reviewer)
            let awards = try await operations.benefits.workInjuryAwards(of: person.id, by: clerk)
            #expect(awards.count == 1 && awards[0].lumpSum == Money.yuan(65_000) && awards[0].grade == 7)
            #expect(try await operations.benefits.subsidyPayment(case: id, by: clerk)?.state == "owed")
            // The next payroll run pays it through the bank, in the work-injury fund's books.
            let accountant = try await operations.access.principal(named: "accountant")
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: operations.clock.now().dateInChina.period.description, by: clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let payment = try #require(try await operations.benefits.payments(of: person.id, by: clerk).first { $0.kind == "work_injury" })
            #expect(payment.amount == Money.yuan(65_000) && payment.runID == run.id && payment.state == "pending")
            #expect(try await operations.benefits.subsidyPayment(case: id, by: clerk)?.payment == "pending")
            let text = "\(payment.id)|张三|6222000011112222|65000.00|331004195001010011|成功||\n"
            _ = try await operations.benefits.importReturn(Data(text.utf8), fileName: "injury-return.txt", by: accountant)
            #expect(try await operations.benefits.subsidyPayment(case: id, by: clerk)?.payment == "paid")
            let balances = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db).filter { $0.fund == .workInjury }
            }
            #expect(balances.first { $0.account == .benefitExpense }?.balance == Money.yuan(65_000))
            #expect(balances.first { $0.account == .payable }?.balance == .zero)
            #expect(try await operations.benefits.reconciliation(run: run.id, by: accountant).isReconciled)
            // Paid once: the next run does not carry it again.
            let next = try await operations.batches.start(kind: PensionPayroll.kind.id, period: operations.clock.now().dateInChina.period.next.description, by: clerk)
            #expect(try await operations.benefits.payments(of: person.id, by: clerk).filter { $0.kind == "work_injury" }.count == 1 && next.id != run.id)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// RULES.md §5: a woman insured in maternity gives birth; the allowance is the unit's average
    /// wage ÷ 30 × the leave days (rounded once), approved by another person and paid by the next
    /// payroll run from the maternity fund. Not insured that month: refused.
    @Test(arguments: TestDatabaseKind.available)
    func aMaternityAllowanceIsTheRulesAndPaidByThePayroll(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let today = operations.clock.now().dateInChina
            // A woman of working age, insured in maternity through a unit since January last year.
            let (woman, month) = try await operations.database.write { db in
                let row = try #require(try await db.raw(
                    """
                    SELECT p.id, p.region_code, (SELECT MIN(id) FROM employers) AS unit FROM persons p
                    WHERE p.sex = 'female' AND p.birth_date BETWEEN '1980-01-01' AND '2000-01-01' ORDER BY p.id LIMIT 1
                    """
                ).first())
                let person = try row.decode(column: "id", as: Int64.self)
                let start = Int64((today.year - 1) * 100 + 1)
                try await db.raw(
                    """
                    INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
                    SELECT \(bind: person), \(bind: try row.decode(column: "unit", as: Int64.self)), 'maternity', 'employee', \(bind: try row.decode(column: "region_code", as: String.self)),
                        \(bind: start), '2026-01-01T00:00:00Z', 'test'
                    WHERE NOT EXISTS (SELECT 1 FROM enrolments WHERE person_id = \(bind: person) AND scheme = 'maternity')
                    """
                ).run()
                return (person, start)
            }
            let insuredFrom = try #require(Period(yyyymm: Int(month)))
            let day = max(insuredFrom, today.period.advanced(by: -2)).firstDay.adding(days: 4)
            func claim() async throws -> MaternityDraft {
                try await operations.benefits.maternityClaim(personID: woman, eventDate: day.description, employerAverageWage: "6000.00", event: "birth",
                                                             difficultBirth: false, babies: "", childOrder: "1", paymentPoint: point,
                                                             account: "6222000033334444", by: clerk)
            }
            let draft = try await claim()
            let expected = try MaternityAllowanceRule.evaluate(draft.request.input, book: try await operations.policy.book(), region: DemoDistrict.district)
            #expect(draft.result.output == expected.output && draft.result.output.allowance.fen > 0 && !draft.result.explanation.steps.isEmpty)
            // Before she was insured: refused.
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.maternityClaim(personID: woman, eventDate: insuredFrom.previous.firstDay.description, employerAverageWage: "6000.00",
                                                                 event: "birth", difficultBirth: false, babies: "", childOrder: "", paymentPoint: point,
                                                                 account: "6222000033334444", by: clerk)
            }
            let id = try await operations.benefits.openMaternityClaim(personID: woman, eventDate: day.description, employerAverageWage: "6000.00", event: "birth",
                                                                      difficultBirth: false, babies: "", childOrder: "1", paymentPoint: point,
                                                                      account: "6222000033334444", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: MaternityClaim.caseType.attachmentKinds, reference: "证明", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.description, by: clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let payment = try #require(try await operations.benefits.payments(of: woman, by: clerk).first { $0.kind == "maternity" })
            #expect(payment.amount == draft.result.output.total && payment.runID == run.id)
            let pending = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db)
                    .first { $0.fund == .maternity && $0.account == .payable }?.balance
            }
            #expect(pending == draft.result.output.total, "pending in the maternity fund until the bank's return")
        }
    }

    /// RULES.md §3: a year paid, involuntary, registered — 12 months for under 5 years; approved,
    /// each payroll run pays one month from the unemployment fund; re-employment cancels the rest.
    /// A "4050" worker is flagged for priority help.
    @Test(arguments: TestDatabaseKind.available)
    func unemploymentIsPaidAMonthARunUntilReemployment(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let today = operations.clock.now().dateInChina
            // A man of 52 with 30 months paid into unemployment insurance.
            let person = try await operations.database.write { db in
                let row = try #require(try await db.raw(
                    "SELECT id, region_code FROM persons WHERE sex = 'male' AND birth_date BETWEEN '1972-01-01' AND '1974-01-01' ORDER BY id LIMIT 1"
                ).first())
                let id = try row.decode(column: "id", as: Int64.self)
                let start = today.period.advanced(by: -30)
                for offset in 0..<30 {
                    try await db.raw(
                        """
                        INSERT INTO paid_months (person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen, employer_transfer_fen,
                            credited_on)
                        SELECT \(bind: id), 'unemployment', \(bind: Int64(start.advanced(by: offset).yyyymm)), NULL, 400000, 2000, 0, 0, '2026-01-01'
                        WHERE NOT EXISTS (SELECT 1 FROM paid_months WHERE person_id = \(bind: id) AND scheme = 'unemployment'
                            AND period = \(bind: Int64(start.advanced(by: offset).yyyymm)))
                        """
                    ).run()
                }
                return id
            }
            let registered = today.adding(days: -20).description
            let draft = try await operations.benefits.unemploymentClaim(personID: person, registeredOn: registered, involuntary: true, carriedOverMonths: "",
                                                                        paymentPoint: point, account: "6222000055556666", by: clerk)
            #expect(draft.result.output.eligible && draft.result.output.months == 12 && draft.request.priorityGroups.contains(.fortyFifty))
            // Quit of their own will: not eligible, and no claim opens.
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.openUnemploymentClaim(personID: person, registeredOn: registered, involuntary: false, carriedOverMonths: "",
                                                                        paymentPoint: point, account: "6222000055556666", by: clerk)
            }
            let id = try await operations.benefits.openUnemploymentClaim(personID: person, registeredOn: registered, involuntary: true, carriedOverMonths: "",
                                                                         paymentPoint: point, account: "6222000055556666", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: UnemploymentClaim.caseType.attachmentKinds, reference: "证明", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            #expect(try await operations.benefits.unemploymentMonthsOwed(of: person, by: clerk) == 12)
            for month in [today.period, today.period.next] {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            let paid = try await operations.benefits.payments(of: person, by: clerk).filter { $0.kind == "unemployment" }
            #expect(paid.count == 2 && paid.allSatisfy { $0.amount == draft.result.output.monthlyAmount && $0.months == 1 })
            #expect(try await operations.benefits.unemploymentMonthsOwed(of: person, by: clerk) == 10)
            #expect(try await operations.benefits.recordReemployment(personID: person, on: today.description, by: clerk) == 10)
            #expect(try await operations.benefits.unemploymentMonthsOwed(of: person, by: clerk) == 0)
        }
    }

    /// RULES.md §4.5: a grade-3 worker's allowance (80% of the own wage, topped up to the minimum
    /// wage) and nursing allowance are the fund's each month: each payroll run pays the months
    /// since the last one paid (two after a month skipped), never the same month twice.
    @Test(arguments: TestDatabaseKind.available)
    func aGradeThreeAllowanceIsPaidMonthByMonth(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let person = try #require(try await registeredPersons(operations.database).items.dropFirst(3).first)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let draft = try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "3",
                                                                      ownWage: "2000.00", dependency: "partial", paymentPoint: point,
                                                                      account: "6222000011113333", by: clerk)
            let monthly = WorkInjuryAward.monthlyFromFund(draft.result.output)
            #expect(draft.result.output.allowancePayer == "fund" && monthly.fen > 0
                    && monthly == draft.result.output.monthlyAllowance + draft.result.output.minimumWageTopUp + draft.result.output.monthlyNursing)
            let id = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "3",
                                                                       ownWage: "2000.00", dependency: "partial", paymentPoint: point,
                                                                       account: "6222000011113333", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: WorkInjuryAward.caseType.attachmentKinds, reference: "文书", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            let today = operations.clock.now().dateInChina.period
            for month in [today, today.advanced(by: 2)] {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            let monthlies = try await operations.benefits.payments(of: person.id, by: clerk).filter { $0.kind == "work_injury_monthly" }
                .sorted { $0.period < $1.period }
            #expect(monthlies.map(\.amount) == [monthly, Money(fen: monthly.fen * 2)], "\(monthlies)")
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// Issue 11 item 3 for benefits owed once: the bank refuses the one-time subsidy; a clerk
    /// proposes a new account, a reviewer approves, and the next run pays it there — once.
    @Test(arguments: TestDatabaseKind.available)
    func aRefusedSubsidyIsPaidAgainIntoTheCorrectedAccount(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let person = try #require(try await registeredPersons(operations.database).items.dropFirst(5).first)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let id = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                       ownWage: "5000.00", paymentPoint: point, account: "6222000011114444", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: WorkInjuryAward.caseType.attachmentKinds, reference: "文书", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            let today = operations.clock.now().dateInChina.period
            func payroll(_ month: Period) async throws {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            try await payroll(today)
            let first = try #require(try await operations.benefits.payments(of: person.id, by: clerk).first { $0.kind == "work_injury" })
            _ = try await operations.benefits.importReturn(Data("\(first.id)|某人|6222000011114444|65000.00|331004195001010011|失败|账户已销户|\n".utf8),
                                                           fileName: "refused.txt", by: accountant)
            let refused = try await operations.benefits.refusedPayables(of: person.id, by: clerk)
            #expect(refused.count == 1 && refused[0].amount == Money.yuan(65_000))
            let change = try await operations.benefits.proposePayableAccount(refused[0].id, personID: person.id, paymentPoint: point,
                                                                             account: "6222000011115555", reason: "原账户已销户", by: clerk)
            await #expect(throws: ServiceError.self) { try await operations.benefits.decideAccount(change, approve: true, by: clerk) }
            try await operations.benefits.decideAccount(change, approve: true, by: reviewer)
            #expect(try await operations.benefits.refusedPayables(of: person.id, by: clerk).isEmpty)
            try await payroll(today.next)
            try await payroll(today.advanced(by: 2))
            let again = try await operations.benefits.payments(of: person.id, by: clerk).filter { $0.kind == "work_injury" && $0.state == "pending" }
            #expect(again.count == 1 && again[0].amount == Money.yuan(65_000) && again[0].period == today.next)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// RULES.md §4.6: a death from a work injury pays the next of kin the funeral grant and the
    /// death subsidy once and the survivor pensions each month from the month after death, until
    /// a clerk ends them.
    @Test(arguments: TestDatabaseKind.available)
    func aWorkInjuryDeathPaysOnceThenMonthlyUntilEnded(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let people = try await registeredPersons(operations.database).items
            let (worker, kin) = (people[7], people[8])
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let today = operations.clock.now().dateInChina.period
            let died = today.previous.firstDay.adding(days: 2)
            do {
                _ = try await operations.benefits.workInjuryDeath(personID: worker.id, deathDate: died.description, deceasedWage: "5000.00", spouse: true,
                                                                  others: "1", lone: "2", nextOfKin: worker.residentID.value, paymentPoint: point,
                                                                  account: "6222000011116666", by: clerk)
                Issue.record("more orphans than dependants, and the deceased as next of kin, were accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["lone", "nextOfKin"])
            }
            let draft = try await operations.benefits.workInjuryDeath(personID: worker.id, deathDate: died.description, deceasedWage: "5000.00", spouse: true,
                                                                      others: "2", lone: "2", nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                      account: "6222000011116666", by: clerk)
            let expected = try WorkInjuryDeathRule.evaluate(draft.request.input, book: try await operations.policy.book(), region: DemoDistrict.district)
            #expect(draft.result.output == expected.output && draft.request.input.dependants.count == 3)
            let id = try await operations.benefits.openWorkInjuryDeath(personID: worker.id, deathDate: died.description, deceasedWage: "5000.00", spouse: true,
                                                                       others: "2", lone: "2", nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                       account: "6222000011116666", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: WorkInjuryDeath.caseType.attachmentKinds, reference: "证明", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            func payroll(_ month: Period) async throws {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: month.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            try await payroll(today)
            try await payroll(today.next)
            try await operations.benefits.endSurvivorPensions(personID: worker.id, from: today.advanced(by: 2).description, by: clerk)
            try await payroll(today.advanced(by: 2))
            let payments = try await operations.benefits.payments(of: worker.id, by: clerk)
            let once = payments.filter { $0.kind == "work_injury_death" }
            let monthly = payments.filter { $0.kind == "work_injury_survivor" }.sorted { $0.period < $1.period }
            #expect(once.map(\.amount) == [expected.output.funeralGrant + expected.output.deathSubsidy])
            // From the month after death (this one), a month a run; none from the month it ends.
            #expect(monthly.map(\.amount) == [expected.output.survivorTotal, expected.output.survivorTotal], "\(monthly)")
            let transfers = try await operations.database.read { db in
                try await PayrollStore().transfers(run: once[0].runID, bank: once[0].bankCode, after: 0, limit: 100_000, on: db)
            }
            #expect(transfers.first { $0.number == once[0].id }?.name == kin.name)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
