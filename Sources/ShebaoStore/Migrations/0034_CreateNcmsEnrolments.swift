/// 0034: households enrolled in the new rural cooperative medical scheme for a year (PROGRAMS.md
/// §4.3): whole households, voluntarily; each row keeps who took part, how many of them the
/// assistance programs cover, and the year's financing split the rule gave.
public struct CreateNcmsEnrolments: Migration {
    public init() {}
    public let version = 34
    public let name = "rural cooperative medical enrolments"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE ncms_enrolments (
                household_id BIGINT NOT NULL REFERENCES households (id),
                year BIGINT NOT NULL,
                region_code TEXT NOT NULL,
                participants BIGINT NOT NULL CHECK (participants >= 1),
                assisted BIGINT NOT NULL CHECK (assisted >= 0 AND assisted <= participants),
                per_person_fen BIGINT NOT NULL,
                participants_fen BIGINT NOT NULL,
                town_fen BIGINT NOT NULL,
                district_fen BIGINT NOT NULL,
                city_fen BIGINT NOT NULL,
                total_fen BIGINT NOT NULL,
                enrolled_at TEXT NOT NULL,
                enrolled_by TEXT NOT NULL,
                PRIMARY KEY (household_id, year)
            )
            """,
            "CREATE INDEX ncms_enrolments_region ON ncms_enrolments (year, region_code)",
        ]
    }
}
