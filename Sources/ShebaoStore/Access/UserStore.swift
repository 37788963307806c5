import Logging
public import SQLKit
public import ShebaoCore

/// A user as stored (without the password hash).
public struct UserRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var region: RegionCode
    public var personID: Int64?
    public var employerID: Int64?
    public var status: UserStatus
    /// A password set by an administrator: the holder must choose their own before anything else.
    public var mustChangePassword = false

    public var principal: Principal {
        Principal(userID: id, username: username, displayName: displayName, role: role, scope: region, personID: personID, employerID: employerID)
    }
}

public enum UserStatus: String, Sendable, Codable, CaseIterable {
    case active
    case disabled
    /// A privileged account waiting for a second administrator's approval; it cannot log in.
    case pending
}

extension UserStatus: Labelled { public static let labelPrefix = "user_status" }

/// How a login attempt ended. Every failure looks the same to the person at the keyboard.
public enum LoginOutcome: Sendable, Equatable {
    case success(UserRecord)
    case failure
}

/// Users, passwords and login throttling (RELIABILITY A6.4 S1: 5 failures in 15 minutes lock the
/// account for 15 minutes, with the same message whether the account exists, is locked or not).
public struct UserStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    let hasher: PasswordHasher

    public static let failureWindowSeconds: Int64 = 15 * 60
    public static let failuresBeforeLock = 5
    public static let lockSeconds: Int64 = 15 * 60

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock(), hasher: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
    }

    /// Creates a user; refuses a weak password, an unknown region and a taken username.
    public func create(
        username: String, displayName: String, role: Role, region: RegionCode, password: String,
        personID: Int64? = nil, employerID: Int64? = nil, by actor: AuditActor
    ) async throws -> UserRecord {
        let hash = try await checkedHash(username: username, password: password)
        let now = clock.now()
        do {
            return try await database.write { db in
                try await Self.insert(username: username, displayName: displayName, role: role, region: region, passwordHash: hash, status: .active,
                                      personID: personID, employerID: employerID, by: actor, at: now, on: db)
            }
        } catch where database.dialect.isUniqueViolation(error) {
            throw UserStoreError.usernameTaken(username.trimmingASCIIWhitespace())
        }
    }

    /// The bcrypt hash of `password` once it passes the policy for `username`.
    public func checkedHash(username: String, password: String) async throws -> String {
        if let violation = PasswordPolicy.violation(password: password, username: username.trimmingASCIIWhitespace()) {
            throw UserStoreError.weakPassword(violation)
        }
        return try await hasher.hash(password)
    }

    /// Inserts a user inside the caller's transaction, with its audit row.
    public static func insert(
        username: String, displayName: String, role: Role, region: RegionCode, passwordHash: String, status: UserStatus,
        personID: Int64? = nil, employerID: Int64? = nil, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase
    ) async throws -> UserRecord {
        let username = username.trimmingASCIIWhitespace()
        guard !username.isEmpty, username.count <= 64, !username.contains(where: { $0.isWhitespace }) else {
            throw UserStoreError.invalidUsername
        }
        let dialect = Dialect(db)
        guard try await db.raw("SELECT code FROM regions WHERE code = \(bind: region.value)").first() != nil else {
            throw UserStoreError.unknownRegion(region)
        }
        guard try await db.raw("SELECT id FROM users WHERE username = \(bind: username)").first() == nil else {
            throw UserStoreError.usernameTaken(username)
        }
        let row = try await db.raw(
            """
            INSERT INTO users (username, display_name, role, region_code, person_id, employer_id, password_hash, status,
                created_at, password_changed_at)
            VALUES (\(bind: username), \(bind: displayName), \(bind: role.rawValue), \(bind: region.value),
                \(bind: personID), \(bind: employerID), \(bind: passwordHash), \(bind: status.rawValue), \(bind: now.iso8601), \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        let id = try row!.decode(column: "id", as: Int64.self)
        let user = UserRecord(id: id, username: username, displayName: displayName, role: role, region: region, personID: personID,
                              employerID: employerID, status: status)
        try await AuditLog.append(
            AuditEvent(actor: actor, action: .create, entity: "user", entityID: String(id), region: region, after: user),
            on: db, dialect: dialect, at: now)
        return user
    }

    public func find(username: String) async throws -> UserRecord? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users WHERE username = \(bind: username)").first()
                .map(Self.decode)
        }
    }

    public func find(id: Int64) async throws -> UserRecord? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    public func list() async throws -> [UserRecord] {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users ORDER BY id").all().map(Self.decode)
        }
    }

    /// What the first, atomic step of a login decided, before any password work.
    private enum Attempt: Sendable {
        /// No such user.
        case unknown
        /// Locked, or this attempt is one too many: refused without looking at the password.
        case refused
        /// Counted as a failure until the password proves otherwise.
        case check(UserRecord, hash: String)
    }

    /// Checks a password, applying the lock-out rule, and audits the attempt.
    ///
    /// Each attempt is first counted in one transaction that locks the account's row, so that of
    /// forty simultaneous attempts the sixth is refused unchecked and the lock is written once; the
    /// password is checked only after. Every refusal costs one bcrypt computation — an unknown name,
    /// a locked account and a wrong password take the same time and give the same answer.
    public func authenticate(username: String, password: String) async throws -> LoginOutcome {
        let now = clock.now()
        let windowStart = now.adding(seconds: -Self.failureWindowSeconds).iso8601
        let dialect = database.dialect
        let attempt: Attempt = try await database.write { db in
            guard let row = try await db.raw(
                "SELECT \(unsafeRaw: Self.columns), password_hash, locked_until FROM users WHERE username = \(bind: username)\(unsafeRaw: dialect.forUpdate)"
            ).first() else { return .unknown }
            let user = try Self.decode(row)
            if let lockedUntil = try row.decode(column: "locked_until", as: String?.self).flatMap(Timestamp.init(iso8601:)), now < lockedUntil {
                return .refused
            }
            let count = try await Self.failures(of: user.id, since: windowStart, on: db)
            if count >= Self.failuresBeforeLock {
                try await Self.lock(user, at: now, on: db, dialect: dialect)
                return .refused
            }
            try await db.raw("INSERT INTO login_failures (user_id, failed_at) VALUES (\(bind: user.id), \(bind: now.iso8601))").run()
            return .check(user, hash: try row.decode(column: "password_hash", as: String.self))
        }
        guard case .check(let user, let hash) = attempt else {
            _ = try await hasher.hash(password)
            return .failure
        }
        if try await hasher.verify(password, hash: hash), user.status == .active {
            try await database.write { db in
                try await db.raw("DELETE FROM login_failures WHERE user_id = \(bind: user.id)").run()
                try await db.raw("UPDATE users SET locked_until = NULL WHERE id = \(bind: user.id)").run()
                try await AuditLog.append(
                    AuditEvent(actor: AuditActor(user.principal), action: .login, entity: "user", entityID: String(user.id)),
                    on: db, dialect: dialect, at: now)
            }
            return .success(user)
        }
        try await database.write { db in
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(userID: nil, name: "login:" + user.username), action: .loginFailed, entity: "user", entityID: String(user.id)),
                on: db, dialect: dialect, at: now)
            if try await Self.failures(of: user.id, since: windowStart, on: db) >= Self.failuresBeforeLock {
                try await Self.lock(user, at: now, on: db, dialect: dialect)
            }
        }
        return .failure
    }

    static func failures(of user: Int64, since start: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_failures WHERE user_id = \(bind: user) AND failed_at > \(bind: start)"
        ).first()?.decode(column: "n", as: Int64.self) ?? 0
    }

    /// Locks the account unless it is locked already (one lock, one audit row, however many
    /// attempts reach this at once).
    static func lock(_ user: UserRecord, at now: Timestamp, on db: any SQLDatabase, dialect: Dialect) async throws {
        let locked = try await db.raw(
            """
            UPDATE users SET locked_until = \(bind: now.adding(seconds: lockSeconds).iso8601)
            WHERE id = \(bind: user.id) AND (locked_until IS NULL OR locked_until <= \(bind: now.iso8601)) RETURNING id
            """
        ).all()
        guard !locked.isEmpty else { return }
        try await db.raw("DELETE FROM login_failures WHERE user_id = \(bind: user.id)").run()
        try await AuditLog.append(AuditEvent(actor: .system("throttle"), action: .lock, entity: "user", entityID: String(user.id)), on: db, dialect: dialect, at: now)
    }

    static let columns = "id, username, display_name, role, region_code, person_id, employer_id, status, must_change_password"

    static func decode(_ row: any SQLRow) throws -> UserRecord {
        let reader = try RowReader(row, table: "users")
        return UserRecord(
            id: try reader.int("id"), username: try reader.string("username"), displayName: try reader.string("display_name"),
            role: try reader.value("role", as: Role.self), region: try reader.region("region_code"), personID: try reader.optionalInt("person_id"),
            employerID: try reader.optionalInt("employer_id"), status: try reader.value("status", as: UserStatus.self),
            mustChangePassword: try reader.bool("must_change_password"))
    }
}

public enum UserStoreError: Error, Equatable, CustomStringConvertible {
    case invalidUsername
    case usernameTaken(String)
    case unknownRegion(RegionCode)
    case unknownUser(String)
    case weakPassword(PasswordViolation)

    public var code: String {
        switch self {
        case .invalidUsername: "user.invalid_username"
        case .usernameTaken: "user.username_taken"
        case .unknownRegion: "region_code.unknown"
        case .unknownUser: "user.unknown"
        case .weakPassword(let violation): violation.rawValue
        }
    }

    public var description: String {
        switch self {
        case .invalidUsername: "the username must be 1–64 characters without spaces"
        case .usernameTaken(let name): "the username \(name) is taken"
        case .unknownRegion(let code): "unknown region code \(code.value)"
        case .unknownUser(let name): "no user named \(name)"
        case .weakPassword(.tooShort): "the password must have at least \(PasswordPolicy.minimumLength) characters"
        case .weakPassword(.tooLong): "the password must have at most \(PasswordPolicy.maximumBytes) bytes"
        case .weakPassword(.sameAsUsername): "the password must differ from the username"
        case .weakPassword(.tooCommon): "the password is one of the most common passwords"
        }
    }
}
