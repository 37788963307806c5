import Foundation
public import SQLKit
public import ShebaoCore

/// One village's line of the registry census.
public struct CensusLine: Sendable, Hashable, Codable {
    public var region: RegionCode
    public var persons: Int64
    public var male: Int64
    public var female: Int64
    public var agricultural: Int64
    public var nonAgricultural: Int64
    /// Under 16 on the census day.
    public var children: Int64
    /// 16 to 59.
    public var workingAge: Int64
    /// 60 and over.
    public var elderly: Int64
    public var disabled: Int64
    public var households: Int64

    public static func + (lhs: CensusLine, rhs: CensusLine) -> CensusLine {
        CensusLine(region: lhs.region, persons: lhs.persons + rhs.persons, male: lhs.male + rhs.male, female: lhs.female + rhs.female,
                   agricultural: lhs.agricultural + rhs.agricultural, nonAgricultural: lhs.nonAgricultural + rhs.nonAgricultural,
                   children: lhs.children + rhs.children, workingAge: lhs.workingAge + rhs.workingAge, elderly: lhs.elderly + rhs.elderly,
                   disabled: lhs.disabled + rhs.disabled, households: lhs.households + rhs.households)
    }

    public static func zero(_ region: RegionCode) -> CensusLine {
        CensusLine(region: region, persons: 0, male: 0, female: 0, agricultural: 0, nonAgricultural: 0, children: 0, workingAge: 0, elderly: 0,
                   disabled: 0, households: 0)
    }
}

/// The registry's month-end census (人口台账月报): living, unmerged persons per village as the
/// register stands when the run computes, with ages on the census day. Set-based: one
/// `INSERT … SELECT` per township.
public struct CensusStore: Sendable {
    public init() {}

    /// Writes the lines of the villages under `township` for `runID`; returns the lines written
    /// and the persons counted.
    public func computeTownship(_ township: RegionCode, runID: Int64, censusDay: LocalDate, on db: any SQLDatabase) async throws -> (lines: Int64, persons: Int64) {
        // Ages by comparing ISO dates: 16 on the census day means born on or before the day 16 years earlier.
        func yearsBefore(_ years: Int) -> String {
            String(format: "%04d", censusDay.year - years) + censusDay.description.dropFirst(4)
        }
        let sixteen = yearsBefore(16)
        let sixty = yearsBefore(60)
        let inserted = try await db.raw(
            """
            INSERT INTO registry_census (run_id, region_code, persons, male, female, agricultural, non_agricultural, children, working_age,
                elderly, disabled, households)
            SELECT \(bind: runID), v.code,
                CAST(COUNT(p.id) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.sex = 'male' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.sex = 'female' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.hukou_type = 'agricultural' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.hukou_type = 'non_agricultural' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.birth_date > \(bind: sixteen) THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.birth_date <= \(bind: sixteen) AND p.birth_date > \(bind: sixty) THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.birth_date <= \(bind: sixty) THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN p.disability_category IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST((SELECT COUNT(*) FROM households h WHERE h.region_code = v.code) AS BIGINT)
            FROM regions v
            LEFT JOIN persons p ON p.region_code = v.code AND p.merged_into IS NULL AND p.status = 'living'
                AND p.birth_date <= \(bind: censusDay.description)
            WHERE v.level = 'village' AND \(SQLPieces.scope(township, column: "v.code"))
            GROUP BY v.code
            RETURNING persons
            """
        ).all()
        let persons = try inserted.reduce(Int64(0)) { $0 + (try $1.decode(column: "persons", as: Int64.self)) }
        return (Int64(inserted.count), persons)
    }

    /// The lines of a run, by village.
    public func lines(of runID: Int64, on db: any SQLDatabase) async throws -> [CensusLine] {
        try await db.raw(
            """
            SELECT region_code, persons, male, female, agricultural, non_agricultural, children, working_age, elderly, disabled, households
            FROM registry_census WHERE run_id = \(bind: runID) ORDER BY region_code
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "registry_census", keyColumn: "region_code")
            return CensusLine(
                region: try reader.region("region_code"), persons: try reader.int("persons"), male: try reader.int("male"), female: try reader.int("female"),
                agricultural: try reader.int("agricultural"), nonAgricultural: try reader.int("non_agricultural"), children: try reader.int("children"),
                workingAge: try reader.int("working_age"), elderly: try reader.int("elderly"), disabled: try reader.int("disabled"),
                households: try reader.int("households"))
        }
    }

    /// The townships inside `scope` that have villages: the chunks of a census.
    public func townships(in scope: RegionCode, on db: any SQLDatabase) async throws -> [RegionCode] {
        try await db.raw(
            """
            SELECT DISTINCT parent_code FROM regions WHERE level = 'village' AND \(SQLPieces.scope(scope, column: "code")) ORDER BY parent_code
            """
        ).all().map { try RowReader($0, table: "regions", keyColumn: "parent_code").region("parent_code") }
    }
}
