public import ShebaoCore
public import ShebaoStore

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

    public func users(by principal: Principal) async throws(ServiceError) -> [UserRecord] {
        try principal.require(.userManage)
        return try await perform { try await users.list() }
    }

    /// Every account, for the command line on the operator's machine (who holds the database).
    public func allUsers() async throws(ServiceError) -> [UserRecord] {
        try await perform { try await users.list() }
    }

    /// Creates an account inside the administrator's scope. `principal` nil: the operator at the
    /// command line, who holds the database itself.
    public func createUser(username: String, displayName: String, role: Role, region: RegionCode, password: String, personID: Int64? = nil,
                           employerID: Int64? = nil, by principal: Principal?) async throws(ServiceError) -> UserRecord {
        if let principal {
            try principal.require(.userManage)
            guard principal.scope.contains(region) else { throw .invalid("region", "region.outside_scope", ["code": region.value]) }
        }
        let actor = principal.map(AuditActor.init) ?? .system("cli")
        do {
            return try await users.create(username: username, displayName: displayName.isEmpty ? username : displayName, role: role, region: region,
                                          password: password, personID: personID, employerID: employerID, by: actor)
        } catch let error as UserStoreError {
            throw ServiceError(.invalid, error.code, ["username": username, "code": region.value])
        } catch {
            throw .failure(error)
        }
    }

    /// A new API token for `username`, printed once.
    public func createToken(username: String, label: String) async throws(ServiceError) -> String {
        do {
            return try await tokens.create(username: username, label: label, by: .system("cli"))
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
