public import ShebaoCore
public import SQLKit

/// A signed-in browser session: the user and the CSRF token of its forms.
public struct ActiveSession: Sendable {
    public var user: UserRecord
    public var csrfToken: String
}

/// Browser sessions kept in the database, so they survive a restart and can be ended from
/// anywhere: at logout, when a user is disabled, or by an administrator (ASVS V7).
///
/// The cookie holds a random id; the table holds only its SHA-256. A session ends after
/// 30 minutes without a request or 8 hours after login, whichever comes first.
public struct SessionStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock

    public static let idleSeconds: Int64 = 30 * 60
    public static let absoluteSeconds: Int64 = 8 * 3600
    /// `last_seen_at` is refreshed at most this often, to keep reads from becoming writes.
    static let touchSeconds: Int64 = 60

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Starts a new session (always a new id: no session fixation, ASVS 7.2.4) and returns the
    /// cookie value and the CSRF token.
    public func start(userID: Int64) async throws -> (id: String, csrfToken: String) {
        let id = Secrets.randomToken()
        let csrf = Secrets.randomToken()
        let now = clock.now()
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Secrets.sha256Hex(id)), \(bind: userID), \(bind: csrf), \(bind: now.iso8601),
                    \(bind: now.iso8601), \(bind: now.adding(seconds: Self.absoluteSeconds).iso8601))
                """
            ).run()
            // Housekeeping: sessions past their absolute end are of no use to anyone.
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: now.iso8601)").run()
        }
        return (id, csrf)
    }

    /// The live session for a cookie value, or nil when unknown, idle too long, expired, or its user disabled.
    public func resolve(id: String) async throws -> ActiveSession? {
        let now = clock.now()
        let hash = Secrets.sha256Hex(id)
        guard let row = try await database.read({ db in
            try await db.raw(
                """
                SELECT u.id, u.username, u.display_name, u.role, u.region_code, u.person_id, u.employer_id, u.status, u.must_change_password,
                    s.csrf_token, s.last_seen_at, s.expires_at
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = \(bind: hash)
                """
            ).first()
        }) else { return nil }
        let user = try UserStore.decode(row)
        let lastSeen = Timestamp(iso8601: try row.decode(column: "last_seen_at", as: String.self)) ?? now
        let expires = Timestamp(iso8601: try row.decode(column: "expires_at", as: String.self)) ?? now
        guard user.status == .active, now < expires, lastSeen.seconds(until: now) < Self.idleSeconds else {
            try await end(id: id)
            return nil
        }
        if lastSeen.seconds(until: now) >= Self.touchSeconds {
            try await database.write { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now.iso8601) WHERE id_hash = \(bind: hash)").run()
            }
        }
        return ActiveSession(user: user, csrfToken: try row.decode(column: "csrf_token", as: String.self))
    }

    /// Ends one session (logout).
    public func end(id: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: Secrets.sha256Hex(id))").run()
        }
    }

    /// Ends every session of a user (disabled account, password change).
    public func endAll(userID: Int64) async throws {
        try await database.write { db in try await Self.endAll(of: userID, on: db) }
    }

    /// The same inside the caller's transaction.
    public static func endAll(of userID: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
    }
}
