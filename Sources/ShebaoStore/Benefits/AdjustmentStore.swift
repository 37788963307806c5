public import SQLKit
public import ShebaoCore

/// A pension an adjustment run may raise: its amount, its years and its holder's birth.
public struct AdjustmentCandidate: Sendable, Hashable {
    public var personID: Int64
    public var monthly: Money
    public var contributionMonths: Int64
    public var birthDate: LocalDate
}

/// One pension's adjustment as the rule computed it.
public struct PensionAdjustmentLine: Sendable, Hashable {
    public var personID: Int64
    public var old: Money
    public var new: Money
    public var flat: Money
    public var byYears: Money
    public var byPension: Money
    public var age: Money
    public var contributionYears: Int64
    public var ageYears: Int64

    public init(personID: Int64, old: Money, new: Money, flat: Money, byYears: Money, byPension: Money, age: Money, contributionYears: Int64,
                ageYears: Int64) {
        self.personID = personID
        self.old = old
        self.new = new
        self.flat = flat
        self.byYears = byYears
        self.byPension = byPension
        self.age = age
        self.contributionYears = contributionYears
        self.ageYears = ageYears
    }
}

/// The yearly pension adjustment (RULES.md §1.6) in SQL, inside the caller's transaction.
public struct AdjustmentStore: Sendable {
    public init() {}

    /// The pensions of a chunk the adjustment of `year` raises: being paid, started before the
    /// year, not adjusted for it yet.
    public func candidates(chunk: AssessmentChunk, year: Int, scope: RegionCode, on db: any SQLDatabase) async throws -> [AdjustmentCandidate] {
        try await db.raw(
            """
            SELECT x.person_id, x.monthly_fen, x.contribution_months, p.birth_date FROM pensions x JOIN persons p ON p.id = x.person_id
            WHERE x.person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson) AND x.state = 'paying'
                AND x.start_period <= \(bind: Int64((year - 1) * 100 + 12)) AND x.adjusted_year < \(bind: Int64(year))
                AND \(SQLPieces.scope(scope, column: "x.region_code"))
            ORDER BY x.person_id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pensions", keyColumn: "person_id")
            return AdjustmentCandidate(personID: try reader.int("person_id"), monthly: Money(fen: try reader.int("monthly_fen")),
                                       contributionMonths: try reader.int("contribution_months"), birthDate: try reader.date("birth_date"))
        }
    }

    public func insert(_ lines: [PensionAdjustmentLine], run: Int64, chunk: String, on db: any SQLDatabase) async throws {
        for part in lines.chunked(into: 300) {
            let insert = db.insert(into: "pension_adjustments").columns(
                "run_id", "person_id", "chunk", "old_fen", "new_fen", "flat_fen", "by_years_fen", "by_pension_fen", "age_fen", "contribution_years", "age")
            for line in part {
                insert.values([SQLBind(run), SQLBind(line.personID), SQLBind(chunk), SQLBind(line.old.fen), SQLBind(line.new.fen), SQLBind(line.flat.fen),
                               SQLBind(line.byYears.fen), SQLBind(line.byPension.fen), SQLBind(line.age.fen), SQLBind(line.contributionYears),
                               SQLBind(line.ageYears)])
            }
            try await insert.run()
        }
    }

    /// Applies an approved run: each pension takes its new amount from January of `year`, and
    /// owes as arrears the increase for every month of the year already paid at the old one.
    public func apply(run: Int64, year: Int, on db: any SQLDatabase) async throws {
        let january = Int64(year * 100 + 1)
        let paidMonths = """
            CASE WHEN pension_progress.paid_through >= \(january) THEN \(PayrollStore.monthIndex("pension_progress.paid_through")) \
            - \(PayrollStore.monthIndex(String(january))) + 1 ELSE 0 END
            """
        // The arrears first, while `adjusted_year` still says which pensions this run has not raised yet.
        try await db.raw(
            """
            UPDATE pension_progress SET
                arrears_fen = arrears_fen
                    + (SELECT a.new_fen - a.old_fen FROM pension_adjustments a WHERE a.run_id = \(bind: run) AND a.person_id = pension_progress.person_id)
                    * \(unsafeRaw: paidMonths)
            WHERE person_id IN (
                SELECT a.person_id FROM pension_adjustments a JOIN pensions x ON x.person_id = a.person_id
                WHERE a.run_id = \(bind: run) AND x.adjusted_year < \(bind: Int64(year))
            )
            """
        ).run()
        try await db.raw(
            """
            UPDATE pensions SET
                monthly_fen = (SELECT a.new_fen FROM pension_adjustments a WHERE a.run_id = \(bind: run) AND a.person_id = pensions.person_id),
                adjusted_year = \(bind: Int64(year))
            WHERE person_id IN (SELECT person_id FROM pension_adjustments WHERE run_id = \(bind: run)) AND adjusted_year < \(bind: Int64(year))
            """
        ).run()
    }

    /// A run's figures: pensions raised, what they were and what they become a month.
    public func totals(run: Int64, on db: any SQLDatabase) async throws -> (count: Int64, old: Money, new: Money) {
        let row = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(old_fen), 0) AS BIGINT) AS old, CAST(COALESCE(SUM(new_fen), 0) AS BIGINT) AS new
            FROM pension_adjustments WHERE run_id = \(bind: run)
            """
        ).first()
        return (try row?.decode(column: "n", as: Int64.self) ?? 0, Money(fen: try row?.decode(column: "old", as: Int64.self) ?? 0),
                Money(fen: try row?.decode(column: "new", as: Int64.self) ?? 0))
    }

    /// A person's adjustments, newest first.
    public func adjustments(of person: Int64, on db: any SQLDatabase) async throws -> [(year: Int, line: PensionAdjustmentLine)] {
        try await db.raw(
            """
            SELECT a.*, r.period FROM pension_adjustments a JOIN batch_runs r ON r.id = a.run_id
            WHERE a.person_id = \(bind: person) AND r.state = 'posted' ORDER BY r.period DESC LIMIT 10
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pension_adjustments", keyColumn: "person_id")
            let line = PensionAdjustmentLine(
                personID: try reader.int("person_id"), old: Money(fen: try reader.int("old_fen")), new: Money(fen: try reader.int("new_fen")),
                flat: Money(fen: try reader.int("flat_fen")), byYears: Money(fen: try reader.int("by_years_fen")),
                byPension: Money(fen: try reader.int("by_pension_fen")), age: Money(fen: try reader.int("age_fen")),
                contributionYears: try reader.int("contribution_years"), ageYears: try reader.int("age"))
            return (Int(try reader.int("period") / 100), line)
        }
    }
}
