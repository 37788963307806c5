import Foundation
public import SQLKit
public import ShebaoCore

/// A construction subsidy as approved, and paid.
public struct HomeSubsidyRecord: Sendable, Hashable {
    public var caseID: Int64
    public var institutionID: Int64
    public var institutionName: String
    public var region: RegionCode
    public var renovation: Money
    public var newBeds: Int
    public var beds: Money
    public var total: Money
    public var approvedOn: String
    public var paidOn: LocalDate?
    public var reference: String?
}

/// Welfare homes' construction subsidies (0040).
public struct HomeSubsidyStore: Sendable {
    public init() {}

    /// Records the approved subsidy and makes the home's beds and space those after the works.
    public func record(_ request: HomeSubsidy.Request, case caseID: Int64, region: RegionCode, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO home_subsidies (case_id, institution_id, region_code, renovation_fen, new_beds, bed_fen, total_fen, approved_at)
            VALUES (\(bind: caseID), \(bind: request.institutionID), \(bind: region.value), \(bind: request.output.renovationSubsidy.fen),
                \(bind: Int64(request.input.newBeds ?? 0)), \(bind: request.output.bedSubsidy.fen), \(bind: request.output.total.fen), \(bind: now.iso8601))
            """
        ).run()
        if let beds = request.input.newBeds, beds > 0, let area = request.input.floorArea {
            try await db.raw(
                "UPDATE welfare_institutions SET beds = beds + \(bind: Int64(beds)), floor_area = \(bind: Int64(area)) WHERE id = \(bind: request.institutionID)"
            ).run()
        }
    }

    /// Marks an approved subsidy paid; false when it was paid before.
    public func pay(_ caseID: Int64, on day: LocalDate, reference: String, by actor: AuditActor, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE home_subsidies SET paid_on = \(bind: day.description), payment_reference = \(bind: reference), paid_by = \(bind: actor.name)
            WHERE case_id = \(bind: caseID) AND paid_on IS NULL RETURNING case_id
            """).all()).isEmpty
    }

    public func subsidies(in scope: RegionCode, on db: any SQLDatabase) async throws -> [HomeSubsidyRecord] {
        try await subsidies(where: SQLPieces.scope(scope, column: "s.region_code"), on: db)
    }

    public func subsidy(_ caseID: Int64, on db: any SQLDatabase) async throws -> HomeSubsidyRecord? {
        try await subsidies(where: "s.case_id = \(bind: caseID)", on: db).first
    }

    private func subsidies(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [HomeSubsidyRecord] {
        try await db.raw(
            """
            SELECT s.*, i.name FROM home_subsidies s JOIN welfare_institutions i ON i.id = s.institution_id WHERE \(condition)
            ORDER BY s.approved_at DESC, s.case_id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "home_subsidies", keyColumn: "case_id")
            return HomeSubsidyRecord(
                caseID: try reader.int("case_id"), institutionID: try reader.int("institution_id"), institutionName: try reader.string("name"),
                region: try reader.region("region_code"), renovation: Money(fen: try reader.int("renovation_fen")), newBeds: Int(try reader.int("new_beds")),
                beds: Money(fen: try reader.int("bed_fen")), total: Money(fen: try reader.int("total_fen")),
                approvedOn: String(try reader.string("approved_at").prefix(10)), paidOn: try reader.optionalDate("paid_on"),
                reference: try reader.optionalString("payment_reference"))
        }
    }
}
