/// 0031: survivor pensions after a death from a work injury (工伤保险条例 Art. 39; RULES.md §4.6):
/// one row per approved case with the monthly total the rule gave, paid to the next of kin each
/// month from the month after death, the payroll accruing the months since the last one paid as it
/// does for disability allowances, until a clerk records from which month the dependants no longer
/// qualify.
public struct CreateWorkInjurySurvivors: Migration {
    public init() {}
    public let version = 31
    public let name = "work-injury survivor pensions"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE work_injury_survivors (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                payee_person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                death_date TEXT NOT NULL,
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen >= 0),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                monthly_from BIGINT NOT NULL,
                paid_through BIGINT,
                ends_from BIGINT,
                approved_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX work_injury_survivors_person ON work_injury_survivors (person_id)",
        ]
    }
}
