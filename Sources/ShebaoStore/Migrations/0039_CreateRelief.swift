/// 0039: relief and charity (PROGRAMS.md §4.7): temporary-relief grants as approved (one per
/// case, counted against the person's year); donations received into the charity fund or the
/// education-aid fund; paired help (结对帮扶) between a unit or a cadre and a household, pledged
/// for a year and recorded as delivered.
public struct CreateRelief: Migration {
    public init() {}
    public let version = 39
    public let name = "relief grants, donations and paired help"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE relief_grants (
                case_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                year BIGINT NOT NULL,
                reason TEXT NOT NULL,
                granted_fen BIGINT NOT NULL CHECK (granted_fen > 0),
                approved_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX relief_grants_person ON relief_grants (person_id, year)",
            """
            CREATE TABLE charity_donations (
                id \(dialect.bigIntPrimaryKey),
                fund TEXT NOT NULL CHECK (fund IN ('charity', 'education_aid')),
                donor TEXT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                received_on TEXT NOT NULL,
                purpose TEXT NOT NULL,
                region_code TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE paired_help (
                id \(dialect.bigIntPrimaryKey),
                helper_kind TEXT NOT NULL CHECK (helper_kind IN ('unit', 'cadre')),
                helper_name TEXT NOT NULL,
                household_id BIGINT NOT NULL REFERENCES households (id),
                region_code TEXT NOT NULL,
                year BIGINT NOT NULL,
                pledged_fen BIGINT NOT NULL CHECK (pledged_fen > 0),
                delivered_fen BIGINT NOT NULL DEFAULT 0 CHECK (delivered_fen >= 0),
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                UNIQUE (helper_name, household_id, year)
            )
            """,
            "CREATE INDEX paired_help_year ON paired_help (year, region_code)",
        ]
    }
}
