/// 0004: persons — one row per resident ID; `region_code` is the place of household
/// registration (户籍地), which decides who may see the record. `person_name_keys` holds each
/// name with one character replaced by `*`, so a search tolerates one wrong character.
public struct CreatePersons: Migration {
    public init() {}
    public let version = 4
    public let name = "create persons"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE persons (
                id \(dialect.bigIntPrimaryKey),
                resident_id TEXT NOT NULL UNIQUE CHECK (length(resident_id) = 18),
                name TEXT NOT NULL,
                sex TEXT NOT NULL,
                birth_date TEXT NOT NULL,
                hukou_type TEXT NOT NULL,
                region_code TEXT NOT NULL REFERENCES regions (code),
                residence_region_code TEXT REFERENCES regions (code),
                address TEXT,
                phone TEXT,
                bank_name TEXT,
                bank_account TEXT,
                disability_category TEXT,
                disability_grade BIGINT,
                status TEXT NOT NULL DEFAULT 'living',
                death_date TEXT,
                household_id BIGINT,
                merged_into BIGINT REFERENCES persons (id),
                version BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX persons_region ON persons (region_code, id)",
            "CREATE INDEX persons_name ON persons (name\(dialect.binaryCollation), region_code)",
            "CREATE INDEX persons_birth_date ON persons (birth_date, region_code)",
            "CREATE INDEX persons_household ON persons (household_id)",
            """
            CREATE TABLE person_name_keys (
                name_key TEXT NOT NULL,
                person_id BIGINT NOT NULL REFERENCES persons (id),
                PRIMARY KEY (name_key, person_id)
            )\(dialect.withoutRowID)
            """,
            "CREATE INDEX person_name_keys_person ON person_name_keys (person_id)",
            """
            CREATE TABLE person_versions (
                person_id BIGINT NOT NULL REFERENCES persons (id),
                version BIGINT NOT NULL,
                changed_at TEXT NOT NULL,
                changed_by BIGINT,
                changed_by_name TEXT NOT NULL,
                reason TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                PRIMARY KEY (person_id, version)
            )
            """,
        ] + dialect.appendOnlyTriggers(table: "person_versions")
    }
}
