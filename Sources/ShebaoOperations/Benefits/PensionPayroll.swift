import ShebaoCore
import ShebaoStore
import SQLKit

/// The monthly pension payroll as a batch run (DESIGN.md §5): one chunk per 100,000 person ids,
/// each an `INSERT … SELECT` of that chunk's payments in its own transaction — a failed payment
/// whose account was corrected is reissued, every pension being paid gets its months since the
/// last month paid. A clerk computes it, a reviewer approves it, and posting makes the payments
/// pending in the ledger (the first phase); only then can the bank files be written, and each
/// bank's return posts or voids its payments (the second phase). Reruns double nothing: one live
/// run per month and scope, one chunk per transaction, and a unique index under it all that lets
/// a pension's month be paid once.
public enum PensionPayroll {
    /// Every pension here is an enterprise employee's: the district's public institutions'
    /// pensions are paid by the institution fund's own payroll (not yet in this system).
    static let fund = Fund.enterprisePension

    public static let kind = BatchKind(
        id: PayrollStore.payrollKind,
        totalUnit: .money,
        computeRoles: [.districtClerk, .fundAccountant],
        decideRoles: [.reviewer],
        postRoles: [.fundAccountant, .districtClerk],
        chunks: { _, db in try await PayrollStore().chunks(on: db).map(\.key) },
        compute: { run, chunk, db in
            guard let persons = AssessmentChunk(key: chunk) else { throw AssessmentRefusal.badChunk(chunk) }
            return try await PayrollStore().pay(run: run.id, chunk: persons, period: run.key.period, scope: run.key.scope, fund: fund, on: db)
        },
        post: { run, actor, now, db in
            // The first phase: the fiscal special account funds the expenditure account with the
            // payroll, and the payments become a payable until the banks' returns settle them.
            guard let region = try await InstallationStore().current(on: db)?.region else { return }
            let memo = StringTables.bundled.text("ledger.memo.payroll", .zhHans, ["period": run.key.period.description, "run": String(run.id)])
            for (fund, amount) in try await PayrollStore().totalsByFund(run: run.id, on: db) where amount.fen > 0 {
                let source = "payroll:\(run.id)"
                let transfer = LedgerEntryDraft(fund: fund, occurredOn: run.key.period.lastDay, memo: memo, source: source,
                                                lines: [LedgerLine(.expenditureDeposit, debit: amount), LedgerLine(.specialDeposit, credit: amount)])
                _ = try await LedgerStore().post(transfer, region: region, key: "payroll:\(run.id):\(fund.rawValue):funding", by: actor, at: now, on: db)
                let pending = LedgerEntryDraft(fund: fund, occurredOn: run.key.period.lastDay, memo: memo, source: source,
                                               lines: [LedgerLine(.benefitExpense, debit: amount), LedgerLine(.payable, credit: amount)])
                _ = try await LedgerStore().post(pending, region: region, key: "payroll:\(run.id):\(fund.rawValue):pending", by: actor, at: now, on: db)
            }
        },
        output: { run, db, _ in
            let shares = try await PayrollStore().shares(run: run.id, on: db)
            let count = shares.reduce(Int64(0)) { $0 + $1.count }
            let amount = shares.reduce(Money.zero) { $0 + $1.amount }
            return OutputTable(columns: ["payroll.bank", "payroll.payments", "payroll.amount"],
                               rows: shares.map { ["\($0.bank.name) (\($0.bank.code))", String($0.count), $0.amount.formatted] },
                               total: [String(count), amount.formatted])
        })
}
