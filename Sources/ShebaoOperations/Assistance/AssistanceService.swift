import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a household's dibao would be: the household, the rule's input and result, explained.
public struct DibaoDraft: Sendable {
    public var household: Household
    public var request: DibaoApplication.Request
    public var result: RuleResult<DibaoBenefitRule.Output>
}

/// A refused application as the written notice to the household states it (浙江省社会救助条例
/// Art. 11: a refusal is given in writing with the reasons).
public struct DibaoRefusal: Sendable {
    public var caseID: Int64
    public var applicant: String
    public var region: RegionCode
    public var appliedOn: LocalDate
    public var refusedOn: LocalDate
    public var reasons: String
    public var refusedBy: String
    public var householdSize: Int
    public var monthlyIncome: Money
    public var standard: Money
}

/// Social assistance (PROGRAMS.md §4): the minimum living guarantee as a case with its public
/// notice, the households it is granted to, and the notice boards anyone may read.
public struct AssistanceService: Sendable {
    let context: ServiceContext
    let installation: InstallationService
    let policy: PolicyService

    /// The case type with its effect: granted (after the notice ran without an unsettled
    /// objection), the household is paid from the month after — one grant per household at a time.
    public static let dibaoCases = CaseHandler(
        type: DibaoApplication.caseType,
        onStep: { step in
            guard step.transition.id == "grant" else { return }
            let request = try StoreJSON.decoder.decode(DibaoApplication.Request.self, from: Data(step.record.payload.utf8))
            guard try await DibaoStore().grants(ofHousehold: request.householdID, on: step.db).allSatisfy({ $0.endsFrom != nil }) else {
                throw ServiceError.conflict("dibao.granted_already")
            }
            let today = step.now.dateInChina
            let from = today.period.next
            // Reviewed from the grant on, as often as its household's category asks.
            let book = ParameterBook(try await ParameterStore().records(status: .approved, on: step.db).map(\.parameter))
            guard let district = try await InstallationStore().current(on: step.db)?.region else { throw ServiceError.conflict("installation.missing") }
            let next = try request.reviewCategory.nextReview(after: today, book: book, region: district)
            try await DibaoStore().recordGrant(request, case: step.record.id, region: step.record.region, from: from, nextReview: next, at: step.now,
                                               on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "dibao_grant", entityID: String(step.record.id), region: step.record.region,
                           after: ["household": String(request.householdID), "monthly": request.benefit.total.yuanText, "from": from.description]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(DibaoApplication.Request.self, from: Data(payload.utf8)) else { return [] }
            var facts = [
                CaseFact(labelKey: "input.areaType", value: request.input.areaType.rawValue),
                CaseFact(labelKey: "input.householdSize", value: String(request.input.householdSize)),
                CaseFact(labelKey: "input.monthlyIncome", value: request.input.monthlyIncome.formatted),
                CaseFact(labelKey: "output.standard", value: request.benefit.standard.formatted),
                CaseFact(labelKey: "output.benefit", value: request.benefit.benefit.formatted),
                CaseFact(labelKey: "output.addOns", value: request.benefit.addOns.formatted),
                CaseFact(labelKey: "output.total", value: request.benefit.total.formatted),
            ]
            if request.input.threeWithouts == true { facts.insert(CaseFact(labelKey: "input.threeWithouts", value: "✓"), at: 3) }
            return facts
        })

    /// The dibao of `personID`'s household by the rule: its members living together, the area
    /// type of its community or village, the income the household declares (the survey checks
    /// it), the members who qualify for classified add-ons, and the head's account to pay.
    public func dibaoDraft(person personID: Int64, monthlyIncome: String, threeWithouts: Bool, elderly: String = "", severelyDisabled: String = "",
                           seriouslyIll: String = "", minors: String = "", paymentPoint: String, account: String,
                           by principal: Principal) async throws(ServiceError) -> DibaoDraft {
        let found = try await context.read { db -> (Household, Set<Int64>)? in
            guard let membership = try await HouseholdStore().membership(of: personID, on: db),
                  let household = try await HouseholdStore().find(id: membership.householdID, on: db) else { return nil }
            return (household, try await DibaoStore().livingMembers(of: household.id, on: db))
        }
        guard let (household, living) = found, principal.may(.householdRead, in: household.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: household.region)
        // The members living together: the dead are not counted, and a dead head cannot apply.
        let size = household.members.count { living.contains($0.personID) }
        var issues: [FieldIssue] = []
        let income = try? Money.parse(monthlyIncome.trimmingUnicodeWhitespace())
        if income == nil || income!.isNegative || income! > Money.inputLimit { issues.append(FieldIssue("monthlyIncome", "dibao.bad_income")) }
        func count(_ text: String, _ field: String) -> Int? {
            let text = text.trimmingUnicodeWhitespace()
            guard !text.isEmpty else { return nil }
            guard let value = Int(text), (0...size).contains(value) else {
                issues.append(FieldIssue(field, "field.out_of_range", ["min": "0", "max": String(size)]))
                return nil
            }
            return value
        }
        let addOns = (count(elderly, "elderly"), count(severelyDisabled, "severelyDisabled"), count(seriouslyIll, "seriouslyIll"), count(minors, "minors"))
        let payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard let head = household.head, living.contains(head.personID) else { throw .conflict("dibao.no_head") }
        guard issues.isEmpty, let income, let payee else { throw .invalid(issues) }
        guard let areaType = try await perform({ try await context.regions.find(household.region)?.areaType }) else {
            throw .conflict("dibao.no_area_type", ["region": household.region.value])
        }
        let today = context.today
        let input = DibaoBenefitRule.Input(period: today.period, areaType: areaType, householdSize: size, monthlyIncome: income,
                                           threeWithouts: threeWithouts ? true : nil, elderly: addOns.0, severelyDisabled: addOns.1, seriouslyIll: addOns.2,
                                           minors: addOns.3)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<DibaoBenefitRule.Output>
        do {
            result = try DibaoBenefitRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return DibaoDraft(household: household, request: DibaoApplication.Request(householdID: household.id, personID: head.personID, input: input,
                                                                                  benefit: result.output, paymentPointID: payee.point.id, account: payee.account),
                          result: result)
    }

    /// Opens the application the same figures give, for an eligible household with no
    /// application under way and no grant being paid.
    public func openDibao(person personID: Int64, monthlyIncome: String, threeWithouts: Bool, elderly: String = "", severelyDisabled: String = "",
                          seriouslyIll: String = "", minors: String = "", paymentPoint: String, account: String,
                          by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await dibaoDraft(person: personID, monthlyIncome: monthlyIncome, threeWithouts: threeWithouts, elderly: elderly,
                                         severelyDisabled: severelyDisabled, seriouslyIll: seriouslyIll, minors: minors, paymentPoint: paymentPoint,
                                         account: account, by: principal)
        guard draft.result.output.eligible else {
            throw .conflict(draft.result.output.marginal ? "dibao.marginal" : "dibao.not_eligible", ["standard": draft.result.output.standard.yuanText])
        }
        let payload = try await perform { try StoreJSON.text(draft.request) }
        let now = context.now
        let context = self.context
        let type = DibaoApplication.caseType
        return try await context.write { db in
            try await BenefitsService.requireNoOpenClaim(type, person: draft.request.personID, busy: "dibao.open", on: db)
            if try await DibaoStore().grants(ofHousehold: draft.household.id, on: db).contains(where: { $0.endsFrom == nil }) {
                throw ServiceError.conflict("dibao.granted_already")
            }
            return try await CaseService.open(type, region: draft.household.region, personID: draft.request.personID, payload: payload, by: principal,
                                              context: context, at: now, on: db)
        }
    }

    /// The grants of `personID`'s household; nil when the person has no household the reader sees.
    public func dibaoGrants(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [DibaoGrant]? {
        try await householdAssistance(of: personID, by: principal)?.grants
    }

    /// What `personID`'s household receives — its dibao grants and its rural-scheme enrolments —
    /// read together for the person's page; nil when the person has no household the reader sees.
    public func householdAssistance(of personID: Int64, by principal: Principal) async throws(ServiceError)
        -> (grants: [DibaoGrant], ncms: [NcmsEnrolment])? {
        try await context.read { db in
            guard let membership = try await HouseholdStore().membership(of: personID, on: db),
                  let household = try await HouseholdStore().find(id: membership.householdID, on: db),
                  principal.may(.householdRead, in: household.region) else { return nil }
            return (try await DibaoStore().grants(ofHousehold: household.id, on: db),
                    try await RuralMedicalStore().enrolments(ofHousehold: household.id, on: db))
        }
    }

    /// The households granted dibao in the reader's scope, the latest first; `current`: still paid.
    public func dibaoGrants(current: Bool = false, by principal: Principal) async throws(ServiceError) -> [DibaoGrant] {
        try principal.require(.householdRead)
        let scope = principal.scope
        return try await context.read { db in try await DibaoStore().grants(in: scope, current: current, on: db) }
    }

    /// The persons the unemployment office referred (benefit ended, still jobless and poor) whose
    /// household has not applied since, in the reader's scope: where applications come from.
    public func referrals(by principal: Principal) async throws(ServiceError) -> [DibaoReferral] {
        try principal.require(.assistanceManage)
        let scope = principal.scope
        return try await context.read { db in try await DibaoStore().referrals(type: DibaoApplication.caseType.id, in: scope, on: db) }
    }

    /// Ends a grant from a month not yet paid (income rose, the household moved away, a member
    /// died …), with the reason; nothing is owed for that month or after.
    public func endDibao(_ caseID: Int64, from text: String, reason: String, by principal: Principal) async throws(ServiceError) -> DibaoGrant {
        let (from, reason) = try Self.ending(from: text, reason: reason)
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        let context = self.context
        return try await context.write { db in
            let grant = try await Self.grantToChange(caseID, by: principal, on: db)
            try await Self.end(grant, from: from, reason: reason, actor: actor, today: today, now: now, context: context, on: db)
            guard let ended = try await DibaoStore().grant(caseID, on: db) else { throw ServiceError.notFound }
            return ended
        }
    }

    /// A grant the clerk may change, in their scope; otherwise not found (or forbidden).
    static func grantToChange(_ caseID: Int64, by principal: Principal, on db: any SQLDatabase) async throws -> DibaoGrant {
        guard let grant = try await DibaoStore().grant(caseID, on: db), principal.may(.householdRead, in: grant.region) else { throw ServiceError.notFound }
        try principal.require(.assistanceManage, in: grant.region)
        return grant
    }

    /// Ends a grant still paid from `from`, a month not yet paid nor past, inside the caller's transaction.
    static func end(_ grant: DibaoGrant, from: Period, reason: String, actor: AuditActor, today: LocalDate, now: Timestamp, context: ServiceContext,
                    on db: any SQLDatabase) async throws {
        try checkEnd(from: from, endsFrom: grant.endsFrom, paidThrough: grant.paidThrough, monthlyFrom: grant.monthlyFrom, today: today)
        guard try await DibaoStore().end(grant.caseID, from: from, reason: reason, on: db) else { throw ServiceError.conflict("dibao.ended") }
        try await context.append(AuditEvent(actor: actor, action: .update, entity: "dibao_grant", entityID: String(grant.caseID), region: grant.region,
                                            after: ["ends_from": from.description, "reason": reason]), on: db, at: now)
    }

    /// The month and reason of an ending as typed, checked.
    static func ending(from text: String, reason: String) throws(ServiceError) -> (Period, String) {
        let reason = reason.trimmingUnicodeWhitespace()
        guard !reason.isEmpty, reason.count <= 500 else { throw .invalid("reason", reason.isEmpty ? "field.required" : "field.too_long", ["max": "500"]) }
        guard let from = Period(text.trimmingUnicodeWhitespace()) else { throw .invalid("from", "period.invalid", ["value": text]) }
        return (from, reason)
    }

    /// A monthly benefit still paid ends from a month neither past nor paid: refused otherwise.
    static func checkEnd(from: Period, endsFrom: Period?, paidThrough: Period?, monthlyFrom: Period, today: LocalDate) throws(ServiceError) {
        guard endsFrom == nil else { throw ServiceError.conflict("dibao.ended") }
        let earliest = max(today.period, (paidThrough ?? monthlyFrom.previous).next, monthlyFrom)
        guard from >= earliest else { throw ServiceError.invalid("from", "dibao.end_too_early", ["earliest": earliest.description]) }
    }

    /// The grants in the reader's scope due for their periodic review today or before.
    public func dibaoDueForReview(by principal: Principal) async throws(ServiceError) -> [DibaoGrant] {
        try principal.require(.assistanceManage)
        let scope = principal.scope
        let today = context.today
        return try await context.read { db in try await DibaoStore().dueForReview(in: scope, on: today, on: db) }
    }

    /// A grant's periodic reviews, the latest first.
    public func dibaoReviews(of caseID: Int64, by principal: Principal) async throws(ServiceError) -> [DibaoReview] {
        try await context.read { db in
            guard let grant = try await DibaoStore().grant(caseID, on: db), principal.may(.householdRead, in: grant.region) else { throw ServiceError.notFound }
            return try await DibaoStore().reviews(of: caseID, on: db)
        }
    }

    /// Records a periodic review (定期复核) of a grant still paid: the household still qualifies at
    /// the same amount — reviewed again after its category's months — or it no longer does and
    /// the benefit ends from `from`, a month not yet paid. What was found is noted either way.
    /// (A changed amount is a new application: the benefit ends and the household applies again.)
    public func reviewDibao(_ caseID: Int64, outcome text: String, from fromText: String = "", note: String,
                            by principal: Principal) async throws(ServiceError) -> DibaoGrant {
        let note = note.trimmingUnicodeWhitespace()
        var issues: [FieldIssue] = []
        let outcome = DibaoReviewOutcome(rawValue: text)
        if outcome == nil { issues.append(FieldIssue("outcome", "field.not_in_list", ["value": text])) }
        if note.isEmpty || note.count > 500 { issues.append(FieldIssue("note", note.isEmpty ? "field.required" : "field.too_long", ["max": "500"])) }
        var from: Period?
        if outcome == .ended {
            from = Period(fromText.trimmingUnicodeWhitespace())
            if from == nil { issues.append(FieldIssue("from", "period.invalid", ["value": fromText])) }
        }
        guard issues.isEmpty, let outcome else { throw .invalid(issues) }
        let ending = from
        let book = try await policy.book()
        let district = try await installation.required().region
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        let context = self.context
        // One transaction: the review is recorded with the end it decides, or neither is.
        return try await context.write { db in
            let grant = try await Self.grantToChange(caseID, by: principal, on: db)
            var next: LocalDate?
            if let ending {
                try await Self.end(grant, from: ending, reason: note, actor: actor, today: today, now: now, context: context, on: db)
            } else {
                guard grant.endsFrom == nil else { throw ServiceError.conflict("dibao.ended") }
                do {
                    next = try grant.category.nextReview(after: today, book: book, region: district)
                } catch let error as RuleError {
                    throw ServiceError.rule(error)
                }
            }
            try await DibaoStore().recordReview(caseID, on: today, outcome: outcome, note: note, next: next, by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "dibao_grant", entityID: String(caseID), region: grant.region,
                                                after: ["review": outcome.rawValue, "next_review": next?.description ?? ""]), on: db, at: now)
            guard let reviewed = try await DibaoStore().grant(caseID, on: db) else { throw ServiceError.notFound }
            return reviewed
        }
    }

    /// The written refusal of a refused application, for the clerk to print and hand over; a
    /// case not refused (or not a dibao application) has none.
    public func dibaoRefusal(_ caseID: Int64, by principal: Principal) async throws(ServiceError) -> DibaoRefusal {
        try principal.require(.assistanceManage)
        return try await context.read { db in
            guard let record = try await CaseStore().find(id: caseID, on: db), record.type == DibaoApplication.caseType.id,
                  principal.may(.assistanceManage, in: record.region), record.state == "refused",
                  let step = record.steps.last(where: { $0.transition == "refuse" }), let personID = record.personID,
                  let person = try await PersonStore().find(id: personID, on: db),
                  let request = try? StoreJSON.decoder.decode(DibaoApplication.Request.self, from: Data(record.payload.utf8)),
                  let opened = Timestamp(iso8601: record.openedAt), let refused = Timestamp(iso8601: step.takenAt) else { throw ServiceError.notFound }
            return DibaoRefusal(caseID: caseID, applicant: person.name, region: record.region, appliedOn: opened.dateInChina, refusedOn: refused.dateInChina,
                                reasons: step.note ?? "", refusedBy: step.actorName, householdSize: request.input.householdSize,
                                monthlyIncome: request.input.monthlyIncome, standard: request.benefit.standard)
        }
    }

    /// The boards' region: the one asked for, or the whole district.
    private func noticeScope(_ region: RegionCode?) async throws(ServiceError) -> RegionCode {
        if let region { return region }
        return try await installation.required().region
    }

    /// The education-aid applications on public notice today in `region` (the district by default).
    public func educationAidNotices(in region: RegionCode? = nil) async throws(ServiceError) -> [EducationAidNotice] {
        let scope = try await noticeScope(region)
        let today = context.today
        return try await context.read { db in try await DibaoStore().educationAidNotices(in: scope, on: today, on: db) }
    }

    /// The applications on public notice today in `region` (the whole district by default) —
    /// readable by anyone: masked names, household size and amount, the notice's dates.
    public func notices(in region: RegionCode? = nil) async throws(ServiceError) -> [DibaoNotice] {
        let scope = try await noticeScope(region)
        let today = context.today
        return try await context.read { db in try await DibaoStore().notices(in: scope, on: today, on: db) }
    }
}
