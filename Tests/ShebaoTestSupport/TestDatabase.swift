public import Foundation
public import Logging
import PostgresKit
public import ShebaoCore
public import ShebaoOperations
import ShebaoServer
public import ShebaoStore
import Synchronization

/// The databases a store or server test runs against: SQLite always, PostgreSQL when
/// `SHEBAO_TEST_POSTGRES_URL` is set (as `.ci/run` does). The same test body serves both.
public enum TestDatabaseKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SHEBAO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds to run now.
    public static var available: [TestDatabaseKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

public let testLogger: Logger = {
    var logger = Logger(label: "shebao.test")
    logger.logLevel = .warning
    return logger
}()

/// Runs `body` with a fresh, migrated database of `kind`, removed afterwards: a temporary
/// SQLite file, or a PostgreSQL schema of its own.
public func withTestDatabase<T: Sendable>(
    _ kind: TestDatabaseKind, migrate: Bool = true, _ body: (ShebaoDatabase) async throws -> T
) async throws -> T {
    let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    switch kind {
    case .sqlite:
        let path = NSTemporaryDirectory() + "shebao-test-\(name).sqlite"
        let database = try await ShebaoDatabase.open(.sqlite(path: path), logger: testLogger)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        do {
            if migrate { try await Migrator.migrate(database, migrations: allMigrations) }
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    case .postgres:
        guard let url = TestDatabaseKind.postgresURL else { fatalError("SHEBAO_TEST_POSTGRES_URL is not set") }
        // Each test database may hold nine connections; the test server allows 200.
        await PostgresGate.shared.enter()
        defer { Task { await PostgresGate.shared.leave() } }
        let admin = try await ShebaoDatabase.open(.postgres(url: url), logger: testLogger)
        try await admin.write { db in try await db.raw("CREATE SCHEMA \(ident: name)").run() }
        let database = try await ShebaoDatabase.open(.postgres(url: url), logger: testLogger, searchPath: name)
        PostgresTally.record()
        do {
            if migrate { try await Migrator.migrate(database, migrations: allMigrations) }
            let result = try await body(database)
            await database.close()
            try await admin.write { db in try await db.raw("DROP SCHEMA \(ident: name) CASCADE").run() }
            await admin.close()
            return result
        } catch {
            await database.close()
            try? await admin.write { db in try await db.raw("DROP SCHEMA \(ident: name) CASCADE").run() }
            await admin.close()
            throw error
        }
    }
}

/// At most `capacity` PostgreSQL test databases at once: Swift Testing runs every test of a
/// process concurrently, and forty of them with a pool each exhaust the server's connections.
actor PostgresGate {
    static let shared = PostgresGate(capacity: 12)

    private let capacity: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) { self.capacity = capacity }

    func enter() async {
        if inside < capacity {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Counts the tests that really ran on PostgreSQL: one line per test database in the file
/// named by `SHEBAO_TEST_POSTGRES_TALLY`, which `.ci/run` counts and requires to be non-zero.
enum PostgresTally {
    static let lock = Mutex(())

    static func record() {
        guard let path = ProcessInfo.processInfo.environment["SHEBAO_TEST_POSTGRES_TALLY"], !path.isEmpty else { return }
        lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data("postgres test database\n".utf8))
                try? handle.close()
            }
        }
    }
}

/// A clock the test moves by hand.
public final class TestClock: WallClock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp = Timestamp(iso8601: "2026-07-01T02:00:00.000Z")!) {
        self.current = Mutex(start)
    }

    public func now() -> Timestamp { current.withLock { $0 } }

    public func advance(seconds: Int64) {
        current.withLock { $0 = $0.adding(seconds: seconds) }
    }
}

/// Every program's migrations, as the server and the command line apply them.
public let allMigrations: [any Migration] = Programs.all.migrations

/// What the programs give the operations layer (rules, case types, batch kinds).
public let allCatalog: Catalog = Programs.all.catalog

/// The operations layer over `database`, with the test clock and cheap bcrypt.
public func testOperations(_ database: ShebaoDatabase, clock: any WallClock = SystemClock(), catalog: Catalog = allCatalog) -> Operations {
    Operations(database: database, catalog: catalog, clock: clock, hasher: testHasher, logger: testLogger)
}

/// Runs `body` with the operations over a fresh database holding the small demo district
/// (410 persons; its installation is Luqiao, 331004).
public func withTestDistrict<T: Sendable>(
    _ kind: TestDatabaseKind, clock: any WallClock = SystemClock(), catalog: Catalog = allCatalog, _ body: (Operations) async throws -> T
) async throws -> T {
    try await withTestDatabase(kind) { database in
        try await Setup.prepare(database, migrations: allMigrations, clock: clock)
        try await buildTestDistrict(database, clock: clock)
        return try await body(testOperations(database, clock: clock, catalog: catalog))
    }
}

/// bcrypt at its minimum cost, so tests that create users stay fast.
public let testHasher = PasswordHasher(cost: 4)

/// A small demo district (410 persons) in `database`.
public func buildTestDistrict(_ database: ShebaoDatabase, clock: any WallClock = SystemClock()) async throws {
    _ = try await DemoDistrict(scale: 0.001).build(in: database, hasher: testHasher, clock: clock, logger: testLogger)
}

/// A page of the persons registered in `scope` (merged records left out), read directly.
public func registeredPersons(_ database: ShebaoDatabase, in scope: RegionCode = .nation, perPage: Int = 50) async throws -> Page<Person> {
    try await database.read { db in try await PersonStore().search(PersonQuery(), in: scope, paging: Paging(perPage: perPage), on: db) }
}

/// How many persons are registered in `scope`, read directly.
public func registeredCount(_ database: ShebaoDatabase, in scope: RegionCode) async throws -> Int {
    try await database.read { db in try await PersonStore().count(in: scope, on: db) }
}

/// The newest audit rows, read directly.
public func latestAudit(_ database: ShebaoDatabase, limit: Int = 1) async throws -> [AuditEntry] {
    try await AuditLog.entries(database, limit: limit)
}

/// Two records of `scope` that may be merged without breaking a household: the merged one is a
/// member, not the head, of a household that keeps other members, and the kept one has a household
/// of its own.
public func mergeablePair(_ database: ShebaoDatabase, in scope: RegionCode) async throws -> (kept: Person, merged: Person) {
    try await database.read { db in
        let persons = try await PersonStore().search(PersonQuery(), in: scope, paging: Paging(perPage: 200), on: db).items
        for merged in persons {
            guard let householdID = merged.householdID, let household = try await HouseholdStore().find(id: householdID, on: db),
                household.members.count > 1, !household.members.contains(where: { $0.personID == merged.id && $0.relation == .head })
            else { continue }
            if let kept = persons.first(where: { $0.id != merged.id && $0.householdID != nil && $0.householdID != householdID }) {
                return (kept, merged)
            }
        }
        throw StoreError.notFound("a mergeable pair in \(scope)")
    }
}

/// A month assessed by the district clerk, approved by the reviewer and posted by the fund
/// accountant, as a district closes it; returns the bills it sent out.
public func closeMonth(_ operations: Operations, _ period: Period) async throws -> [Bill] {
    let clerk = try await operations.access.principal(named: "district")
    let run = try await operations.batches.start(kind: "insurance.assessment", period: period.description, by: clerk)
    _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: try await operations.access.principal(named: "reviewer"))
    _ = try await operations.batches.post(run.id, by: try await operations.access.principal(named: "accountant"))
    return try await operations.insurance.bills(period: period, employer: nil, by: clerk).page.items
}

/// The tax bureau's collection file with its Chinese headers.
public func collectionFile(_ rows: [[String]]) -> Data {
    CSV.write(header: ["统一社会信用代码", "费款所属期", "险种", "实缴金额", "入库日期", "电子税票号", "缴费人数"], rows: rows)
}
