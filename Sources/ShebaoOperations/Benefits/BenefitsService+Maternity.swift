import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a maternity claim would pay: the rule's input and result, explained.
public struct MaternityDraft: Sendable {
    public var person: Person
    public var request: MaternityClaim.Request
    public var result: RuleResult<MaternityAllowanceRule.Output>
}

extension BenefitsService {
    /// The case type with its effect: on approval the allowance and the medical costs' lump sum
    /// are owed by the maternity fund and go out with the next payroll run, as one payment.
    public static let maternityCases = CaseHandler(
        type: MaternityClaim.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(MaternityClaim.Request.self, from: Data(step.record.payload.utf8))
            try await PayrollStore().owe(source: "maternity:\(step.record.id)", kind: "maternity", person: request.personID, region: step.record.region,
                                         fund: .maternity, amount: request.allowance.total, paymentPoint: request.paymentPointID, account: request.account,
                                         at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "maternity_allowance", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "days": String(request.allowance.leaveDays),
                                   "allowance": request.allowance.allowance.yuanText, "total": request.allowance.total.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(MaternityClaim.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.eventDate", value: request.input.eventDate.description),
                CaseFact(labelKey: "input.event", value: request.input.event.rawValue),
                CaseFact(labelKey: "input.employerAverageWage", value: request.input.employerAverageWage.formatted),
                CaseFact(labelKey: "output.leaveDays", value: String(request.allowance.leaveDays)),
                CaseFact(labelKey: "output.allowance", value: request.allowance.allowance.formatted),
                CaseFact(labelKey: "output.medicalCosts", value: (request.allowance.medicalCosts ?? .zero).formatted),
                CaseFact(labelKey: "output.total", value: request.allowance.total.formatted),
            ]
        })

    /// The allowance for `personID`'s birth or miscarriage on `eventDate`: she must be insured in
    /// maternity that month.
    public func maternityClaim(personID: Int64, eventDate: String, employerAverageWage: String, event: String, difficultBirth: Bool, babies: String,
                               childOrder: String, paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> MaternityDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let date = LocalDate(iso: eventDate.trimmingUnicodeWhitespace())
        if date == nil || date! > context.today || date!.year < 1998 { issues.append(FieldIssue("eventDate", "work_injury.bad_date", ["value": eventDate])) }
        let wage = try? Money.parse(employerAverageWage)
        if wage == nil || wage!.fen <= 0 || wage! > Money.inputLimit { issues.append(FieldIssue("employerAverageWage", "work_injury.bad_wage")) }
        let kind = MaternityEvent(rawValue: event)
        if kind == nil { issues.append(FieldIssue("event", "field.not_in_list", ["value": event])) }
        func count(_ text: String, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            let text = text.trimmingUnicodeWhitespace()
            guard !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                issues.append(FieldIssue(field, "field.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)]))
                return nil
            }
            return value
        }
        let babyCount = count(babies, "babies", 1...10)
        let order = count(childOrder, "childOrder", 1...20)
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let date, let wage, let kind, let payee else { throw .invalid(issues) }
        let enrolments = try await context.read { db in try await InsuranceStore().enrolments(of: personID, on: db) }
        guard enrolments.contains(where: { $0.scheme == .maternity && $0.start <= date.period && ($0.end.map { date.period <= $0 } ?? true) }) else {
            throw .conflict("maternity.not_insured", ["month": date.period.description])
        }
        let input = MaternityAllowanceRule.Input(eventDate: date, employerAverageWage: wage, event: kind, difficultBirth: difficultBirth ? true : nil,
                                                 babies: babyCount, childOrder: order)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<MaternityAllowanceRule.Output>
        do {
            result = try MaternityAllowanceRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return MaternityDraft(person: person, request: MaternityClaim.Request(personID: personID, input: input, allowance: result.output,
                                                                              paymentPointID: payee.point.id, account: payee.account),
                              result: result)
    }

    /// Opens the maternity claim for the draft the same figures give; one open claim per person.
    public func openMaternityClaim(personID: Int64, eventDate: String, employerAverageWage: String, event: String, difficultBirth: Bool, babies: String,
                                   childOrder: String, paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await maternityClaim(personID: personID, eventDate: eventDate, employerAverageWage: employerAverageWage, event: event,
                                             difficultBirth: difficultBirth, babies: babies, childOrder: childOrder, paymentPoint: paymentPoint,
                                             account: account, by: principal)
        return try await context.openClaim(MaternityClaim.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "maternity.open", by: principal)
    }

    /// Refuses with `busy` (naming the case) while `person` has a claim of `type` not yet decided.
    static func requireNoOpenClaim(_ type: CaseType, person: Int64, busy: String, on db: any SQLDatabase) async throws {
        let open = try await CaseStore().cases(of: person, on: db).filter { $0.type == type.id && type.state($0.state)?.isFinal == false }
        guard open.isEmpty else { throw ServiceError.conflict(busy, ["case": String(open[0].id)]) }
    }

    /// The payment point and account a benefit owed once goes to (``ServiceContext/payee(paymentPoint:account:issues:)``).
    func payee(paymentPoint: String, account: String, issues: inout [FieldIssue]) async throws(ServiceError) -> (point: PaymentPoint, account: String)? {
        try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
    }
}
