public import ShebaoCore

/// What every start does to a database: migrate it, load the bundled regions and the policy
/// defaults that are not there yet. Idempotent; user data is never touched.
public enum Setup {
    public static func prepare(_ database: ShebaoDatabase, migrations: [any Migration], clock: any WallClock = SystemClock()) async throws {
        try await Migrator.migrate(database, migrations: migrations, clock: clock)
        let regions = try RegionStore.bundledRegions()
        let now = clock.now()
        let dialect = database.dialect
        try await database.write { db in
            try await RegionStore().insertMissing(regions, on: db)
            let loaded = try await ParameterStore().loadDefaults(at: now, on: db)
            if !loaded.isEmpty {
                try await AuditLog.append(
                    AuditEvent(actor: .system("defaults"), action: .create, entity: "parameter", entityID: "defaults:\(loaded.count)",
                               after: loaded.map(\.key)),
                    on: db, dialect: dialect, at: now)
            }
        }
    }
}
