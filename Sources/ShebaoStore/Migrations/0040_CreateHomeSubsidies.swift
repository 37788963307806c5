/// 0040: the district's construction subsidies to welfare homes as approved (PROGRAMS.md §4.2):
/// one per approved application (its case), what it was for and what it pays, and the transfer
/// that paid it.
public struct CreateHomeSubsidies: Migration {
    public init() {}
    public let version = 40
    public let name = "welfare home construction subsidies"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE home_subsidies (
                case_id BIGINT PRIMARY KEY,
                institution_id BIGINT NOT NULL REFERENCES welfare_institutions (id),
                region_code TEXT NOT NULL,
                renovation_fen BIGINT NOT NULL CHECK (renovation_fen >= 0),
                new_beds BIGINT NOT NULL CHECK (new_beds >= 0),
                bed_fen BIGINT NOT NULL CHECK (bed_fen >= 0),
                total_fen BIGINT NOT NULL CHECK (total_fen > 0),
                approved_at TEXT NOT NULL,
                paid_on TEXT,
                payment_reference TEXT,
                paid_by TEXT
            )
            """,
        ]
    }
}
