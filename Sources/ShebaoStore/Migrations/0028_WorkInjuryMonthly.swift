/// 0028: work-injury benefits paid month by month (工伤保险条例 Art. 34–35; RULES.md §4.5): what
/// the fund pays each month — the disability allowance of grades 1–4 with its minimum-wage top-up,
/// and the nursing allowance — with the account it goes to, the first month and the last month
/// paid. Each payroll run makes the months since then owed and pays them, until a pension starts.
/// Awards decided before 0028 carry no account and are not paid monthly.
public struct WorkInjuryMonthly: Migration {
    public init() {}
    public let version = 28
    public let name = "work-injury monthly allowances"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE work_injury_awards ADD COLUMN monthly_fund_fen BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE work_injury_awards ADD COLUMN payment_point_id BIGINT REFERENCES payment_points (id)",
            "ALTER TABLE work_injury_awards ADD COLUMN bank_account TEXT",
            "ALTER TABLE work_injury_awards ADD COLUMN monthly_from BIGINT",
            "ALTER TABLE work_injury_awards ADD COLUMN paid_through BIGINT",
        ]
    }
}
