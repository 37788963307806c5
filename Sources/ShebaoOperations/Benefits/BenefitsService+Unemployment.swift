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
    /// The case type with its effect: on approval each month of benefit is owed, one a payroll run.
    public static let unemploymentCases = CaseHandler(
        type: UnemploymentClaim.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(UnemploymentClaim.Request.self, from: Data(step.record.payload.utf8))
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
            throw .refused(error.code, error.arguments)
        }
        let age = person.birthDate.age(on: date)
        var groups: [UnemploymentClaim.PriorityGroup] = []
        if (person.sex == .female && age >= 40) || (person.sex == .male && age >= 50) { groups.append(.fortyFifty) }
        if person.disability != nil { groups.append(.disabled) }
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
        return try await openClaim(UnemploymentClaim.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
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
}
