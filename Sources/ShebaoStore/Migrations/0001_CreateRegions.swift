/// 0001: the division hierarchy — 12-digit codes, names, levels, parents and area types.
public struct CreateRegions: Migration {
    public init() {}
    public let version = 1
    public let name = "create regions"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE regions (
                code TEXT PRIMARY KEY CHECK (length(code) = 12),
                name TEXT NOT NULL,
                level TEXT NOT NULL,
                parent_code TEXT REFERENCES regions (code),
                area_type TEXT,
                valid_from TEXT,
                valid_to TEXT
            )
            """,
            "CREATE INDEX regions_parent ON regions (parent_code)",
        ]
    }
}
