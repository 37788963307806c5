import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Users, sessions and tokens")
struct AccessStoreTests {
    static let town = RegionCode(trusted: "331004103000")

    static func prepare(_ database: ShebaoDatabase) async throws {
        _ = try await database.write { db in try await RegionStore().insertMissing(try RegionStore.bundledRegions(), on: db) }
    }

    @Test(arguments: TestDatabaseKind.available)
    func creatingUsersChecksNamesPasswordsAndRegions(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            let users = UserStore(database: database, hasher: testHasher)
            let user = try await users.create(username: "clerk", displayName: "经办", role: .townClerk, region: Self.town,
                                              password: "correct horse battery", by: .system("test"))
            #expect(user.principal.scope == Self.town)
            await #expect(throws: UserStoreError.usernameTaken("clerk")) {
                _ = try await users.create(username: "clerk", displayName: "x", role: .reviewer, region: Self.town, password: "another long one", by: .system("test"))
            }
            await #expect(throws: UserStoreError.weakPassword(.tooShort)) {
                _ = try await users.create(username: "b", displayName: "x", role: .reviewer, region: Self.town, password: "short", by: .system("test"))
            }
            await #expect(throws: UserStoreError.weakPassword(.tooCommon)) {
                _ = try await users.create(username: "c", displayName: "x", role: .reviewer, region: Self.town, password: "password123", by: .system("test"))
            }
            await #expect(throws: UserStoreError.unknownRegion(RegionCode(trusted: "331004999000"))) {
                _ = try await users.create(username: "d", displayName: "x", role: .reviewer, region: RegionCode(trusted: "331004999000"), password: "a fine password", by: .system("test"))
            }
            #expect(try await users.list().map(\.username) == ["clerk"])
            #expect(try await AuditLog.verify(database).rowsChecked == 1)
        }
    }

    /// RELIABILITY A6.4 S1: five failures in 15 minutes lock the account for 15 minutes.
    @Test(arguments: TestDatabaseKind.available)
    func fiveFailuresLockTheAccount(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            let clock = TestClock()
            let users = UserStore(database: database, clock: clock, hasher: testHasher)
            _ = try await users.create(username: "clerk", displayName: "经办", role: .townClerk, region: Self.town,
                                       password: "correct horse battery", by: .system("test"))
            #expect(try await users.authenticate(username: "clerk", password: "correct horse battery") != .failure)
            for _ in 1...5 {
                #expect(try await users.authenticate(username: "clerk", password: "wrong") == .failure)
                clock.advance(seconds: 10)
            }
            // Locked: even the right password fails, with the same answer.
            #expect(try await users.authenticate(username: "clerk", password: "correct horse battery") == .failure)
            clock.advance(seconds: 14 * 60)
            #expect(try await users.authenticate(username: "clerk", password: "correct horse battery") == .failure)
            clock.advance(seconds: 2 * 60)
            #expect(try await users.authenticate(username: "clerk", password: "correct horse battery") != .failure)
            #expect(try await users.authenticate(username: "nobody", password: "whatever") == .failure)
            let actions = try await AuditLog.entries(database, limit: 100).map(\.action)
            #expect(actions.contains("lock"))
            #expect(actions.filter { $0 == "login_failed" }.count == 5)
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    /// Forty simultaneous attempts, thirty-nine wrong and the right one last: at most five reach the
    /// password check, the sixth locks the account (once) and every later one — the right password
    /// included — is refused unchecked.
    @Test(arguments: TestDatabaseKind.available)
    func simultaneousAttemptsCannotRaceTheLock(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            let clock = TestClock()
            // A slower hash than the other tests, so that the password checks overlap.
            let users = UserStore(database: database, clock: clock, hasher: PasswordHasher(cost: 8))
            _ = try await users.create(username: "clerk", displayName: "经办", role: .townClerk, region: Self.town,
                                       password: "correct horse battery", by: .system("test"))
            let outcomes = try await withThrowingTaskGroup(of: LoginOutcome.self) { group in
                for _ in 1...39 {
                    group.addTask { try await users.authenticate(username: "clerk", password: "wrong password") }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(50))
                    return try await users.authenticate(username: "clerk", password: "correct horse battery")
                }
                var outcomes: [LoginOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.count == 40)
            #expect(outcomes.allSatisfy { $0 == .failure })
            let actions = try await AuditLog.entries(database, limit: 200).map(\.action)
            #expect(actions.filter { $0 == "lock" }.count == 1)
            #expect(actions.filter { $0 == "login_failed" }.count <= 5)
            #expect(!actions.contains("login"))
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func failuresSpreadOverMoreThanFifteenMinutesDoNotLock(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            let clock = TestClock()
            let users = UserStore(database: database, clock: clock, hasher: testHasher)
            _ = try await users.create(username: "clerk", displayName: "经办", role: .townClerk, region: Self.town,
                                       password: "correct horse battery", by: .system("test"))
            for _ in 1...6 {
                _ = try await users.authenticate(username: "clerk", password: "wrong")
                clock.advance(seconds: 4 * 60)
            }
            #expect(try await users.authenticate(username: "clerk", password: "correct horse battery") != .failure)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func sessionsEndWhenIdleExpiredOrEnded(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            let clock = TestClock()
            let user = try await UserStore(database: database, clock: clock, hasher: testHasher).create(
                username: "clerk", displayName: "经办", role: .townClerk, region: Self.town, password: "correct horse battery", by: .system("test"))
            let sessions = SessionStore(database: database, clock: clock)
            let first = try await sessions.start(userID: user.id)
            let second = try await sessions.start(userID: user.id)
            #expect(first.id != second.id)
            #expect(try await sessions.resolve(id: first.id)?.user.id == user.id)
            #expect(try await sessions.resolve(id: first.id)?.csrfToken == first.csrfToken)
            #expect(try await sessions.resolve(id: "forged") == nil)
            // Active every 20 minutes keeps it alive up to the absolute 8 hours.
            for _ in 0..<23 {
                clock.advance(seconds: 20 * 60)
                #expect(try await sessions.resolve(id: first.id) != nil)
            }
            clock.advance(seconds: 20 * 60 + 1)
            #expect(try await sessions.resolve(id: first.id) == nil, "past 8 hours")
            let third = try await sessions.start(userID: user.id)
            clock.advance(seconds: 31 * 60)
            #expect(try await sessions.resolve(id: third.id) == nil, "idle over 30 minutes")
            let fourth = try await sessions.start(userID: user.id)
            try await sessions.endAll(userID: user.id)
            #expect(try await sessions.resolve(id: fourth.id) == nil)
            // The table holds hashes, not the cookie values.
            let stored = try await database.read { db in
                try await db.raw("SELECT id_hash FROM sessions").all().map { try $0.decode(column: "id_hash", as: String.self) }
            }
            #expect(!stored.contains(fourth.id))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func tokensResolveUntilRevoked(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.prepare(database)
            _ = try await UserStore(database: database, hasher: testHasher).create(
                username: "clerk", displayName: "经办", role: .townClerk, region: Self.town, password: "correct horse battery", by: .system("test"))
            let tokens = TokenStore(database: database)
            let token = try await tokens.create(username: "clerk", label: "test", by: .system("test"))
            #expect(token.hasPrefix("shb_"))
            #expect(try await tokens.resolve(token: token)?.username == "clerk")
            #expect(try await tokens.resolve(token: token + "x") == nil)
            let listed = try await tokens.list()
            #expect(listed.count == 1)
            #expect(try await tokens.revoke(id: listed[0].id, by: .system("test")))
            #expect(try await tokens.resolve(token: token) == nil)
            #expect(try await !tokens.revoke(id: listed[0].id, by: .system("test")))
            await #expect(throws: UserStoreError.unknownUser("nobody")) {
                _ = try await tokens.create(username: "nobody", label: "x", by: .system("test"))
            }
        }
    }
}
