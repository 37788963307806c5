/// 0006: the policy book — dated, region-specific parameters with legal basis, proposed by one
/// person and approved by another; nothing is edited, a change is a new dated row.
public struct CreateParameters: Migration {
    public init() {}
    public let version = 6
    public let name = "create parameters"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE parameters (
                id \(dialect.bigIntPrimaryKey),
                key TEXT NOT NULL,
                region_code TEXT NOT NULL,
                valid_from TEXT NOT NULL,
                value TEXT NOT NULL,
                unit TEXT NOT NULL,
                legal_basis TEXT NOT NULL,
                label TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT,
                proposed_by BIGINT REFERENCES users (id),
                proposed_by_name TEXT NOT NULL,
                proposed_at TEXT NOT NULL,
                decided_by BIGINT REFERENCES users (id),
                decided_at TEXT
            )
            """,
            "CREATE INDEX parameters_key ON parameters (key, status, valid_from)",
            // One approved value per key, region and date: a correction is a later date, not an edit.
            "CREATE UNIQUE INDEX parameters_one_approved ON parameters (key, region_code, valid_from) WHERE status = 'approved'",
        ]
    }
}
