import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// A unit's medical coverage: its history and the change waiting, for its insurance page.
public struct UnitMedicalCoverage: Sendable {
    public var changes: [MedicalCoverageChange]
    /// The change in force this month (none: full coverage).
    public var inForce: MedicalCoverageChange?
    /// The first month a new change may start: after every month already assessed.
    public var earliestFrom: Period
}

extension InsuranceService {
    /// A unit's coverage changes, for its staff, its agent and the clerks and reviewers in scope.
    public func medicalCoverage(of employerID: Int64, by principal: Principal) async throws(ServiceError) -> UnitMedicalCoverage {
        _ = try await unit(employerID, write: false, by: principal)
        let today = context.today
        return try await context.read { db in
            let store = MedicalCoverageStore()
            let changes = try await store.changes(of: employerID, on: db)
            return UnitMedicalCoverage(changes: changes, inForce: MedicalCoverage.inForce(changes, in: Period(year: today.year, month: today.month)!),
                                       earliestFrom: try await Self.earliestCoverageChange(today: today, on: db))
        }
    }

    /// Units with a coverage change approved or waiting, in the reader's scope, the latest first.
    public func medicalCoverageChanges(by principal: Principal) async throws(ServiceError) -> [MedicalCoverageChange] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await MedicalCoverageStore().changes(in: scope, on: db) }
    }

    /// A clerk proposes that the unit's staff be insured for inpatient pooling only (paid by
    /// `funding`) or fully again, from a month no assessment holds yet; nothing changes until a
    /// reviewer approves.
    public func proposeMedicalCoverage(employer employerID: Int64, coverage text: String, from fromText: String, funding fundingText: String,
                                       note: String, by principal: Principal) async throws(ServiceError) -> MedicalCoverageChange {
        var issues: [FieldIssue] = []
        let coverage = MedicalCoverage(rawValue: text)
        if coverage == nil { issues.append(FieldIssue("coverage", "field.not_in_list", ["value": text])) }
        let from = Period(fromText.trimmingUnicodeWhitespace())
        if from == nil || from!.year < 1999 || from!.year > 2100 { issues.append(FieldIssue("from", "period.invalid", ["value": fromText])) }
        let funding = InpatientFunding(rawValue: fundingText)
        if coverage == .inpatientOnly && funding == nil { issues.append(FieldIssue("funding", "medical_coverage.funding_required")) }
        let note = note.trimmingUnicodeWhitespace()
        if note.isEmpty || note.count > 500 { issues.append(FieldIssue("note", note.isEmpty ? "field.required" : "field.too_long", ["max": "500"])) }
        guard issues.isEmpty, let coverage, let from else { throw .invalid(issues) }
        let employer = try await unit(employerID, write: false, by: principal)
        try principal.require(.medicalCoveragePropose, in: employer.region)
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        return try await context.write { db in
            let store = MedicalCoverageStore()
            let earliest = try await Self.earliestCoverageChange(today: today, on: db)
            guard from >= earliest else { throw ServiceError.invalid("from", "medical_coverage.too_early", ["earliest": earliest.description]) }
            let changes = try await store.changes(of: employerID, on: db)
            guard !changes.contains(where: { $0.state == .proposed }) else { throw ServiceError.conflict("medical_coverage.pending") }
            let current = MedicalCoverage.inForce(changes, in: from)?.coverage ?? .full
            guard current != coverage else { throw ServiceError.conflict("medical_coverage.unchanged", labels: ["coverage": coverage.labelKey]) }
            let id = try await store.propose(employer: employerID, coverage: coverage, from: from, funding: coverage == .inpatientOnly ? funding : nil,
                                             note: note, by: actor, proposerID: principal.userID, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "unit_medical_coverage", entityID: String(id), region: employer.region,
                                                after: ["employer": String(employerID), "coverage": coverage.rawValue, "from": from.description]), on: db, at: now)
            guard let change = try await store.change(id, on: db) else { throw ServiceError.notFound }
            return change
        }
    }

    /// A reviewer who did not propose it approves or rejects a coverage change. Approved, the
    /// assessment of its month and after bills the unit's staff by it — unless an assessment took
    /// that month meanwhile, when it must be proposed again from a later one.
    public func decideMedicalCoverage(_ id: Int64, approve: Bool, note: String, by principal: Principal) async throws(ServiceError) -> MedicalCoverageChange {
        let note = note.trimmingUnicodeWhitespace()
        guard note.count <= 500 else { throw .invalid("note", "field.too_long", ["max": "500"]) }
        if !approve && note.isEmpty { throw .invalid("note", "medical_coverage.note_required") }
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        return try await context.write { db in
            let store = MedicalCoverageStore()
            guard let change = try await store.change(id, on: db), principal.may(.insuranceRead, in: change.region) else { throw ServiceError.notFound }
            try principal.require(.medicalCoverageDecide, in: change.region)
            try await context.checkDecision(status: change.state, maker: change.proposerID, decider: principal.userID, on: db)
            if approve {
                let earliest = try await Self.earliestCoverageChange(today: today, on: db)
                guard change.from >= earliest else { throw ServiceError.conflict("medical_coverage.assessed", ["earliest": earliest.description]) }
            }
            guard try await store.decide(id, approve ? .approved : .rejected, note: note, by: actor, at: now, on: db) else {
                throw ServiceError.conflict("maker_checker.not_pending")
            }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "unit_medical_coverage", entityID: String(id), region: change.region,
                                                before: ["state": "proposed"], after: ["state": approve ? "approved" : "rejected"]), on: db, at: now)
            guard let decided = try await store.change(id, on: db) else { throw ServiceError.notFound }
            return decided
        }
    }

    /// The first month a coverage change may start: this month, or the month after the last one
    /// an assessment holds, whichever is later (a run's bills are never changed under it).
    static func earliestCoverageChange(today: LocalDate, on db: any SQLDatabase) async throws -> Period {
        let thisMonth = Period(year: today.year, month: today.month)!
        guard let assessed = try await MedicalCoverageStore().lastAssessedPeriod(on: db) else { return thisMonth }
        return max(thisMonth, assessed.advanced(by: 1))
    }
}
