public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A signed-in browser session.
public struct SignedIn: Sendable {
    public var user: UserRecord
    /// The cookie value (shown once, stored only as a hash).
    public var sessionID: String
    public var csrfToken: String
}

/// Users, logins, sessions, API tokens and the audit log (the Access program).
public struct AccessService: Sendable {
    let context: ServiceContext
    let hasher: PasswordHasher
    let tokenCache = TokenCache()

    private var users: UserStore { UserStore(database: context.database, clock: context.clock, hasher: hasher) }
    private var sessions: SessionStore { SessionStore(database: context.database, clock: context.clock) }
    private var tokens: TokenStore { TokenStore(database: context.database, clock: context.clock) }

    // MARK: Logging in

    /// Checks a password (with the lock-out rule) and starts a session. Every failure looks the same.
    public func logIn(username: String, password: String) async throws(ServiceError) -> SignedIn {
        let username = username.trimmingASCIIWhitespace()
        guard !username.isEmpty, !password.isEmpty else { throw ServiceError(.invalid, "login.failed") }
        let outcome = try await perform { try await users.authenticate(username: username, password: password) }
        guard case .success(let user) = outcome else { throw ServiceError(.invalid, "login.failed") }
        let session = try await perform { try await sessions.start(userID: user.id) }
        return SignedIn(user: user, sessionID: session.id, csrfToken: session.csrfToken)
    }

    public func logOut(sessionID: String, principal: Principal?) async throws(ServiceError) {
        try await perform { try await sessions.end(id: sessionID) }
        if let principal {
            try await context.record(AuditEvent(actor: AuditActor(principal), action: .logout, entity: "user", entityID: String(principal.userID)))
        }
    }

    /// The live session of a cookie value, or nil.
    public func session(_ id: String) async throws(ServiceError) -> ActiveSession? {
        try await perform { try await sessions.resolve(id: id) }
    }

    /// The user behind a bearer token, or nil (remembered for two seconds: ``TokenCache``).
    public func bearer(_ token: String) async throws(ServiceError) -> UserRecord? {
        try await perform { try await tokenCache.user(for: token) { try await tokens.resolve(token: token) } }
    }

    /// The active user the command line acts for (their role and scope apply).
    public func principal(named name: String) async throws(ServiceError) -> Principal {
        guard let user = try await perform({ try await users.find(username: name) }), user.status == .active else {
            throw ServiceError(.notFound, "user.unknown", ["username": name])
        }
        return user.principal
    }

    public func user(id: Int64) async throws(ServiceError) -> UserRecord? {
        try await perform { try await users.find(id: id) }
    }

    // MARK: Administration

    /// The accounts inside the administrator's scope.
    public func users(by principal: Principal) async throws(ServiceError) -> [UserRecord] {
        try principal.require(.userManage)
        return try await perform { try await users.list() }.filter { principal.scope.contains($0.region) }
    }

    /// Every account, for the command line on the operator's machine (who holds the database).
    public func allUsers() async throws(ServiceError) -> [UserRecord] {
        try await perform { try await users.list() }
    }

    /// Creates an account inside the administrator's scope. A privileged account (reviewer,
    /// auditor, fund accountant, administrator) waits, unable to log in, for a second
    /// administrator's approval. `principal` nil: the operator at the command line, who holds the
    /// database itself.
    public func createUser(username: String, displayName: String, role: Role, region: RegionCode, password: String, personID: Int64? = nil,
                           employerID: Int64? = nil, by principal: Principal?) async throws(ServiceError) -> UserRecord {
        if let principal {
            try principal.require(.userManage)
            guard principal.scope.contains(region) else { throw .invalid("region", "region.outside_scope", ["code": region.value]) }
        }
        let actor = principal.map(AuditActor.init) ?? .system("cli")
        let waits = principal != nil && role.isPrivileged
        let now = context.now
        do {
            let hash = try await users.checkedHash(username: username, password: password)
            return try await context.database.write { db in
                let user = try await UserStore.insert(username: username, displayName: displayName.isEmpty ? username : displayName, role: role,
                                                      region: region, passwordHash: hash, status: waits ? .pending : .active, personID: personID,
                                                      employerID: employerID, by: actor, at: now, on: db)
                if let principal {
                    try await AccountStore().recordHand(on: user.id, kind: "create", by: principal.userID, at: now, on: db)
                    if waits { _ = try await AccountStore().request(.create, user: user.id, by: principal.userID, at: now, on: db) }
                }
                return user
            }
        } catch let error as UserStoreError {
            // Named by the field at fault too, so a form can tell it beside that field.
            let field = switch error {
            case .unknownRegion: "region"
            case .weakPassword: "password"
            default: "username"
            }
            let arguments = ["username": username, "code": region.value]
            throw ServiceError(.invalid, error.code, arguments, fieldIssues: [FieldIssue(field, error.code, arguments)])
        } catch where context.database.dialect.isUniqueViolation(error) {
            let arguments = ["username": username]
            throw ServiceError(.invalid, "user.username_taken", arguments, fieldIssues: [FieldIssue("username", "user.username_taken", arguments)])
        } catch {
            throw .failure(error)
        }
    }

    /// Disables an account: it cannot log in, its sessions end and its API tokens are revoked at
    /// once. Never one's own; outside the administrator's scope the account does not exist (404).
    public func disableUser(_ id: Int64, by principal: Principal?) async throws(ServiceError) {
        _ = try await changeAccount(id, by: principal, action: .disable) { user, db, now in
            guard user.status != .disabled else { throw ServiceError.conflict("account.already_disabled") }
            try await AccountStore().setStatus(of: user.id, .disabled, on: db)
            try await SessionStore.endAll(of: user.id, on: db)
            _ = try await TokenStore.revokeAll(of: user.id, at: now, on: db)
            return false
        }
        tokenCache.removeAll()
    }

    /// Enables a disabled account again; a privileged one on a second administrator's approval.
    /// Returns whether it waits for that approval.
    public func enableUser(_ id: Int64, by principal: Principal?) async throws(ServiceError) -> Bool {
        try await changeAccount(id, by: principal, action: .enable) { user, db, now in
            guard user.status == .disabled else { throw ServiceError.conflict("account.not_disabled") }
            if let principal, user.role.isPrivileged {
                _ = try await AccountStore().request(.enable, user: user.id, by: principal.userID, at: now, on: db)
                return true
            }
            try await AccountStore().setStatus(of: user.id, .active, on: db)
            return false
        }
    }

    /// Gives an account a new random password, shown once to the administrator and to be changed
    /// at the holder's next login; their sessions end. For a privileged account the password
    /// takes effect only on a second administrator's approval.
    public func resetPassword(_ id: Int64, by principal: Principal?) async throws(ServiceError) -> (password: String, waits: Bool) {
        let password = Self.temporaryPassword()
        let hash = try await perform { try await hasher.hash(password) }
        let waits = try await changeAccount(id, by: principal, action: .passwordReset) { user, db, now in
            guard user.status != .pending else { throw ServiceError.conflict("account.pending") }
            if let principal, user.role.isPrivileged {
                _ = try await AccountStore().request(.resetPassword, user: user.id, passwordHash: hash, by: principal.userID, at: now, on: db)
                return true
            }
            try await AccountStore().setPassword(of: user.id, hash: hash, mustChange: true, at: now, on: db)
            try await SessionStore.endAll(of: user.id, on: db)
            return false
        }
        return (password, waits)
    }

    /// One change to another account: access, the row lock, no pending request already, the
    /// administrator's hand recorded, the audit row, one transaction.
    private func changeAccount(_ id: Int64, by principal: Principal?, action: AuditAction,
                               _ change: @escaping @Sendable (UserRecord, any SQLDatabase, Timestamp) async throws -> Bool) async throws(ServiceError) -> Bool {
        if let principal { try principal.require(.userManage) }
        let actor = principal.map(AuditActor.init) ?? .system("cli")
        let now = context.now
        return try await context.write { db in
            guard let user = try await AccountStore().lockUser(id: id, on: db), principal.map({ $0.scope.contains(user.region) }) ?? true else {
                throw ServiceError.notFound
            }
            guard user.id != principal?.userID else { throw ServiceError(.forbidden, "account.own") }
            guard try await !AccountStore().hasPending(user: user.id, on: db) else { throw ServiceError.conflict("account.request_pending") }
            let waits = try await change(user, db, now)
            if let principal { try await AccountStore().recordHand(on: user.id, kind: action.rawValue, by: principal.userID, at: now, on: db) }
            try await context.append(AuditEvent(actor: actor, action: action, entity: "user", entityID: String(user.id), region: user.region,
                                                after: ["waits": waits ? "1" : "0"]),
                                     on: db, at: now)
            return waits
        }
    }

    /// Sixteen characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Requests waiting for a second administrator, inside the administrator's scope.
    public func accountRequests(by principal: Principal?) async throws(ServiceError) -> [AccountRequest] {
        if let principal { try principal.require(.userManage) }
        let all = try await context.read { db in try await AccountStore().pending(on: db) }
        return all.filter { request in principal.map { $0.scope.contains(request.user.region) } ?? true }
    }

    /// A second administrator's decision: never the one who asked, nor one whose own account the
    /// asker made or changed within the review window. Approving applies what was asked.
    public func decideAccountRequest(_ id: Int64, approve: Bool, by principal: Principal?) async throws(ServiceError) -> AccountRequest {
        if let principal { try principal.require(.userManage) }
        let actor = principal.map(AuditActor.init) ?? .system("cli")
        let now = context.now
        let request = try await context.write { db -> AccountRequest in
            guard let request = try await AccountStore().lock(id: id, on: db), principal.map({ $0.scope.contains(request.user.region) }) ?? true else {
                throw ServiceError.notFound
            }
            if let principal {
                try await context.checkDecision(status: request.status, maker: request.requestedBy, decider: principal.userID, on: db)
                guard request.user.id != principal.userID else { throw ServiceError(.forbidden, "account.own") }
            } else {
                guard request.status == .proposed else { throw ServiceError.conflict("maker_checker.not_pending") }
            }
            let store = AccountStore()
            switch (request.kind, approve) {
            case (.create, true), (.enable, true): try await store.setStatus(of: request.user.id, .active, on: db)
            case (.create, false): try await store.setStatus(of: request.user.id, .disabled, on: db)
            case (.resetPassword, true):
                guard let hash = request.passwordHash else { throw ServiceError.conflict("maker_checker.not_pending") }
                try await store.setPassword(of: request.user.id, hash: hash, mustChange: true, at: now, on: db)
                try await SessionStore.endAll(of: request.user.id, on: db)
            case (.enable, false), (.resetPassword, false): break
            }
            try await store.decide(id, approve ? .approved : .rejected, by: principal?.userID, at: now, on: db)
            if let principal { try await store.recordHand(on: request.user.id, kind: approve ? "approve" : "reject", by: principal.userID, at: now, on: db) }
            try await context.append(AuditEvent(actor: actor, action: approve ? .approve : .reject, entity: "account_request", entityID: String(id),
                                                region: request.user.region, after: ["kind": request.kind.rawValue, "user": String(request.user.id)]),
                                     on: db, at: now)
            return request
        }
        tokenCache.removeAll()
        return request
    }

    /// The holder's own new password: the current one proves who they are; a password set by an
    /// administrator is no longer required to be changed; other sessions end.
    public func changePassword(current: String, new: String, by principal: Principal) async throws(ServiceError) {
        let stored = try await context.read { db in try await AccountStore().passwordHash(of: principal.userID, on: db) }
        guard let stored, try await perform({ try await hasher.verify(current, hash: stored) }) else {
            throw .invalid("current", "account.wrong_password")
        }
        guard current != new else { throw .invalid("new", "account.same_password") }
        let hash: String
        do {
            hash = try await users.checkedHash(username: principal.username, password: new)
        } catch let error as UserStoreError {
            throw .invalid("new", error.code)
        } catch {
            throw .failure(error)
        }
        let now = context.now
        try await context.write { db in
            try await AccountStore().setPassword(of: principal.userID, hash: hash, mustChange: false, at: now, on: db)
            try await context.append(AuditEvent(actor: AuditActor(principal), action: .passwordChange, entity: "user", entityID: String(principal.userID)),
                                     on: db, at: now)
        }
    }

    /// A new API token for `username`, valid for `days` (at most ``AccountPolicy/maximumTokenDays``), printed once.
    public func createToken(username: String, label: String, days: Int = AccountPolicy.tokenDays) async throws(ServiceError) -> String {
        guard (1...AccountPolicy.maximumTokenDays).contains(days) else {
            throw ServiceError.invalid("days", "token.days_range", ["max": String(AccountPolicy.maximumTokenDays)])
        }
        do {
            return try await tokens.create(username: username, label: label, days: days, by: .system("cli"))
        } catch let error as UserStoreError {
            throw ServiceError(.notFound, error.code, ["username": username])
        } catch {
            throw .failure(error)
        }
    }

    public func tokenList() async throws(ServiceError) -> [APITokenRecord] {
        try await perform { try await tokens.list() }
    }

    public func revokeToken(id: Int64) async throws(ServiceError) {
        guard try await perform({ try await tokens.revoke(id: id, by: .system("cli")) }) else {
            throw ServiceError(.notFound, "token.not_found", ["id": String(id)])
        }
        tokenCache.removeAll()
    }

    // MARK: The audit log

    /// The newest audit rows (or those before `seq`), for auditors.
    public func auditEntries(before seq: Int64?, limit: Int = 50, by principal: Principal) async throws(ServiceError) -> [AuditEntry] {
        try principal.require(.auditRead)
        return try await perform { try await AuditLog.entries(context.database, before: seq, limit: limit) }
    }

    /// Recomputes the hash chain. `principal` nil: the operator at the command line.
    public func verifyAudit(by principal: Principal?) async throws(ServiceError) -> AuditVerification {
        if let principal { try principal.require(.auditRead) }
        return try await perform { try await AuditLog.verify(context.database) }
    }
}
