/// 0025: work-injury disability benefits as approved (PROGRAMS.md §2.10): one row per approved
/// case, with what the rule computed. Benefits owed once (the one-time subsidy) wait in
/// `benefit_payables` with the account they go to, and the next payroll run pays them through
/// the banks like a pension (pending in the ledger when posted, settled by the bank's return).
public struct CreateWorkInjuryAwards: Migration {
    public init() {}
    public let version = 25
    public let name = "work-injury awards"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE work_injury_awards (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                injury_date TEXT NOT NULL,
                grade BIGINT NOT NULL CHECK (grade BETWEEN 1 AND 10),
                own_wage_fen BIGINT NOT NULL,
                lump_sum_fen BIGINT NOT NULL CHECK (lump_sum_fen >= 0),
                monthly_allowance_fen BIGINT NOT NULL,
                allowance_payer TEXT,
                monthly_nursing_fen BIGINT NOT NULL,
                approved_at TEXT NOT NULL,
                approved_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX work_injury_awards_person ON work_injury_awards (person_id)",
            """
            CREATE TABLE benefit_payables (
                id \(dialect.bigIntPrimaryKey),
                source TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                fund TEXT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                state TEXT NOT NULL,
                payment_id BIGINT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX benefit_payables_person ON benefit_payables (person_id, kind, state)",
        ]
    }
}
