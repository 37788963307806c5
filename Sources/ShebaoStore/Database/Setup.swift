public import ShebaoCore

/// What every start does to a database: migrate it, load the bundled regions and the policy
/// defaults that are not there yet. Idempotent; user data is never touched.
public enum Setup {
    public static func prepare(_ database: ShebaoDatabase, clock: any WallClock = SystemClock()) async throws {
        try await Migrator.migrate(database, clock: clock)
        try await RegionStore(database: database).insertMissing(try RegionStore.bundledRegions())
        try await ParameterStore(database: database, clock: clock).loadDefaults()
    }
}
