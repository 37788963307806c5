/// 0010: batch runs — one live run per kind, period and scope, with the versions of its inputs,
/// its counts and its total (money in fen, or a count, as the kind says) and its state; one progress row per chunk done, written in the chunk's
/// own transaction, so a run killed between chunks resumes where it stopped.
public struct CreateBatchRuns: Migration {
    public init() {}
    public let version = 10
    public let name = "create batch runs"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE batch_runs (
                id \(dialect.bigIntPrimaryKey),
                kind TEXT NOT NULL,
                period BIGINT NOT NULL,
                scope_code TEXT NOT NULL REFERENCES regions (code),
                state TEXT NOT NULL,
                inputs TEXT NOT NULL,
                chunk_keys TEXT NOT NULL,
                chunk_count BIGINT NOT NULL,
                chunks_done BIGINT NOT NULL DEFAULT 0,
                row_count BIGINT NOT NULL DEFAULT 0,
                total BIGINT NOT NULL DEFAULT 0,
                created_by BIGINT REFERENCES users (id),
                created_by_name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                computed_at TEXT,
                decided_by BIGINT REFERENCES users (id),
                decided_by_name TEXT,
                decided_at TEXT,
                decision_note TEXT,
                posted_by BIGINT REFERENCES users (id),
                posted_at TEXT
            )
            """,
            // One live run per kind, period and scope: a rerun finds it instead of doubling it.
            "CREATE UNIQUE INDEX batch_runs_live ON batch_runs (kind, period, scope_code) WHERE state <> 'rejected'",
            """
            CREATE TABLE batch_chunks (
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                chunk_no BIGINT NOT NULL,
                chunk_key TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                total BIGINT NOT NULL,
                done_at TEXT NOT NULL,
                PRIMARY KEY (run_id, chunk_no)
            )
            """,
        ] + dialect.appendOnlyTriggers(table: "batch_chunks")
    }
}
