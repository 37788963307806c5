/// 0037: the disabled persons' employment security levy's yearly bills (PROGRAMS.md §4.5;
/// RULES.md §10): one per unit and year below its quota, with the figures it was computed from
/// (staff, disabled employees, the unit's average wage, the mode in force) and what was paid —
/// the levy and, when paid after the due day, the surcharge.
public struct CreateLevyBills: Migration {
    public init() {}
    public let version = 37
    public let name = "disabled employment levy bills"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE levy_bills (
                id \(dialect.bigIntPrimaryKey),
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                region_code TEXT NOT NULL,
                year BIGINT NOT NULL,
                staff BIGINT NOT NULL CHECK (staff >= 0),
                disabled BIGINT NOT NULL CHECK (disabled >= 0),
                severely_disabled BIGINT NOT NULL CHECK (severely_disabled >= 0 AND severely_disabled <= disabled),
                employer_wage_fen BIGINT,
                mode TEXT NOT NULL,
                required TEXT NOT NULL,
                shortfall TEXT NOT NULL,
                levy_fen BIGINT NOT NULL CHECK (levy_fen > 0),
                due_on TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('issued', 'paid')),
                paid_on TEXT,
                surcharge_fen BIGINT NOT NULL DEFAULT 0 CHECK (surcharge_fen >= 0),
                issued_at TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                paid_by TEXT,
                UNIQUE (employer_id, year)
            )
            """,
            "CREATE INDEX levy_bills_year ON levy_bills (year, region_code)",
        ]
    }
}
