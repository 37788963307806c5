/// 0033: the minimum living guarantee granted to a household (PROGRAMS.md §4.1): one row per
/// granted application with the monthly amount the rule gave, paid to the household head each
/// month from the month after the grant by the payroll (as the work-injury allowances are),
/// until a clerk ends it from a month; each reviewed periodically by its household's category,
/// every review kept.
public struct CreateDibaoGrants: Migration {
    public init() {}
    public let version = 33
    public let name = "dibao grants"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE dibao_grants (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                household_id BIGINT NOT NULL REFERENCES households (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                household_size BIGINT NOT NULL CHECK (household_size >= 1),
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen > 0),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                monthly_from BIGINT NOT NULL,
                paid_through BIGINT,
                ends_from BIGINT,
                end_reason TEXT,
                category TEXT NOT NULL CHECK (category IN ('stable', 'working')),
                next_review TEXT NOT NULL,
                granted_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE dibao_reviews (
                id \(dialect.bigIntPrimaryKey),
                case_id BIGINT NOT NULL REFERENCES dibao_grants (case_id),
                reviewed_on TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('continued', 'ended')),
                note TEXT NOT NULL,
                reviewed_by TEXT NOT NULL,
                next_review TEXT,
                recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX dibao_reviews_case ON dibao_reviews (case_id)",
            "CREATE INDEX dibao_grants_review ON dibao_grants (next_review)",
            "CREATE INDEX dibao_grants_person ON dibao_grants (person_id)",
            "CREATE INDEX dibao_grants_household ON dibao_grants (household_id)",
            "CREATE INDEX dibao_grants_region ON dibao_grants (region_code)",
        ]
    }
}
