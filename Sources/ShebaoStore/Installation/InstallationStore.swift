public import SQLKit
public import ShebaoCore

/// The one row that says which district this database serves (``Installation``).
public struct InstallationStore: Sendable {
    public init() {}

    /// The installation with its townships, or nil before `shebao init` (or the demo) has run.
    public func current(on db: any SQLDatabase) async throws -> Installation? {
        guard let row = try await db.raw("SELECT id, region_code, name, initialized_at FROM installation WHERE id = 1").first() else { return nil }
        let reader = try RowReader(row, table: "installation")
        let region = try reader.region("region_code")
        let townships = try await db.raw(
            """
            SELECT code, name, area_type FROM regions WHERE level = 'township' AND \(SQLPieces.scope(region, column: "code")) ORDER BY code
            """
        ).all().map { row in
            let township = try RowReader(row, table: "regions", keyColumn: "code")
            return Installation.Township(code: try township.region("code"), name: try township.string("name"),
                                         areaType: try township.optionalValue("area_type", as: AreaType.self))
        }
        return Installation(region: region, name: try reader.string("name"), townships: townships, initializedAt: try reader.string("initialized_at"))
    }

    /// Records the district served. The caller has checked that none is set yet.
    public func initialize(region: RegionCode, name: String, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            "INSERT INTO installation (id, region_code, name, initialized_at) VALUES (1, \(bind: region.value), \(bind: name), \(bind: now.iso8601))"
        ).run()
    }
}
