public import SQLKit
public import ShebaoCore

/// An approved unemployment spell and where it stands.
public struct UnemploymentSpell: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable {
        /// Months still owed.
        case receiving
        /// Every month paid (or on its way) and the person not recorded as working again.
        case ended
        case reemployed
        /// Ended and referred to the minimum-living-guarantee office.
        case referred
    }

    public var caseID: Int64
    public var personID: Int64
    public var name: String
    public var region: RegionCode
    public var registeredOn: LocalDate
    public var months: Int
    public var monthly: Money
    public var priority: [String]
    /// Months issued to the banks so far, and months still owed.
    public var issued: Int
    public var owed: Int
    public var reemployedOn: LocalDate?
    public var referredOn: LocalDate?

    public var status: Status {
        if reemployedOn != nil { return .reemployed }
        if owed > 0 { return .receiving }
        return referredOn == nil ? .ended : .referred
    }
}

extension UnemploymentSpell.Status: Labelled { public static let labelPrefix = "unemployment_status" }

/// Unemployment spells, inside the caller's transaction.
public struct UnemploymentStore: Sendable {
    public init() {}

    public func record(_ request: UnemploymentClaim.Request, case caseID: Int64, region: RegionCode, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO unemployment_spells (case_id, person_id, region_code, registered_on, months, monthly_fen, priority, approved_at)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: request.input.registeredOn.description),
                \(bind: Int64(request.benefit.months)), \(bind: request.benefit.monthlyAmount.fen),
                \(bind: request.priorityGroups.map(\.rawValue).joined(separator: ",")), \(bind: now.iso8601))
            """
        ).run()
    }

    /// Marks the person's spells still open as ended by re-employment on `date`; how many.
    public func reemployed(person: Int64, on date: LocalDate, db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            UPDATE unemployment_spells SET reemployed_on = \(bind: date.description)
            WHERE person_id = \(bind: person) AND reemployed_on IS NULL RETURNING case_id
            """).all().count
    }

    /// Adds a priority group to the person's spells not ended by re-employment that lack it.
    public func addPriority(_ group: String, person: Int64, on db: any SQLDatabase) async throws {
        for row in try await db.raw(
            "SELECT case_id, priority FROM unemployment_spells WHERE person_id = \(bind: person) AND reemployed_on IS NULL").all() {
            let current = try row.decode(column: "priority", as: String.self).split(separator: ",").map(String.init)
            guard !current.contains(group) else { continue }
            try await db.raw(
                """
                UPDATE unemployment_spells SET priority = \(bind: (current + [group]).joined(separator: ","))
                WHERE case_id = \(bind: try row.decode(column: "case_id", as: Int64.self))
                """).run()
        }
    }

    /// Whether the person has a spell not ended by re-employment (registered unemployed).
    public func isUnemployed(_ person: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 FROM unemployment_spells WHERE person_id = \(bind: person) AND reemployed_on IS NULL").first() != nil
    }

    /// The spells in `scope`, the latest first, each with the months issued and still owed
    /// (counted in one pass over the person's unemployment payables).
    public func spells(in scope: RegionCode, limit: Int = 500, on db: any SQLDatabase) async throws -> [UnemploymentSpell] {
        try await spells(where: SQLPieces.scope(scope, column: "s.region_code"), limit: limit, on: db)
    }

    public func spell(_ caseID: Int64, on db: any SQLDatabase) async throws -> UnemploymentSpell? {
        try await spells(where: "s.case_id = \(bind: caseID)", limit: 1, on: db).first
    }

    private func spells(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [UnemploymentSpell] {
        try await db.raw(
            """
            SELECT s.*, p.name,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM benefit_payables b WHERE \(unsafeRaw: Self.ofSpell) AND b.state = 'issued') AS issued,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM benefit_payables b WHERE \(unsafeRaw: Self.ofSpell) AND b.state = 'owed') AS owed
            FROM unemployment_spells s JOIN persons p ON p.id = s.person_id
            WHERE \(condition)
            ORDER BY s.registered_on DESC, s.case_id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "unemployment_spells", keyColumn: "case_id")
            let priority = try reader.string("priority")
            return UnemploymentSpell(
                caseID: try reader.int("case_id"), personID: try reader.int("person_id"), name: try reader.string("name"), region: try reader.region("region_code"),
                registeredOn: try reader.date("registered_on"), months: Int(try reader.int("months")), monthly: Money(fen: try reader.int("monthly_fen")),
                priority: priority.isEmpty ? [] : priority.split(separator: ",").map(String.init), issued: Int(try reader.int("issued")),
                owed: Int(try reader.int("owed")), reemployedOn: try reader.optionalDate("reemployed_on"), referredOn: try reader.optionalDate("referred_on"))
        }
    }

    /// The spell's monthly payables: the person's, with a source `unemployment:<case>:<month>`.
    static let ofSpell = "b.person_id = s.person_id AND b.kind = 'unemployment' AND b.source LIKE 'unemployment:' || CAST(s.case_id AS TEXT) || ':%'"

    /// Records the referral of an ended spell; false when it was referred already.
    public func refer(_ caseID: Int64, on date: LocalDate, by actor: AuditActor, db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE unemployment_spells SET referred_on = \(bind: date.description), referred_by = \(bind: actor.name)
            WHERE case_id = \(bind: caseID) AND referred_on IS NULL AND reemployed_on IS NULL RETURNING case_id
            """).all().isEmpty)
    }
}
