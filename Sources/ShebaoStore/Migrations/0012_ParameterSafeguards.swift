/// 0012: safeguards on the policy book (issue 9). A value that starts in the past carries the
/// reason given for it; a change far from the value in force (beyond a factor of three) needs
/// the approval of two reviewers, the first of whom is recorded here.
public struct ParameterSafeguards: Migration {
    public init() {}
    public let version = 12
    public let name = "parameter safeguards"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE parameters ADD COLUMN retroactive_reason TEXT",
            "ALTER TABLE parameters ADD COLUMN needs_second_approval BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE parameters ADD COLUMN first_approved_by BIGINT REFERENCES users (id)",
            "ALTER TABLE parameters ADD COLUMN first_approved_at TEXT",
        ]
    }
}
