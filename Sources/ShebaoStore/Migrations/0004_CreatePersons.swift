/// 0004: persons — one row per resident ID; `region_code` is the place of household
/// registration (户籍地), which decides who may see the record.
struct CreatePersons: Migration {
    let version = 4
    let name = "create persons"

    func statements(for dialect: Dialect) -> [String] {
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
                status TEXT NOT NULL DEFAULT 'living',
                death_date TEXT,
                version BIGINT NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX persons_region ON persons (region_code, id)",
            "CREATE INDEX persons_name ON persons (name)",
        ]
    }
}
