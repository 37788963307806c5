import Logging
public import ShebaoCore
public import ShebaoStore
import Synchronization

/// Which district the server serves, set once: `shebao init --region 331004` or the demo.
public struct InstallationService: Sendable {
    let context: ServiceContext
    let hasher: PasswordHasher
    private let cache = Cache()

    final class Cache: Sendable {
        let value = Mutex<Installation?>(nil)
    }

    init(context: ServiceContext, hasher: PasswordHasher) {
        self.context = context
        self.hasher = hasher
    }

    /// The installation, or nil before set-up.
    public func current() async throws(ServiceError) -> Installation? {
        if let known = cache.value.withLock({ $0 }) { return known }
        let found = try await context.read { db in try await InstallationStore().current(on: db) }
        if let found { cache.value.withLock { $0 = found } }
        return found
    }

    /// The installation, or a refusal that says how to set one up.
    public func required() async throws(ServiceError) -> Installation {
        guard let installation = try await current() else { throw .conflict("installation.missing") }
        return installation
    }

    /// Records the district this database serves. `text` is a county-level code (6 or 12 digits)
    /// the bundled division list knows; a second set-up is refused.
    public func initialize(region text: String) async throws(ServiceError) -> Installation {
        let code: RegionCode
        do {
            code = try RegionCode(text)
        } catch {
            throw .invalid("region", error.code, error.arguments)
        }
        guard code.level == .county, let region = try await context.perform({ try await context.regions.find(code) }) else {
            throw .invalid("region", "installation.not_a_county", ["code": code.value])
        }
        if let existing = try await current() {
            throw .conflict("installation.exists", ["name": existing.name, "code": existing.region.value])
        }
        let now = context.now
        try await context.write { db in
            try await InstallationStore().initialize(region: code, name: region.name, at: now, on: db)
            try await context.append(
                AuditEvent(actor: .system("init"), action: .create, entity: "installation", entityID: code.value, region: code), on: db, at: now)
        }
        return try await required()
    }

    /// Builds the demo district (and its installation) in an empty database.
    public func buildDemo(scale: Double, seed: UInt64 = 331_004, progress: (@Sendable (String, Int, Int) -> Void)? = nil)
        async throws(ServiceError) -> DemoDistrict.Summary
    {
        let context = self.context
        let hasher = self.hasher
        do {
            let summary = try await DemoDistrict(scale: scale, seed: seed).build(
                in: context.database, hasher: hasher, clock: context.clock, logger: context.logger, progress: progress)
            context.regions.reload()
            cache.value.withLock { $0 = nil }
            return summary
        } catch is DemoError {
            throw .conflict("demo.not_empty")
        } catch {
            throw .failure(error)
        }
    }

    /// Whether the database already holds a district (users or an installation).
    public func isEmpty() async throws(ServiceError) -> Bool {
        let users = try await context.perform { try await UserStore(database: context.database, clock: context.clock).list() }
        guard users.isEmpty else { return false }
        return try await current() == nil
    }
}

extension ServiceContext {
    /// `perform` for helpers that are not use cases of their own.
    func perform<T>(_ body: () async throws -> T) async throws(ServiceError) -> T {
        try await ShebaoOperations.perform(body)
    }
}
