/// 0022: the pensions being paid — one per person, written when a pension award is approved,
/// with its monthly amount and its parts as awarded (PROGRAMS.md §2.7).
public struct CreatePensions: Migration {
    public init() {}
    public let version = 22
    public let name = "pensions"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE pensions (
                person_id BIGINT PRIMARY KEY REFERENCES persons (id),
                case_id BIGINT NOT NULL UNIQUE REFERENCES cases (id),
                region_code TEXT NOT NULL,
                retirement_date TEXT NOT NULL,
                start_period BIGINT NOT NULL,
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen > 0),
                basic_fen BIGINT NOT NULL,
                account_fen BIGINT NOT NULL,
                transitional_fen BIGINT NOT NULL,
                top_up_fen BIGINT NOT NULL,
                state TEXT NOT NULL,
                awarded_at TEXT NOT NULL,
                awarded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX pensions_region ON pensions (region_code, start_period)",
        ]
    }
}
