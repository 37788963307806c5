public import SQLKit
public import ShebaoCore

/// A request to merge two records of the same person (legacy 15-digit data, a corrected ID):
/// proposed by a clerk, approved or rejected by a different reviewer.
public struct MergeRequest: Sendable, Codable, Hashable {
    public var id: Int64
    public var keptPersonID: Int64
    public var mergedPersonID: Int64
    public var region: RegionCode
    public var reason: String
    public var status: ProposalStatus
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

/// Merge requests and duplicate candidates, inside the caller's connection. The merged record
/// stays (with `merged_into` set) so both histories remain; it leaves lists and searches.
public struct MergeStore: Sendable {
    public init() {}

    /// Whether a proposed merge already involves `personID`.
    public func hasOpenRequest(involving personID: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM person_merges WHERE status = \(bind: ProposalStatus.proposed.rawValue)
            AND (merged_person_id = \(bind: personID) OR kept_person_id = \(bind: personID))
            """) > 0
    }

    public func propose(keep kept: Person, merge merged: Person, reason: String, by userID: Int64, at now: Timestamp,
                        on db: any SQLDatabase) async throws -> MergeRequest {
        let row = try await db.raw(
            """
            INSERT INTO person_merges (kept_person_id, merged_person_id, region_code, reason, status, requested_by, requested_at)
            VALUES (\(bind: kept.id), \(bind: merged.id), \(bind: kept.region.commonScope(with: merged.region).value), \(bind: reason), \(bind: ProposalStatus.proposed.rawValue),
                \(bind: userID), \(bind: now.iso8601))
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).first()
        guard let row else { throw StoreError.notFound("person_merges") }
        return try Self.decode(row)
    }

    /// Records the decision on a proposed request (the caller has checked maker–checker).
    public func decide(_ request: MergeRequest, approve: Bool, note: String?, by userID: Int64, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> MergeRequest {
        let status: ProposalStatus = approve ? .approved : .rejected
        try await db.raw(
            """
            UPDATE person_merges SET status = \(bind: status.rawValue), decided_by = \(bind: userID), decided_at = \(bind: now.iso8601),
                decision_note = \(bind: note) WHERE id = \(bind: request.id)
            """
        ).run()
        guard let decided = try await find(id: request.id, on: db) else { throw StoreError.notFound("person_merges \(request.id)") }
        return decided
    }

    /// Proposed requests inside `scope`: a request's region is the smallest area holding both
    /// records, so a merge across two towns is seen only by someone whose scope covers both.
    public func proposed(in scope: RegionCode, on db: any SQLDatabase) async throws -> [MergeRequest] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM person_merges WHERE status = \(bind: ProposalStatus.proposed.rawValue)
            AND \(SQLPieces.scope(scope, column: "region_code")) ORDER BY id
            """
        ).all().map(Self.decode)
    }

    public func find(id: Int64, on db: any SQLDatabase) async throws -> MergeRequest? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM person_merges WHERE id = \(bind: id)").first().map(Self.decode)
    }

    /// The request of `id`, locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> MergeRequest? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM person_merges WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first().map(Self.decode)
    }

    /// Records inside `scope` sharing a name and birth date under different IDs (at most `limit` pairs).
    public func candidates(in scope: RegionCode, limit: Int = 50, on db: any SQLDatabase) async throws -> [DuplicateCandidate] {
        let rows = try await db.raw(
            """
            SELECT p.id AS first_id, q.id AS second_id FROM persons p JOIN persons q
                ON q.name = p.name AND q.birth_date = p.birth_date AND q.id > p.id
            WHERE \(SQLPieces.scope(scope, column: "p.region_code")) AND \(SQLPieces.scope(scope, column: "q.region_code"))
                AND p.merged_into IS NULL AND q.merged_into IS NULL
            ORDER BY p.id LIMIT \(literal: limit)
            """
        ).all()
        let persons = PersonStore()
        var pairs: [DuplicateCandidate] = []
        for row in rows {
            if let first = try await persons.find(id: try row.decode(column: "first_id", as: Int64.self), on: db),
                let second = try await persons.find(id: try row.decode(column: "second_id", as: Int64.self), on: db)
            {
                pairs.append(DuplicateCandidate(first: first, second: second))
            }
        }
        return pairs
    }

    static let columns = "id, kept_person_id, merged_person_id, region_code, reason, status, requested_by, requested_at, decided_by, decision_note"

    static func decode(_ row: any SQLRow) throws -> MergeRequest {
        let reader = try RowReader(row, table: "person_merges")
        return MergeRequest(
            id: try reader.int("id"), keptPersonID: try reader.int("kept_person_id"), mergedPersonID: try reader.int("merged_person_id"),
            region: try reader.region("region_code"), reason: try reader.string("reason"), status: try reader.value("status", as: ProposalStatus.self),
            requestedBy: try reader.int("requested_by"), requestedAt: try reader.string("requested_at"),
            decidedBy: try reader.optionalInt("decided_by"), decisionNote: try reader.optionalString("decision_note"))
    }
}
