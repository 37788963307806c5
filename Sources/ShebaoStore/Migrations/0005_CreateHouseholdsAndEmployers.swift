/// 0005: households and their members, employers with their schemes and staff, their versions,
/// duplicate merges awaiting a reviewer, and the record of every file import.
public struct CreateHouseholdsAndEmployers: Migration {
    public init() {}
    public let version = 5
    public let name = "create households, employers, merges, imports"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE households (
                id \(dialect.bigIntPrimaryKey),
                register_number TEXT NOT NULL UNIQUE,
                region_code TEXT NOT NULL REFERENCES regions (code),
                address TEXT,
                version BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX households_region ON households (region_code, id)",
            """
            CREATE TABLE household_members (
                household_id BIGINT NOT NULL REFERENCES households (id),
                person_id BIGINT NOT NULL UNIQUE REFERENCES persons (id),
                relation TEXT NOT NULL,
                joined_on TEXT NOT NULL,
                PRIMARY KEY (household_id, person_id)
            )
            """,
            """
            CREATE TABLE household_versions (
                household_id BIGINT NOT NULL REFERENCES households (id),
                version BIGINT NOT NULL,
                changed_at TEXT NOT NULL,
                changed_by BIGINT,
                changed_by_name TEXT NOT NULL,
                reason TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                PRIMARY KEY (household_id, version)
            )
            """,
            """
            CREATE TABLE employers (
                id \(dialect.bigIntPrimaryKey),
                credit_code TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
                name TEXT NOT NULL,
                ownership_type TEXT NOT NULL,
                non_public BIGINT NOT NULL,
                industry TEXT NOT NULL,
                risk_class BIGINT NOT NULL,
                region_code TEXT NOT NULL REFERENCES regions (code),
                staff_count BIGINT NOT NULL,
                contact_name TEXT,
                contact_phone TEXT,
                address TEXT,
                status TEXT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX employers_region ON employers (region_code, id)",
            "CREATE INDEX employers_name ON employers (name\(dialect.binaryCollation))",
            """
            CREATE TABLE employer_schemes (
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                scheme TEXT NOT NULL,
                PRIMARY KEY (employer_id, scheme)
            )
            """,
            "CREATE INDEX employer_schemes_scheme ON employer_schemes (scheme, employer_id)",
            """
            CREATE TABLE employer_versions (
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                version BIGINT NOT NULL,
                changed_at TEXT NOT NULL,
                changed_by BIGINT,
                changed_by_name TEXT NOT NULL,
                reason TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                PRIMARY KEY (employer_id, version)
            )
            """,
            """
            CREATE TABLE employments (
                id \(dialect.bigIntPrimaryKey),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                start_date TEXT NOT NULL,
                end_date TEXT
            )
            """,
            "CREATE INDEX employments_person ON employments (person_id)",
            "CREATE INDEX employments_employer ON employments (employer_id, end_date)",
            """
            CREATE TABLE person_merges (
                id \(dialect.bigIntPrimaryKey),
                kept_person_id BIGINT NOT NULL REFERENCES persons (id),
                merged_person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                requested_by BIGINT NOT NULL REFERENCES users (id),
                requested_at TEXT NOT NULL,
                decided_by BIGINT REFERENCES users (id),
                decided_at TEXT,
                decision_note TEXT
            )
            """,
            "CREATE INDEX person_merges_status ON person_merges (status, region_code)",
            """
            CREATE TABLE import_runs (
                id \(dialect.bigIntPrimaryKey),
                kind TEXT NOT NULL,
                file_name TEXT NOT NULL,
                status TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                error_count BIGINT NOT NULL,
                report TEXT,
                created_by BIGINT REFERENCES users (id),
                created_at TEXT NOT NULL
            )
            """,
            "ALTER TABLE users ADD COLUMN employer_id BIGINT REFERENCES employers (id)",
        ] + dialect.appendOnlyTriggers(table: "household_versions") + dialect.appendOnlyTriggers(table: "employer_versions")
    }
}
