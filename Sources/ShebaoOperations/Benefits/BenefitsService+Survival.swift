public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A pension's survival standing on a day, by ``SurvivalCertificationRule``.
public struct SurvivalCheck: Sendable, Hashable {
    public var standing: SurvivalStanding
    public var output: SurvivalCertificationRule.Output
}

extension BenefitsService {
    /// The pensions in the reader's scope due for certification within `days` days, overdue, or
    /// suspended, oldest certification first.
    public func survivalChecks(within days: Int = 60, by principal: Principal) async throws(ServiceError) -> [SurvivalCheck] {
        try principal.require(.insuranceRead)
        let book = try await policy.book()
        let region = try await installation.required().region
        let today = context.today
        // Due within `days`: last certified at least a cycle less `days` ago.
        let cycle = try? book.resolve("pension.survival.cycle_months", region: region, on: today)
        guard case .integer(let months)? = cycle?.value else { throw .refused("parameter.missing", ["key": "pension.survival.cycle_months"]) }
        let before = today.adding(days: days).addingMonths(-Int(months)) ?? today
        let scope = principal.scope
        let standings = try await context.read { db in try await SurvivalStore().standings(in: scope, certifiedBefore: before, limit: 2_000, on: db) }
        var checks: [SurvivalCheck] = []
        for standing in standings {
            do {
                let output = try SurvivalCertificationRule.evaluate(.init(lastCertified: standing.lastCertified, asOf: today), book: book, region: region).output
                checks.append(SurvivalCheck(standing: standing, output: output))
            } catch {
                throw .rule(error)
            }
        }
        return checks
    }

    /// Records a survival certification (in person, by remote face check, or by data matching);
    /// a suspended pension resumes, and the next payroll pays the months it held back.
    public func certify(personID: Int64, on dateText: String, method methodText: String, by principal: Principal) async throws(ServiceError) {
        guard let pension = try await context.read({ db in try await PensionStore().pension(of: personID, on: db) }) else { throw .notFound }
        try principal.require(.pensionAccountPropose, in: pension.region)
        var issues: [FieldIssue] = []
        let date = LocalDate(iso: dateText.trimmingUnicodeWhitespace())
        if date == nil || date! > context.today || date! < pension.retirementDate {
            issues.append(FieldIssue("certifiedOn", "survival.bad_date", ["value": dateText]))
        }
        let method = SurvivalStore.Method(rawValue: methodText)
        if method == nil { issues.append(FieldIssue("method", "field.not_in_list", ["value": methodText])) }
        guard issues.isEmpty, let date, let method else { throw .invalid(issues) }
        guard pension.state == .paying else { throw .conflict("survival.not_paying", labels: ["state": pension.state.labelKey]) }
        let actor = AuditActor(principal)
        let now = context.now
        try await context.write { db in
            try await SurvivalStore().certify(person: personID, on: date, method: method, by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "survival_certification", entityID: String(personID),
                                                region: pension.region, before: ["suspended_from": pension.suspendedFrom?.description ?? ""],
                                                after: ["certified_on": date.description, "method": method.rawValue]),
                                     on: db, at: now)
        }
    }

    /// Suspends every pension in the reader's scope whose certification cycle and grace period
    /// are over, from the month after the grace period (or after the last month already paid);
    /// returns how many.
    public func suspendUncertified(by principal: Principal) async throws(ServiceError) -> Int {
        try principal.require(.payrollManage)
        let overdue = try await survivalChecks(within: 0, by: principal).filter { $0.output.suspend && $0.standing.suspendedFrom == nil }
        guard !overdue.isEmpty else { return 0 }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            for check in overdue {
                let from = try await SurvivalStore().suspend(person: check.standing.personID, from: check.output.suspendFrom, on: db)
                try await context.append(AuditEvent(actor: actor, action: .update, entity: "pension", entityID: String(check.standing.personID),
                                                    region: check.standing.region, after: ["suspended_from": from.description,
                                                                                           "grace_ended": check.output.graceEnds.description]),
                                         on: db, at: now)
            }
            return overdue.count
        }
    }

    public func certifications(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [(date: LocalDate, method: SurvivalStore.Method, by: String)] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await SurvivalStore().certifications(of: personID, on: db) }
    }

    public func adjustments(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [(year: Int, line: PensionAdjustmentLine)] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await AdjustmentStore().adjustments(of: personID, on: db) }
    }
}
