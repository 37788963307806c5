public import Logging
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What the programs contribute to the operations layer: the rules of the catalogue, the case
/// types with what their steps do, the kinds of batch runs. Built from the program list
/// (`ShebaoServer.Programs`), so a program adds its own in one place.
public struct Catalog: Sendable {
    public var rules: [RuleCatalog.Entry]
    public var caseTypes: [CaseHandler]
    public var batchKinds: [BatchKind]

    public init(rules: [RuleCatalog.Entry] = [], caseTypes: [CaseHandler] = [], batchKinds: [BatchKind] = []) {
        self.rules = rules
        self.caseTypes = caseTypes
        self.batchKinds = batchKinds
    }
}

/// What every service shares; built once by ``Operations``.
struct ServiceContext: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    let audit: AuditTrail
    let regions: RegionDirectory
    let strings: StringTables
    let calendar: WorkingCalendar
    let logger: Logger

    var now: Timestamp { clock.now() }
    var today: LocalDate { clock.now().dateInChina }

    /// Reads outside a transaction.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws(ServiceError) -> T {
        try await perform { try await database.read(body) }
    }

    /// One transaction: everything `body` writes, its audit rows included, commits together or not at all.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws(ServiceError) -> T {
        try await perform { try await database.write(body) }
    }

    /// Returns when everything committed is in the database file, not only in its log.
    func checkpoint() async throws(ServiceError) {
        try await perform { try await database.checkpoint() }
    }

    /// Appends an audit row that stands alone (a read, a search, an export) through the group commit.
    func record(_ event: AuditEvent) async throws(ServiceError) {
        try await perform { try await audit.record(event) }
    }

    /// The maker–checker rule with the administrators' hands in both accounts within the review
    /// window (``AccountPolicy/reviewWindowDays``), read inside the caller's transaction.
    func checkDecision(status: ProposalStatus, maker: Int64?, decider: Int64, on db: any SQLDatabase) async throws {
        let since = now.adding(seconds: -Int64(AccountPolicy.reviewWindowDays) * 86_400)
        let managers = try await AccountStore().managers(of: [maker, decider].compactMap { $0 }, since: since, on: db)
        try MakerChecker.check(status: status, maker: maker, decider: decider, managers: managers)
    }

    /// Appends an audit row inside the caller's transaction.
    func append(_ event: AuditEvent, on db: any SQLDatabase, at now: Timestamp) async throws {
        try await AuditLog.append(event, on: db, dialect: database.dialect, at: now)
    }
}

/// The application layer (DESIGN.md §1): one service per program, each function one use case
/// that decides access, opens the transaction, writes the audit row and throws a
/// ``ServiceError``. The server's API and pages and the command line are thin adapters over it.
public final class Operations: Sendable {
    public let database: ShebaoDatabase
    public let clock: any WallClock
    public let strings: StringTables
    public let regions: RegionDirectory
    public let catalog: Catalog

    public let installation: InstallationService
    public let access: AccessService
    public let registry: RegistryService
    public let policy: PolicyService
    public let cases: CaseService
    public let batches: BatchService
    public let bench: BenchService
    public let ledger: LedgerService
    public let insurance: InsuranceService
    public let benefits: BenefitsService
    public let assistance: AssistanceService

    /// The audit rows of reads, searches and exports, written through one group commit.
    public let auditTrail: AuditTrail
    private let hasher: PasswordHasher
    private let calendar: WorkingCalendar
    private let logger: Logger

    public init(database: ShebaoDatabase, catalog: Catalog, clock: any WallClock = SystemClock(), hasher: PasswordHasher = PasswordHasher(),
                calendar: WorkingCalendar = .bundled, strings: StringTables = .bundled, logger: Logger) {
        self.database = database
        self.hasher = hasher
        self.calendar = calendar
        self.logger = logger
        self.clock = clock
        self.strings = strings
        self.catalog = catalog
        let auditTrail = AuditTrail(database: database, clock: clock)
        self.auditTrail = auditTrail
        let regions = RegionDirectory(database: database)
        self.regions = regions
        let context = ServiceContext(
            database: database, clock: clock, audit: auditTrail, regions: regions,
            strings: strings, calendar: calendar, logger: logger)
        let installation = InstallationService(context: context, hasher: hasher)
        self.installation = installation
        self.access = AccessService(context: context, hasher: hasher)
        let policy = PolicyService(context: context, installation: installation, rules: catalog.rules)
        self.policy = policy
        self.registry = RegistryService(context: context)
        self.cases = CaseService(context: context, handlers: catalog.caseTypes)
        self.batches = BatchService(context: context, kinds: catalog.batchKinds, policy: policy)
        self.bench = BenchService(context: context)
        self.ledger = LedgerService(context: context, installation: installation)
        self.insurance = InsuranceService(context: context, installation: installation, policy: policy)
        self.benefits = BenefitsService(context: context, installation: installation, policy: policy)
        self.assistance = AssistanceService(context: context, installation: installation, policy: policy)
    }

    /// Opens the database at `location`, applies `migrations` and the bundled reference data,
    /// and builds the services over it.
    public static func open(_ location: DatabaseLocation, migrations: [any Migration], catalog: Catalog, clock: any WallClock = SystemClock(),
                            hasher: PasswordHasher = PasswordHasher(), logger: Logger) async throws -> Operations {
        let database = try await ShebaoDatabase.open(location, logger: logger)
        do {
            try await Setup.prepare(database, migrations: migrations, clock: clock)
        } catch {
            await database.close()
            throw error
        }
        return Operations(database: database, catalog: catalog, clock: clock, hasher: hasher, logger: logger)
    }

    /// Applies what is missing of `migrations` (and the bundled reference data) to the database at
    /// `location`; returns the versions applied now and the version the database is at.
    public static func migrate(_ location: DatabaseLocation, migrations: [any Migration], clock: any WallClock = SystemClock(),
                               logger: Logger) async throws -> (applied: [Int], version: Int) {
        let database = try await ShebaoDatabase.open(location, logger: logger)
        do {
            let applied = try await Migrator.migrate(database, migrations: migrations, clock: clock)
            try await Setup.prepare(database, migrations: migrations, clock: clock)
            await database.close()
            return (applied, Migrator.latestVersion(of: migrations))
        } catch {
            await database.close()
            throw error
        }
    }

    /// Closes the database. Call once, at the end.
    public func close() async { await database.close() }

    /// The same services over the same database on another clock: the demo lives through weeks
    /// of a district's work in the past — a notice running its 7 days — before the server starts.
    public func on(_ clock: any WallClock) -> Operations {
        Operations(database: database, catalog: catalog, clock: clock, hasher: hasher, calendar: calendar, strings: strings, logger: logger)
    }

    /// Whether the database answers and is at the schema version `migrations` lead to.
    public func health(migrations: [any Migration]) async -> (healthy: Bool, schemaVersion: Int) {
        let version = try? await Migrator.currentVersion(database)
        return (version == Migrator.latestVersion(of: migrations), version ?? -1)
    }
}

extension ServiceContext {
    /// The payment point and account a benefit goes to: a known point, 12–30 digits (spaces
    /// dropped); each problem is added to `issues` by its field.
    /// Opens a claim of `type` for `person` unless one of that type is still open (`busy` names it).
    func openClaim(_ type: CaseType, person: Person, payload: String, busy: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let now = self.now
        let context = self
        return try await write { db in
            try await BenefitsService.requireNoOpenClaim(type, person: person.id, busy: busy, on: db)
            return try await CaseService.open(type, region: person.region, personID: person.id, payload: payload, by: principal, context: context, at: now, on: db)
        }
    }

    func payee(paymentPoint: String, account: String, issues: inout [FieldIssue]) async throws(ServiceError) -> (point: PaymentPoint, account: String)? {
        let point = try await self.paymentPoint(paymentPoint, issues: &issues)
        let digits = account.filter { !$0.isWhitespace }
        if !(12...30).contains(digits.count) || !digits.allSatisfy(\.isASCIIDigit) { issues.append(FieldIssue("account", "pension_account.bad_account")) }
        guard let point, (12...30).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return (point, digits)
    }

    /// The payment point a form names by its number.
    func paymentPoint(_ text: String, issues: inout [FieldIssue]) async throws(ServiceError) -> PaymentPoint? {
        let id = Int64(text.trimmingUnicodeWhitespace())
        let point = try await read { db in try await id.asyncMap { try await PayrollStore().paymentPoint($0, on: db) } ?? nil }
        if point == nil { issues.append(FieldIssue("paymentPoint", "field.not_in_list", ["value": text])) }
        return point
    }
}
