public import ShebaoCore

/// Audit rows that stand alone — a full record read, a search, an export — written through the
/// group commit: the caller waits until its row is durable, but shares the fsync with everyone
/// else waiting (DESIGN.md §8). Rows that describe a change are written in the change's own
/// transaction instead (``AuditLog/append(_:on:dialect:at:)``), so the two commit together.
public struct AuditTrail: Sendable {
    /// An event and the moment it happened (taken when recorded, not when committed).
    public struct Entry: Sendable {
        public var event: AuditEvent
        public var at: Timestamp
    }

    let commits: GroupCommit<Entry>
    let clock: any WallClock

    public init(database: ShebaoDatabase, clock: any WallClock) {
        let dialect = database.dialect
        self.commits = GroupCommit(database: database) { entries, db in
            try await AuditLog.append(entries.map { ($0.event, $0.at) }, on: db, dialect: dialect)
        }
        self.clock = clock
    }

    /// Appends `event` and returns once it is committed.
    public func record(_ event: AuditEvent) async throws {
        try await commits.submit(Entry(event: event, at: clock.now()))
    }

    /// Transactions committed and rows they carried, for tests and benchmarks.
    public var commitCounts: (commits: Int, rows: Int) {
        get async { (await commits.commits, await commits.items) }
    }
}

extension AuditAction: Labelled { public static let labelPrefix = "audit_action" }
extension ImportKind: Labelled { public static let labelPrefix = "import.kind" }
