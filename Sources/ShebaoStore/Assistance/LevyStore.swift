import Foundation
public import SQLKit
public import ShebaoCore

/// A unit's staff as the levy counts them: employees enrolled in pension insurance in December
/// of the year before, those with a disability on record, and their declared wages that year.
public struct LevyStaff: Sendable, Hashable {
    public var employerID: Int64
    public var employerName: String
    public var ownershipType: OwnershipType
    public var region: RegionCode
    public var staff: Int
    public var disabled: Int
    public var severelyDisabled: Int
    /// The average declared monthly wage × 12, when any wage was declared.
    public var averageAnnualWage: Money?
}

/// A levy bill as issued, and paid.
public struct LevyBill: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case issued, paid }

    public var id: Int64
    public var employerID: Int64
    public var employerName: String
    public var region: RegionCode
    public var year: Int
    public var staff: Int
    public var disabled: Int
    public var severelyDisabled: Int
    public var employerWage: Money?
    public var mode: String
    public var required: String
    public var shortfall: String
    public var levy: Money
    public var dueOn: LocalDate
    public var state: State
    public var paidOn: LocalDate?
    public var surcharge: Money
}

extension LevyBill.State: Labelled { public static let labelPrefix = "levy_state" }

/// Disabled-employment levy bills (0037).
public struct LevyStore: Sendable {
    public init() {}

    /// Every unit in `scope` with staff in December of `year − 1`, with its counts and wages.
    public func staff(forYear year: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [LevyStaff] {
        let december = Int64((year - 1) * 100 + 12)
        return try await db.raw(
            """
            SELECT u.id, u.name, u.ownership_type, u.region_code, CAST(COUNT(*) AS BIGINT) AS staff,
                CAST(SUM(CASE WHEN p.disability_category IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS disabled,
                CAST(SUM(CASE WHEN p.disability_category IS NOT NULL AND p.disability_grade <= 2 THEN 1 ELSE 0 END) AS BIGINT) AS severe,
                CAST(COALESCE(SUM(b.declared_fen), 0) AS BIGINT) AS wages, CAST(COUNT(b.declared_fen) AS BIGINT) AS declared
            FROM enrolments e JOIN employers u ON u.id = e.employer_id JOIN persons p ON p.id = e.person_id
                LEFT JOIN contribution_bases b ON b.person_id = e.person_id AND b.year = \(bind: Int64(year - 1))
            WHERE e.scheme = 'pension' AND e.start_period <= \(bind: december) AND (e.end_period IS NULL OR e.end_period >= \(bind: december))
                AND \(SQLPieces.scope(scope, column: "u.region_code"))
            GROUP BY u.id, u.name, u.ownership_type, u.region_code ORDER BY u.id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "employers")
            let declared = try reader.int("declared")
            // The average monthly declaration × 12, rounded once.
            let wage = declared == 0 ? nil : try (Ratio(Int128(try reader.int("wages")) * 12, Int128(declared))).fen
            return LevyStaff(employerID: try reader.int("id"), employerName: try reader.string("name"),
                             ownershipType: try reader.value("ownership_type", as: OwnershipType.self), region: try reader.region("region_code"),
                             staff: Int(try reader.int("staff")), disabled: Int(try reader.int("disabled")), severelyDisabled: Int(try reader.int("severe")),
                             averageAnnualWage: wage)
        }
    }

    /// The units billed for `year` already.
    public func billedUnits(year: Int, on db: any SQLDatabase) async throws -> Set<Int64> {
        Set(try await db.raw("SELECT employer_id FROM levy_bills WHERE year = \(bind: Int64(year))").all()
            .map { try $0.decode(column: "employer_id", as: Int64.self) })
    }

    /// Records a unit's bill for the year (one per unit and year: the key refuses a second); its id.
    public func issue(_ staff: LevyStaff, year: Int, output: DisabledEmploymentLevyRule.Output, dueOn: LocalDate, by actor: AuditActor, at now: Timestamp,
                      on db: any SQLDatabase) async throws -> Int64 {
        guard let id = try await db.raw(
            """
            INSERT INTO levy_bills (employer_id, region_code, year, staff, disabled, severely_disabled, employer_wage_fen, mode, required, shortfall,
                levy_fen, due_on, state, issued_at, issued_by)
            VALUES (\(bind: staff.employerID), \(bind: staff.region.value), \(bind: Int64(year)), \(bind: Int64(staff.staff)), \(bind: Int64(staff.disabled)),
                \(bind: Int64(staff.severelyDisabled)), \(bind: staff.averageAnnualWage?.fen), \(bind: output.mode), \(bind: output.required),
                \(bind: output.shortfall), \(bind: output.levy.fen), \(bind: dueOn.description), 'issued', \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self) else { throw RowDecodingError(table: "levy_bills", column: "id", key: String(staff.employerID), value: nil) }
        return id
    }

    /// Marks an issued bill paid; false when it was not issued (paid meanwhile).
    public func pay(_ id: Int64, on day: LocalDate, surcharge: Money, by actor: AuditActor, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE levy_bills SET state = 'paid', paid_on = \(bind: day.description), surcharge_fen = \(bind: surcharge.fen), paid_by = \(bind: actor.name)
            WHERE id = \(bind: id) AND state = 'issued' RETURNING id
            """).all()).isEmpty
    }

    public func bills(year: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [LevyBill] {
        try await bills(where: "b.year = \(bind: Int64(year)) AND \(SQLPieces.scope(scope, column: "b.region_code"))", on: db)
    }

    public func bill(_ id: Int64, on db: any SQLDatabase) async throws -> LevyBill? {
        try await bills(where: "b.id = \(bind: id)", on: db).first
    }

    private func bills(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [LevyBill] {
        try await db.raw("SELECT b.*, u.name FROM levy_bills b JOIN employers u ON u.id = b.employer_id WHERE \(condition) ORDER BY b.id").all().map { row in
            let reader = try RowReader(row, table: "levy_bills")
            return LevyBill(
                id: try reader.int("id"), employerID: try reader.int("employer_id"), employerName: try reader.string("name"),
                region: try reader.region("region_code"), year: Int(try reader.int("year")), staff: Int(try reader.int("staff")),
                disabled: Int(try reader.int("disabled")), severelyDisabled: Int(try reader.int("severely_disabled")),
                employerWage: try reader.optionalInt("employer_wage_fen").map { Money(fen: $0) }, mode: try reader.string("mode"),
                required: try reader.string("required"), shortfall: try reader.string("shortfall"), levy: Money(fen: try reader.int("levy_fen")),
                dueOn: try reader.date("due_on"), state: try reader.value("state", as: LevyBill.State.self), paidOn: try reader.optionalDate("paid_on"),
                surcharge: Money(fen: try reader.int("surcharge_fen")))
        }
    }
}
