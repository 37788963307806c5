public import SQLKit
public import ShebaoCore

/// A case as stored: its type, place, step and payload, with its history, documents and the
/// notice of its current step.
public struct CaseRecord: Sendable, Hashable {
    public struct Step: Sendable, Hashable, Codable {
        public var seq: Int64
        public var transition: String
        public var fromState: String?
        public var toState: String
        public var actorID: Int64?
        public var actorName: String
        public var takenAt: String
        public var note: String?
    }

    public struct Document: Sendable, Hashable, Codable {
        public var id: Int64
        public var kind: String
        public var reference: String
        public var note: String?
        public var addedBy: String
        public var addedAt: String
    }

    public struct Objection: Sendable, Hashable, Codable {
        public var id: Int64
        public var raisedOn: LocalDate
        public var raisedBy: String
        public var content: String
        public var recordedAt: String
        public var outcome: ObjectionOutcome?
        public var resolution: String?
        public var resolvedAt: String?
    }

    public struct Notice: Sendable, Hashable, Codable {
        public var id: Int64
        public var state: String
        public var startsOn: LocalDate
        public var endsOn: LocalDate
        public var objections: [Objection]

        public var unresolved: Int { objections.filter { $0.outcome == nil }.count }
    }

    public var id: Int64
    public var type: String
    public var region: RegionCode
    public var personID: Int64?
    public var state: String
    public var dueOn: LocalDate?
    /// The type's own data, as JSON.
    public var payload: String
    public var openedBy: Int64?
    public var openedAt: String
    public var updatedAt: String
    public var version: Int64
    public var steps: [Step]
    public var documents: [Document]
    /// The notice of the current step, when it is a public notice.
    public var notice: Notice?

    /// What the case type's checks need.
    public var snapshot: CaseSnapshot {
        CaseSnapshot(
            state: state, region: region, history: steps.map { CaseSnapshot.Step(transition: $0.transition, actorID: $0.actorID) },
            attachmentKinds: Set(documents.map(\.kind)),
            notice: notice.map { CaseSnapshot.Notice(endsOn: $0.endsOn, unresolvedObjections: $0.unresolved) })
    }
}

/// A case in a list: no history.
public struct CaseSummary: Sendable, Hashable {
    public var id: Int64
    public var type: String
    public var region: RegionCode
    public var personID: Int64?
    public var personName: String?
    public var state: String
    public var dueOn: LocalDate?
    public var openedAt: String
    public var updatedAt: String
}

/// Cases of every program, inside the caller's connection (DESIGN.md §7). Steps and documents
/// are append-only; the case row holds the current step and its due date.
public struct CaseStore: Sendable {
    public init() {}

    /// Opens a case in `state` and records the opening as its first step.
    public func open(type: String, region: RegionCode, personID: Int64?, payload: String, state: String, dueOn: LocalDate?,
                     by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO cases (case_type, region_code, person_id, state, due_on, payload, opened_by, opened_at, updated_at, version)
            VALUES (\(bind: type), \(bind: region.value), \(bind: personID), \(bind: state), \(bind: dueOn?.description), \(bind: payload),
                \(bind: actor.userID), \(bind: now.iso8601), \(bind: now.iso8601), 1)
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("cases") }
        try await addStep(caseID: id, seq: 1, transition: CaseType.openTransition, from: nil, to: state, by: actor, note: nil, at: now, on: db)
        return id
    }

    public func find(id: Int64, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM cases c WHERE c.id = \(bind: id)").first() else { return nil }
        return try await record(row, on: db)
    }

    /// The case of `id`, its row locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> CaseRecord? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM cases c WHERE c.id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first() else {
            return nil
        }
        return try await record(row, on: db)
    }

    /// Moves a case to `to` and records the step.
    public func move(_ record: CaseRecord, transition: String, to state: String, dueOn: LocalDate?, note: String?, by actor: AuditActor,
                     at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE cases SET state = \(bind: state), due_on = \(bind: dueOn?.description), updated_at = \(bind: now.iso8601), version = version + 1
            WHERE id = \(bind: record.id)
            """
        ).run()
        let seq = (record.steps.map(\.seq).max() ?? 0) + 1
        try await addStep(caseID: record.id, seq: seq, transition: transition, from: record.state, to: state, by: actor, note: note, at: now, on: db)
    }

    public func addDocument(caseID: Int64, kind: String, reference: String, note: String?, by actor: AuditActor, at now: Timestamp,
                            on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO case_documents (case_id, kind, reference, note, added_by, added_by_name, added_at)
            VALUES (\(bind: caseID), \(bind: kind), \(bind: reference), \(bind: note), \(bind: actor.userID), \(bind: actor.name), \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("case_documents") }
        try await touch(caseID, at: now, on: db)
        return id
    }

    public func postNotice(caseID: Int64, state: String, window: NoticeWindow, by actor: AuditActor, at now: Timestamp,
                           on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO case_notices (case_id, state, starts_on, ends_on, posted_by, posted_at)
            VALUES (\(bind: caseID), \(bind: state), \(bind: window.startsOn.description), \(bind: window.endsOn.description), \(bind: actor.userID),
                \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("case_notices") }
        return id
    }

    public func raiseObjection(noticeID: Int64, raisedOn: LocalDate, raisedBy: String, content: String, by actor: AuditActor, at now: Timestamp,
                               on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO case_objections (notice_id, raised_on, raised_by, content, recorded_by, recorded_at)
            VALUES (\(bind: noticeID), \(bind: raisedOn.description), \(bind: raisedBy), \(bind: content), \(bind: actor.userID), \(bind: now.iso8601))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("case_objections") }
        return id
    }

    public func resolveObjection(id: Int64, outcome: ObjectionOutcome, resolution: String, by actor: AuditActor, at now: Timestamp,
                                 on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE case_objections SET outcome = \(bind: outcome.rawValue), resolution = \(bind: resolution), resolved_by = \(bind: actor.userID),
                resolved_at = \(bind: now.iso8601)
            WHERE id = \(bind: id) AND outcome IS NULL
            """
        ).run()
    }

    /// Cases inside `scope`, newest first, optionally of one type or state.
    public func list(type: String? = nil, state: String? = nil, openOnly: Bool = false, finalStates: Set<String> = [], in scope: RegionCode,
                     paging: Paging = Paging(), on db: any SQLDatabase) async throws -> Page<CaseSummary> {
        var filters: [SQLQueryString] = [SQLPieces.scope(scope, column: "c.region_code")]
        if let type { filters.append("c.case_type = \(bind: type)") }
        if let state { filters.append("c.state = \(bind: state)") }
        if openOnly && !finalStates.isEmpty { filters.append("c.state NOT IN (\(binds: finalStates.sorted()))") }
        let condition = filters.joined(separator: " AND ")
        let total = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cases c WHERE \(condition)")
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.summaryColumns) FROM cases c LEFT JOIN persons p ON p.id = c.person_id
            WHERE \(condition) ORDER BY c.id DESC \(SQLPieces.page(paging))
            """
        ).all()
        return Page(items: try rows.map(Self.summary), total: total, page: paging.page, perPage: paging.perPage)
    }

    /// Open cases inside `scope` whose step was due before `today`, the longest overdue first.
    public func overdue(in scope: RegionCode, today: LocalDate, limit: Int = 200, on db: any SQLDatabase) async throws -> [CaseSummary] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.summaryColumns) FROM cases c LEFT JOIN persons p ON p.id = c.person_id
            WHERE \(SQLPieces.scope(scope, column: "c.region_code")) AND c.due_on IS NOT NULL AND c.due_on < \(bind: today.description)
            ORDER BY c.due_on, c.id LIMIT \(literal: limit)
            """
        ).all().map(Self.summary)
    }

    /// Open cases of a person (for the one view of a person).
    public func cases(of personID: Int64, on db: any SQLDatabase) async throws -> [CaseSummary] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.summaryColumns) FROM cases c LEFT JOIN persons p ON p.id = c.person_id
            WHERE c.person_id = \(bind: personID) ORDER BY c.id DESC LIMIT 50
            """
        ).all().map(Self.summary)
    }

    // MARK: Internals

    private func touch(_ caseID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE cases SET updated_at = \(bind: now.iso8601), version = version + 1 WHERE id = \(bind: caseID)").run()
    }

    private func addStep(caseID: Int64, seq: Int64, transition: String, from: String?, to: String, by actor: AuditActor, note: String?,
                         at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO case_steps (case_id, seq, transition, from_state, to_state, actor_id, actor_name, taken_at, note)
            VALUES (\(bind: caseID), \(bind: seq), \(bind: transition), \(bind: from), \(bind: to), \(bind: actor.userID), \(bind: actor.name),
                \(bind: now.iso8601), \(bind: note))
            """
        ).run()
    }

    private func record(_ row: any SQLRow, on db: any SQLDatabase) async throws -> CaseRecord {
        let reader = try RowReader(row, table: "cases")
        let id = try reader.int("id")
        let state = try reader.string("state")
        let steps = try await db.raw(
            """
            SELECT s.seq, s.transition, s.from_state, s.to_state, s.actor_id, COALESCE(u.display_name, s.actor_name) AS actor_name, s.taken_at, s.note
            FROM case_steps s LEFT JOIN users u ON u.id = s.actor_id WHERE s.case_id = \(bind: id) ORDER BY s.seq
            """
        ).all().map { row in
            let step = try RowReader(row, table: "case_steps", keyColumn: "seq")
            return CaseRecord.Step(seq: try step.int("seq"), transition: try step.string("transition"), fromState: try step.optionalString("from_state"),
                                   toState: try step.string("to_state"), actorID: try step.optionalInt("actor_id"), actorName: try step.string("actor_name"),
                                   takenAt: try step.string("taken_at"), note: try step.optionalString("note"))
        }
        let documents = try await db.raw(
            """
            SELECT d.id, d.kind, d.reference, d.note, COALESCE(u.display_name, d.added_by_name) AS added_by_name, d.added_at
            FROM case_documents d LEFT JOIN users u ON u.id = d.added_by WHERE d.case_id = \(bind: id) ORDER BY d.id
            """
        ).all().map { row in
            let document = try RowReader(row, table: "case_documents")
            return CaseRecord.Document(id: try document.int("id"), kind: try document.string("kind"), reference: try document.string("reference"),
                                       note: try document.optionalString("note"), addedBy: try document.string("added_by_name"),
                                       addedAt: try document.string("added_at"))
        }
        var notice: CaseRecord.Notice?
        // The notice of the current step: the latest one posted for it, if the case entered it last.
        if let row = try await db.raw(
            "SELECT id, state, starts_on, ends_on FROM case_notices WHERE case_id = \(bind: id) ORDER BY id DESC LIMIT 1"
        ).first() {
            let posted = try RowReader(row, table: "case_notices")
            if try posted.string("state") == state {
                let noticeID = try posted.int("id")
                let objections = try await db.raw(
                    """
                    SELECT id, raised_on, raised_by, content, recorded_at, outcome, resolution, resolved_at FROM case_objections
                    WHERE notice_id = \(bind: noticeID) ORDER BY id
                    """
                ).all().map { row in
                    let objection = try RowReader(row, table: "case_objections")
                    return CaseRecord.Objection(
                        id: try objection.int("id"), raisedOn: try objection.date("raised_on"), raisedBy: try objection.string("raised_by"),
                        content: try objection.string("content"), recordedAt: try objection.string("recorded_at"),
                        outcome: try objection.optionalValue("outcome", as: ObjectionOutcome.self), resolution: try objection.optionalString("resolution"),
                        resolvedAt: try objection.optionalString("resolved_at"))
                }
                notice = CaseRecord.Notice(id: noticeID, state: state, startsOn: try posted.date("starts_on"), endsOn: try posted.date("ends_on"),
                                           objections: objections)
            }
        }
        return CaseRecord(
            id: id, type: try reader.string("case_type"), region: try reader.region("region_code"), personID: try reader.optionalInt("person_id"),
            state: state, dueOn: try reader.optionalDate("due_on"), payload: try reader.string("payload"), openedBy: try reader.optionalInt("opened_by"),
            openedAt: try reader.string("opened_at"), updatedAt: try reader.string("updated_at"), version: try reader.int("version"),
            steps: steps, documents: documents, notice: notice)
    }

    static let columns = "c.id, c.case_type, c.region_code, c.person_id, c.state, c.due_on, c.payload, c.opened_by, c.opened_at, c.updated_at, c.version"
    static let summaryColumns = "c.id, c.case_type, c.region_code, c.person_id, p.name AS person_name, c.state, c.due_on, c.opened_at, c.updated_at"

    static func summary(_ row: any SQLRow) throws -> CaseSummary {
        let reader = try RowReader(row, table: "cases")
        return CaseSummary(
            id: try reader.int("id"), type: try reader.string("case_type"), region: try reader.region("region_code"),
            personID: try reader.optionalInt("person_id"), personName: try reader.optionalString("person_name"), state: try reader.string("state"),
            dueOn: try reader.optionalDate("due_on"), openedAt: try reader.string("opened_at"), updatedAt: try reader.string("updated_at"))
    }
}
