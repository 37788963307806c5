/// 0044: what each payroll chunk paid from each fund — its payments, their total, its first and
/// last payment — written in the chunk's own transaction with its payments. Runs computed before
/// are filled in from their payments.
/// - Posting a run makes each fund's total pending in the ledger; read from the payments, that was
///   a pass over the whole run (0.4–0.5 s of a million-payment run on SQLite, each time it is
///   posted), where each chunk already reads its own freshly written rows for its count and total.
/// - A run's payments lie between its chunks' first and last: the payments' index by run (run,
///   id), which served only to find those two ends, goes. Every payment written no longer lands
///   in it too (measured in C with the payroll's statements, three months of a million: 1.5–2.0×
///   a plain copy with it, 1.4–1.6× without, 0043's note).
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
                first_id BIGINT NOT NULL,
                last_id BIGINT NOT NULL CHECK (last_id >= first_id),
                PRIMARY KEY (run_id, chunk, fund)
            )
            """,
            """
            INSERT INTO payroll_chunk_totals (run_id, chunk, fund, payments, total_fen, first_id, last_id)
            SELECT run_id, chunk, fund, COUNT(*), SUM(amount_fen), MIN(id), MAX(id) FROM pension_payments GROUP BY run_id, chunk, fund
            """,
            "DROP INDEX pension_payments_run",
        ]
    }
}
