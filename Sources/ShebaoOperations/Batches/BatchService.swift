import Foundation
public import ShebaoCore
public import ShebaoStore
public import SQLKit

/// A table a run's output is shown as: column labels (string-table keys), rows of text, and a
/// total row (without its first column, which the surface labels "total").
public struct OutputTable: Sendable {
    public var columns: [String]
    public var rows: [[String]]
    public var total: [String]?
    /// Columns whose cells are string-table keys (a scheme, a state), shown in the reader's language.
    public var labelColumns: Set<Int>

    public init(columns: [String], rows: [[String]], total: [String]? = nil, labelColumns: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.total = total
        self.labelColumns = labelColumns
    }
}

/// A kind of batch run (monthly assessment, payroll, a census …) as its program declares it.
public struct BatchKind: Sendable {
    /// What a run's total counts.
    public enum TotalUnit: String, Sendable {
        /// Money in fen.
        case money
        case count
    }

    public let id: String
    public let totalUnit: TotalUnit
    public let computeRoles: Set<Role>
    public let decideRoles: Set<Role>
    public let postRoles: Set<Role>
    /// The chunks of a run, fixed when it is created (a resumed run covers exactly the same ground).
    public let chunks: @Sendable (BatchKey, any SQLDatabase) async throws -> [String]
    /// Computes one chunk inside its own transaction, set-based; returns the output rows written
    /// and the chunk's total. It is never called twice for a chunk that is done.
    public let compute: @Sendable (BatchRun, String, any SQLDatabase) async throws -> (rows: Int64, total: Int64)
    /// What posting does, inside the posting transaction (e.g. post to the fund ledger).
    public let post: @Sendable (BatchRun, AuditActor, Timestamp, any SQLDatabase) async throws -> Void
    /// The run's output as a table for the page and the API.
    public let output: @Sendable (BatchRun, any SQLDatabase, RegionDirectory) async throws -> OutputTable

    public init(id: String, totalUnit: TotalUnit, computeRoles: Set<Role>, decideRoles: Set<Role>, postRoles: Set<Role>,
                chunks: @escaping @Sendable (BatchKey, any SQLDatabase) async throws -> [String],
                compute: @escaping @Sendable (BatchRun, String, any SQLDatabase) async throws -> (rows: Int64, total: Int64),
                post: @escaping @Sendable (BatchRun, AuditActor, Timestamp, any SQLDatabase) async throws -> Void = { _, _, _, _ in },
                output: @escaping @Sendable (BatchRun, any SQLDatabase, RegionDirectory) async throws -> OutputTable) {
        self.id = id
        self.totalUnit = totalUnit
        self.computeRoles = computeRoles
        self.decideRoles = decideRoles
        self.postRoles = postRoles
        self.chunks = chunks
        self.compute = compute
        self.post = post
        self.output = output
    }

    public var labelKey: String { "batch.\(id)" }
}

/// Where a computation reports: chunks done of the chunks in all, after each chunk has committed.
/// Throwing stops the computation there (the run stays a draft and resumes later).
public typealias BatchProgress = @Sendable (_ done: Int, _ total: Int) throws -> Void

/// Batch runs of every program (DESIGN.md §5): one live run per kind, period and scope, its
/// inputs' versions frozen, computed chunk by chunk — each chunk its own transaction with its
/// progress row — so that a rerun never doubles anything and a run killed between chunks resumes
/// where it stopped; then approved by a second person and posted.
public struct BatchService: Sendable {
    let context: ServiceContext
    let kinds: [String: BatchKind]
    let policy: PolicyService

    init(context: ServiceContext, kinds: [BatchKind], policy: PolicyService) {
        self.context = context
        self.kinds = Dictionary(kinds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policy = policy
    }

    public var allKinds: [BatchKind] { kinds.values.sorted { $0.id < $1.id } }

    public func kind(_ id: String) -> BatchKind? { kinds[id] }

    // MARK: Reading

    public func runs(kind: String? = nil, paging: Paging = Paging(), by principal: Principal) async throws(ServiceError) -> Page<BatchRun> {
        try principal.require(.batchRead)
        let scope = principal.scope
        return try await context.read { db in try await BatchStore().list(kind: kind, in: scope, paging: paging, on: db) }
    }

    public func run(_ id: Int64, by principal: Principal) async throws(ServiceError) -> BatchRun {
        try principal.require(.batchRead)
        guard let run = try await context.read({ db in try await BatchStore().find(id: id, on: db) }) else { throw .notFound }
        try principal.require(.batchRead, in: run.key.scope)
        return run
    }

    public func chunks(of run: BatchRun, by principal: Principal) async throws(ServiceError) -> [BatchChunk] {
        try principal.require(.batchRead, in: run.key.scope)
        return try await context.read { db in try await BatchStore().chunks(of: run.id, on: db) }
    }

    public func output(of run: BatchRun, by principal: Principal) async throws(ServiceError) -> OutputTable {
        try principal.require(.batchRead, in: run.key.scope)
        guard let kind = kinds[run.key.kind] else { throw .notFound }
        let regions = context.regions
        return try await context.read { db in try await kind.output(run, db, regions) }
    }

    // MARK: Running

    /// Starts (or finds) the run of `kind` for `period` and `scope` (default: the caller's scope)
    /// and computes what is left of it. A run that is computed, approved or posted comes back as
    /// it is: a rerun never doubles anything.
    public func start(kind kindID: String, period text: String, scope scopeText: String? = nil, by principal: Principal,
                      progress: BatchProgress? = nil) async throws(ServiceError) -> BatchRun {
        let run = try await prepare(kind: kindID, period: text, scope: scopeText, by: principal)
        return try await compute(run, by: principal, progress: progress)
    }

    /// Creates the draft run (or finds the live one) without computing it: a page starts the
    /// computation in the background and shows its progress.
    public func prepare(kind kindID: String, period text: String, scope scopeText: String? = nil, by principal: Principal) async throws(ServiceError) -> BatchRun {
        guard let kind = kinds[kindID] else { throw .invalid("kind", "field.not_in_list", ["value": kindID]) }
        guard kind.computeRoles.contains(principal.role) else { throw .forbidden }
        guard let period = Period(text) else { throw .invalid("period", "period.invalid", ["value": text]) }
        var scope = principal.scope
        if let scopeText, !scopeText.isEmpty {
            guard let code = try? RegionCode(scopeText) else { throw .invalid("scope", "region_code.unknown", ["code": scopeText]) }
            guard principal.scope.contains(code) else { throw .notFound }
            scope = code
        }
        let key = BatchKey(kind: kindID, period: period, scope: scope)
        let runScope = scope
        if let live = try await context.read({ db in try await BatchStore().live(key, on: db) }) { return live }
        // The inputs' versions: the parameters as approved now and the moment the register is read.
        let book = try await context.read { db in try await ParameterStore().fingerprint(on: db) }
        let actor = AuditActor(principal)
        let now = context.now
        let dialect = context.database.dialect
        do {
            return try await context.database.write { db in
                let chunks = try await kind.chunks(key, db)
                let run = try await BatchStore().create(key, inputs: ["parameters": book, "asOf": now.iso8601], chunkKeys: chunks, by: actor, at: now, on: db)
                try await context.append(
                    AuditEvent(actor: actor, action: .create, entity: "batch_run", entityID: String(run.id), region: runScope,
                               after: ["key": key.description, "chunks": String(chunks.count)]),
                    on: db, at: now)
                return run
            }
        } catch where dialect.isUniqueViolation(error) {
            // Another caller created it a moment ago: theirs is the run.
            guard let live = try await context.read({ db in try await BatchStore().live(key, on: db) }) else { throw .from(error) }
            return live
        } catch {
            throw .from(error)
        }
    }

    /// Computes the chunks of a draft run that are not done yet, each in its own transaction, then
    /// marks it computed. Anything but a draft comes back unchanged.
    public func compute(_ run: BatchRun, by principal: Principal, progress: BatchProgress? = nil) async throws(ServiceError) -> BatchRun {
        guard let kind = kinds[run.key.kind] else { throw .notFound }
        guard kind.computeRoles.contains(principal.role) else { throw .forbidden }
        try principal.require(.batchRead, in: run.key.scope)
        guard run.state == .draft else { return run }
        let done = Set(try await context.read { db in try await BatchStore().chunks(of: run.id, on: db) }.map(\.number))
        try report(progress, done.count, run.chunkCount)
        let pending = run.chunkKeys.enumerated().filter { !done.contains($0.offset) }.map { (number: $0.offset, key: $0.element) }
        try await computeChunks(pending, of: run, kind: kind, alreadyDone: done.count, progress: progress)
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            try await BatchStore().markComputed(runID: run.id, at: now, on: db)
            guard let computed = try await BatchStore().find(id: run.id, on: db) else { throw ServiceError.notFound }
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "batch_run", entityID: String(run.id), region: run.key.scope,
                           after: ["state": computed.state.rawValue, "rows": String(computed.rowCount), "total": String(computed.total)]),
                on: db, at: now)
            return computed
        }
    }

    /// How many chunks compute at once: one on SQLite (one writer), up to four on PostgreSQL
    /// (each chunk its own connection and transaction; the server's cores do the arithmetic).
    var chunkWidth: Int {
        context.database.dialect == .postgres ? min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
    }

    /// Computes `pending` chunks, `chunkWidth` at a time, each in its own transaction with its
    /// progress row; reports after each commit. A failure (or a progress that throws) stops new
    /// chunks; those already committed stay, and a resume computes the rest.
    private func computeChunks(_ pending: [(number: Int, key: String)], of run: BatchRun, kind: BatchKind, alreadyDone: Int,
                               progress: BatchProgress?) async throws(ServiceError) {
        let context = self.context
        let width = chunkWidth
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = pending.makeIterator()
                var running = 0
                var count = alreadyDone
                func start() -> Bool {
                    guard let chunk = next.next() else { return false }
                    group.addTask {
                        let now = context.now
                        try await context.write { db in
                            let result = try await kind.compute(run, chunk.key, db)
                            try await BatchStore().recordChunk(runID: run.id, number: chunk.number, key: chunk.key, rowCount: result.rows, total: result.total,
                                                               at: now, on: db)
                        }
                    }
                    return true
                }
                while running < width, start() { running += 1 }
                while running > 0 {
                    try await group.next()
                    running -= 1
                    count += 1
                    try progress?(count, run.chunkCount)
                    if start() { running += 1 }
                }
            }
        } catch {
            throw ServiceError.from(error)
        }
    }

    private func report(_ progress: BatchProgress?, _ done: Int, _ total: Int) throws(ServiceError) {
        do {
            try progress?(done, total)
        } catch {
            throw .failure(error)
        }
    }

    /// Resumes a draft run (after a crash, or from the page).
    public func resume(_ id: Int64, by principal: Principal, progress: BatchProgress? = nil) async throws(ServiceError) -> BatchRun {
        try await compute(try await run(id, by: principal), by: principal, progress: progress)
    }

    /// Approves or rejects a computed run; never by the one who started it (maker–checker).
    public func decide(_ id: Int64, approve: Bool, note: String?, by principal: Principal) async throws(ServiceError) -> BatchRun {
        let kinds = self.kinds
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let run = try await BatchStore().lock(id: id, on: db), principal.may(.batchRead, in: run.key.scope), let kind = kinds[run.key.kind] else {
                throw ServiceError.notFound
            }
            guard kind.decideRoles.contains(principal.role) else { throw ServiceError.forbidden }
            guard run.state == .computed else { throw ServiceError.conflict("batch.not_computed", labels: ["state": run.state.labelKey]) }
            try await context.checkDecision(status: .proposed, maker: run.createdBy, decider: principal.userID, on: db)
            try await BatchStore().decide(runID: id, approve: approve, note: note, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "batch_run", entityID: String(id), region: run.key.scope,
                           before: ["state": run.state.rawValue], after: ["state": approve ? BatchState.approved.rawValue : BatchState.rejected.rawValue]),
                on: db, at: now)
            guard let decided = try await BatchStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return decided
        }
    }

    /// Posts an approved run: what posting means is the kind's; afterwards nothing of the run changes.
    public func post(_ id: Int64, by principal: Principal) async throws(ServiceError) -> BatchRun {
        let kinds = self.kinds
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let run = try await BatchStore().lock(id: id, on: db), principal.may(.batchRead, in: run.key.scope), let kind = kinds[run.key.kind] else {
                throw ServiceError.notFound
            }
            guard kind.postRoles.contains(principal.role) else { throw ServiceError.forbidden }
            guard run.state == .approved else { throw ServiceError.conflict("batch.not_approved", labels: ["state": run.state.labelKey]) }
            try await kind.post(run, actor, now, db)
            try await BatchStore().markPosted(runID: id, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "batch_run", entityID: String(id), region: run.key.scope,
                           before: ["state": run.state.rawValue], after: ["state": BatchState.posted.rawValue]),
                on: db, at: now)
            guard let posted = try await BatchStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return posted
        }
    }
}
