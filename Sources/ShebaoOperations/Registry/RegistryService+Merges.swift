public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A proposed merge with the two records it joins.
public struct MergeProposal: Sendable {
    public var request: MergeRequest
    public var kept: Person
    public var merged: Person
    /// The facts on which the two records disagree (name, sex, birth date), as label keys: a
    /// warning to the reviewer that they may be two people.
    public var differences: [String] { MergeCheck.differences(kept, merged) }
}

/// What a merge must keep true (issue 9): households keep exactly one head and are never left
/// empty, and nobody joins a household of another village by being merged.
enum MergeCheck {
    static func differences(_ kept: Person, _ merged: Person) -> [String] {
        var fields: [String] = []
        if kept.name != merged.name { fields.append("person.name") }
        if kept.residentID.sex != merged.residentID.sex { fields.append("person.sex") }
        if kept.birthDate != merged.birthDate { fields.append("person.birth_date") }
        return fields
    }

    /// Refuses a merge that would break a household; the clerk changes the household first.
    static func households(kept: Person, merged: Person, on db: any SQLDatabase) async throws {
        guard let householdID = merged.householdID, let household = try await HouseholdStore().find(id: householdID, on: db) else { return }
        let isHead = household.members.contains { $0.personID == merged.id && $0.relation == .head }
        if kept.householdID == nil {
            // The kept record takes the merged one's place, which is only right in the same village.
            guard household.region == kept.region else { throw ServiceError.conflict("merge.household_elsewhere", ["number": household.registerNumber]) }
            return
        }
        if isHead { throw ServiceError.conflict("merge.household_head", ["number": household.registerNumber]) }
        if kept.householdID != householdID && household.members.count == 1 {
            throw ServiceError.conflict("merge.household_empty", ["number": household.registerNumber])
        }
    }
}

/// Duplicate records: likely pairs, merges proposed by clerks and decided by another person.
extension RegistryService {
    public func duplicateCandidates(by principal: Principal) async throws(ServiceError) -> [DuplicateCandidate] {
        try principal.require(.personList)
        let scope = principal.scope
        return try await context.read { db in try await MergeStore().candidates(in: scope, on: db) }
    }

    /// Merges awaiting a decision inside the caller's scope, with their records.
    public func proposedMerges(by principal: Principal) async throws(ServiceError) -> [MergeProposal] {
        try principal.require(.personList)
        let scope = principal.scope
        return try await context.read { db in
            var proposals: [MergeProposal] = []
            for request in try await MergeStore().proposed(in: scope, on: db) {
                if let kept = try await PersonStore().find(id: request.keptPersonID, on: db),
                    let merged = try await PersonStore().find(id: request.mergedPersonID, on: db)
                {
                    proposals.append(MergeProposal(request: request, kept: kept, merged: merged))
                }
            }
            return proposals
        }
    }

    /// Proposes that `mergedID` is the same person as `keptID` (a clerk).
    public func proposeMerge(keep keptID: Int64?, merge mergedID: Int64?, reason: String?, by principal: Principal) async throws(ServiceError) -> MergeRequest {
        try principal.require(.mergeRequest)
        var issues: [FieldIssue] = []
        if keptID == nil { issues.append(FieldIssue("keepPersonID", "field.required")) }
        if mergedID == nil { issues.append(FieldIssue("mergePersonID", "field.required")) }
        let reason = (reason ?? "").trimmingASCIIWhitespace()
        if reason.isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        guard issues.isEmpty, let keptID, let mergedID else { throw .invalid(issues) }
        guard keptID != mergedID else { throw .refused("merge.same_person") }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let kept = try await PersonStore().find(id: keptID, on: db), let merged = try await PersonStore().find(id: mergedID, on: db),
                principal.may(.mergeRequest, in: kept.region), principal.may(.mergeRequest, in: merged.region)
            else { throw ServiceError.notFound }
            guard kept.mergedInto == nil, merged.mergedInto == nil else { throw ServiceError.conflict("merge.already_merged") }
            guard try await !MergeStore().hasOpenRequest(involving: mergedID, on: db) else { throw ServiceError.conflict("merge.already_requested") }
            try await MergeCheck.households(kept: kept, merged: merged, on: db)
            let request = try await MergeStore().propose(keep: kept, merge: merged, reason: reason, by: principal.userID, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "person_merge", entityID: String(request.id), region: kept.region), on: db, at: now)
            return request
        }
    }

    /// Approves or rejects a proposed merge (a reviewer who did not propose it). On approval the
    /// merged record points at the kept one, its household place and jobs move over, and both
    /// records get a new version.
    public func decideMerge(_ id: Int64, approve: Bool, note: String?, by principal: Principal) async throws(ServiceError) -> MergeRequest {
        try principal.require(.mergeDecide)
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let request = try await MergeStore().lock(id: id, on: db), principal.may(.mergeDecide, in: request.region) else {
                throw ServiceError.notFound
            }
            try await context.checkDecision(status: request.status, maker: request.requestedBy, decider: principal.userID, on: db)
            if approve {
                guard var kept = try await PersonStore().lock(id: request.keptPersonID, on: db),
                    var merged = try await PersonStore().lock(id: request.mergedPersonID, on: db)
                else { throw ServiceError.notFound }
                guard kept.mergedInto == nil, merged.mergedInto == nil else { throw ServiceError.conflict("merge.already_merged") }
                // Households may have changed since the proposal: checked again.
                try await MergeCheck.households(kept: kept, merged: merged, on: db)
                kept.householdID = try await HouseholdStore().transferMembership(from: merged, to: kept, on: db)
                try await EmployerStore().moveEmployments(from: merged.id, to: kept.id, on: db)
                merged.mergedInto = kept.id
                merged.householdID = nil
                merged.version += 1
                kept.version += 1
                for person in [merged, kept] { try await PersonStore().save(person, at: now, on: db) }
                try await PersonStore().recordVersions(ids: [merged.id, kept.id], by: actor, reason: "merge #\(id): \(request.reason)", at: now, on: db)
                try await PersonStore().removeNameKeys(of: merged.id, on: db)
            }
            let decided = try await MergeStore().decide(request, approve: approve, note: note, by: principal.userID, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "person_merge", entityID: String(id), region: request.region,
                           before: ["status": request.status.rawValue], after: ["status": decided.status.rawValue]),
                on: db, at: now)
            return decided
        }
    }
}
