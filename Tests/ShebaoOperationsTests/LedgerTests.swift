import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The fund ledger (DESIGN.md §6, RELIABILITY §A1) on both databases: balanced entries only, one
/// posting per idempotency key, reversals once, lines the database will not change, balances and
/// payment capacity, and a verification that finds a line changed behind its back.
@Suite("Fund ledger")
struct LedgerTests {
    static func entry(_ key: String, fund: String = "work_injury", date: String = "2026-03-01", memo: String = "利息入账",
                      lines: [(String, String?, String?)] = [("special_deposit", "1,000.00", nil), ("interest_income", nil, "1,000.00")]) -> LedgerEntryInput {
        LedgerEntryInput(fund: fund, occurredOn: date, memo: memo, idempotencyKey: key, lines: lines.map { .init(account: $0.0, debit: $0.1, credit: $0.2) })
    }

    @Test func draftsThatDoNotBalanceAreRefused() {
        let day = LocalDate(year: 2026, month: 1, day: 1)!
        func draft(_ lines: [LedgerLine], memo: String = "m") -> LedgerRefusal? {
            LedgerEntryDraft(fund: .maternity, occurredOn: day, memo: memo, source: "manual", lines: lines).refusal()
        }
        let hundred = Money(fen: 10_000)
        #expect(draft([LedgerLine(.specialDeposit, debit: hundred), LedgerLine(.fundBalance, credit: hundred)]) == nil)
        #expect(draft([LedgerLine(.specialDeposit, debit: hundred)]) == .lineCount(1))
        #expect(draft([LedgerLine(.specialDeposit, debit: hundred), LedgerLine(.fundBalance, credit: Money(fen: 9_999))])
            == .unbalanced(debits: hundred, credits: Money(fen: 9_999)))
        #expect(draft([LedgerLine(.specialDeposit, debit: hundred, credit: hundred), LedgerLine(.fundBalance, credit: .zero)]) == .oneSidePerLine(line: 1))
        #expect(draft([LedgerLine(.specialDeposit, debit: Money(fen: -5)), LedgerLine(.fundBalance, credit: Money(fen: -5))]) == .oneSidePerLine(line: 1))
        #expect(draft([LedgerLine(.specialDeposit, debit: hundred), LedgerLine(.fundBalance, credit: hundred)], memo: "　") == .memoRequired)
        let huge = Money(fen: LedgerEntryDraft.lineLimit.fen + 1)
        #expect(draft([LedgerLine(.specialDeposit, debit: huge), LedgerLine(.fundBalance, credit: huge)]) == .lineTooLarge(line: 1))
        #expect(FundPosition.capacityTenths(balance: Money(fen: 15_148_000_000), averageMonthlyExpenditure: Money(fen: 436_542_000)) == 347)
        #expect(FundPosition.capacityTenths(balance: Money(fen: 100), averageMonthlyExpenditure: .zero) == nil)
    }

    @Test(arguments: TestDatabaseKind.available)
    func entriesPostOnceBalanceAndReverseOnce(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let ledger = operations.ledger
            let accountant = try await operations.access.principal(named: "accountant")
            // The demo's opening funds from the seed.
            let opening = try await ledger.positions(on: LocalDate(year: 2026, month: 1, day: 1)!, by: accountant)
            #expect(opening.first { $0.fund == .enterprisePension }?.balance == Money(fen: 680_000_000))
            #expect(opening.first { $0.fund == .workInjury }?.balance == Money(fen: 40_000_000))
            #expect(opening.first { $0.fund == .maternity }?.balance == Money(fen: 20_000_000))

            let (posted, created) = try await ledger.post(Self.entry("interest-2026-03"), by: accountant)
            #expect(created && posted.lines.count == 2 && posted.recordedBy == "accountant")
            // A retry posts nothing; the same key with other lines is refused.
            let (again, createdAgain) = try await ledger.post(Self.entry("interest-2026-03"), by: accountant)
            #expect(!createdAgain && again.id == posted.id)
            await #expect(throws: ServiceError.conflict("ledger.key_reused", ["key": "interest-2026-03"])) {
                _ = try await ledger.post(Self.entry("interest-2026-03", lines: [("special_deposit", "1,000.01", nil), ("interest_income", nil, "1,000.01")]),
                                          by: accountant)
            }
            await #expect(throws: ServiceError(.invalid, "ledger.unbalanced", ["debits": "1,000.00", "credits": "999.00"])) {
                _ = try await ledger.post(Self.entry("unbalanced-1", lines: [("special_deposit", "1000", nil), ("interest_income", nil, "999")]), by: accountant)
            }
            // Only a fund accountant posts.
            await #expect(throws: ServiceError.forbidden) { _ = try await ledger.post(Self.entry("by-a-clerk"), by: try await operations.access.principal(named: "district")) }

            // A benefit paid: the fund's balance falls and its payment capacity appears.
            _ = try await ledger.post(Self.entry("benefit-2026-03", date: "2026-03-10", memo: "工伤待遇",
                                                 lines: [("benefit_expense", "12,000.00", nil), ("special_deposit", nil, "12,000.00")]), by: accountant)
            let positions = try await ledger.positions(on: LocalDate(year: 2026, month: 3, day: 31)!, by: accountant)
            let injury = try #require(positions.first { $0.fund == .workInjury })
            #expect(injury.balance == Money(fen: 40_000_000 + 100_000 - 1_200_000))
            #expect(injury.averageMonthlyExpenditure == Money(fen: 100_000))
            #expect(injury.paymentCapacityTenths == 3_890)  // 389,000 ÷ 1,000 a month

            // A reversal swaps every line, once.
            let reversal = try await ledger.reverse(posted.id, reason: "重复入账", idempotencyKey: "reverse-interest-1", by: accountant)
            #expect(reversal.reverses == posted.id)
            #expect(reversal.lines == posted.lines.map { LedgerLine($0.account, debit: $0.credit, credit: $0.debit) })
            #expect(try await ledger.reverse(posted.id, reason: "重复入账", idempotencyKey: "reverse-interest-1", by: accountant).id == reversal.id)
            await #expect(throws: ServiceError.conflict("ledger.already_reversed", ["id": String(posted.id), "by": String(reversal.id)])) {
                _ = try await ledger.reverse(posted.id, reason: "再冲一次", idempotencyKey: "reverse-interest-2", by: accountant)
            }
            await #expect(throws: ServiceError.conflict("ledger.reversal_of_reversal")) {
                _ = try await ledger.reverse(reversal.id, reason: "冲回", idempotencyKey: "reverse-reversal-1", by: accountant)
            }
            #expect(try await ledger.entry(posted.id, by: accountant).reversedBy == reversal.id)
            let after = try await ledger.positions(on: LocalDate(year: 2026, month: 3, day: 31)!, by: accountant)
            #expect(after.first { $0.fund == .workInjury }?.balance == Money(fen: 40_000_000 - 1_200_000))

            let verification = try await ledger.verify(by: accountant)
            #expect(verification.isIntact, "\(verification.problems)")
            #expect(verification.entries == 6 && verification.lines == 12)
        }
    }

    /// The database refuses to change or remove a line on both engines; with the guard removed by
    /// hand, the verification finds the line that no longer matches its entry.
    @Test(arguments: TestDatabaseKind.available)
    func linesCannotBeChangedAndAChangeIsFound(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let accountant = try await operations.access.principal(named: "accountant")
            let (entry, _) = try await operations.ledger.post(Self.entry("interest-tamper"), by: accountant)
            let database = operations.database
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("UPDATE ledger_lines SET debit_fen = 1 WHERE entry_id = \(bind: entry.id) AND debit_fen > 0").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("DELETE FROM ledger_lines WHERE entry_id = \(bind: entry.id)").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("UPDATE ledger_entries SET memo = 'x' WHERE id = \(bind: entry.id)").run() }
            }
            #expect(try await operations.ledger.verify(by: nil).isIntact)
            guard kind == .sqlite else { return }
            try await database.write { db in
                try await db.raw("DROP TRIGGER ledger_lines_no_update").run()
                try await db.raw("UPDATE ledger_lines SET debit_fen = 100 WHERE entry_id = \(bind: entry.id) AND debit_fen > 0").run()
            }
            let broken = try await operations.ledger.verify(by: nil)
            #expect(!broken.isIntact)
            #expect(broken.problems.contains { $0.hasPrefix("entry \(entry.id): debits 100 fen") })
            #expect(broken.problems.contains { $0.hasPrefix("entry \(entry.id): lines") })
        }
    }
}
