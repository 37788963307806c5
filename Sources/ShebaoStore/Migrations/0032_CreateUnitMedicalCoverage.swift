/// 0032: a unit's medical coverage by month (PROGRAMS.md §2.8): a struggling enterprise's staff
/// insured for inpatient pooling only from a month, and back to full coverage from a later one;
/// each change proposed by a clerk and approved by someone else before the assessment reads it.
public struct CreateUnitMedicalCoverage: Migration {
    public init() {}
    public let version = 32
    public let name = "unit medical coverage"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE unit_medical_coverage (
                id \(dialect.bigIntPrimaryKey),
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                coverage TEXT NOT NULL CHECK (coverage IN ('full', 'inpatient_only')),
                from_period BIGINT NOT NULL,
                funding TEXT CHECK (funding IN ('asset_disposal', 'supervising_department')),
                note TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected')),
                proposer_id BIGINT NOT NULL,
                proposed_by TEXT NOT NULL,
                proposed_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                decision_note TEXT,
                CHECK ((coverage = 'inpatient_only') = (funding IS NOT NULL))
            )
            """,
            "CREATE INDEX unit_medical_coverage_employer ON unit_medical_coverage (employer_id, from_period)",
            "CREATE INDEX unit_medical_coverage_state ON unit_medical_coverage (state, from_period)",
        ]
    }
}
