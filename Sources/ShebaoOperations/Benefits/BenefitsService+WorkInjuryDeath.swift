import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a death from a work injury pays: the rule's input and result, and the next of kin.
public struct WorkInjuryDeathDraft: Sendable {
    public var person: Person
    public var nextOfKin: Person
    public var request: WorkInjuryDeath.Request
    public var result: RuleResult<WorkInjuryDeathRule.Output>
}

extension BenefitsService {
    /// The case type with its effect: on approval the funeral grant and the one-time death subsidy
    /// are owed once, and the survivor pensions each month from the month after death, by the
    /// work-injury fund to the next of kin.
    public static let workInjuryDeathCases = CaseHandler(
        type: WorkInjuryDeath.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(WorkInjuryDeath.Request.self, from: Data(step.record.payload.utf8))
            let once = request.benefits.funeralGrant + request.benefits.deathSubsidy
            try await PayrollStore().owe(source: "work_injury_death:\(step.record.id)", kind: "work_injury_death", person: request.personID,
                                         payee: request.nextOfKinID, region: step.record.region, fund: .workInjury, amount: once,
                                         paymentPoint: request.paymentPointID, account: request.account, at: step.now, on: step.db)
            try await WorkInjuryStore().recordSurvivors(request, case: step.record.id, region: step.record.region, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "work_injury_death", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "next_of_kin": String(request.nextOfKinID), "once": once.yuanText,
                                   "monthly": request.benefits.survivorTotal.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(WorkInjuryDeath.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.deathDate", value: request.input.deathDate.description),
                CaseFact(labelKey: "input.deceasedWage", value: request.input.deceasedWage.formatted),
                CaseFact(labelKey: "output.funeralGrant", value: request.benefits.funeralGrant.formatted),
                CaseFact(labelKey: "output.deathSubsidy", value: request.benefits.deathSubsidy.formatted),
                CaseFact(labelKey: "output.survivorTotal", value: request.benefits.survivorTotal.formatted),
            ]
        })

    /// The benefits of `personID`'s death from a work injury on `deathDate`: the dependants as the
    /// clerk counts them — a spouse, others, and how many of those are lone elderly persons or orphans.
    public func workInjuryDeath(personID: Int64, deathDate: String, deceasedWage: String, spouse: Bool, others: String, lone: String, nextOfKin: String,
                                paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> WorkInjuryDeathDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let date = LocalDate(iso: deathDate.trimmingUnicodeWhitespace())
        if date == nil || date! > context.today || date!.year < 1996 { issues.append(FieldIssue("deathDate", "work_injury.bad_date", ["value": deathDate])) }
        let wage = try? Money.parse(deceasedWage)
        if wage == nil || wage!.fen <= 0 || wage! > Money.inputLimit { issues.append(FieldIssue("deceasedWage", "work_injury.bad_wage")) }
        func count(_ text: String, _ field: String) -> Int? {
            let text = text.trimmingUnicodeWhitespace()
            guard !text.isEmpty else { return 0 }
            guard let value = Int(text), (0...19).contains(value) else {
                issues.append(FieldIssue(field, "field.out_of_range", ["min": "0", "max": "19"]))
                return nil
            }
            return value
        }
        let otherCount = count(others, "others")
        let loneCount = count(lone, "lone")
        if let otherCount, let loneCount, loneCount > otherCount { issues.append(FieldIssue("lone", "work_injury.lone_above_others")) }
        let kin = try await registeredNextOfKin(nextOfKin, of: personID, issues: &issues)
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let date, let wage, let otherCount, let loneCount, let kin, let payee else { throw .invalid(issues) }
        let dependants = (spouse ? [SurvivorDependant(relation: .spouse)] : [])
            + (0..<otherCount).map { SurvivorDependant(relation: .other, loneElderlyOrOrphan: $0 < loneCount ? true : nil) }
        let input = WorkInjuryDeathRule.Input(deathDate: date, deceasedWage: wage, dependants: dependants)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<WorkInjuryDeathRule.Output>
        do {
            result = try WorkInjuryDeathRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return WorkInjuryDeathDraft(person: person, nextOfKin: kin,
                                    request: WorkInjuryDeath.Request(personID: personID, nextOfKinID: kin.id, input: input, benefits: result.output,
                                                                     paymentPointID: payee.point.id, account: payee.account),
                                    result: result)
    }

    /// Opens the case for the figures; once per death (an approved one refuses another).
    public func openWorkInjuryDeath(personID: Int64, deathDate: String, deceasedWage: String, spouse: Bool, others: String, lone: String, nextOfKin: String,
                                    paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await workInjuryDeath(personID: personID, deathDate: deathDate, deceasedWage: deceasedWage, spouse: spouse, others: others, lone: lone,
                                              nextOfKin: nextOfKin, paymentPoint: paymentPoint, account: account, by: principal)
        guard try await context.read({ db in try await WorkInjuryStore().survivors(of: personID, on: db).isEmpty }) else {
            throw .conflict("work_injury.death_paid")
        }
        return try await context.openClaim(WorkInjuryDeath.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "work_injury.death_open", by: principal)
    }

    /// Records that the survivor pensions after `personID`'s death end from `period` (the dependants
    /// no longer qualify: a child grown up, a spouse remarried); months from then are not paid.
    public func endSurvivorPensions(personID: Int64, from text: String, by principal: Principal) async throws(ServiceError) {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.pensionAccountPropose, in: person.region)
        guard let period = Period(text.trimmingUnicodeWhitespace()) else { throw .invalid("from", "period.invalid", ["value": text]) }
        let actor = AuditActor(principal)
        let now = context.now
        try await context.write { db in
            guard let open = try await WorkInjuryStore().survivors(of: personID, on: db).first(where: { $0.endsFrom == nil }) else {
                throw ServiceError.conflict("work_injury.no_survivor_pension")
            }
            guard period > (open.paidThrough ?? Period(year: 1900, month: 1)!) else {
                throw ServiceError.invalid("from", "work_injury.end_before_paid", ["paid": open.paidThrough?.description ?? ""])
            }
            _ = try await WorkInjuryStore().endSurvivors(case: open.caseID, from: period, on: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "work_injury_survivors", entityID: String(open.caseID), region: person.region,
                                                after: ["ends_from": period.description]), on: db, at: now)
        }
    }

    /// The survivor pensions after `personID`'s death, for the person's page.
    public func survivorPensions(of personID: Int64, by principal: Principal) async throws(ServiceError)
        -> [(caseID: Int64, monthly: Money, paidThrough: Period?, endsFrom: Period?)] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await WorkInjuryStore().survivors(of: personID, on: db) }
    }
}
