import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a work-injury award would be for a person: the rule's input and result, explained, and
/// whether the unit reported late.
public struct WorkInjuryDraft: Sendable {
    public var person: Person
    public var request: WorkInjuryAward.Request
    public var result: RuleResult<WorkInjuryDisabilityRule.Output>
}

extension BenefitsService {
    /// The case type with its effect: on approval the award is recorded and its one-time subsidy
    /// becomes owed by the work-injury fund (benefit expense against a payable until paid).
    public static let workInjuryCases = CaseHandler(
        type: WorkInjuryAward.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(WorkInjuryAward.Request.self, from: Data(step.record.payload.utf8))
            try await WorkInjuryStore().record(request, case: step.record.id, region: step.record.region, by: step.actor, at: step.now, on: step.db)
            // The one-time subsidy goes out with the next payroll run, which books it in two phases.
            if request.benefits.lumpSum.fen > 0 {
                try await PayrollStore().owe(source: "work_injury:\(step.record.id)", kind: "work_injury", person: request.personID, region: step.record.region,
                                             fund: .workInjury, amount: request.benefits.lumpSum, paymentPoint: request.paymentPointID,
                                             account: request.account, at: step.now, on: step.db)
            }
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "work_injury_award", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "grade": String(request.input.grade), "lump_sum": request.benefits.lumpSum.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(WorkInjuryAward.Request.self, from: Data(payload.utf8)) else { return [] }
            let benefits = request.benefits
            return [
                CaseFact(labelKey: "input.injuryDate", value: request.input.injuryDate.description),
                CaseFact(labelKey: "work_injury.reported_on", value: request.reportedOn.description + (request.lateReport ? " ⚠" : "")),
                CaseFact(labelKey: "input.grade", value: String(request.input.grade)),
                CaseFact(labelKey: "input.ownWage", value: request.input.ownWage.formatted),
                CaseFact(labelKey: "output.lumpSum", value: benefits.lumpSum.formatted),
                CaseFact(labelKey: "output.monthlyAllowance", value: benefits.monthlyAllowance.formatted),
                CaseFact(labelKey: "output.monthlyNursing", value: benefits.monthlyNursing.formatted),
            ]
        })

    /// The benefits for `personID`'s injury on `injuryDate`, reported by the unit on `reportedOn`
    /// (within a year; after 30 days it is late), graded `grade` with own wage `ownWage`.
    public func workInjuryAward(personID: Int64, injuryDate: String, reportedOn: String, grade: String, ownWage: String, dependency: String = "",
                                paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> WorkInjuryDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let injured = LocalDate(iso: injuryDate.trimmingUnicodeWhitespace())
        if injured == nil || injured! > context.today || injured!.year < 1996 {
            issues.append(FieldIssue("injuryDate", "work_injury.bad_date", ["value": injuryDate]))
        }
        let reported = LocalDate(iso: reportedOn.trimmingUnicodeWhitespace())
        if reported == nil || reported! > context.today || (injured != nil && reported! < injured!) {
            issues.append(FieldIssue("reportedOn", "work_injury.bad_date", ["value": reportedOn]))
        } else if let injured, let reported, injured.days(until: reported) > WorkInjuryAward.lateReportDays {
            issues.append(FieldIssue("reportedOn", "work_injury.report_too_late", ["days": String(WorkInjuryAward.lateReportDays)]))
        }
        let level = Int(grade.trimmingUnicodeWhitespace())
        if level == nil || !(1...10).contains(level!) { issues.append(FieldIssue("grade", "field.out_of_range", ["min": "1", "max": "10"])) }
        let wage = try? Money.parse(ownWage)
        if wage == nil || wage!.fen <= 0 || wage! > Money.inputLimit { issues.append(FieldIssue("ownWage", "work_injury.bad_wage")) }
        let care = dependency.isEmpty ? nil : CareDependency(rawValue: dependency)
        if !dependency.isEmpty && care == nil { issues.append(FieldIssue("dependency", "field.not_in_list", ["value": dependency])) }
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let injured, let reported, let level, let wage, let payee else { throw .invalid(issues) }
        let input = WorkInjuryDisabilityRule.Input(injuryDate: injured, grade: level, ownWage: wage, dependency: care)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<WorkInjuryDisabilityRule.Output>
        do {
            result = try WorkInjuryDisabilityRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        let request = WorkInjuryAward.Request(personID: personID, input: input, benefits: result.output, reportedOn: reported,
                                              lateReport: injured.days(until: reported) > WorkInjuryAward.unitReportDays, paymentPointID: payee.point.id,
                                              account: payee.account)
        return WorkInjuryDraft(person: person, request: request, result: result)
    }

    /// Opens the work-injury case for the draft the same figures give; one open case per person.
    public func openWorkInjuryAward(personID: Int64, injuryDate: String, reportedOn: String, grade: String, ownWage: String, dependency: String = "",
                                    paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await workInjuryAward(personID: personID, injuryDate: injuryDate, reportedOn: reportedOn, grade: grade, ownWage: ownWage,
                                              dependency: dependency, paymentPoint: paymentPoint, account: account, by: principal)
        return try await context.openClaim(WorkInjuryAward.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "work_injury.open", by: principal)
    }

    public func workInjuryAwards(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [WorkInjuryBenefit] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await WorkInjuryStore().awards(of: personID, on: db) }
    }

    /// Where a one-time subsidy stands: owed (waiting for the next payroll), or its payment's state.
    public func subsidyPayment(case caseID: Int64, by principal: Principal) async throws(ServiceError) -> (state: String, payment: String?)? {
        try principal.require(.insuranceRead)
        return try await context.read { db in try await PayrollStore().payable(source: "work_injury:\(caseID)", on: db) }
    }
}
