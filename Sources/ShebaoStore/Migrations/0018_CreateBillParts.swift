/// 0018: each assessment chunk's share of the bills, summed in the chunk's own transaction while
/// its lines are fresh, so posting a run sums a few rows per unit instead of every line (a
/// province's 50,000,000 lines a month).
public struct CreateBillParts: Migration {
    public init() {}
    public let version = 18
    public let name = "bill parts per assessment chunk"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE bill_parts (
                run_id BIGINT NOT NULL,
                chunk TEXT NOT NULL,
                employer_id BIGINT NOT NULL,
                period BIGINT NOT NULL,
                scheme TEXT NOT NULL,
                headcount BIGINT NOT NULL,
                base_fen BIGINT NOT NULL,
                individual_fen BIGINT NOT NULL,
                employer_fen BIGINT NOT NULL,
                PRIMARY KEY (run_id, chunk, employer_id, scheme)
            )\(dialect.withoutRowID)
            """,
        ]
    }
}
