import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a retiree's death pays: the rule's input (the account's parts at death, the account
/// pension drawn) and result, and the next of kin it goes to.
public struct SurvivorDraft: Sendable {
    public var person: Person
    public var nextOfKin: Person
    public var request: SurvivorPayout.Request
    public var result: RuleResult<PensionDeathRule.Output>
}

extension BenefitsService {
    /// The case type with its effect: on approval the payout is owed by the pension fund to the
    /// next of kin and goes out with the next payroll run, in their name.
    public static let survivorCases = CaseHandler(
        type: SurvivorPayout.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(SurvivorPayout.Request.self, from: Data(step.record.payload.utf8))
            try await PayrollStore().owe(source: "survivor:\(request.personID)", kind: "survivor", person: request.personID, payee: request.nextOfKinID,
                                         region: step.record.region, fund: PensionPayroll.fund, amount: request.payout.total,
                                         paymentPoint: request.paymentPointID, account: request.account, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "survivor_payout", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "next_of_kin": String(request.nextOfKinID), "total": request.payout.total.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(SurvivorPayout.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.deathDate", value: request.input.deathDate.description),
                CaseFact(labelKey: "output.funeralGrant", value: request.payout.funeralGrant.formatted),
                CaseFact(labelKey: "output.survivorLumpSum", value: request.payout.survivorLumpSum.formatted),
                CaseFact(labelKey: "output.inheritable", value: request.payout.inheritable.formatted),
                CaseFact(labelKey: "output.total", value: request.payout.total.formatted),
            ]
        })

    /// The payout on `personID`'s death: their pension stopped by the death register, the next of
    /// kin a registered person named by resident ID; the account's parts come from the record, the
    /// account pension drawn from the start through the month of death.
    public func survivorPayout(personID: Int64, nextOfKin: String, paymentPoint: String, account: String,
                               by principal: Principal) async throws(ServiceError) -> SurvivorDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let kin = try await registeredNextOfKin(nextOfKin, of: personID, issues: &issues)
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let kin, let payee else { throw .invalid(issues) }
        guard let pension = try await context.read({ db in try await PensionStore().pension(of: personID, on: db) }), let died = pension.diedOn else {
            throw .conflict("survivor.not_dead")
        }
        let record = try await context.read { db in try await InsuranceService.record(of: personID, on: db) }
        let months = Int64(max(0, pension.start.distance(to: died.period) + 1))
        guard let drawn = try? pension.account.times(months, step: "explain.pension_death.own_drawn") else { throw .refused("rule.overflow") }
        let input = PensionDeathRule.Input(deathDate: died, accountOwn: record.balanceOwn, accountTransfer: record.balanceTransfer,
                                           accountPensionDrawn: drawn)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<PensionDeathRule.Output>
        do {
            result = try PensionDeathRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return SurvivorDraft(person: person, nextOfKin: kin, request: SurvivorPayout.Request(personID: personID, nextOfKinID: kin.id, input: input,
                                                                                            payout: result.output, paymentPointID: payee.point.id,
                                                                                            account: payee.account),
                             result: result)
    }

    /// Opens the payout for the figures; once per death (an open or approved payout refuses another).
    public func openSurvivorPayout(personID: Int64, nextOfKin: String, paymentPoint: String, account: String,
                                   by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await survivorPayout(personID: personID, nextOfKin: nextOfKin, paymentPoint: paymentPoint, account: account, by: principal)
        let paid = try await context.read { db in
            try await CaseStore().cases(of: personID, on: db).contains { $0.type == SurvivorPayout.caseType.id && $0.state == "approved" }
        }
        guard !paid else { throw .conflict("survivor.paid") }
        return try await context.openClaim(SurvivorPayout.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "survivor.open", by: principal)
    }

    /// The next of kin a payout on a death goes to: another registered person, by resident ID.
    func registeredNextOfKin(_ text: String, of personID: Int64, issues: inout [FieldIssue]) async throws(ServiceError) -> Person? {
        let id = try? ResidentID(text.trimmingASCIIWhitespace().uppercased(), today: context.today)
        let kin = try await context.read { db in try await id.asyncMap { try await PersonStore().find(residentID: $0, in: .nation, on: db) } ?? nil }
        guard let kin, kin.id != personID else {
            issues.append(FieldIssue("nextOfKin", "survivor.unknown_kin"))
            return nil
        }
        return kin
    }
}
