import ShebaoCore
import ShebaoStore

/// The registry's month-end census (人口台账月报) as a batch run: one chunk per township, each
/// written set-based in its own transaction; a clerk computes it, a reviewer approves it, and
/// posting publishes it as the period's official figure.
extension RegistryService {
    public static let censusKind = BatchKind(
        id: "registry.census",
        totalUnit: .count,
        computeRoles: [.districtClerk, .townClerk],
        decideRoles: [.reviewer],
        postRoles: [.districtClerk, .townClerk, .reviewer],
        chunks: { key, db in try await CensusStore().townships(in: key.scope, on: db).map(\.value) },
        compute: { run, chunk, db in
            let township = try RegionCode(chunk)
            let result = try await CensusStore().computeTownship(township, runID: run.id, censusDay: run.key.period.lastDay, on: db)
            return (result.lines, result.persons)
        },
        output: { run, db, regions in
            let lines = try await CensusStore().lines(of: run.id, on: db)
            // One row per township: the villages summed.
            var byTownship: [RegionCode: CensusLine] = [:]
            for line in lines {
                guard let township = line.region.parent else { continue }
                byTownship[township] = (byTownship[township] ?? .zero(township)) + line
            }
            var rows: [[String]] = []
            var total = CensusLine.zero(run.key.scope)
            for township in byTownship.keys.sorted() {
                let line = byTownship[township]!
                total = total + line
                rows.append([try await regions.label(township)] + Self.figures(line))
            }
            return OutputTable(
                columns: ["census.township", "census.persons", "census.male", "census.female", "census.agricultural", "census.non_agricultural",
                          "census.children", "census.working_age", "census.elderly", "census.disabled", "census.households"],
                rows: rows, total: Self.figures(total))
        })

    static func figures(_ line: CensusLine) -> [String] {
        [line.persons, line.male, line.female, line.agricultural, line.nonAgricultural, line.children, line.workingAge, line.elderly, line.disabled,
         line.households].map(String.init)
    }
}
