import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The pension payroll through banks (issue 11): computed, approved and posted as a batch run;
/// bank files only after posting; the banks' returns post or void each payment once; failed
/// payments reissued once the account is corrected by two people; a death stops the pension and
/// the months paid after it become a receivable.
@Suite("Pension payroll")
struct PayrollTests {
    /// Every pension's month paid at most once (failed attempts aside), per the table itself.
    static func doublePayments(_ operations: Operations) async throws -> Int {
        try await operations.database.read { db in
            try await SQLPieces.count(db, """
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT person_id, period FROM pension_payments WHERE state <> 'failed'
                GROUP BY person_id, period HAVING COUNT(*) > 1) d
                """)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theDemoPayrollReconcilesReissuesAndStopsAtDeath(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let retirees = try await DemoPayroll(operations: operations).run()
            #expect(retirees > 5)
            let clerk = try await operations.access.principal(named: "district")
            let runs = try await operations.batches.runs(kind: PensionPayroll.kind.id, by: clerk).items
            #expect(runs.count == 2 && runs.allSatisfy { $0.state == .posted })
            for run in runs {
                let reconciliation = try await operations.benefits.reconciliation(run: run.id, by: clerk)
                #expect(reconciliation.isReconciled, "run \(run.id): \(reconciliation)")
                #expect(reconciliation.business.pendingCount == 0 && reconciliation.business.issued.fen == run.total)
                #expect(reconciliation.business.failedCount > 0, "the demo's banks refuse some payments")
            }
            // The first month's refused pension payments went out again in the second run, to the new account.
            let first = try #require(runs.min { $0.id < $1.id })
            let second = try #require(runs.max { $0.id < $1.id })
            let (failedFirst, reissued) = try await operations.database.read { db in
                (try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pension_payments WHERE run_id = \(bind: first.id) AND state = 'failed' AND kind = 'pension'"),
                 try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pension_payments WHERE run_id = \(bind: second.id) AND attempt = 2"))
            }
            #expect(failedFirst > 0 && reissued == failedFirst)
            #expect(try await Self.doublePayments(operations) == 0)
            // The death two months before the last payroll: stopped, two months owed back, a receivable.
            let overpayments = try await operations.benefits.overpayments(by: clerk)
            let overpayment = try #require(overpayments.first)
            let pension = try #require(try await operations.benefits.pension(of: overpayment.personID, by: clerk))
            #expect(pension.state == .stopped && overpayment.amount == pension.monthly * 2)
            #expect(overpayment.first == second.key.period.previous && overpayment.last == second.key.period)
            let ledger = try await operations.database.read { db in try await LedgerStore().verify(on: db) }
            #expect(ledger.isIntact, "\(ledger.problems)")
            // The next payroll pays nobody twice and not the dead.
            let accountant = try await operations.access.principal(named: "accountant")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let next = try await operations.batches.start(kind: PensionPayroll.kind.id, period: second.key.period.next.description, by: clerk)
            let paidDead = try await operations.database.read { db in
                try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pension_payments WHERE run_id = \(bind: next.id) AND person_id = \(bind: overpayment.personID)")
            }
            #expect(paidDead == 0)
            // Files leave only after approval and posting.
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.payrollFiles(run: next.id, perFile: 1_000, format: .pain001, by: accountant)
            }
            _ = try await operations.batches.decide(next.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(next.id, by: accountant)
            let files = try await operations.benefits.payrollFiles(run: next.id, perFile: 3, format: .pain001, by: accountant)
            #expect(files.count > 5 && files.allSatisfy { $0.count <= 3 })
            // Written in one pass over the run, every file holds what its download (read bank by bank) holds.
            let written = WrittenFiles()
            let all = try await operations.benefits.writePayrollFiles(run: next.id, perFile: 3, format: .text, by: accountant) { file, data in
                await written.keep(file.name(run: next.id), data)
            }
            let texts = try await operations.benefits.payrollFiles(run: next.id, perFile: 3, format: .text, by: accountant)
            #expect(all.map { $0.name(run: next.id) } == texts.map { $0.name(run: next.id) })
            for file in texts {
                let (_, download) = try await operations.benefits.payrollFile(run: next.id, bank: file.bank.code, part: file.part, perFile: 3, format: .text,
                                                                              by: accountant)
                #expect(await written.files[file.name(run: next.id)] == download)
            }
            // Recovering part of the overpayment lowers the receivable; more than is owed is refused.
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.recordRecovery(overpayment.id, amount: (overpayment.amount + Money(fen: 1)).yuanText,
                                                                 receivedOn: Date.now.description.prefix(10).description, note: "家属退回", by: accountant)
            }
            let today = operations.clock.now().dateInChina.description
            let recovered = try await operations.benefits.recordRecovery(overpayment.id, amount: "100.00", receivedOn: today, note: "家属退回", by: accountant)
            #expect(recovered.recovered == Money.yuan(100) && recovered.outstanding == overpayment.amount - Money.yuan(100))
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aReturnListingAPaymentTwicePostsItOnce(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let run = try await Self.postedPayroll(operations)
            let accountant = try await operations.access.principal(named: "accountant")
            let transfers = try await operations.database.read { db in
                try await db.raw("SELECT id, amount_fen FROM pension_payments WHERE run_id = \(bind: run) ORDER BY id LIMIT 3").all()
                    .map { (try $0.decode(column: "id", as: Int64.self), Money(fen: try $0.decode(column: "amount_fen", as: Int64.self))) }
            }
            try #require(transfers.count == 3)
            let (a, b, c) = (transfers[0], transfers[1], transfers[2])
            // a twice (paid, then again), b failed, c with a wrong amount, and an id nobody was paid under.
            let text = """
                H|SB\(run)-X-1|5|
                \(a.0)|张三|6222000000000001|\(a.1.decimalString)|331004195001010011|成功||
                \(a.0)|张三|6222000000000001|\(a.1.decimalString)|331004195001010011|成功||
                \(b.0)|李四|6222000000000002|\(b.1.decimalString)|331004195001010011|失败|账户冻结|
                \(c.0)|王五|6222000000000003|\((c.1 + Money(fen: 1)).decimalString)|331004195001010011|成功||
                99999999|赵六|6222000000000004|1.00|331004195001010011|成功||
                T|5|
                """
            let outcome = try await operations.benefits.importReturn(Data(text.utf8), fileName: "return.txt", by: accountant)
            #expect(outcome.record.paidCount == 1 && outcome.record.failedCount == 1 && outcome.record.quarantinedCount == 3)
            #expect(Set(outcome.quarantined.map(\.reason)) == ["duplicate", "amount_differs", "unknown"])
            #expect(outcome.record.paid == a.1 && outcome.record.failed == b.1)
            // The same file again: nothing new.
            let again = try await operations.benefits.importReturn(Data(text.utf8), fileName: "return.txt", by: accountant)
            #expect(again.repeated && again.record.id == outcome.record.id)
            // Another file settling a again is quarantined: a payment is settled once.
            let later = "\(a.0)|张三|6222000000000001|\(a.1.decimalString)|331004195001010011|失败|迟到的回盘|\n"
            let third = try await operations.benefits.importReturn(Data(later.utf8), fileName: "return-2.txt", by: accountant)
            #expect(third.record.quarantinedCount == 1 && third.quarantined.map(\.reason) == ["already_settled"])
            let states = try await operations.database.read { db in
                try await db.raw("SELECT id, state FROM pension_payments WHERE id IN (\(binds: [a.0, b.0, c.0])) ORDER BY id").all()
                    .map { try $0.decode(column: "state", as: String.self) }
            }
            #expect(states == ["paid", "failed", "pending"])
            let reconciliation = try await operations.benefits.reconciliation(run: run, by: accountant)
            #expect(reconciliation.isReconciled && reconciliation.ledger.paid == a.1 && reconciliation.ledger.failed == b.1)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
            // A malformed return names the line and the field and posts nothing.
            do {
                _ = try await operations.benefits.importReturn(Data("\(a.0)|张三|6222|abc|3310|成功|\n".utf8), fileName: "bad.txt", by: accountant)
                Issue.record("a return with a bad amount was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["bank_return.bad_amount"] && error.fieldIssues[0].arguments == ["line": "1", "column": "4"])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPayrollStoppedAtAnyChunkResumesToOnePaymentEach(kind: TestDatabaseKind) async throws {
        struct Stop: Error {}
        // Three rounds, each stopped after a chunk chosen at random (the process killed there).
        for _ in 1...3 {
            try await withTestDistrict(kind) { operations in
                try await Self.retirees(operations)
                let clerk = try await operations.access.principal(named: "district")
                let period = operations.clock.now().dateInChina.period.description
                let draft = try await operations.batches.prepare(kind: PensionPayroll.kind.id, period: period, by: clerk)
                try #require(draft.chunkCount > 1)
                let stopAfter = Int.random(in: 1..<draft.chunkCount)
                await #expect(throws: ServiceError.self) {
                    _ = try await operations.batches.compute(draft, by: clerk, progress: { done, _ in
                        if done == stopAfter { throw Stop() }
                    })
                }
                #expect(try await operations.batches.run(draft.id, by: clerk).state == .draft)
                // Started again (as after a crash): the same run, resumed where it stopped.
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: period, by: clerk)
                #expect(run.id == draft.id && run.state == .computed)
                let (payments, pensions) = try await operations.database.read { db in
                    (try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pension_payments WHERE run_id = \(bind: run.id)"),
                     try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pensions WHERE state = 'paying'"))
                }
                #expect(payments == pensions && Int64(payments) == run.rowCount)
                #expect(try await Self.doublePayments(operations) == 0)
                // Once more: nothing changes.
                #expect(try await operations.batches.start(kind: PensionPayroll.kind.id, period: period, by: clerk).total == run.total)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPensionAccountIsChangedByTwoPeople(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            try await Self.retirees(operations)
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let pension = try #require(try await operations.benefits.pensions(by: clerk).items.first)
            let point = try #require(try await operations.benefits.paymentPoints(by: clerk).first)
            do {
                _ = try await operations.benefits.proposeAccount(personID: pension.personID, paymentPoint: "x", account: "12ab", reason: "", by: clerk)
                Issue.record("a bad account was accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["paymentPoint", "account", "reason"])
            }
            let change = try await operations.benefits.proposeAccount(personID: pension.personID, paymentPoint: String(point.id),
                                                                      account: "6222 0000 1111 2222 333", reason: "换卡", by: clerk)
            await #expect(throws: ServiceError.self) { try await operations.benefits.decideAccount(change, approve: true, by: clerk) }
            try await operations.benefits.decideAccount(change, approve: true, by: reviewer)
            let changed = try #require(try await operations.benefits.pension(of: pension.personID, by: clerk))
            #expect(changed.bankAccount == "6222000011112222333" && changed.paymentPointID == point.id && changed.maskedAccount == "***************2333")
            await #expect(throws: ServiceError.self) { try await operations.benefits.decideAccount(change, approve: true, by: reviewer) }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aBadDeathRegisterChangesNothing(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            try await Self.retirees(operations)
            let accountant = try await operations.access.principal(named: "accountant")
            let clerk = try await operations.access.principal(named: "district")
            let pension = try #require(try await operations.benefits.pensions(by: clerk).items.first)
            let person = try #require(try await operations.registry.person(pension.personID, by: clerk))
            let csv = "公民身份号码,姓名,死亡日期\n\(person.residentID.value),\(person.name),2026-01-15\n110101198001010010,某人,2099-01-01\n"
            let outcome = try await operations.benefits.importDeaths(Data(csv.utf8), fileName: "deaths.csv", by: accountant)
            #expect(outcome.issues.map(\.code) == ["death.bad_date"] && outcome.issues[0].row == 3 && outcome.issues[0].column == "C")
            #expect(try await operations.benefits.pension(of: pension.personID, by: clerk)?.state == .paying)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aMissedCertificationSuspendsAndACertificationPaysTheMonthsBack(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            try await Self.retirees(operations)
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let today = operations.clock.now().dateInChina
            let pension = try #require(try await operations.benefits.pensions(by: clerk).items.first { $0.state == .paying })
            // Last certified 20 months ago: cycle (12) and grace (3) are over.
            let long = try #require(today.addingMonths(-20))
            try await operations.database.write { db in
                try await db.raw("UPDATE pensions SET certified_on = \(bind: long.description) WHERE person_id = \(bind: pension.personID)").run()
            }
            let check = try #require(try await operations.benefits.survivalChecks(by: clerk).first { $0.standing.personID == pension.personID })
            #expect(check.output.suspend && check.output.due == long.addingMonths(12))
            #expect(try await operations.benefits.suspendUncertified(by: accountant) >= 1)
            let suspended = try #require(try await operations.benefits.pension(of: pension.personID, by: clerk))
            #expect(suspended.suspendedFrom == today.period, "from the month after the last one paid")
            // This month's payroll leaves the suspended pension out.
            func pay(_ period: Period) async throws -> Int64 {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: period.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
                return run.id
            }
            let first = try await pay(today.period)
            #expect(try await operations.benefits.payments(of: pension.personID, by: clerk).allSatisfy { $0.runID != first })
            // A bad date is refused beside its field; a good one resumes the pension.
            do {
                try await operations.benefits.certify(personID: pension.personID, on: "2099-01-01", method: "in_person", by: clerk)
                Issue.record("a certification in the future was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["certifiedOn"])
            }
            try await operations.benefits.certify(personID: pension.personID, on: today.description, method: "remote_face", by: clerk)
            let next = try await pay(today.period.next)
            let payment = try #require(try await operations.benefits.payments(of: pension.personID, by: clerk).first { $0.runID == next })
            #expect(payment.months == 2 && payment.amount == pension.monthly * 2, "the month held back is paid with the next")
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theAdjustmentRaisesEachPensionByTheRuleAndOwesArrears(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            try await Self.retirees(operations)
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let today = operations.clock.now().dateInChina
            let year = today.year
            let before = try await operations.benefits.pensions(paging: Paging(perPage: 500), by: clerk).items
            let old = try #require(before.first { $0.start.year < year && $0.state == .paying })
            let run = try await operations.batches.start(kind: PensionAdjustment.kind.id, period: "\(year)-01", by: clerk)
            #expect(run.state == .computed && run.rowCount == Int64(before.filter { $0.start.year < year }.count))
            await #expect(throws: ServiceError.self) { _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: clerk) }
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let raised = try #require(try await operations.benefits.pension(of: old.personID, by: clerk))
            let person = try await operations.registry.person(old.personID, by: clerk)
            let expected = try PensionAdjustmentRule.evaluate(
                .init(year: year, currentPension: old.monthly, contributionYears: Int(old.contributionMonths / 12),
                      age: person.birthDate.age(on: LocalDate(year: year, month: 1, day: 1)!)),
                book: try await operations.policy.book(), region: DemoDistrict.district).output
            #expect(raised.monthly == expected.newPension && expected.increase.fen > 0)
            // Paid through last month at the old amount: the increase is owed for each month of the year.
            let paidMonths = Int64(Period(year: year, month: 1)!.distance(to: try #require(old.paidThrough)) + 1)
            #expect(raised.arrears == expected.increase * paidMonths)
            // Started again: the same run; the next payroll pays the new amount and the arrears once.
            #expect(try await operations.batches.start(kind: PensionAdjustment.kind.id, period: "\(year)-01", by: clerk).id == run.id)
            let payroll = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.description, by: clerk)
            let payment = try #require(try await operations.benefits.payments(of: old.personID, by: clerk).first { $0.runID == payroll.id })
            #expect(payment.amount == raised.monthly + raised.arrears)
            #expect(try await operations.benefits.pension(of: old.personID, by: clerk)?.arrears == .zero)
            let adjustments = try await operations.benefits.adjustments(of: old.personID, by: clerk)
            #expect(adjustments.first?.year == year && adjustments.first?.line.new == expected.newPension)
        }
    }

    /// Retirees with accounts, without any payroll run.
    static func retirees(_ operations: Operations) async throws {
        _ = try await DemoPayroll(operations: operations).awardOnly()
    }

    /// A posted payroll run of this month over the demo's retirees; its id.
    static func postedPayroll(_ operations: Operations) async throws -> Int64 {
        try await retirees(operations)
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let accountant = try await operations.access.principal(named: "accountant")
        let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: operations.clock.now().dateInChina.period.description, by: clerk)
        _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
        return try await operations.batches.post(run.id, by: accountant).id
    }

    /// RULES.md §1.7: a retiree reported dead by the register — the payout (funeral grant and
    /// survivors' lump sum by the rule, the account's own part left) goes to the next of kin, once,
    /// approved by another person; the bank file names the next of kin, not the deceased.
    @Test(arguments: TestDatabaseKind.available)
    func aRetireesDeathPaysTheNextOfKinOnce(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            try await Self.retirees(operations)
            let accountant = try await operations.access.principal(named: "accountant")
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let pension = try #require(try await operations.benefits.pensions(by: clerk).items.first)
            let person = try #require(try await operations.registry.person(pension.personID, by: clerk))
            let kin = try #require(try await registeredPersons(operations.database).items.first { $0.id != person.id })
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let today = operations.clock.now().dateInChina
            // Not dead: no payout.
            await #expect(throws: ServiceError.conflict("survivor.not_dead")) {
                _ = try await operations.benefits.survivorPayout(personID: person.id, nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                 account: "6222000099990000", by: clerk)
            }
            let died = today.period.previous.firstDay.adding(days: 4)
            let csv = "公民身份号码,姓名,死亡日期\n\(person.residentID.value),\(person.name),\(died)\n"
            #expect(try await operations.benefits.importDeaths(Data(csv.utf8), fileName: "deaths.csv", by: accountant).stopped.count == 1)
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.survivorPayout(personID: person.id, nextOfKin: person.residentID.value, paymentPoint: point,
                                                                 account: "6222000099990000", by: clerk)
            }
            let draft = try await operations.benefits.survivorPayout(personID: person.id, nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                     account: "6222000099990000", by: clerk)
            let expected = try PensionDeathRule.evaluate(draft.request.input, book: try await operations.policy.book(), region: DemoDistrict.district)
            #expect(draft.result.output == expected.output && draft.request.input.deathDate == died && draft.result.output.funeralGrant.fen > 0)
            let id = try await operations.benefits.openSurvivorPayout(personID: person.id, nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                      account: "6222000099990000", by: clerk)
            try await operations.cases.checkAndApprove(id, documents: SurvivorPayout.caseType.attachmentKinds, reference: "证明", note: nil,
                                                        clerk: clerk, reviewer: reviewer)
            await #expect(throws: ServiceError.conflict("survivor.paid")) {
                _ = try await operations.benefits.openSurvivorPayout(personID: person.id, nextOfKin: kin.residentID.value, paymentPoint: point,
                                                                     account: "6222000099990000", by: clerk)
            }
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.description, by: clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
            _ = try await operations.batches.post(run.id, by: accountant)
            let payment = try #require(try await operations.benefits.payments(of: person.id, by: clerk).first { $0.kind == "survivor" })
            #expect(payment.amount == expected.output.total)
            let transfers = try await operations.database.read { db in
                try await PayrollStore().transfers(run: run.id, bank: payment.bankCode, after: 0, limit: 100_000, on: db)
            }
            let transfer = try #require(transfers.first { $0.number == payment.id })
            #expect(transfer.name == kin.name && transfer.residentID == kin.residentID.value && transfer.account == "6222000099990000")
            #expect(transfer.kind == "survivor")
            // Read for pain.001, which carries no resident ID, in one pass over the run: the kind
            // of each payment as stored, pensions' too (read as NULL).
            let inOrder = try await operations.database.read { db in
                let range = try #require(try await PayrollStore().paymentRange(run: run.id, on: db))
                return try await PayrollStore().transfersInOrder(run: run.id, range: range, after: 0, limit: 100_000, residentIDs: false, on: db)
            }
            #expect(inOrder.allSatisfy { $0.transfer.residentID.isEmpty })
            #expect(inOrder.contains { $0.transfer.number == payment.id && $0.transfer.kind == "survivor" && $0.transfer.name == kin.name })
            let kinds = try await operations.database.read { db in
                try await db.raw("SELECT id, kind FROM pension_payments WHERE run_id = \(bind: run.id)").all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "kind", as: String.self))
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: kinds) == Dictionary(uniqueKeysWithValues: inOrder.map { ($0.transfer.number, $0.transfer.kind) }))
            #expect(kinds.contains { $0.1 == "pension" })
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}

/// The files a payroll writes, by name.
actor WrittenFiles {
    var files: [String: Data] = [:]

    func keep(_ name: String, _ data: Data) { files[name] = data }
}
