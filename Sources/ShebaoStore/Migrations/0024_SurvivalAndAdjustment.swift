/// 0024: survival certification and the yearly adjustment (RULES.md §1.6–1.7). A pension keeps
/// its last certification and the month a missed one suspends it from; the months a pension
/// counts for the adjustment's per-year part, the year it was last adjusted, and the arrears an
/// adjustment owes for months already paid at the old amount (the next payroll pays them).
public struct SurvivalAndAdjustment: Migration {
    public init() {}
    public let version = 24
    public let name = "survival certification and pension adjustment"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE pensions ADD COLUMN certified_on TEXT",
            "ALTER TABLE pensions ADD COLUMN suspended_from BIGINT",
            "ALTER TABLE pensions ADD COLUMN contribution_months BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE pensions ADD COLUMN adjusted_year BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE pensions ADD COLUMN arrears_fen BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE survival_certifications (
                id \(dialect.bigIntPrimaryKey),
                person_id BIGINT NOT NULL REFERENCES pensions (person_id),
                certified_on TEXT NOT NULL,
                method TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX survival_certifications_person ON survival_certifications (person_id, certified_on)",
            // One row per pension an adjustment run raises, with the rule's parts.
            """
            CREATE TABLE pension_adjustments (
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                person_id BIGINT NOT NULL,
                chunk TEXT NOT NULL,
                old_fen BIGINT NOT NULL,
                new_fen BIGINT NOT NULL,
                flat_fen BIGINT NOT NULL,
                by_years_fen BIGINT NOT NULL,
                by_pension_fen BIGINT NOT NULL,
                age_fen BIGINT NOT NULL,
                contribution_years BIGINT NOT NULL,
                age BIGINT NOT NULL,
                PRIMARY KEY (run_id, person_id)
            )
            """,
        ]
    }
}
