/// 0044: what each payroll chunk paid from each fund — its payments and their total — written in
/// the chunk's own transaction with its payments. Posting a run makes each fund's total pending
/// in the ledger; read from the payments, that was a pass over the whole run (0.4–0.5 s of a
/// million-payment run on SQLite, each time it is posted), where each chunk already reads its own
/// freshly written rows for its count and total. Runs computed before are filled in from their
/// payments.
public struct PayrollChunkTotals: Migration {
    public init() {}
    public let version = 44
    public let name = "payroll chunk totals"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE payroll_chunk_totals (
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                chunk TEXT NOT NULL,
                fund TEXT NOT NULL,
                payments BIGINT NOT NULL CHECK (payments > 0),
                total_fen BIGINT NOT NULL CHECK (total_fen > 0),
                PRIMARY KEY (run_id, chunk, fund)
            )
            """,
            """
            INSERT INTO payroll_chunk_totals (run_id, chunk, fund, payments, total_fen)
            SELECT run_id, chunk, fund, COUNT(*), SUM(amount_fen) FROM pension_payments GROUP BY run_id, chunk, fund
            """,
        ]
    }
}
