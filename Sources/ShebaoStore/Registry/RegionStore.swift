import Foundation
public import SQLKit
public import ShebaoCore

/// The division hierarchy: loaded from the bundled NBS extract, extended by the demo with
/// communities and villages, read by every screen that names a place.
public struct RegionStore: Sendable {
    public init() {}

    /// Regions above the city that the extract names only as parents.
    static let ancestors = [
        Region(code: RegionCode(trusted: "330000000000"), name: "浙江省", level: .province, parent: nil, areaType: nil),
    ]

    /// The bundled Taizhou (331000) extract: city, counties and townships (`Resources/regions`).
    public static func bundledRegions() throws -> [Region] {
        guard let url = Bundle.module.url(forResource: "taizhou_331000", withExtension: "csv", subdirectory: "Resources/regions") else {
            throw StoreError.notFound("bundled region file taizhou_331000.csv")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return ancestors + (try parseRegionCSV(text))
    }

    /// Reads `code,name,level,parent` rows (NBS levels 2–5: city, county, township, village).
    static func parseRegionCSV(_ text: String) throws -> [Region] {
        var regions: [Region] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let code = try? RegionCode(fields[0]), let parent = try? RegionCode(fields[3]) else {
                throw StoreError.notFound("a valid region on line \(index + 1) of the region file")
            }
            let level = code.level
            let township = RegionCode(trusted: String(code.value.prefix(9)) + "000")
            let areaType = Region.areaType(for: code, townshipIsStreet: Region.isStreet(township))
            regions.append(Region(code: code, name: fields[1], level: level, parent: parent, areaType: areaType))
        }
        return regions
    }

    /// Inserts the regions not yet stored (parents first), inside the caller's transaction;
    /// existing rows are left alone. Returns how many were new.
    @discardableResult
    public func insertMissing(_ regions: [Region], on db: any SQLDatabase) async throws -> Int {
        let sorted = regions.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
        let before = try await count(on: db)
        for chunk in sorted.chunked(into: 500) {
            let insert = db.insert(into: "regions").columns("code", "name", "level", "parent_code", "area_type")
            for region in chunk {
                let row: [any SQLExpression] = [
                    SQLBind(region.code.value), SQLBind(region.name), SQLBind(region.level.rawValue),
                    SQLBind(region.parent?.value), SQLBind(region.areaType?.rawValue),
                ]
                insert.values(row)
            }
            try await insert.ignoringConflicts(with: ["code"]).run()
        }
        return try await count(on: db) - before
    }

    public func count(on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM regions")
    }

    /// Every region, by code (a few thousand rows at most: the operations layer keeps them in memory).
    public func all(on db: any SQLDatabase) async throws -> [Region] {
        try await db.raw("SELECT code, name, level, parent_code, area_type FROM regions ORDER BY code").all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Region {
        let reader = try RowReader(row, table: "regions", keyColumn: "code")
        return Region(
            code: try reader.region("code"), name: try reader.string("name"), level: try reader.value("level", as: RegionLevel.self),
            parent: try reader.optionalRegion("parent_code"), areaType: try reader.optionalValue("area_type", as: AreaType.self))
    }
}
