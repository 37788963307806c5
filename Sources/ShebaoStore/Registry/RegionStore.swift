import Foundation
import SQLKit
public import ShebaoCore

/// The division hierarchy: loaded from the bundled NBS extract, extended by the demo with
/// communities and villages, read by every screen that names a place.
public struct RegionStore: Sendable {
    let database: ShebaoDatabase

    public init(database: ShebaoDatabase) { self.database = database }

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

    /// Inserts the regions not yet stored (parents first); existing rows are left alone.
    @discardableResult
    public func insertMissing(_ regions: [Region]) async throws -> Int {
        let sorted = regions.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
        return try await database.write { db in
            var inserted = 0
            for chunk in sorted.chunked(into: 500) {
                let before = try await Self.count(db)
                let insert = db.insert(into: "regions").columns("code", "name", "level", "parent_code", "area_type")
                for region in chunk {
                    let row: [any SQLExpression] = [
                        SQLBind(region.code.value), SQLBind(region.name), SQLBind(region.level.rawValue),
                        SQLBind(region.parent?.value), SQLBind(region.areaType?.rawValue),
                    ]
                    insert.values(row)
                }
                try await insert.ignoringConflicts(with: ["code"]).run()
                inserted += try await Self.count(db) - before
            }
            return inserted
        }
    }

    private static func count(_ db: any SQLDatabase) async throws -> Int {
        Int(try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM regions").first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// Every code the registry knows, for validating files without a query per row.
    public func allCodes() async throws -> Set<RegionCode> {
        try await database.read { db in
            Set(try await db.raw("SELECT code FROM regions").all().map { RegionCode(trusted: try $0.decode(column: "code", as: String.self)) })
        }
    }

    public func find(_ code: RegionCode) async throws -> Region? {
        try await database.read { db in
            try await db.raw("SELECT code, name, level, parent_code, area_type FROM regions WHERE code = \(bind: code.value)")
                .first().map(Self.decode)
        }
    }

    /// The regions directly under `code`, by code.
    public func children(of code: RegionCode) async throws -> [Region] {
        try await database.read { db in
            try await db.raw(
                "SELECT code, name, level, parent_code, area_type FROM regions WHERE parent_code = \(bind: code.value) ORDER BY code"
            ).all().map(Self.decode)
        }
    }

    /// Every region inside `scope`, including the scope itself.
    public func all(in scope: RegionCode) async throws -> [Region] {
        try await database.read { db in
            try await db.raw(
                "SELECT code, name, level, parent_code, area_type FROM regions WHERE code LIKE \(bind: scope.scopePrefix + "%") ORDER BY code"
            ).all().map(Self.decode)
        }
    }

    /// Names of the given codes, for labelling lists without a join per row.
    public func names(of codes: Set<RegionCode>) async throws -> [RegionCode: String] {
        guard !codes.isEmpty else { return [:] }
        let values = codes.map(\.value)
        return try await database.read { db in
            var names: [RegionCode: String] = [:]
            for row in try await db.raw("SELECT code, name FROM regions WHERE code IN (\(binds: values))").all() {
                names[RegionCode(trusted: try row.decode(column: "code", as: String.self))] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
    }

    /// Labels that say where a place is: `新桥镇 港家社区` for a village, `新桥镇` for a township.
    public func labels(of codes: Set<RegionCode>) async throws -> [RegionCode: String] {
        let townships = Set(codes.filter { $0.level == .village }.compactMap(\.parent))
        let names = try await names(of: codes.union(townships))
        var labels: [RegionCode: String] = [:]
        for code in codes {
            let own = names[code] ?? code.value
            if code.level == .village, let township = code.parent, let townshipName = names[township] {
                labels[code] = townshipName + " " + own
            } else {
                labels[code] = own
            }
        }
        return labels
    }

    static func decode(_ row: any SQLRow) throws -> Region {
        Region(
            code: RegionCode(trusted: try row.decode(column: "code", as: String.self)),
            name: try row.decode(column: "name", as: String.self),
            level: RegionLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .village,
            parent: try row.decode(column: "parent_code", as: String?.self).map(RegionCode.init(trusted:)),
            areaType: try row.decode(column: "area_type", as: String?.self).flatMap(AreaType.init(rawValue:)))
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
