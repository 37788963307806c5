public import ShebaoCore
public import SQLKit

/// A bearer token as listed (never the token itself, which is shown once at creation).
public struct APITokenRecord: Sendable, Codable {
    public var id: Int64
    public var username: String
    public var label: String
    public var createdAt: String
    /// When it stops working (``AccountPolicy/tokenDays`` unless asked otherwise).
    public var expiresAt: String
    public var lastUsedAt: String?
    public var revokedAt: String?
}

/// API bearer tokens: `shb_` + 256 random bits, stored as SHA-256 (DESIGN.md §8).
public struct TokenStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Creates a token for `username`, valid for `days`, and returns it; only its hash is kept.
    public func create(username: String, label: String, days: Int = AccountPolicy.tokenDays, by actor: AuditActor) async throws -> String {
        let token = "shb_" + Secrets.randomToken()
        let now = clock.now()
        let dialect = database.dialect
        try await database.write { db in
            guard let user = try await db.raw("SELECT id, region_code, status FROM users WHERE username = \(bind: username)").first() else {
                throw UserStoreError.unknownUser(username)
            }
            let userID = try user.decode(column: "id", as: Int64.self)
            let row = try await db.raw(
                """
                INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at)
                VALUES (\(bind: userID), \(bind: label), \(bind: Secrets.sha256Hex(token)), \(bind: now.iso8601),
                    \(bind: now.adding(seconds: Int64(days) * 86_400).iso8601))
                RETURNING id
                """
            ).first()
            let id = try row!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .tokenCreate, entity: "api_token", entityID: String(id),
                           region: RegionCode(trusted: try user.decode(column: "region_code", as: String.self))),
                on: db, dialect: dialect, at: now)
        }
        return token
    }

    /// The active user behind a bearer token, or nil.
    public func resolve(token: String) async throws -> UserRecord? {
        guard token.hasPrefix("shb_"), token.count < 100 else { return nil }
        let hash = Secrets.sha256Hex(token)
        let now = clock.now()
        guard let row = try await database.read({ db in
            try await db.raw(
                """
                SELECT u.id, u.username, u.display_name, u.role, u.region_code, u.person_id, u.employer_id, u.status, u.must_change_password,
                    t.id AS token_id, t.last_used_at, t.created_at AS token_created_at, t.expires_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
                """
            ).first()
        }) else { return nil }
        let user = try UserStore.decode(row)
        guard user.status == .active, now < (try Self.expiry(row)) else { return nil }
        let lastUsed = try row.decode(column: "last_used_at", as: String?.self).flatMap(Timestamp.init(iso8601:))
        if lastUsed.map({ $0.seconds(until: now) >= 60 }) ?? true {
            let tokenID = try row.decode(column: "token_id", as: Int64.self)
            try await database.write { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now.iso8601) WHERE id = \(bind: tokenID)").run()
            }
        }
        return user
    }

    /// When a token stops working: its own date, or — for a token made before tokens expired —
    /// the standard life counted from its creation.
    static func expiry(_ row: any SQLRow) throws -> Timestamp {
        if let text = try row.decode(column: "expires_at", as: String?.self), let expires = Timestamp(iso8601: text) { return expires }
        let created = Timestamp(iso8601: try row.decode(column: "token_created_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0)
        return created.adding(seconds: Int64(AccountPolicy.tokenDays) * 86_400)
    }

    public func list() async throws -> [APITokenRecord] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT t.id, u.username, t.label, t.created_at, t.created_at AS token_created_at, t.expires_at, t.last_used_at, t.revoked_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id
                """
            ).all().map { row in
                APITokenRecord(
                    id: try row.decode(column: "id", as: Int64.self),
                    username: try row.decode(column: "username", as: String.self),
                    label: try row.decode(column: "label", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: String.self),
                    expiresAt: try Self.expiry(row).iso8601,
                    lastUsedAt: try row.decode(column: "last_used_at", as: String?.self),
                    revokedAt: try row.decode(column: "revoked_at", as: String?.self))
            }
        }
    }

    /// Revokes every live token of `userID` inside the caller's transaction (the user was disabled).
    public static func revokeAll(of userID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: now.iso8601) WHERE user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id")
            .all().count
    }

    /// Revokes a token by id; returns false when there is no such active token.
    public func revoke(id: Int64, by actor: AuditActor) async throws -> Bool {
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            let row = try await db.raw(
                "UPDATE api_tokens SET revoked_at = \(bind: now.iso8601) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id"
            ).first()
            guard row != nil else { return false }
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .tokenRevoke, entity: "api_token", entityID: String(id)),
                on: db, dialect: dialect, at: now)
            return true
        }
    }
}
