public import SQLKit
public import ShebaoCore

/// A pension as the survival check sees it: when it was last certified (or started), and whether
/// it is suspended.
public struct SurvivalStanding: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var region: RegionCode
    /// The last certification, or the retirement date before the first.
    public var lastCertified: LocalDate
    public var certified: Bool
    public var suspendedFrom: Period?
    public var paidThrough: Period?
}

/// Survival certifications and the suspensions they lift, inside the caller's transaction.
public struct SurvivalStore: Sendable {
    public init() {}

    public enum Method: String, Sendable, CaseIterable {
        case inPerson = "in_person"
        case remoteFace = "remote_face"
        case dataMatch = "data_match"
    }

    /// Records a certification; the pension is certified as of the later of this and any earlier
    /// one, and a suspension ends (the next payroll pays the months it held back).
    public func certify(person: Int64, on date: LocalDate, method: Method, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO survival_certifications (person_id, certified_on, method, recorded_at, recorded_by)
            VALUES (\(bind: person), \(bind: date.description), \(bind: method.rawValue), \(bind: now.iso8601), \(bind: actor.name))
            """
        ).run()
        try await db.raw(
            """
            UPDATE pensions SET certified_on = CASE WHEN certified_on IS NULL OR certified_on < \(bind: date.description) THEN \(bind: date.description)
                ELSE certified_on END, suspended_from = NULL
            WHERE person_id = \(bind: person)
            """
        ).run()
    }

    /// The pensions being paid in `scope` last certified (or started) on or before `before`:
    /// those a check on some day may find due, overdue or suspended.
    public func standings(in scope: RegionCode, certifiedBefore before: LocalDate, limit: Int, on db: any SQLDatabase) async throws -> [SurvivalStanding] {
        try await db.raw(
            """
            SELECT x.person_id, p.name, x.region_code, COALESCE(x.certified_on, x.retirement_date) AS last_certified, x.certified_on,
                x.suspended_from, g.paid_through
            FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id JOIN persons p ON p.id = x.person_id
            WHERE x.state = 'paying' AND COALESCE(x.certified_on, x.retirement_date) <= \(bind: before.description)
                AND \(SQLPieces.scope(scope, column: "x.region_code"))
            ORDER BY last_certified, x.person_id LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pensions", keyColumn: "person_id")
            return SurvivalStanding(personID: try reader.int("person_id"), name: try reader.string("name"), region: try reader.region("region_code"),
                                    lastCertified: try reader.date("last_certified"), certified: try reader.optionalString("certified_on") != nil,
                                    suspendedFrom: try reader.optionalInt("suspended_from").flatMap { Period(yyyymm: Int($0)) },
                                    paidThrough: try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) })
        }
    }

    /// Suspends a pension from `month` (never a month already paid: from the month after the last paid, if later).
    public func suspend(person: Int64, from month: Period, on db: any SQLDatabase) async throws -> Period {
        let row = try await db.raw(
            """
            SELECT g.paid_through FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id
            WHERE x.person_id = \(bind: person)\(unsafeRaw: Dialect(db).forUpdate)
            """
        ).first()
        let paid = try row?.decode(column: "paid_through", as: Int64?.self).flatMap { Period(yyyymm: Int($0)) }
        let from = paid.map { max(month, $0.next) } ?? month
        try await db.raw(
            "UPDATE pensions SET suspended_from = \(bind: Int64(from.yyyymm)) WHERE person_id = \(bind: person) AND suspended_from IS NULL"
        ).run()
        return from
    }

    /// A pension's certifications, newest first.
    public func certifications(of person: Int64, on db: any SQLDatabase) async throws -> [(date: LocalDate, method: Method, by: String)] {
        try await db.raw(
            "SELECT certified_on, method, recorded_by FROM survival_certifications WHERE person_id = \(bind: person) ORDER BY certified_on DESC, id DESC LIMIT 12"
        ).all().compactMap { row in
            guard let date = LocalDate(iso: try row.decode(column: "certified_on", as: String.self)),
                  let method = Method(rawValue: try row.decode(column: "method", as: String.self)) else { return nil }
            return (date, method, try row.decode(column: "recorded_by", as: String.self))
        }
    }
}
