/// 0014: the fund ledger (DESIGN.md §6, RELIABILITY §A1). Accounts per fund and region; entries
/// (append-only, with an idempotency key and at most one reversal) and their lines (append-only,
/// each a positive debit or a positive credit).
public struct CreateLedger: Migration {
    public init() {}
    public let version = 14
    public let name = "fund ledger"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE ledger_accounts (
                id \(dialect.bigIntPrimaryKey),
                region_code TEXT NOT NULL REFERENCES regions (code),
                fund TEXT NOT NULL,
                kind TEXT NOT NULL,
                UNIQUE (region_code, fund, kind)
            )
            """,
        ] + LedgerStore.entries.createStatements(dialect: dialect) + [
            "CREATE INDEX ledger_entries_fund ON ledger_entries (region_code, fund, occurred_on)",
            """
            CREATE TABLE ledger_lines (
                id \(dialect.bigIntPrimaryKey),
                entry_id BIGINT NOT NULL REFERENCES ledger_entries (id),
                account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
                debit_fen BIGINT NOT NULL CHECK (debit_fen >= 0),
                credit_fen BIGINT NOT NULL CHECK (credit_fen >= 0),
                CHECK ((debit_fen = 0) <> (credit_fen = 0))
            )
            """,
            "CREATE INDEX ledger_lines_entry ON ledger_lines (entry_id)",
            "CREATE INDEX ledger_lines_account ON ledger_lines (account_id)",
        ] + dialect.appendOnlyTriggers(table: "ledger_lines")
    }
}
