public import ShebaoCore
public import ShebaoStore
public import SQLKit

/// What a step's effect runs with: the case as it stands, the move, who takes it, when, and the
/// transaction the step is written in.
public struct CaseStepContext: Sendable {
    public var record: CaseRecord
    public var transition: CaseTransition
    public var actor: AuditActor
    public var principal: Principal
    public var now: Timestamp
    public var db: any SQLDatabase
}

/// A fact about a case's payload, for the page and the API (`label` is a string-table key).
public struct CaseFact: Sendable, Codable, Hashable {
    public var labelKey: String
    public var value: String

    public init(labelKey: String, value: String) {
        self.labelKey = labelKey
        self.value = value
    }
}

/// A case type with what its steps do to its program's records.
public struct CaseHandler: Sendable {
    public let type: CaseType
    /// Runs inside the transaction of each step, after every check has passed and before the step
    /// is recorded (an approved correction is applied here). Throwing refuses the step.
    public let onStep: @Sendable (CaseStepContext) async throws -> Void
    /// The payload as facts for the reader.
    public let describe: @Sendable (String) -> [CaseFact]

    public init(type: CaseType, onStep: @escaping @Sendable (CaseStepContext) async throws -> Void = { _ in },
                describe: @escaping @Sendable (String) -> [CaseFact] = { _ in [] }) {
        self.type = type
        self.onStep = onStep
        self.describe = describe
    }
}

/// A case as its reader sees it: the record, its type, what the payload says, and the moves the
/// reader may make now.
public struct CaseView: Sendable {
    public var record: CaseRecord
    public var type: CaseType
    public var facts: [CaseFact]
    public var personName: String?
    /// The moves this reader may take now (a running notice or a missing document still shows
    /// the move, which then says why it waits; a role, the scope or separation of duties hides it).
    public var allowed: [CaseTransition]
    public var mayAddDocuments: Bool
    public var mayRecordObjections: Bool
}

/// Cases (applications) of every program: open, read, take a step, add a document, raise and
/// settle objections during a public notice, the overdue list of an office (DESIGN.md §7).
public struct CaseService: Sendable {
    let context: ServiceContext
    let handlers: [String: CaseHandler]

    init(context: ServiceContext, handlers: [CaseHandler]) {
        self.context = context
        self.handlers = Dictionary(handlers.map { ($0.type.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var types: [CaseType] { handlers.values.map(\.type).sorted { $0.id < $1.id } }

    public func type(_ id: String) -> CaseType? { handlers[id]?.type }

    // MARK: Reading

    public func list(type: String? = nil, state: String? = nil, openOnly: Bool = false, paging: Paging = Paging(), by principal: Principal)
        async throws(ServiceError) -> Page<CaseSummary>
    {
        try principal.require(.caseRead)
        if let type, handlers[type] == nil { throw .invalid("type", "field.not_in_list", ["value": type]) }
        let scope = principal.scope
        let finals = Set(handlers.values.flatMap { $0.type.states.filter(\.isFinal).map(\.id) })
        return try await context.read { db in
            try await CaseStore().list(type: type, state: state, openOnly: openOnly, finalStates: finals, in: scope, paging: paging, on: db)
        }
    }

    /// Open cases of the caller's office whose step is past its due date (in working days).
    public func overdue(by principal: Principal) async throws(ServiceError) -> [CaseSummary] {
        try principal.require(.caseRead)
        let scope = principal.scope
        let today = context.today
        return try await context.read { db in try await CaseStore().overdue(in: scope, today: today, on: db) }
    }

    /// A person's cases (for the one view of a person).
    public func cases(of person: Person, by principal: Principal) async throws(ServiceError) -> [CaseSummary] {
        guard principal.may(.caseRead, in: person.region) else { return [] }
        return try await context.read { db in try await CaseStore().cases(of: person.id, on: db) }
    }

    public func view(_ id: Int64, by principal: Principal) async throws(ServiceError) -> CaseView {
        try principal.require(.caseRead)
        guard let record = try await context.read({ db in try await CaseStore().find(id: id, on: db) }) else { throw .notFound }
        try principal.require(.caseRead, in: record.region)
        guard let handler = handlers[record.type] else { throw .notFound }
        var personName: String?
        if let personID = record.personID {
            personName = try await context.read { db in try await PersonStore().find(id: personID, on: db)?.name }
        }
        let type = handler.type
        let may = Self.mayWork(on: record, type: type, principal: principal)
        return CaseView(
            record: record, type: type, facts: handler.describe(record.payload), personName: personName,
            allowed: type.allowedTransitions(on: record.snapshot, by: principal, today: context.today),
            mayAddDocuments: may && !(type.state(record.state)?.isFinal ?? true),
            mayRecordObjections: may && record.notice.map { $0.endsOn >= context.today } == true)
    }

    // MARK: Working a case

    /// Takes `transitionID` on the case: every check of its type (role, scope, separation of
    /// duties, documents, a running notice, an unresolved objection, a note), then the program's
    /// effect, the step, the next due date, a notice when the next step is one, the audit row.
    public func take(_ id: Int64, transition transitionID: String, note: String?, expectedVersion: Int64?, by principal: Principal)
        async throws(ServiceError) -> CaseRecord
    {
        try principal.require(.caseRead)
        let handlers = self.handlers
        let calendar = context.calendar
        let today = context.today
        let actor = AuditActor(principal)
        let now = context.now
        let note = note.flatMap { $0.trimmingASCIIWhitespace().isEmpty ? nil : $0.trimmingASCIIWhitespace() }
        return try await context.write { db in
            guard let record = try await CaseStore().lock(id: id, on: db), principal.may(.caseRead, in: record.region),
                let handler = handlers[record.type]
            else { throw ServiceError.notFound }
            if let expectedVersion, expectedVersion != record.version { throw ServiceError.versionConflict(current: record.version) }
            let type = handler.type
            if let refusal = type.refusal(transitionID, on: record.snapshot, by: principal, note: note, today: today) {
                throw Self.error(refusal, type: type)
            }
            guard let transition = type.transition(transitionID), let target = type.state(transition.to) else { throw ServiceError.notFound }
            try await handler.onStep(CaseStepContext(record: record, transition: transition, actor: actor, principal: principal, now: now, db: db))
            let due = type.dueDate(of: target.id, enteredOn: today, calendar: calendar)
            try await CaseStore().move(record, transition: transition.id, to: target.id, dueOn: due, note: note, by: actor, at: now, on: db)
            if let days = target.noticeDays {
                _ = try await CaseStore().postNotice(caseID: id, state: target.id, window: NoticeWindow(postedOn: today, days: days), by: actor, at: now, on: db)
            }
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "case", entityID: String(id), region: record.region,
                           before: ["state": record.state], after: ["state": target.id, "transition": transition.id]),
                on: db, at: now)
            guard let moved = try await CaseStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return moved
        }
    }

    /// Records a document the clerk has checked (by kind and reference number).
    /// A benefit claim through its two hands: `clerk` files each of `documents` under
    /// `reference` and checks the case, then `reviewer` approves it with `note` — how the demo
    /// lives through its claims, and how a test reaches an approved one.
    public func checkAndApprove(_ id: Int64, documents: [String], reference: String, note: String?, clerk: Principal,
                                reviewer: Principal) async throws(ServiceError) {
        for document in documents {
            _ = try await addDocument(id, kind: document, reference: reference, note: nil, by: clerk)
        }
        _ = try await take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
        _ = try await take(id, transition: "approve", note: note, expectedVersion: nil, by: reviewer)
    }

    public func addDocument(_ id: Int64, kind: String, reference: String, note: String?, by principal: Principal) async throws(ServiceError) -> CaseRecord {
        try principal.require(.caseRead)
        let reference = reference.trimmingASCIIWhitespace()
        let handlers = self.handlers
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let record = try await CaseStore().lock(id: id, on: db), principal.may(.caseRead, in: record.region),
                let handler = handlers[record.type]
            else { throw ServiceError.notFound }
            guard Self.mayWork(on: record, type: handler.type, principal: principal) else { throw ServiceError.forbidden }
            guard handler.type.state(record.state)?.isFinal == false else { throw ServiceError.conflict("case.closed") }
            var issues: [FieldIssue] = []
            if !handler.type.attachmentKinds.contains(kind) { issues.append(FieldIssue("kind", "field.not_in_list", ["value": kind])) }
            if reference.isEmpty { issues.append(FieldIssue("reference", "field.required")) }
            if reference.count > 100 { issues.append(FieldIssue("reference", "field.too_long", ["max": "100"])) }
            guard issues.isEmpty else { throw ServiceError.invalid(issues) }
            let documentID = try await CaseStore().addDocument(caseID: id, kind: kind, reference: reference, note: note, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "case_document", entityID: String(documentID), region: record.region,
                           after: ["case": String(id), "kind": kind]),
                on: db, at: now)
            guard let updated = try await CaseStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return updated
        }
    }

    /// Records an objection raised during the case's public notice (who raised it, what it says).
    public func raiseObjection(_ id: Int64, raisedBy: String, content: String, by principal: Principal) async throws(ServiceError) -> CaseRecord {
        try principal.require(.caseRead)
        var issues: [FieldIssue] = []
        let raisedBy = raisedBy.trimmingASCIIWhitespace()
        let content = content.trimmingASCIIWhitespace()
        if raisedBy.isEmpty { issues.append(FieldIssue("raisedBy", "field.required")) }
        if content.isEmpty { issues.append(FieldIssue("content", "field.required")) }
        guard issues.isEmpty else { throw .invalid(issues) }
        let handlers = self.handlers
        let today = context.today
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let record = try await CaseStore().lock(id: id, on: db), principal.may(.caseRead, in: record.region),
                let handler = handlers[record.type]
            else { throw ServiceError.notFound }
            guard Self.mayWork(on: record, type: handler.type, principal: principal) else { throw ServiceError.forbidden }
            guard let notice = record.notice, notice.endsOn >= today else { throw ServiceError.conflict("case.no_notice") }
            let objectionID = try await CaseStore().raiseObjection(noticeID: notice.id, raisedOn: today, raisedBy: raisedBy, content: content, by: actor,
                                                                   at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "case_objection", entityID: String(objectionID), region: record.region,
                           after: ["case": String(id)]),
                on: db, at: now)
            guard let updated = try await CaseStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return updated
        }
    }

    /// Settles an objection: upheld or dismissed, with the answer given.
    public func resolveObjection(_ id: Int64, objection objectionID: Int64, outcome text: String, resolution: String, by principal: Principal)
        async throws(ServiceError) -> CaseRecord
    {
        try principal.require(.caseRead)
        var issues: [FieldIssue] = []
        let outcome = ObjectionOutcome(rawValue: text)
        if outcome == nil { issues.append(FieldIssue("outcome", "field.not_in_list", ["value": text])) }
        let resolution = resolution.trimmingASCIIWhitespace()
        if resolution.isEmpty { issues.append(FieldIssue("resolution", "field.required")) }
        guard issues.isEmpty, let outcome else { throw .invalid(issues) }
        let handlers = self.handlers
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let record = try await CaseStore().lock(id: id, on: db), principal.may(.caseRead, in: record.region),
                let handler = handlers[record.type]
            else { throw ServiceError.notFound }
            guard Self.mayWork(on: record, type: handler.type, principal: principal) || principal.role == .reviewer else { throw ServiceError.forbidden }
            guard let objection = record.notice?.objections.first(where: { $0.id == objectionID }) else { throw ServiceError.notFound }
            guard objection.outcome == nil else { throw ServiceError.conflict("case.objection_settled") }
            try await CaseStore().resolveObjection(id: objectionID, outcome: outcome, resolution: resolution, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "case_objection", entityID: String(objectionID), region: record.region,
                           after: ["outcome": outcome.rawValue]),
                on: db, at: now)
            guard let updated = try await CaseStore().find(id: id, on: db) else { throw ServiceError.notFound }
            return updated
        }
    }

    // MARK: Helpers

    /// Opens a case of `type` for a program, inside the program's transaction: the first step
    /// and its due date, the audit row. The program has checked the payload and the caller's right.
    static func open(_ type: CaseType, region: RegionCode, personID: Int64?, payload: String, by principal: Principal, context: ServiceContext,
                     at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        guard type.openRoles.contains(principal.role) else { throw ServiceError.forbidden }
        guard principal.scope.contains(region) else { throw ServiceError.notFound }
        let due = type.dueDate(of: type.initial, enteredOn: now.dateInChina, calendar: context.calendar)
        let actor = AuditActor(principal)
        let id = try await CaseStore().open(type: type.id, region: region, personID: personID, payload: payload, state: type.initial, dueOn: due,
                                            by: actor, at: now, on: db)
        try await context.append(
            AuditEvent(actor: actor, action: .create, entity: "case", entityID: String(id), region: region, after: ["type": type.id, "payload": payload]),
            on: db, at: now)
        return id
    }

    /// Whoever may open cases of the type or take a step of it may record documents and objections.
    static func mayWork(on record: CaseRecord, type: CaseType, principal: Principal) -> Bool {
        guard principal.scope.contains(record.region) else { return false }
        return type.openRoles.contains(principal.role) || type.transitions.contains { $0.roles.contains(principal.role) }
    }

    /// A refusal of the case type as a service error, its step and document names labelled.
    static func error(_ refusal: CaseRefusal, type: CaseType) -> ServiceError {
        switch refusal {
        case .unknownTransition: return ServiceError(.invalid, refusal.code, refusal.arguments)
        case .wrongState(let state): return .conflict(refusal.code, labels: ["state": type.stateKey(state)])
        case .roleNotAllowed: return .forbidden
        case .outOfScope: return .notFound
        case .separationOfDuties(let transition):
            let name = transition == CaseType.openTransition ? "case.transition.open" : type.transitionKey(transition)
            return ServiceError(.forbidden, refusal.code, labels: ["transition": name])
        case .missingDocuments(let kinds): return .refused(refusal.code, labels: ["documents": kinds.map(type.attachmentKey).joined(separator: "|")])
        case .noticeRunning, .unresolvedObjections: return .conflict(refusal.code, refusal.arguments)
        case .noteRequired: return .invalid("note", "field.required")
        }
    }
}
