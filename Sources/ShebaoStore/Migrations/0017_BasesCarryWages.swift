/// 0017: a declared base carries the wage the unit reported for the person (the average monthly
/// wage of the year before), so a base below it is flagged as under-declared, and who declared it.
public struct BasesCarryWages: Migration {
    public init() {}
    public let version = 17
    public let name = "bases carry the known wage"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE contribution_bases ADD COLUMN wage_fen BIGINT CHECK (wage_fen IS NULL OR wage_fen >= 0)",
            "ALTER TABLE contribution_bases ADD COLUMN declared_by TEXT",
        ]
    }
}
