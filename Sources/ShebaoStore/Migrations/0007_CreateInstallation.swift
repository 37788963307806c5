/// 0007: the installation — which district this database serves, set once by `shebao init` or
/// the demo, so that no code falls back to a district of its own.
public struct CreateInstallation: Migration {
    public init() {}
    public let version = 7
    public let name = "create installation"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE installation (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                region_code TEXT NOT NULL REFERENCES regions (code),
                name TEXT NOT NULL,
                initialized_at TEXT NOT NULL
            )
            """
        ]
    }
}
