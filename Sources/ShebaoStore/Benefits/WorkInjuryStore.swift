public import SQLKit
public import ShebaoCore

/// An approved work-injury award.
public struct WorkInjuryBenefit: Sendable, Hashable {
    public var caseID: Int64
    public var personID: Int64
    public var injuryDate: LocalDate
    public var grade: Int64
    public var ownWage: Money
    public var lumpSum: Money
    public var monthlyAllowance: Money
    public var allowancePayer: String?
    public var monthlyNursing: Money
    public var approvedAt: String
}

/// Work-injury awards, inside the caller's transaction.
public struct WorkInjuryStore: Sendable {
    public init() {}

    public func record(_ request: WorkInjuryAward.Request, case caseID: Int64, region: RegionCode, by actor: AuditActor, at now: Timestamp,
                       on db: any SQLDatabase) async throws {
        let benefits = request.benefits
        try await db.raw(
            """
            INSERT INTO work_injury_awards (case_id, person_id, region_code, injury_date, grade, own_wage_fen, lump_sum_fen, monthly_allowance_fen,
                allowance_payer, monthly_nursing_fen, approved_at, approved_by)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: request.input.injuryDate.description),
                \(bind: Int64(request.input.grade)), \(bind: benefits.ownWage.fen), \(bind: benefits.lumpSum.fen), \(bind: benefits.monthlyAllowance.fen),
                \(bind: benefits.allowancePayer), \(bind: benefits.monthlyNursing.fen), \(bind: now.iso8601), \(bind: actor.name))
            """
        ).run()
    }

    public func awards(of person: Int64, on db: any SQLDatabase) async throws -> [WorkInjuryBenefit] {
        try await db.raw("SELECT * FROM work_injury_awards WHERE person_id = \(bind: person) ORDER BY injury_date DESC, case_id DESC").all().map { row in
            let reader = try RowReader(row, table: "work_injury_awards", keyColumn: "case_id")
            return WorkInjuryBenefit(
                caseID: try reader.int("case_id"), personID: try reader.int("person_id"), injuryDate: try reader.date("injury_date"),
                grade: try reader.int("grade"), ownWage: Money(fen: try reader.int("own_wage_fen")), lumpSum: Money(fen: try reader.int("lump_sum_fen")),
                monthlyAllowance: Money(fen: try reader.int("monthly_allowance_fen")), allowancePayer: try reader.optionalString("allowance_payer"),
                monthlyNursing: Money(fen: try reader.int("monthly_nursing_fen")), approvedAt: try reader.string("approved_at"))
        }
    }
}
