import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Migrations and the dialect adapter")
struct MigrationAndDialectTests {
    @Test(arguments: TestDatabaseKind.available)
    func migrationsApplyOnceAndRecordTheirVersion(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            let latest = Migrator.latestVersion(of: allMigrations)
            #expect(try await Migrator.migrate(database, migrations: allMigrations) == Array(1...latest))
            #expect(try await Migrator.migrate(database, migrations: allMigrations) == [])
            #expect(try await Migrator.currentVersion(database) == latest)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aNewerSchemaIsRefused(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await database.write { db in
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01T00:00:00.000Z')").run()
            }
            await #expect(throws: StoreError.unknownSchemaVersion(9999)) { try await Migrator.migrate(database, migrations: allMigrations) }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func failedTransactionsLeaveNothingBehind(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.write { db in
                    try await db.raw("INSERT INTO regions (code, name, level) VALUES ('330000000000', '浙江省', 'province')").run()
                    throw Boom()
                }
            }
            let count = try await database.read { db in
                try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM regions").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(count == 0)
        }
    }

    /// Each program lists its own migrations; their numbers run across programs and never clash.
    @Test func migrationNumbersAreUniqueAcrossPrograms() throws {
        let ordered = try Migrator.ordered(allMigrations)
        #expect(ordered.map(\.version) == Array(1...ordered.count))
        #expect(throws: StoreError.self) { try Migrator.ordered(allMigrations + [CreateRegions()]) }
    }

    @Test func sqliteConnectionsCarryTheDurabilityPragmas() async throws {
        try await withTestDatabase(.sqlite) { (database: ShebaoDatabase) async throws in
            let (journal, synchronous, foreignKeys) = try await database.read { db in
                (
                    try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self),
                    try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int64.self),
                    try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int64.self)
                )
            }
            #expect(journal == "wal")
            #expect(synchronous == 2)  // FULL
            #expect(foreignKeys == 1)
        }
    }

    @Test func locationsParse() throws {
        #expect(try DatabaseLocation("sqlite:./x.sqlite") == .sqlite(path: "./x.sqlite"))
        #expect(try DatabaseLocation("sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation("postgres://u:secret@h:5432/d") == .postgres(url: "postgres://u:secret@h:5432/d"))
        #expect(try DatabaseLocation("postgres://u:secret@h:5432/d").description == "postgres://u:***@h:5432/d")
        #expect(throws: DatabaseLocationError.unknownScheme("mysql")) { try DatabaseLocation("mysql://x") }
        #expect(throws: DatabaseLocationError.emptyPath) { try DatabaseLocation("sqlite:") }
    }

    @Test func appendOnlyTriggersAreSpelledPerDialect() {
        #expect(Dialect.sqlite.appendOnlyTriggers(table: "audit_log").allSatisfy { $0.contains("RAISE(ABORT") })
        #expect(Dialect.postgres.appendOnlyTriggers(table: "audit_log").contains { $0.contains("BEFORE UPDATE OR DELETE") })
        #expect(Dialect.postgres.appendOnlyTriggers(table: "audit_log").contains { $0.contains("BEFORE TRUNCATE") })
    }
}
