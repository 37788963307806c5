public import ShebaoCore

/// Audit rows that stand alone — a full record read, a search, an export — written through the
/// group commit: the caller waits until its row is durable, but shares the fsync with everyone
/// else waiting (DESIGN.md §8). Rows that describe a change are written in the change's own
/// transaction instead (``AuditLog/append(_:on:dialect:at:)``), so the two commit together.
public struct AuditTrail: Sendable {
    let commits: GroupCommit
    let dialect: Dialect
    let clock: any WallClock

    public init(commits: GroupCommit, dialect: Dialect, clock: any WallClock) {
        self.commits = commits
        self.dialect = dialect
        self.clock = clock
    }

    /// Appends `event` and returns once it is committed.
    public func record(_ event: AuditEvent) async throws {
        let now = clock.now()
        let dialect = self.dialect
        try await commits.submit { db in try await AuditLog.append(event, on: db, dialect: dialect, at: now) }
    }
}

extension AuditAction: Labelled { public static let labelPrefix = "audit_action" }
extension ImportKind: Labelled { public static let labelPrefix = "import.kind" }
