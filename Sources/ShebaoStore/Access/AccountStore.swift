public import SQLKit
public import ShebaoCore

/// What a second administrator is asked to approve about a privileged account.
public enum AccountRequestKind: String, Sendable, Codable, CaseIterable {
    case create
    case resetPassword = "reset_password"
    case enable
}

extension AccountRequestKind: Labelled { public static let labelPrefix = "account_request" }

/// A request about an account, waiting for (or given) a second administrator's decision.
public struct AccountRequest: Sendable {
    public var id: Int64
    public var user: UserRecord
    public var kind: AccountRequestKind
    public var status: ProposalStatus
    /// Nil when the operator at the command line asked.
    public var requestedBy: Int64?
    public var requestedByName: String?
    public var requestedAt: String
    /// The new password's hash, for a reset; applied only on approval.
    public var passwordHash: String?
}

/// Account requests, the record of every administrator's hand in an account, and the changes an
/// approval or an administrator makes — each inside the caller's transaction.
public struct AccountStore: Sendable {
    public init() {}

    // MARK: Requests

    public func request(_ kind: AccountRequestKind, user: Int64, passwordHash: String? = nil, by requester: Int64?, at now: Timestamp,
                        on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO account_requests (user_id, kind, password_hash, status, requested_by, requested_at)
            VALUES (\(bind: user), \(bind: kind.rawValue), \(bind: passwordHash), 'proposed', \(bind: requester), \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        return try row!.decode(column: "id", as: Int64.self)
    }

    /// Requests still waiting, oldest first.
    public func pending(on db: any SQLDatabase) async throws -> [AccountRequest] {
        try await db.raw("\(unsafeRaw: Self.select) WHERE r.status = 'proposed' ORDER BY r.id").all().map(Self.decode)
    }

    /// Whether `user` has a request waiting.
    public func hasPending(user: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM account_requests WHERE user_id = \(bind: user) AND status = 'proposed'").first() != nil
    }

    /// The request `id`, its row locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> AccountRequest? {
        _ = try await db.raw("SELECT id FROM account_requests WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first()
        return try await db.raw("\(unsafeRaw: Self.select) WHERE r.id = \(bind: id)").first().map(Self.decode)
    }

    public func decide(_ id: Int64, _ status: ProposalStatus, by decider: Int64?, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE account_requests SET status = \(bind: status.rawValue), decided_by = \(bind: decider), decided_at = \(bind: now.iso8601),
                password_hash = NULL
            WHERE id = \(bind: id)
            """
        ).run()
    }

    // MARK: Administrators' hands

    /// Records that administrator `by` created, changed or approved something about `user`.
    public func recordHand(on user: Int64, kind: String, by administrator: Int64, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO account_changes (user_id, kind, changed_by, changed_at)
            VALUES (\(bind: user), \(bind: kind), \(bind: administrator), \(bind: now.iso8601))
            """
        ).run()
    }

    /// For each of `users`, the administrators who created, changed or approved their account
    /// since `start` (the review window).
    public func managers(of users: [Int64], since start: Timestamp, on db: any SQLDatabase) async throws -> [Int64: Set<Int64>] {
        guard !users.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            SELECT DISTINCT user_id, changed_by FROM account_changes
            WHERE user_id IN (\(binds: users)) AND changed_at >= \(bind: start.iso8601)
            """
        ).all()
        var managers: [Int64: Set<Int64>] = [:]
        for row in rows {
            managers[try row.decode(column: "user_id", as: Int64.self), default: []].insert(try row.decode(column: "changed_by", as: Int64.self))
        }
        return managers
    }

    // MARK: Accounts

    /// The account `id`, its row locked for the rest of the transaction.
    public func lockUser(id: Int64, on db: any SQLDatabase) async throws -> UserRecord? {
        try await db.raw("SELECT \(unsafeRaw: UserStore.columns) FROM users WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first()
            .map(UserStore.decode)
    }

    public func setStatus(of user: Int64, _ status: UserStatus, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET status = \(bind: status.rawValue), locked_until = NULL WHERE id = \(bind: user)").run()
    }

    /// A new password hash; `mustChange` when an administrator chose it.
    public func setPassword(of user: Int64, hash: String, mustChange: Bool, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: mustChange ? 1 : 0),
                password_changed_at = \(bind: now.iso8601), locked_until = NULL
            WHERE id = \(bind: user)
            """
        ).run()
        try await db.raw("DELETE FROM login_failures WHERE user_id = \(bind: user)").run()
    }

    public func passwordHash(of user: Int64, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT password_hash FROM users WHERE id = \(bind: user)").first()?.decode(column: "password_hash", as: String.self)
    }

    // MARK: Reading rows

    private static let select = """
        SELECT r.id AS request_id, r.kind, r.status AS request_status, r.requested_by, r.requested_at, r.password_hash,
            m.username AS requested_by_name,
            u.id, u.username, u.display_name, u.role, u.region_code, u.person_id, u.employer_id, u.status, u.must_change_password
        FROM account_requests r JOIN users u ON u.id = r.user_id LEFT JOIN users m ON m.id = r.requested_by
        """

    private static func decode(_ row: any SQLRow) throws -> AccountRequest {
        let reader = try RowReader(row, table: "account_requests", keyColumn: "request_id")
        return AccountRequest(
            id: try reader.int("request_id"), user: try UserStore.decode(row), kind: try reader.value("kind", as: AccountRequestKind.self),
            status: try reader.value("request_status", as: ProposalStatus.self), requestedBy: try reader.optionalInt("requested_by"),
            requestedByName: try reader.optionalString("requested_by_name"), requestedAt: try reader.string("requested_at"),
            passwordHash: try reader.optionalString("password_hash"))
    }
}
