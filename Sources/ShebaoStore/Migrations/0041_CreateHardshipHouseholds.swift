/// 0041: the register of special-hardship families (特困家庭, PROGRAMS.md §4.7): a household the
/// town designates with what it needs help with — work, schooling, living — and why, reviewed
/// within a year, until it leaves the register.
public struct CreateHardshipHouseholds: Migration {
    public init() {}
    public let version = 41
    public let name = "special-hardship households"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE hardship_households (
                id \(dialect.bigIntPrimaryKey),
                household_id BIGINT NOT NULL REFERENCES households (id),
                region_code TEXT NOT NULL,
                needs TEXT NOT NULL,
                reason TEXT NOT NULL,
                designated_on TEXT NOT NULL,
                review_by TEXT NOT NULL,
                designated_by TEXT NOT NULL,
                ended_on TEXT,
                end_reason TEXT
            )
            """,
            "CREATE INDEX hardship_households_household ON hardship_households (household_id, ended_on)",
        ]
    }
}
