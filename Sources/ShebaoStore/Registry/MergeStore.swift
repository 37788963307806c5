import SQLKit
public import ShebaoCore

/// A request to merge two records of the same person (legacy 15-digit data, a corrected ID).
public struct MergeRequest: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable { case pending, approved, refused }

    public var id: Int64
    public var keptPersonID: Int64
    public var mergedPersonID: Int64
    public var region: RegionCode
    public var reason: String
    public var status: Status
    public var requestedBy: Int64
    public var requestedAt: String
    public var decidedBy: Int64?
    public var decisionNote: String?
}

/// A pair of records that look like one person: same name and birth date, different IDs.
public struct DuplicateCandidate: Sendable, Hashable {
    public var first: Person
    public var second: Person
}

public enum MergeError: Error, Equatable, Sendable {
    case samePerson
    case alreadyMerged
    case alreadyRequested
    /// Maker–checker: the one who asked cannot approve.
    case ownRequest
    case notPending
}

/// Merging duplicate person records: a clerk asks, a different reviewer approves. The merged
/// record stays (with `merged_into` set) so both histories remain; it leaves lists and searches.
public struct MergeStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func request(keep keptID: Int64, merge mergedID: Int64, reason: String, by principal: Principal) async throws -> MergeRequest? {
        guard keptID != mergedID else { throw MergeError.samePerson }
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            let load = { (id: Int64) in try await db.raw("SELECT \(unsafeRaw: PersonStore.columns) FROM persons p WHERE p.id = \(bind: id)").first().map(PersonStore.decode) }
            guard let kept = try await load(keptID), let merged = try await load(mergedID),
                principal.decide(.mergeRequest, in: kept.region) == .allowed, principal.decide(.mergeRequest, in: merged.region) == .allowed
            else { return nil }
            guard kept.mergedInto == nil, merged.mergedInto == nil else { throw MergeError.alreadyMerged }
            let open = try await PersonStore.count(db, """
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM person_merges WHERE status = 'pending'
                AND (merged_person_id = \(bind: mergedID) OR kept_person_id = \(bind: mergedID))
                """)
            guard open == 0 else { throw MergeError.alreadyRequested }
            let row = try await db.raw(
                """
                INSERT INTO person_merges (kept_person_id, merged_person_id, region_code, reason, status, requested_by, requested_at)
                VALUES (\(bind: keptID), \(bind: mergedID), \(bind: kept.region.value), \(bind: reason), 'pending', \(bind: principal.userID), \(bind: now.iso8601))
                RETURNING id
                """
            ).first()
            let id = try row!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .create, entity: "person_merge", entityID: String(id), region: kept.region),
                on: db, dialect: dialect, at: now)
            return try await Self.load(id: id, on: db)
        }
    }

    /// Approves or refuses a pending merge. On approval the merged record points at the kept one,
    /// its household membership and jobs move over, and both get a new version.
    public func decide(id: Int64, approve: Bool, note: String?, by principal: Principal) async throws -> MergeRequest? {
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            guard let request = try await Self.load(id: id, on: db), principal.decide(.mergeDecide, in: request.region) == .allowed else { return nil }
            guard request.status == .pending else { throw MergeError.notPending }
            guard request.requestedBy != principal.userID else { throw MergeError.ownRequest }
            try await db.raw(
                """
                UPDATE person_merges SET status = \(bind: approve ? "approved" : "refused"), decided_by = \(bind: principal.userID),
                    decided_at = \(bind: now.iso8601), decision_note = \(bind: note) WHERE id = \(bind: id)
                """
            ).run()
            if approve {
                let load = { (id: Int64) in try await db.raw("SELECT \(unsafeRaw: PersonStore.columns) FROM persons p WHERE p.id = \(bind: id)").first().map(PersonStore.decode) }
                guard var kept = try await load(request.keptPersonID), var merged = try await load(request.mergedPersonID) else {
                    throw StoreError.notFound("person")
                }
                guard kept.mergedInto == nil, merged.mergedInto == nil else { throw MergeError.alreadyMerged }
                if kept.householdID == nil, let household = merged.householdID {
                    try await db.raw("UPDATE household_members SET person_id = \(bind: kept.id) WHERE person_id = \(bind: merged.id)").run()
                    kept.householdID = household
                } else {
                    try await db.raw("DELETE FROM household_members WHERE person_id = \(bind: merged.id)").run()
                }
                try await db.raw("UPDATE employments SET person_id = \(bind: kept.id) WHERE person_id = \(bind: merged.id)").run()
                merged.mergedInto = kept.id
                merged.householdID = nil
                merged.version += 1
                kept.version += 1
                let actor = AuditActor(principal)
                let reason = "merge #\(id): \(request.reason)"
                for person in [merged, kept] { try await PersonStore.write(person, on: db, at: now) }
                try await PersonStore.snapshotVersions(ids: [merged.id, kept.id], on: db, dialect: dialect, by: actor, reason: reason, at: now.iso8601)
                try await db.raw("DELETE FROM person_name_keys WHERE person_id = \(bind: merged.id)").run()
            }
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .update, entity: "person_merge", entityID: String(id), region: request.region,
                           after: ["status": approve ? "approved" : "refused"]),
                on: db, dialect: dialect, at: now)
            return try await Self.load(id: id, on: db)
        }
    }

    /// Pending requests inside `scope`.
    public func pending(in scope: RegionCode) async throws -> [MergeRequest] {
        let condition = PersonStore.scopeCondition(scope, column: "region_code")
        return try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM person_merges WHERE status = 'pending' AND \(condition) ORDER BY id").all().map(Self.decode)
        }
    }

    public func find(id: Int64) async throws -> MergeRequest? {
        try await database.read { db in try await Self.load(id: id, on: db) }
    }

    /// Records inside `scope` sharing a name and birth date under different IDs (at most `limit` pairs).
    public func candidates(in scope: RegionCode, limit: Int = 50) async throws -> [DuplicateCandidate] {
        let condition = PersonStore.scopeCondition(scope)
        let other = PersonStore.scopeCondition(scope, column: "q.region_code")
        return try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT p.id AS first_id, q.id AS second_id FROM persons p JOIN persons q
                    ON q.name = p.name AND q.birth_date = p.birth_date AND q.id > p.id
                WHERE \(condition) AND \(other) AND p.merged_into IS NULL AND q.merged_into IS NULL
                ORDER BY p.id LIMIT \(literal: limit)
                """
            ).all()
            var pairs: [DuplicateCandidate] = []
            for row in rows {
                let load = { (id: Int64) in try await db.raw("SELECT \(unsafeRaw: PersonStore.columns) FROM persons p WHERE p.id = \(bind: id)").first().map(PersonStore.decode) }
                if let first = try await load(try row.decode(column: "first_id", as: Int64.self)),
                    let second = try await load(try row.decode(column: "second_id", as: Int64.self))
                {
                    pairs.append(DuplicateCandidate(first: first, second: second))
                }
            }
            return pairs
        }
    }

    static let columns = "id, kept_person_id, merged_person_id, region_code, reason, status, requested_by, requested_at, decided_by, decision_note"

    static func load(id: Int64, on db: any SQLDatabase) async throws -> MergeRequest? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM person_merges WHERE id = \(bind: id)").first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> MergeRequest {
        MergeRequest(
            id: try row.decode(column: "id", as: Int64.self),
            keptPersonID: try row.decode(column: "kept_person_id", as: Int64.self),
            mergedPersonID: try row.decode(column: "merged_person_id", as: Int64.self),
            region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
            reason: try row.decode(column: "reason", as: String.self),
            status: MergeRequest.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            requestedBy: try row.decode(column: "requested_by", as: Int64.self),
            requestedAt: try row.decode(column: "requested_at", as: String.self),
            decidedBy: try row.decode(column: "decided_by", as: Int64?.self),
            decisionNote: try row.decode(column: "decision_note", as: String?.self))
    }
}
