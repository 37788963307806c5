/// 0025: work-injury disability benefits as approved (PROGRAMS.md §2.10): one row per approved
/// case, with what the rule computed; the one-time subsidy is owed by the work-injury fund from
/// the day of approval (a payable in its books until paid).
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
        ]
    }
}
