public import SQLKit
public import ShebaoCore

/// A batch run as stored (DESIGN.md §5).
public struct BatchRun: Sendable, Hashable {
    public var id: Int64
    public var key: BatchKey
    public var state: BatchState
    /// The versions of its inputs, frozen when the run was created (JSON: parameter fingerprint,
    /// as-of time, the kind's own).
    public var inputs: [String: String]
    /// The chunks, fixed at creation so that a resumed run covers exactly the same ground.
    public var chunkKeys: [String]
    public var chunksDone: Int
    public var rowCount: Int64
    /// Money in fen, or a count, as the run's kind says.
    public var total: Int64
    public var createdBy: Int64?
    public var createdByName: String
    public var createdAt: String
    public var computedAt: String?
    public var decidedBy: Int64?
    public var decidedByName: String?
    public var decidedAt: String?
    public var decisionNote: String?
    public var postedBy: Int64?
    public var postedAt: String?

    public var chunkCount: Int { chunkKeys.count }
}

/// One chunk done: its output rows and total.
public struct BatchChunk: Sendable, Hashable {
    public var number: Int
    public var key: String
    public var rowCount: Int64
    public var total: Int64
    public var doneAt: String
}

/// Batch runs and their progress, inside the caller's connection.
public struct BatchStore: Sendable {
    public init() {}

    /// Creates a draft run. A live run of the same key makes this a unique violation.
    public func create(_ key: BatchKey, inputs: [String: String], chunkKeys: [String], by actor: AuditActor, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> BatchRun {
        let row = try await db.raw(
            """
            INSERT INTO batch_runs (kind, period, scope_code, state, inputs, chunk_keys, chunk_count, created_by, created_by_name, created_at)
            VALUES (\(bind: key.kind), \(bind: Int64(key.period.yyyymm)), \(bind: key.scope.value), \(bind: BatchState.draft.rawValue),
                \(bind: try StoreJSON.text(inputs)), \(bind: try StoreJSON.text(chunkKeys)), \(bind: Int64(chunkKeys.count)), \(bind: actor.userID),
                \(bind: actor.name), \(bind: now.iso8601))
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).first()
        guard let row else { throw StoreError.notFound("batch_runs") }
        return try Self.decode(row)
    }

    /// The live (not rejected) run of `key`, if any.
    public func live(_ key: BatchKey, on db: any SQLDatabase) async throws -> BatchRun? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM batch_runs WHERE kind = \(bind: key.kind) AND period = \(bind: Int64(key.period.yyyymm))
            AND scope_code = \(bind: key.scope.value) AND state <> \(bind: BatchState.rejected.rawValue)
            """
        ).first().map(Self.decode)
    }

    public func find(id: Int64, on db: any SQLDatabase) async throws -> BatchRun? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM batch_runs WHERE id = \(bind: id)").first().map(Self.decode)
    }

    public func lock(id: Int64, on db: any SQLDatabase) async throws -> BatchRun? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM batch_runs WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first().map(Self.decode)
    }

    /// Runs inside `scope` (their scope lies in it), newest first.
    public func list(kind: String? = nil, in scope: RegionCode, paging: Paging = Paging(), on db: any SQLDatabase) async throws -> Page<BatchRun> {
        var filters: [SQLQueryString] = [SQLPieces.scope(scope, column: "scope_code")]
        if let kind { filters.append("kind = \(bind: kind)") }
        let condition = filters.joined(separator: " AND ")
        let total = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM batch_runs WHERE \(condition)")
        let rows = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM batch_runs WHERE \(condition) ORDER BY id DESC \(SQLPieces.page(paging))").all()
        return Page(items: try rows.map(Self.decode), total: total, page: paging.page, perPage: paging.perPage)
    }

    /// The chunks done so far, by number.
    public func chunks(of runID: Int64, on db: any SQLDatabase) async throws -> [BatchChunk] {
        try await db.raw(
            "SELECT chunk_no, chunk_key, row_count, total, done_at FROM batch_chunks WHERE run_id = \(bind: runID) ORDER BY chunk_no"
        ).all().map { row in
            let reader = try RowReader(row, table: "batch_chunks", keyColumn: "chunk_no")
            return BatchChunk(number: Int(try reader.int("chunk_no")), key: try reader.string("chunk_key"), rowCount: try reader.int("row_count"),
                              total: try reader.int("total"), doneAt: try reader.string("done_at"))
        }
    }

    /// Records a chunk as done and adds its counts to the run, in the chunk's own transaction
    /// (the one that wrote its output): a chunk is done with its rows, or not at all.
    public func recordChunk(runID: Int64, number: Int, key: String, rowCount: Int64, total: Int64, at now: Timestamp,
                            on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO batch_chunks (run_id, chunk_no, chunk_key, row_count, total, done_at)
            VALUES (\(bind: runID), \(bind: Int64(number)), \(bind: key), \(bind: rowCount), \(bind: total), \(bind: now.iso8601))
            """
        ).run()
        try await db.raw(
            """
            UPDATE batch_runs SET chunks_done = chunks_done + 1, row_count = row_count + \(bind: rowCount), total = total + \(bind: total)
            WHERE id = \(bind: runID)
            """
        ).run()
    }

    public func markComputed(runID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE batch_runs SET state = \(bind: BatchState.computed.rawValue), computed_at = \(bind: now.iso8601)
            WHERE id = \(bind: runID) AND state = \(bind: BatchState.draft.rawValue)
            """
        ).run()
    }

    public func decide(runID: Int64, approve: Bool, note: String?, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws {
        let state: BatchState = approve ? .approved : .rejected
        try await db.raw(
            """
            UPDATE batch_runs SET state = \(bind: state.rawValue), decided_by = \(bind: actor.userID), decided_by_name = \(bind: actor.name),
                decided_at = \(bind: now.iso8601), decision_note = \(bind: note)
            WHERE id = \(bind: runID)
            """
        ).run()
    }

    public func markPosted(runID: Int64, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE batch_runs SET state = \(bind: BatchState.posted.rawValue), posted_by = \(bind: actor.userID), posted_at = \(bind: now.iso8601)
            WHERE id = \(bind: runID)
            """
        ).run()
    }

    static let columns = """
        id, kind, period, scope_code, state, inputs, chunk_keys, chunks_done, row_count, total, created_by, created_by_name, created_at,
        computed_at, decided_by, decided_by_name, decided_at, decision_note, posted_by, posted_at
        """

    static func decode(_ row: any SQLRow) throws -> BatchRun {
        let reader = try RowReader(row, table: "batch_runs")
        return BatchRun(
            id: try reader.int("id"),
            key: BatchKey(kind: try reader.string("kind"), period: try reader.period("period"), scope: try reader.region("scope_code")),
            state: try reader.value("state", as: BatchState.self),
            inputs: try reader.json("inputs", as: [String: String].self),
            chunkKeys: try reader.json("chunk_keys", as: [String].self),
            chunksDone: Int(try reader.int("chunks_done")),
            rowCount: try reader.int("row_count"),
            total: try reader.int("total"),
            createdBy: try reader.optionalInt("created_by"),
            createdByName: try reader.string("created_by_name"),
            createdAt: try reader.string("created_at"),
            computedAt: try reader.optionalString("computed_at"),
            decidedBy: try reader.optionalInt("decided_by"),
            decidedByName: try reader.optionalString("decided_by_name"),
            decidedAt: try reader.optionalString("decided_at"),
            decisionNote: try reader.optionalString("decision_note"),
            postedBy: try reader.optionalInt("posted_by"),
            postedAt: try reader.optionalString("posted_at"))
    }
}
