import Foundation
import ShebaoStore
import Synchronization

/// The users behind recently seen bearer tokens, for a short while (`lifetime`, 2 s).
///
/// An API client sends its token with every request; without this each request would pay a
/// database read to resolve it before its real work (the token read was a third of an audited
/// person read's cost, Benchmarks/http.sh). Only tokens that resolved to an active user are
/// kept, by their SHA-256, never the token itself; a revoked token or a disabled user stops
/// working within `lifetime` on every server, at once on this one (``removeAll()``).
final class TokenCache: Sendable {
    private struct Entry {
        var user: UserRecord
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    /// Past this many tokens the cache starts over (a flood of distinct tokens cannot grow it).
    private let capacity: Int

    init(lifetime: Duration = .seconds(2), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func user(for token: String, resolve: () async throws -> UserRecord?) async rethrows -> UserRecord? {
        let key = Secrets.sha256Hex(token)
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.expires > now { return entry.user }
        guard let user = try await resolve() else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(user: user, expires: now + lifetime)
        }
        return user
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
