public import SQLKit
public import ShebaoCore

/// A pension being paid, as awarded.
public struct Pension: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case paying
        /// Stopped from the month after death (RULES.md §1.7).
        case stopped
    }

    public var personID: Int64
    public var name: String
    public var caseID: Int64
    public var region: RegionCode
    public var retirementDate: LocalDate
    public var start: Period
    public var monthly: Money
    public var basic: Money
    public var account: Money
    public var transitional: Money
    public var topUp: Money
    public var state: State
    public var awardedAt: String
    public var awardedBy: String
    /// Where it is paid: the payment point and the account (sensitive: shown masked).
    public var paymentPointID: Int64?
    public var bankAccount: String?
    /// The last month paid (or in the bank's hands); nil before the first payroll.
    public var paidThrough: Period?
    public var diedOn: LocalDate?
    /// The last survival certification; nil before the first (the retirement date stands for it).
    public var certifiedOn: LocalDate?
    /// Suspended from this month for a missed certification, until certified again.
    public var suspendedFrom: Period?
    /// Months contributed and deemed, for the adjustment's per-year part.
    public var contributionMonths: Int64
    /// What an adjustment owes for months already paid at the old amount; the next payroll pays it.
    public var arrears: Money

    /// The account as a page or a list shows it: the last four digits.
    public var maskedAccount: String? {
        bankAccount.map { $0.count <= 4 ? $0 : String(repeating: "*", count: $0.count - 4) + $0.suffix(4) }
    }
}

extension Pension.State: Labelled { public static let labelPrefix = "pension_state" }

/// Pensions, each inside the caller's transaction.
public struct PensionStore: Sendable {
    public init() {}

    /// Starts the pension an approved case awarded; a person has one pension (a second is refused by the key).
    public func start(_ request: PensionAward.Request, case caseID: Int64, region: RegionCode, by actor: AuditActor, at now: Timestamp,
                      on db: any SQLDatabase) async throws {
        let award = request.award
        try await db.raw(
            """
            INSERT INTO pensions (person_id, case_id, region_code, retirement_date, start_period, monthly_fen, basic_fen, account_fen, transitional_fen,
                top_up_fen, state, awarded_at, awarded_by, contribution_months)
            VALUES (\(bind: request.personID), \(bind: caseID), \(bind: region.value), \(bind: request.input.retirementDate.description),
                \(bind: Int64(request.start.yyyymm)), \(bind: award.total.fen), \(bind: award.basic.fen), \(bind: award.account.fen),
                \(bind: award.transitional.fen), \(bind: award.floorTopUp.fen), \(bind: Pension.State.paying.rawValue), \(bind: now.iso8601),
                \(bind: actor.name), \(bind: Int64(request.input.contributionMonths + (request.input.deemedMonths ?? 0))))
            """
        ).run()
        // Paid through the month before it starts: the first payroll pays from its first month.
        try await db.raw(
            """
            INSERT INTO pension_progress (person_id, paid_through, arrears_fen)
            VALUES (\(bind: request.personID), \(bind: Int64(request.start.previous.yyyymm)), 0)
            """
        ).run()
    }

    public func pension(of person: Int64, on db: any SQLDatabase) async throws -> Pension? {
        try await pensions(where: "x.person_id = \(bind: person)", limit: 1, offset: 0, on: db).first
    }

    /// The pensions in `scope`, newest start first, `limit` from `offset`.
    public func pensions(in scope: RegionCode, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [Pension] {
        try await pensions(where: SQLPieces.scope(scope, column: "x.region_code"), limit: limit, offset: offset, on: db)
    }

    public func count(in scope: RegionCode, on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pensions x WHERE \(SQLPieces.scope(scope, column: "x.region_code"))")
    }

    private func pensions(where condition: SQLQueryString, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [Pension] {
        try await db.raw(
            """
            SELECT x.*, g.paid_through, g.arrears_fen, p.name
            FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id JOIN persons p ON p.id = x.person_id
            WHERE \(condition) ORDER BY x.start_period DESC, x.person_id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pensions")
            return Pension(
                personID: try reader.int("person_id"), name: try reader.string("name"), caseID: try reader.int("case_id"),
                region: try reader.region("region_code"), retirementDate: try reader.date("retirement_date"), start: try reader.period("start_period"),
                monthly: Money(fen: try reader.int("monthly_fen")), basic: Money(fen: try reader.int("basic_fen")),
                account: Money(fen: try reader.int("account_fen")), transitional: Money(fen: try reader.int("transitional_fen")),
                topUp: Money(fen: try reader.int("top_up_fen")), state: try reader.value("state", as: Pension.State.self),
                awardedAt: try reader.string("awarded_at"), awardedBy: try reader.string("awarded_by"),
                paymentPointID: try reader.optionalInt("payment_point_id"), bankAccount: try reader.optionalString("bank_account"),
                paidThrough: try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) }, diedOn: try reader.optionalDate("died_on"),
                certifiedOn: try reader.optionalDate("certified_on"), suspendedFrom: try reader.optionalInt("suspended_from").flatMap { Period(yyyymm: Int($0)) },
                contributionMonths: try reader.int("contribution_months"), arrears: Money(fen: try reader.int("arrears_fen")))
        }
    }
}
