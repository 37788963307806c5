import Logging
import SQLKit
public import ShebaoCore

/// One numbered schema change. Migrations are append-only: once released, a migration is
/// never edited; a change is a new migration (STYLE.md §6).
public protocol Migration: Sendable {
    var version: Int { get }
    /// What it does, in a few words; recorded in `schema_migrations`.
    var name: String { get }
    func statements(for dialect: Dialect) -> [String]
}

/// Applies the migrations a database has not seen yet, each in its own transaction.
public enum Migrator {
    /// The schema version `migrations` lead to.
    public static func latestVersion(of migrations: [any Migration]) -> Int { migrations.map(\.version).max() ?? 0 }

    /// The migrations in version order, refusing two with the same number (each program lists its
    /// own; the numbers run across programs).
    public static func ordered(_ migrations: [any Migration]) throws -> [any Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.version == later.version {
            throw StoreError.duplicate("migration \(later.version): \(earlier.name) / \(later.name)")
        }
        return sorted
    }

    /// Applies what is missing of `migrations` and returns the versions applied now (empty when up to date).
    @discardableResult
    public static func migrate(_ database: ShebaoDatabase, migrations: [any Migration], clock: any WallClock = SystemClock()) async throws -> [Int] {
        let all = try ordered(migrations)
        let latestVersion = latestVersion(of: all)
        try await database.write { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            ).run()
        }
        let current = try await currentVersion(database)
        if current > latestVersion { throw StoreError.unknownSchemaVersion(current) }
        var applied: [Int] = []
        for migration in all where migration.version > current {
            let didApply = try await database.write { db in
                if database.dialect == .postgres {
                    // Two servers starting together must not both migrate.
                    try await db.raw("SELECT pg_advisory_xact_lock(727100)").run()
                }
                let done = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                if done != nil { return false }
                for statement in migration.statements(for: database.dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: clock.now().iso8601))"
                ).run()
                return true
            }
            if didApply {
                database.logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }

    /// The highest applied version, 0 for a new database.
    public static func currentVersion(_ database: ShebaoDatabase) async throws -> Int {
        try await database.read { db in
            let row = try await db.raw("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS v FROM schema_migrations").first()
            return Int(try row?.decode(column: "v", as: Int64.self) ?? 0)
        }
    }
}
