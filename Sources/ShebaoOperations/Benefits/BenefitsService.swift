import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a pension award would be for a person: the rule's input (the archive's figures the clerk
/// gave, the record's months and account) and its result with the explanation.
public struct PensionAwardDraft: Sendable {
    public var person: Person
    public var input: PensionAwardRule.Input
    public var result: RuleResult<PensionAwardRule.Output>
    /// The first month paid: the month after retirement.
    public var start: Period
    /// The statutory retirement month and the earliest allowed (``RetirementAgeRule``).
    public var age: RuleResult<RetirementAgeRule.Output>
    public var earliest: Period
}

/// Benefits (PROGRAMS.md §2.7–2.11): the pension award as a case and the pensions it starts.
public struct BenefitsService: Sendable {
    let context: ServiceContext
    let installation: InstallationService
    let policy: PolicyService

    /// The case type with its effect: on approval the pension starts (a person already drawing
    /// one is refused).
    public static let pensionAwardCases = CaseHandler(
        type: PensionAward.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(PensionAward.Request.self, from: Data(step.record.payload.utf8))
            guard try await PensionStore().pension(of: request.personID, on: step.db) == nil else { throw ServiceError.conflict("pension_award.paying") }
            try await PensionStore().start(request, case: step.record.id, region: step.record.region, by: step.actor, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "pension", entityID: String(request.personID), region: step.record.region,
                           after: ["case": String(step.record.id), "monthly": request.award.total.yuanText, "start": request.start.description]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(PensionAward.Request.self, from: Data(payload.utf8)) else { return [] }
            let award = request.award
            return [
                CaseFact(labelKey: "pension_award.statutory", value: request.statutoryRetirement.description),
                CaseFact(labelKey: "pension_award.retirement_date", value: request.input.retirementDate.description),
                CaseFact(labelKey: "pension_award.start", value: request.start.description),
                CaseFact(labelKey: "pension_award.contribution_months", value: String(request.input.contributionMonths)),
                CaseFact(labelKey: "pension_award.deemed_months", value: String(request.input.deemedMonths ?? 0)),
                CaseFact(labelKey: "pension_award.average_index", value: request.input.averageIndex.text),
                CaseFact(labelKey: "pension_award.account_balance", value: request.input.accountBalance.formatted),
                CaseFact(labelKey: "pension_award.basic", value: award.basic.formatted),
                CaseFact(labelKey: "pension_award.account", value: award.account.formatted),
                CaseFact(labelKey: "pension_award.transitional", value: award.transitional.formatted),
                CaseFact(labelKey: "pension_award.top_up", value: award.floorTopUp.formatted),
                CaseFact(labelKey: "pension_award.total", value: award.total.formatted),
            ]
        })

    /// The award for `personID` retiring on `retirementDate` — no earlier than the retirement-age
    /// rule allows for the person's category (a woman's, cadre or worker, from her archive) —
    /// with the archive's average index, months deemed and months before 1998; months paid and the
    /// account balance come from the person's record. Staff who may read insurance in the
    /// person's region.
    public func pensionAward(personID: Int64, retirementDate: String, category: String = "", averageIndex: String, deemedMonths: String,
                             monthsBefore1998: String, by principal: Principal) async throws(ServiceError) -> PensionAwardDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        guard let date = LocalDate(iso: retirementDate.trimmingUnicodeWhitespace()), date.year >= 1998, date <= context.today.adding(days: 366) else {
            throw .invalid("retirementDate", "pension_award.bad_date", ["value": retirementDate])
        }
        let index = averageIndex.trimmingUnicodeWhitespace()
        guard let value = Decimal(string: index), value > 0, value <= 3, index.allSatisfy({ $0.isASCIIDigit || $0 == "." }) else {
            throw .invalid("averageIndex", "pension_award.bad_index", ["value": averageIndex])
        }
        func months(_ text: String, _ field: String) throws(ServiceError) -> Int? {
            let text = text.trimmingUnicodeWhitespace()
            guard !text.isEmpty else { return nil }
            guard let value = Int(text), (0...600).contains(value) else { throw .invalid(field, "field.out_of_range", ["min": "0", "max": "600"]) }
            return value
        }
        let deemed = try months(deemedMonths, "deemedMonths")
        let before1998 = try months(monthsBefore1998, "monthsBefore1998")
        let record = try await context.read { db in try await InsuranceService.record(of: personID, on: db) }
        let paid = record.months.first { $0.scheme == .pension }?.months ?? 0
        var years = date.year - person.birthDate.year
        if (date.month, date.day) < (person.birthDate.month, person.birthDate.day) { years -= 1 }
        let input = PensionAwardRule.Input(retirementDate: date, ageAtRetirement: years, averageIndex: DecimalText(index), contributionMonths: paid,
                                           deemedMonths: deemed, monthsBefore1998: before1998, accountBalance: record.balance)
        // A man retires as a man; a woman as a cadre (55) or a worker (50), as her archive says.
        let retirementCategory: RetirementCategory
        if person.sex == .male {
            retirementCategory = .male
        } else if let chosen = RetirementCategory(rawValue: category.trimmingUnicodeWhitespace()), chosen != .male {
            retirementCategory = chosen
        } else {
            throw .invalid("category", "pension_award.category_required")
        }
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<PensionAwardRule.Output>
        let age: RuleResult<RetirementAgeRule.Output>
        do {
            age = try RetirementAgeRule.evaluate(RetirementAgeRule.Input(birth: person.birthDate.period, category: retirementCategory,
                                                                         startedWorkBefore1998: (before1998 ?? 0) > 0), book: book, region: region)
            result = try PensionAwardRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        // Flexible retirement (2025 reform) lets a person with the minimum years go up to three years early.
        let earliest = age.output.earliestFlexible ?? age.output.retirement
        guard date.period >= earliest else { throw .invalid("retirementDate", "pension_award.too_early", ["earliest": earliest.description]) }
        return PensionAwardDraft(person: person, input: input, result: result, start: date.period.next, age: age, earliest: earliest)
    }

    /// Opens the award case for the draft the same figures give: the person must be eligible for
    /// a monthly pension, draw none yet and have no award open.
    public func openPensionAward(personID: Int64, retirementDate: String, category: String = "", averageIndex: String, deemedMonths: String,
                                 monthsBefore1998: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await pensionAward(personID: personID, retirementDate: retirementDate, category: category, averageIndex: averageIndex,
                                           deemedMonths: deemedMonths, monthsBefore1998: monthsBefore1998, by: principal)
        guard draft.result.output.eligible else {
            throw .conflict("pension_award.not_eligible", ["minimum": String(draft.result.output.minimumContributionMonths)])
        }
        let request = PensionAward.Request(personID: personID, input: draft.input, award: draft.result.output, start: draft.start,
                                           statutoryRetirement: draft.age.output.retirement, earliestRetirement: draft.earliest)
        let type = PensionAward.caseType
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard try await PensionStore().pension(of: personID, on: db) == nil else { throw ServiceError.conflict("pension_award.paying") }
            let open = try await CaseStore().cases(of: personID, on: db).filter { $0.type == type.id && type.state($0.state)?.isFinal == false }
            guard open.isEmpty else { throw ServiceError.conflict("pension_award.open", ["case": String(open[0].id)]) }
            return try await CaseService.open(type, region: draft.person.region, personID: personID, payload: try StoreJSON.text(request), by: principal, context: context,
                                              at: now, on: db)
        }
    }

    /// The pensions being paid in the reader's scope, a page at a time.
    public func pensions(paging: Paging = Paging(perPage: Page<Int>.maximumPerPage), by principal: Principal) async throws(ServiceError) -> Page<Pension> {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in
            let total = try await PensionStore().count(in: scope, on: db)
            let items = try await PensionStore().pensions(in: scope, limit: paging.perPage, offset: paging.offset, on: db)
            return Page(items: items, total: total, page: paging.page, perPage: paging.perPage)
        }
    }

    /// The pension a person draws, if any (staff in scope).
    public func pension(of personID: Int64, by principal: Principal) async throws(ServiceError) -> Pension? {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await PensionStore().pension(of: personID, on: db) }
    }
}
