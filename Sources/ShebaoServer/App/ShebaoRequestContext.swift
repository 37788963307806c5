public import Foundation
public import Hummingbird
public import ShebaoCore

/// What every request carries through the middleware: who is asking, in which language, and
/// the browser session behind it (STYLE.md §8: a custom context carries identity and scope).
public struct ShebaoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by the session or bearer-token middleware.
    public var principal: Principal?
    /// The browser session (its cookie value and the CSRF token of its forms).
    public var session: SessionInfo?
    public var language: Language = .default

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// JSON with sorted keys, so the same data always serialises the same (STACK-NOTES pitfall 8).
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The signed-in principal or a 401.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthenticated }
        return principal
    }

    /// The principal, provided its role may perform `action` (403 otherwise).
    public func require(_ action: Action) throws -> Principal {
        let principal = try requirePrincipal()
        guard AccessPolicy.allows(principal.role, action) else { throw Problem.forbidden }
        return principal
    }
}

/// The browser session of a request.
public struct SessionInfo: Sendable {
    public var id: String
    public var csrfToken: String
    /// An administrator set the password: nothing but choosing a new one until it is changed.
    public var mustChangePassword = false
}
