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
                allowance_payer, monthly_nursing_fen, approved_at, approved_by, monthly_fund_fen, payment_point_id, bank_account, monthly_from)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: request.input.injuryDate.description),
                \(bind: Int64(request.input.grade)), \(bind: benefits.ownWage.fen), \(bind: benefits.lumpSum.fen), \(bind: benefits.monthlyAllowance.fen),
                \(bind: benefits.allowancePayer), \(bind: benefits.monthlyNursing.fen), \(bind: now.iso8601), \(bind: actor.name),
                \(bind: WorkInjuryAward.monthlyFromFund(benefits).fen), \(bind: request.paymentPointID), \(bind: request.account),
                \(bind: Int64(now.dateInChina.period.yyyymm)))
            """
        ).run()
    }

    /// Makes the months of the fund's monthly work-injury benefits since the last one paid owed,
    /// for the chunk's persons up to `period`, as one payable per entitlement and run (source
    /// `<prefix>:<case>:<yyyymm>`, so a rerun makes nothing twice), and moves each one's last month
    /// paid on. Disability: the allowance of grades 1–4 and nursing, only a person's latest award,
    /// until a pension starts. Death: the survivor pensions, to the next of kin, until ended.
    func accrueMonthly(chunk: AssessmentChunk, period p: Int64, scope: RegionCode, on db: any SQLDatabase) async throws {
        try await PayrollStore().accrue(table: "work_injury_awards", source: "injury-monthly", kind: "work_injury_monthly", fund: .workInjury,
                                        amount: "monthly_fund_fen", payee: "NULL",
                         only: """
                             w.payment_point_id IS NOT NULL AND w.case_id = (SELECT MAX(v.case_id) FROM work_injury_awards v WHERE v.person_id = w.person_id)
                                 AND NOT EXISTS (SELECT 1 FROM pensions x WHERE x.person_id = w.person_id AND x.start_period <= \(bind: p))
                             """, chunk: chunk, period: p, scope: scope, on: db)
        try await PayrollStore().accrue(table: "work_injury_survivors", source: "injury-survivors", kind: "work_injury_survivor", fund: .workInjury,
                                        amount: "monthly_fen",
                         payee: "w.payee_person_id", only: "(w.ends_from IS NULL OR w.ends_from > \(bind: p))", chunk: chunk, period: p, scope: scope, on: db)
    }

    // MARK: Death

    public func recordSurvivors(_ request: WorkInjuryDeath.Request, case caseID: Int64, region: RegionCode, at now: Timestamp,
                                on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO work_injury_survivors (case_id, person_id, payee_person_id, region_code, death_date, monthly_fen, payment_point_id, bank_account,
                monthly_from, approved_at)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: request.nextOfKinID), \(bind: region.value), \(bind: request.input.deathDate.description),
                \(bind: request.benefits.survivorTotal.fen), \(bind: request.paymentPointID), \(bind: request.account),
                \(bind: Int64(request.input.deathDate.period.next.yyyymm)), \(bind: now.iso8601))
            """
        ).run()
    }

    /// The survivor pensions after `person`'s death: case, monthly total, last month paid, ended from.
    public func survivors(of person: Int64, on db: any SQLDatabase) async throws -> [(caseID: Int64, monthly: Money, paidThrough: Period?, endsFrom: Period?)] {
        try await db.raw("SELECT * FROM work_injury_survivors WHERE person_id = \(bind: person) ORDER BY case_id").all().map { row in
            let reader = try RowReader(row, table: "work_injury_survivors", keyColumn: "case_id")
            return (try reader.int("case_id"), Money(fen: try reader.int("monthly_fen")), try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) },
                    try reader.optionalInt("ends_from").flatMap { Period(yyyymm: Int($0)) })
        }
    }

    /// Ends the survivor pensions of a case from `period`; false when already ended.
    public func endSurvivors(case caseID: Int64, from period: Period, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE work_injury_survivors SET ends_from = \(bind: Int64(period.yyyymm)) WHERE case_id = \(bind: caseID) AND ends_from IS NULL RETURNING case_id
            """).all().isEmpty)
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
