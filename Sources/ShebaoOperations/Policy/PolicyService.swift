public import Foundation
public import ShebaoCore
public import ShebaoStore
import Synchronization

/// A proposal as a person writes it (a form, a JSON body, a command line): checked against the
/// key's kind and unit by ``PolicyService/propose(_:by:)``.
public struct ParameterProposal: Sendable, Decodable {
    public var key: String
    public var regionCode: String
    public var validFrom: String
    /// The value as text; see ``ParameterValue/parse(_:kind:)``.
    public var value: String
    public var legalBasis: String
    public var note: String?
    /// Why the value starts before today; required for such a value.
    public var retroactiveReason: String?

    public init(key: String, regionCode: String, validFrom: String, value: String, legalBasis: String, note: String? = nil,
                retroactiveReason: String? = nil) {
        self.key = key
        self.regionCode = regionCode
        self.validFrom = validFrom
        self.value = value
        self.legalBasis = legalBasis
        self.note = note
        self.retroactiveReason = retroactiveReason
    }
}

/// What a value that starts in the past changes, for the reviewers and for the offices that must
/// recompute: the span it covers and the rules that read the key.
public struct ParameterImpact: Sendable, Hashable {
    public var from: LocalDate
    /// The next dated value of the key for the region; nil: up to today.
    public var until: LocalDate?
    public var rules: [String]
}

/// One key of the book as it stands on a date for a region: the value in force and the next one
/// approved ahead, if any.
public struct ParameterInForce: Sendable {
    public var current: Parameter
    public var next: Parameter?
}

/// The policy book (dated parameters with their legal basis, proposed by one person and
/// approved by another) and the rules computed from it, with their explanations.
public struct PolicyService: Sendable {
    let context: ServiceContext
    let installation: InstallationService
    /// The rules of the catalogue, by id, from the programs.
    public let rules: [RuleCatalog.Entry]
    private let cache = BookCache()

    final class BookCache: Sendable {
        let value = Mutex<(fingerprint: String, book: ParameterBook)?>(nil)
    }

    init(context: ServiceContext, installation: InstallationService, rules: [RuleCatalog.Entry]) {
        self.context = context
        self.installation = installation
        self.rules = rules
    }

    public func rule(_ id: String) -> RuleCatalog.Entry? { rules.first { $0.id == id } }

    /// The approved parameters as a book, read again only when the approved rows change (a cheap
    /// count/max fingerprint), so a calculation never pays for reading every row.
    public func book() async throws(ServiceError) -> ParameterBook {
        let fingerprint = try await context.read { db in try await ParameterStore().fingerprint(on: db) }
        if let cached = cache.value.withLock({ $0 }), cached.fingerprint == fingerprint { return cached.book }
        let records = try await context.read { db in try await ParameterStore().records(status: .approved, on: db) }
        let book = ParameterBook(records.map(\.parameter))
        cache.value.withLock { $0 = (fingerprint, book) }
        return book
    }

    /// The region a caller reads the book for: their scope, or the installation's district when
    /// their scope is wider than any district (a national account).
    public func homeRegion(of principal: Principal) async throws(ServiceError) -> RegionCode {
        if principal.scope.level >= .county { return principal.scope }
        return try await installation.required().region
    }

    /// The installation's district: the default region of the command line.
    public func defaultRegion() async throws(ServiceError) -> RegionCode {
        try await installation.required().region
    }

    /// Every key with the value in force on `date` for `region`, and the next one approved ahead.
    public func inForce(on date: LocalDate, region: RegionCode, by principal: Principal?) async throws(ServiceError) -> [(key: String, value: ParameterInForce)] {
        if let principal { try principal.require(.parameterRead) }
        let book = try await book()
        var rows: [(key: String, value: ParameterInForce)] = []
        for key in book.keys {
            guard let current = try? book.resolve(key, region: region, on: date) else { continue }
            let next = book.history(key).filter { $0.validFrom > date && (region.contains($0.region) || $0.region.contains(region)) }.min { $0.validFrom < $1.validFrom }
            rows.append((key, ParameterInForce(current: current, next: next)))
        }
        return rows
    }

    /// Parameter rows: one key's history, the proposals awaiting a decision, or all.
    public func records(status: ProposalStatus? = nil, key: String? = nil, by principal: Principal?) async throws(ServiceError) -> [ParameterRecord] {
        if let principal { try principal.require(.parameterRead) }
        return try await context.read { db in try await ParameterStore().records(status: status, key: key, on: db) }
    }

    /// Proposes a value written as text: the key must exist, the value be of its kind, the region
    /// a region code in (or above) the caller's scope and the date a date; the unit is the key's.
    public func propose(_ proposal: ParameterProposal, by principal: Principal) async throws(ServiceError) -> ParameterRecord {
        try principal.require(.parameterPropose)
        let book = try await book()
        guard let known = book.history(proposal.key).first else { throw .invalid("key", "parameter.unknown_key", ["key": proposal.key]) }
        guard let region = try? RegionCode(proposal.regionCode) else { throw .invalid("regionCode", "parameter.bad_region", ["region": proposal.regionCode]) }
        // A value for the caller's own area, or for a wider one it lives under (a national rate
        // announced this year is recorded by the district's administrator). Inside the caller's
        // area, the region must exist.
        let wider = region.contains(principal.scope)
        guard principal.scope.contains(region) || wider else {
            throw .invalid("regionCode", "parameter.bad_region", ["region": proposal.regionCode])
        }
        if !wider {
            let regions = context.regions
            guard try await context.perform({ try await regions.contains(region) }) else {
                throw .invalid("regionCode", "region_code.unknown", ["code": region.value])
            }
        }
        guard let date = LocalDate(iso: proposal.validFrom) else { throw .invalid("validFrom", "parameter.bad_date", ["date": proposal.validFrom]) }
        // A value that reaches back changes amounts already computed: only with a stated reason.
        let retroactiveReason = proposal.retroactiveReason?.trimmingUnicodeWhitespace()
        if date < context.today, retroactiveReason?.isEmpty ?? true {
            throw .invalid("retroactiveReason", "parameter.retroactive_reason_required", ["date": date.description])
        }
        let basis = proposal.legalBasis.trimmingCharacters(in: .whitespaces)
        guard !basis.isEmpty else { throw .invalid("legalBasis", "parameter.legal_basis_required") }
        guard let value = ParameterValue.parse(proposal.value, kind: known.value.kind) else {
            throw .invalid("value", "parameter.bad_value", ["kind": known.value.kind])
        }
        if let range = PlausibleRange.of(unit: known.unit, kind: known.value.kind), !range.contains(value) {
            throw .invalid("value", "parameter.implausible", ["low": range.low.text, "high": range.high.text, "unit": known.unit])
        }
        let parameter = Parameter(key: proposal.key, region: region, validFrom: date, value: value, unit: known.unit, legalBasis: basis, label: .district)
        let inForce = try? book.resolve(proposal.key, region: region, on: date)
        let needsSecond = inForce.map { Self.isFarFrom($0.value, value) } ?? false
        let actor = AuditActor(principal)
        let now = context.now
        let note = proposal.note.flatMap { $0.trimmingASCIIWhitespace().isEmpty ? nil : $0 }
        return try await context.write { db in
            let record = try await ParameterStore().propose(parameter, note: note, retroactiveReason: date < context.today ? retroactiveReason : nil,
                                                            needsSecondApproval: needsSecond, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "parameter", entityID: String(record.id), region: region, after: parameter), on: db, at: now)
            return record
        }
    }

    /// How far a value may move from the one in force before a second reviewer must approve it.
    static let plausibleFactor: Int128 = 3

    /// Beyond a factor of three either way from the value in force (or from zero to anything): a
    /// plausible change of a standard or a rate is smaller, a typing error or abuse is not.
    static func isFarFrom(_ old: ParameterValue, _ new: ParameterValue) -> Bool {
        let pair: (Int128, Int128)
        switch (old, new) {
        case (.money(let a), .money(let b)): pair = (Int128(a.fen), Int128(b.fen))
        case (.rate(let a), .rate(let b)): pair = (Int128(a.nanos), Int128(b.nanos))
        case (.integer(let a), .integer(let b)): pair = (Int128(a), Int128(b))
        default: return false
        }
        let (a, b) = (pair.0.magnitude, pair.1.magnitude)
        if a == b { return false }
        if a == 0 || b == 0 { return true }
        return b > a * UInt128(plausibleFactor) || a > b * UInt128(plausibleFactor)
    }

    /// For a value that starts before it was proposed: the span it covers and the rules reading
    /// the key (nil for a value that starts later).
    public func impact(of record: ParameterRecord) async throws(ServiceError) -> ParameterImpact? {
        guard let proposed = Timestamp(iso8601: record.proposedAt)?.dateInChina, record.parameter.validFrom < proposed else { return nil }
        let book = try await book()
        let parameter = record.parameter
        let until = book.history(parameter.key).filter { $0.region == parameter.region && $0.validFrom > parameter.validFrom }.map(\.validFrom).min()
        let rules = RuleCatalog.rules(reading: parameter.key, on: parameter.validFrom, book: book, region: parameter.region, among: self.rules)
        return ParameterImpact(from: parameter.validFrom, until: until, rules: rules)
    }

    /// Approves or rejects a proposal; never by the one who proposed it. An approved value that
    /// collides with another approved one for the same key, region and date is refused. A value
    /// far from the one in force needs two approvals by different reviewers.
    public func decide(_ id: Int64, approve: Bool, by principal: Principal) async throws(ServiceError) -> ParameterRecord {
        try principal.require(.parameterDecide)
        let actor = AuditActor(principal)
        let now = context.now
        let dialect = context.database.dialect
        do {
            return try await context.database.write { db in
                guard let record = try await ParameterStore().lock(id: id, on: db) else { throw ServiceError.notFound }
                do {
                    try await context.checkDecision(status: record.status, maker: record.proposedBy, decider: principal.userID, on: db)
                } catch let error as MakerCheckerRefusal {
                    switch error {
                    case .ownProposal: throw ServiceError(.forbidden, "parameter.own_proposal")
                    case .notPending: throw ServiceError.conflict("parameter.not_pending")
                    case .sameAdministrator: throw ServiceError(.forbidden, "maker_checker.same_administrator")
                    }
                }
                if approve && record.needsSecondApproval {
                    guard let first = record.firstApprovedBy else {
                        let half = try await ParameterStore().approveFirst(record, by: principal.userID, at: now, on: db)
                        try await context.append(
                            AuditEvent(actor: actor, action: .update, entity: "parameter", entityID: String(id), region: record.parameter.region,
                                       before: ["status": record.status.rawValue], after: ["status": "first_approval"]),
                            on: db, at: now)
                        return half
                    }
                    guard first != principal.userID else { throw ServiceError(.forbidden, "parameter.second_reviewer_needed") }
                }
                let decided = try await ParameterStore().decide(record, approve: approve, by: principal.userID, at: now, on: db)
                try await context.append(
                    AuditEvent(actor: actor, action: .update, entity: "parameter", entityID: String(id), region: record.parameter.region,
                               before: ["status": record.status.rawValue], after: ["status": decided.status.rawValue]),
                    on: db, at: now)
                return decided
            }
        } catch where dialect.isUniqueViolation(error) {
            throw .conflict("parameter.duplicate")
        } catch {
            throw .from(error)
        }
    }

    // MARK: Calculating

    /// Evaluates rule `ruleID` on a JSON input for `region` (default: the caller's home region),
    /// with its explanation. A refusal of the rule names the field or the missing parameter.
    public func calculate(_ ruleID: String, input: Data, region text: String?, by principal: Principal?) async throws(ServiceError) -> (region: RegionCode, evaluation: RuleCatalog.Evaluation) {
        if let principal { try principal.require(.calculate) }
        guard let entry = rule(ruleID) else { throw ServiceError(.notFound, "rule.unknown", ["rule": ruleID]) }
        let region = try await calculationRegion(text, principal: principal)
        let book = try await book()
        do {
            return (region, try entry.evaluate(input, book, region))
        } catch let error as RuleError {
            // The field is named twice: in the text, by its label, and in the field issues, by its name.
            throw ServiceError(ServiceError.rule(error).kind, error.code, error.arguments, labels: error.labelKeys,
                               fieldIssues: error.field.map { [FieldIssue($0, error.code, error.arguments)] } ?? [])
        } catch {
            throw .failure(error)
        }
    }

    /// Each rule's worked example evaluated for the installation's region, as JSON: what the API
    /// document reads each rule's output schema from. A rule whose example cannot be evaluated
    /// here (no parameter in force) is left out.
    public func exampleOutputs() async throws(ServiceError) -> [String: Data] {
        let region = try await defaultRegion()
        let book = try await book()
        var outputs: [String: Data] = [:]
        for entry in rules {
            outputs[entry.id] = try? entry.evaluate(entry.exampleJSON, book, region).output
        }
        return outputs
    }

    /// `text` when it names a region inside (or above) the caller's scope, else the caller's home region.
    func calculationRegion(_ text: String?, principal: Principal?) async throws(ServiceError) -> RegionCode {
        guard let text, !text.isEmpty else {
            if let principal { return try await homeRegion(of: principal) }
            return try await defaultRegion()
        }
        guard let code = try? RegionCode(text) else { throw .invalid("region", "parameter.bad_region", ["region": text]) }
        if let principal, !(principal.scope.contains(code) || code.contains(principal.scope)) { throw .notFound }
        return code
    }
}
