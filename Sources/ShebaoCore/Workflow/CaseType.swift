/// One step a case can be in (申请 → 调查 → 评议 → 公示 → 审批 …).
public struct CaseState: Sendable, Hashable {
    public let id: String
    /// Working days allowed in this step before the case is overdue; nil when the step has none.
    public let deadline: Int?
    /// The step is a public notice (公示) of this many calendar days: the case cannot leave it
    /// before the notice ends or while an objection is unresolved.
    public let noticeDays: Int?
    /// A final step (approved, refused, withdrawn): nothing follows, no deadline runs.
    public let isFinal: Bool

    public init(_ id: String, deadline: Int? = nil, noticeDays: Int? = nil, isFinal: Bool = false) {
        self.id = id
        self.deadline = deadline
        self.noticeDays = noticeDays
        self.isFinal = isFinal
    }
}

/// A move from one step to the next, and who may make it.
public struct CaseTransition: Sendable, Hashable {
    public let id: String
    public let from: Set<String>
    public let to: String
    /// The roles that may take it (always within the case's region).
    public let roles: Set<Role>
    /// Documents the case must hold before the move (材料), by kind.
    public let requires: [String]
    /// Separation of duties: whoever took one of these transitions in this case may not take
    /// this one (the one who surveyed or proposed cannot approve).
    public let separateFrom: Set<String>
    /// A note is required (the reason for a refusal, the appraisal's outcome).
    public let needsNote: Bool

    public init(_ id: String, from: Set<String>, to: String, roles: Set<Role>, requires: [String] = [], separateFrom: Set<String> = [],
                needsNote: Bool = false) {
        self.id = id
        self.from = from
        self.to = to
        self.roles = roles
        self.requires = requires
        self.separateFrom = separateFrom
        self.needsNote = needsNote
    }
}

/// A kind of application (pension award, dibao, education aid, a record correction …): its steps,
/// the moves between them, who may make each, deadlines in working days, the documents each move
/// needs, and separation of duties (DESIGN.md §7). Pure data and checks; the store keeps cases and
/// their history, the operations layer applies the checks.
///
/// Labels: `case.<id>.title`, `case.<id>.state.<state>`, `case.<id>.transition.<transition>`,
/// `case.<id>.attachment.<kind>` (``labelKeys``).
public struct CaseType: Sendable {
    public let id: String
    public let states: [CaseState]
    public let initial: String
    /// Who may open a case of this type (within their scope).
    public let openRoles: Set<Role>
    /// The move that opens a case (it counts as taken by whoever opened it, for separation of duties).
    public static let openTransition = "open"
    public let transitions: [CaseTransition]
    /// The kinds of documents a case of this type may hold.
    public let attachmentKinds: [String]

    public init(id: String, states: [CaseState], initial: String, openRoles: Set<Role>, transitions: [CaseTransition],
                attachmentKinds: [String] = []) {
        self.id = id
        self.states = states
        self.initial = initial
        self.openRoles = openRoles
        self.transitions = transitions
        self.attachmentKinds = attachmentKinds
    }

    public func state(_ id: String) -> CaseState? { states.first { $0.id == id } }

    public func transition(_ id: String) -> CaseTransition? { transitions.first { $0.id == id } }

    /// The moves out of `state`, in declaration order.
    public func transitions(from state: String) -> [CaseTransition] { transitions.filter { $0.from.contains(state) } }

    public var titleKey: String { "case.\(id).title" }
    public func stateKey(_ state: String) -> String { "case.\(id).state.\(state)" }
    public func transitionKey(_ transition: String) -> String { "case.\(id).transition.\(transition)" }
    public func attachmentKey(_ kind: String) -> String { "case.\(id).attachment.\(kind)" }

    /// Every label this type needs in the string tables (a test checks the three tables).
    public var labelKeys: [String] {
        [titleKey] + states.map { stateKey($0.id) } + transitions.map { transitionKey($0.id) } + attachmentKinds.map(attachmentKey)
    }

    /// Whether the definition hangs together: every state named exists, the initial state is
    /// not final, separation names real transitions, required documents are declared kinds.
    public func problems() -> [String] {
        var problems: [String] = []
        let ids = Set(states.map(\.id))
        if !ids.contains(initial) { problems.append("initial state \(initial) is not declared") }
        if state(initial)?.isFinal == true { problems.append("initial state \(initial) is final") }
        let moves = Set(transitions.map(\.id)).union([Self.openTransition])
        for transition in transitions {
            for state in transition.from.union([transition.to]) where !ids.contains(state) {
                problems.append("\(transition.id) names unknown state \(state)")
            }
            for other in transition.separateFrom where !moves.contains(other) {
                problems.append("\(transition.id) is separated from unknown transition \(other)")
            }
            for kind in transition.requires where !attachmentKinds.contains(kind) {
                problems.append("\(transition.id) requires undeclared document \(kind)")
            }
            if transition.from.contains(where: { state($0)?.isFinal == true }) { problems.append("\(transition.id) leaves a final state") }
        }
        return problems
    }

    /// Why `actor` may not take `transition` on a case as it now stands, or nil when they may.
    /// Checked in this order: the move exists, the case is in a step it leaves, the actor's role,
    /// separation of duties, documents, a running notice, the note.
    public func refusal(_ transitionID: String, on snapshot: CaseSnapshot, by actor: Principal, note: String?, today: LocalDate) -> CaseRefusal? {
        guard let transition = transition(transitionID) else { return .unknownTransition(transitionID) }
        guard transition.from.contains(snapshot.state) else { return .wrongState(snapshot.state) }
        guard transition.roles.contains(actor.role) else { return .roleNotAllowed }
        guard actor.scope.contains(snapshot.region) else { return .outOfScope }
        if let earlier = snapshot.history.first(where: { transition.separateFrom.contains($0.transition) && $0.actorID == actor.userID }) {
            return .separationOfDuties(earlier.transition)
        }
        let missing = transition.requires.filter { !snapshot.attachmentKinds.contains($0) }
        if !missing.isEmpty { return .missingDocuments(missing) }
        if let notice = snapshot.notice {
            if today < notice.endsOn { return .noticeRunning(until: notice.endsOn) }
            if notice.unresolvedObjections > 0 { return .unresolvedObjections(notice.unresolvedObjections) }
        }
        if transition.needsNote && (note ?? "").trimmingASCIIWhitespace().isEmpty { return .noteRequired }
        return nil
    }

    /// The moves `actor` may take now (for the buttons of a page and the API's `allowed` list).
    public func allowedTransitions(on snapshot: CaseSnapshot, by actor: Principal, today: LocalDate) -> [CaseTransition] {
        transitions(from: snapshot.state).filter {
            let refusal = refusal($0.id, on: snapshot, by: actor, note: $0.needsNote ? "-" : nil, today: today)
            // A running notice or a missing document still shows the move (it says why it waits);
            // a role, a scope or separation of duties hides it.
            switch refusal {
            case nil, .missingDocuments, .noticeRunning, .unresolvedObjections: return true
            default: return false
            }
        }
    }

    /// The due date of a step entered on `date`, or nil when the step has no deadline.
    public func dueDate(of state: String, enteredOn date: LocalDate, calendar: WorkingCalendar) -> LocalDate? {
        guard let step = self.state(state), !step.isFinal, let days = step.deadline else { return nil }
        return calendar.adding(workingDays: days, to: date)
    }
}

/// What the checks need to know of a case.
public struct CaseSnapshot: Sendable {
    public struct Step: Sendable, Hashable {
        public var transition: String
        public var actorID: Int64?

        public init(transition: String, actorID: Int64?) {
            self.transition = transition
            self.actorID = actorID
        }
    }

    public struct Notice: Sendable, Hashable {
        public var endsOn: LocalDate
        public var unresolvedObjections: Int

        public init(endsOn: LocalDate, unresolvedObjections: Int) {
            self.endsOn = endsOn
            self.unresolvedObjections = unresolvedObjections
        }
    }

    public var state: String
    public var region: RegionCode
    /// Every move taken so far, the opening included.
    public var history: [Step]
    public var attachmentKinds: Set<String>
    /// The notice of the current step, when the step is a public notice.
    public var notice: Notice?

    public init(state: String, region: RegionCode, history: [Step], attachmentKinds: Set<String>, notice: Notice?) {
        self.state = state
        self.region = region
        self.history = history
        self.attachmentKinds = attachmentKinds
        self.notice = notice
    }
}

/// Why a move was refused; `code` is the string-table key (`error.<code>`).
public enum CaseRefusal: Error, Sendable, Equatable {
    case unknownTransition(String)
    case wrongState(String)
    case roleNotAllowed
    case outOfScope
    /// The actor took `transition` in this case already (e.g. surveyed it) and may not decide it.
    case separationOfDuties(String)
    case missingDocuments([String])
    case noticeRunning(until: LocalDate)
    case unresolvedObjections(Int)
    case noteRequired

    public var code: String {
        switch self {
        case .unknownTransition: "case.unknown_transition"
        case .wrongState: "case.wrong_state"
        case .roleNotAllowed: "auth.forbidden"
        case .outOfScope: "not_found"
        case .separationOfDuties: "case.separation_of_duties"
        case .missingDocuments: "case.missing_documents"
        case .noticeRunning: "case.notice_running"
        case .unresolvedObjections: "case.unresolved_objections"
        case .noteRequired: "case.note_required"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .unknownTransition(let id): ["transition": id]
        case .wrongState(let state): ["state": state]
        case .separationOfDuties(let transition): ["transition": transition]
        case .missingDocuments(let kinds): ["documents": kinds.joined(separator: ", ")]
        case .noticeRunning(let until): ["date": until.description]
        case .unresolvedObjections(let count): ["count": String(count)]
        default: [:]
        }
    }
}
