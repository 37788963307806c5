/// 0027: unemployment spells as approved (PROGRAMS.md §2.9): one row per approved claim, with
/// the months and amount the rule gave and the priority groups it found; re-employment ends it,
/// and a spell whose months are all paid while the person is still jobless is referred to the
/// minimum-living-guarantee office (§4.1), once.
public struct CreateUnemploymentSpells: Migration {
    public init() {}
    public let version = 27
    public let name = "unemployment spells"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE unemployment_spells (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                registered_on TEXT NOT NULL,
                months BIGINT NOT NULL CHECK (months BETWEEN 0 AND 24),
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen >= 0),
                priority TEXT NOT NULL,
                approved_at TEXT NOT NULL,
                reemployed_on TEXT,
                referred_on TEXT,
                referred_by TEXT
            )
            """,
            "CREATE INDEX unemployment_spells_person ON unemployment_spells (person_id)",
            "CREATE INDEX unemployment_spells_region ON unemployment_spells (region_code)",
        ]
    }
}
