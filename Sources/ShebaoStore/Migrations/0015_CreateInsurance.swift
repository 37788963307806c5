/// 0015: social insurance — enrolments of persons in schemes (as employees of a unit or on their
/// own account), yearly contribution bases, and the lines of each monthly assessment run
/// (PROGRAMS.md §2.1–2.6, DESIGN.md §5).
public struct CreateInsurance: Migration {
    public init() {}
    public let version = 15
    public let name = "social insurance"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE enrolments (
                id \(dialect.bigIntPrimaryKey),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                employer_id BIGINT REFERENCES employers (id),
                scheme TEXT NOT NULL,
                payer_type TEXT NOT NULL,
                region_code TEXT NOT NULL,
                start_period BIGINT NOT NULL,
                end_period BIGINT,
                end_reason TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                CHECK (end_period IS NULL OR end_period >= start_period)
            )
            """,
            "CREATE INDEX enrolments_person ON enrolments (person_id)",
            "CREATE INDEX enrolments_employer ON enrolments (employer_id, scheme)",
            // Covers the assessment's read: a scheme, a payer type, a range of persons in order (so
            // the bases are looked up in key order), the months, the region for the scope.
            "CREATE INDEX enrolments_assessment ON enrolments (scheme, payer_type, person_id, start_period, end_period, region_code, employer_id)",
            """
            CREATE TABLE contribution_bases (
                person_id BIGINT NOT NULL REFERENCES persons (id),
                year BIGINT NOT NULL,
                declared_fen BIGINT NOT NULL CHECK (declared_fen >= 0),
                declared_at TEXT NOT NULL,
                PRIMARY KEY (person_id, year)
            )\(dialect.withoutRowID)
            """,
            // No foreign keys: the lines are written only by the assessment's INSERT … SELECT, which
            // reads them from enrolments for a run that exists; checking two keys per line cost
            // more than the whole arithmetic (measured).
            """
            CREATE TABLE assessment_lines (
                run_id BIGINT NOT NULL,
                enrolment_id BIGINT NOT NULL,
                period BIGINT NOT NULL,
                person_id BIGINT NOT NULL,
                employer_id BIGINT,
                scheme TEXT NOT NULL,
                chunk TEXT NOT NULL,
                base_fen BIGINT NOT NULL,
                individual_fen BIGINT NOT NULL,
                employer_fen BIGINT NOT NULL,
                account_credit_fen BIGINT NOT NULL,
                employer_transfer_fen BIGINT NOT NULL,
                PRIMARY KEY (run_id, chunk, enrolment_id)
            )\(dialect.withoutRowID)
            """,
        ]
    }
}
