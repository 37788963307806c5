import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What an unemployment claim would pay: the rule's input (months paid from the record) and result.
public struct UnemploymentDraft: Sendable {
    public var person: Person
    public var request: UnemploymentClaim.Request
    public var result: RuleResult<UnemploymentBenefitRule.Output>
}

extension BenefitsService {
    /// The case type with its effect: on approval the spell begins and each month of benefit is
    /// owed, one a payroll run.
    public static let unemploymentCases = CaseHandler(
        type: UnemploymentClaim.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(UnemploymentClaim.Request.self, from: Data(step.record.payload.utf8))
            try await UnemploymentStore().record(request, case: step.record.id, region: step.record.region, at: step.now, on: step.db)
            // The spouse who lost their job first is one of a couple out of work now too.
            if request.priorityGroups.contains(.bothSpouses), let spouse = try await Self.spouse(of: request.personID, on: step.db) {
                try await UnemploymentStore().addPriority(UnemploymentClaim.PriorityGroup.bothSpouses.rawValue, person: spouse, on: step.db)
            }
            for month in 1...max(1, request.benefit.months) where request.benefit.months > 0 {
                try await PayrollStore().owe(source: "unemployment:\(step.record.id):\(month)", kind: "unemployment", person: request.personID,
                                             region: step.record.region, fund: .unemployment, amount: request.benefit.monthlyAmount,
                                             paymentPoint: request.paymentPointID, account: request.account, at: step.now, on: step.db)
            }
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "unemployment_benefit", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "months": String(request.benefit.months),
                                   "monthly": request.benefit.monthlyAmount.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(UnemploymentClaim.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.registeredOn", value: request.input.registeredOn.description),
                CaseFact(labelKey: "input.contributionMonths", value: String(request.input.contributionMonths)),
                CaseFact(labelKey: "output.months", value: String(request.benefit.months)),
                CaseFact(labelKey: "output.monthlyAmount", value: request.benefit.monthlyAmount.formatted),
                CaseFact(labelKey: "unemployment.priority", value: request.priorityGroups.map(\.rawValue).joined(separator: ", ")),
            ]
        })

    /// The benefit for `personID` registered unemployed on `registeredOn`: the months paid into
    /// unemployment insurance come from the record.
    public func unemploymentClaim(personID: Int64, registeredOn: String, involuntary: Bool, carriedOverMonths: String, paymentPoint: String, account: String,
                                  by principal: Principal) async throws(ServiceError) -> UnemploymentDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let date = LocalDate(iso: registeredOn.trimmingUnicodeWhitespace())
        if date == nil || date! > context.today || date!.year < 1999 { issues.append(FieldIssue("registeredOn", "work_injury.bad_date", ["value": registeredOn])) }
        var carried: Int?
        let text = carriedOverMonths.trimmingUnicodeWhitespace()
        if !text.isEmpty {
            if let value = Int(text), (0...24).contains(value) { carried = value } else {
                issues.append(FieldIssue("carriedOverMonths", "field.out_of_range", ["min": "0", "max": "24"]))
            }
        }
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let date, let payee else { throw .invalid(issues) }
        let record = try await context.read { db in try await InsuranceService.record(of: personID, on: db) }
        let paid = record.months.first { $0.scheme == .unemployment }?.months ?? 0
        let input = UnemploymentBenefitRule.Input(registeredOn: date, contributionMonths: paid, carriedOverMonths: carried, involuntary: involuntary)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<UnemploymentBenefitRule.Output>
        do {
            result = try UnemploymentBenefitRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        let age = person.birthDate.age(on: date)
        var groups: [UnemploymentClaim.PriorityGroup] = []
        if (person.sex == .female && age >= 40) || (person.sex == .male && age >= 50) { groups.append(.fortyFifty) }
        if person.disability != nil { groups.append(.disabled) }
        if try await spouseIsUnemployed(of: personID) { groups.append(.bothSpouses) }
        return UnemploymentDraft(person: person, request: UnemploymentClaim.Request(personID: personID, input: input, benefit: result.output,
                                                                                   priorityGroups: groups, paymentPointID: payee.point.id,
                                                                                   account: payee.account),
                                 result: result)
    }

    /// Opens the claim for the draft the same figures give: eligible (a year paid, involuntary,
    /// registered), no claim of the kind open.
    public func openUnemploymentClaim(personID: Int64, registeredOn: String, involuntary: Bool, carriedOverMonths: String, paymentPoint: String,
                                      account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await unemploymentClaim(personID: personID, registeredOn: registeredOn, involuntary: involuntary, carriedOverMonths: carriedOverMonths,
                                                paymentPoint: paymentPoint, account: account, by: principal)
        guard draft.result.output.eligible else {
            throw .conflict("unemployment.not_eligible", labels: ["reason": draft.result.output.refusal ?? "explain.unemployment.refused"])
        }
        return try await context.openClaim(UnemploymentClaim.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "unemployment.open", by: principal)
    }

    /// Records that the person works again from `date`: the months of benefit not yet paid out
    /// are cancelled; returns how many.
    public func recordReemployment(personID: Int64, on dateText: String, by principal: Principal) async throws(ServiceError) -> Int {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.enrolmentWrite, in: person.region)
        guard let date = LocalDate(iso: dateText.trimmingUnicodeWhitespace()), date <= context.today else {
            throw .invalid("reemployedOn", "work_injury.bad_date", ["value": dateText])
        }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            let cancelled = try await PayrollStore().cancelOwed(person: personID, kind: "unemployment", on: db)
            _ = try await UnemploymentStore().reemployed(person: personID, on: date, db: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "unemployment_benefit", entityID: String(personID), region: person.region,
                                                after: ["reemployed_on": date.description, "months_cancelled": String(cancelled)]),
                                     on: db, at: now)
            return cancelled
        }
    }

    /// The months of unemployment benefit still owed to a person.
    public func unemploymentMonthsOwed(of personID: Int64, by principal: Principal) async throws(ServiceError) -> Int {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await PayrollStore().owedCount(person: personID, kind: "unemployment", on: db) }
    }

    /// Whether the person's husband or wife is registered unemployed: a spell not ended by re-employment.
    func spouseIsUnemployed(of personID: Int64) async throws(ServiceError) -> Bool {
        try await context.read { db in
            guard let spouse = try await Self.spouse(of: personID, on: db) else { return false }
            return try await UnemploymentStore().isUnemployed(spouse, on: db)
        }
    }

    /// The person's husband or wife: the head of their household, or the head's spouse.
    static func spouse(of personID: Int64, on db: any SQLDatabase) async throws -> Int64? {
        guard let membership = try await HouseholdStore().membership(of: personID, on: db),
              membership.relation == .head || membership.relation == .spouse,
              let household = try await HouseholdStore().find(id: membership.householdID, on: db) else { return nil }
        let other: HouseholdRelation = membership.relation == .head ? .spouse : .head
        return household.members.first(where: { $0.relation == other && $0.personID != personID })?.personID
    }

    /// Whether the person is registered unemployed (a spell not ended by re-employment).
    public func isRegisteredUnemployed(_ personID: Int64, by principal: Principal) async throws(ServiceError) -> Bool {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await UnemploymentStore().isUnemployed(personID, on: db) }
    }

    // MARK: Spells and the referral to the minimum living guarantee

    /// The unemployment spells in the reader's scope, the latest first, with where each stands.
    public func unemploymentSpells(by principal: Principal) async throws(ServiceError) -> [UnemploymentSpell] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await UnemploymentStore().spells(in: scope, on: db) }
    }

    /// Refers a spell whose months are all paid, the person still without work, to the minimum-
    /// living-guarantee office (PROGRAMS.md §2.9, §4.1): once, and only once it has ended.
    public func referToDibao(_ caseID: Int64, by principal: Principal) async throws(ServiceError) {
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        try await context.write { db in
            guard let spell = try await UnemploymentStore().spell(caseID, on: db), principal.may(.insuranceRead, in: spell.region) else {
                throw ServiceError.notFound
            }
            try principal.require(.enrolmentWrite, in: spell.region)
            guard spell.status == .ended else { throw ServiceError.conflict("unemployment.not_ended", labels: ["status": spell.status.labelKey]) }
            guard try await UnemploymentStore().refer(caseID, on: today, by: actor, db: db) else { throw ServiceError.conflict("unemployment.not_ended",
                                                                                                                          labels: ["status": "unemployment_status.referred"]) }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "unemployment_spell", entityID: String(caseID), region: spell.region,
                                                after: ["referred_on": today.description]), on: db, at: now)
        }
    }

    // MARK: Training and placement subsidies

    /// The case type with its effect: on approval the subsidy is owed by the unemployment fund
    /// and goes out with the next payroll run.
    public static let employmentSubsidyCases = CaseHandler(
        type: EmploymentSubsidy.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(EmploymentSubsidy.Request.self, from: Data(step.record.payload.utf8))
            try await PayrollStore().owe(source: "subsidy:\(step.record.id)", kind: "\(request.input.kind.rawValue)_subsidy", person: request.personID,
                                         region: step.record.region, fund: .unemployment, amount: request.subsidy.subsidy, paymentPoint: request.paymentPointID,
                                         account: request.account, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "employment_subsidy", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "kind": request.input.kind.rawValue, "subsidy": request.subsidy.subsidy.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(EmploymentSubsidy.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.kind", value: request.input.kind.rawValue),
                CaseFact(labelKey: "subsidy.provider", value: request.provider),
                CaseFact(labelKey: "input.cost", value: request.input.cost.formatted),
                CaseFact(labelKey: "output.subsidy", value: request.subsidy.subsidy.formatted),
            ]
        })

    /// The subsidy for a course or a placement of `personID`, registered unemployed: the rule's
    /// share of the invoiced cost up to the cap.
    public func employmentSubsidy(personID: Int64, kind: String, provider: String, cost: String, paymentPoint: String, account: String,
                                  by principal: Principal) async throws(ServiceError) -> (person: Person, request: EmploymentSubsidy.Request,
                                                                                          result: RuleResult<EmploymentSubsidyRule.Output>) {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let kind = SubsidyKind(rawValue: kind)
        if kind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": ""])) }
        let provider = provider.trimmingUnicodeWhitespace()
        if provider.isEmpty || provider.count > 60 || provider.hasControlOrFormatCharacters {
            issues.append(FieldIssue("provider", provider.isEmpty ? "field.required" : "field.too_long", ["max": "60"]))
        }
        let amount = try? Money.parse(cost)
        if amount == nil || amount!.fen <= 0 || amount! > Money.inputLimit { issues.append(FieldIssue("cost", "medical.bad_cost")) }
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let kind, let amount, let payee else { throw .invalid(issues) }
        try await context.read { db in
            guard try await UnemploymentStore().isUnemployed(personID, on: db) else { throw ServiceError.conflict("subsidy.not_unemployed") }
            try await Self.requireNoOpenClaim(EmploymentSubsidy.caseType, person: personID, busy: "subsidy.open", on: db)
        }
        let input = EmploymentSubsidyRule.Input(date: context.today, kind: kind, cost: amount)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<EmploymentSubsidyRule.Output>
        do {
            result = try EmploymentSubsidyRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return (person, EmploymentSubsidy.Request(personID: personID, provider: provider, input: input, subsidy: result.output,
                                                  paymentPointID: payee.point.id, account: payee.account), result)
    }

    /// Opens the subsidy case for the figures; one open subsidy case per person.
    public func openEmploymentSubsidy(personID: Int64, kind: String, provider: String, cost: String, paymentPoint: String, account: String,
                                      by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await employmentSubsidy(personID: personID, kind: kind, provider: provider, cost: cost, paymentPoint: paymentPoint, account: account,
                                                by: principal)
        return try await context.openClaim(EmploymentSubsidy.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "subsidy.open", by: principal)
    }
}
