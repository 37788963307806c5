public import ShebaoCore
public import ShebaoStore
import SQLKit

/// Households: list, register with a head, change of head, moving a member in.
extension RegistryService {
    /// Households inside the caller's scope, or inside `region` (a place in it).
    public func households(region text: String?, paging: Paging = Paging(), by principal: Principal) async throws(ServiceError) -> Page<Household> {
        try principal.require(.householdRead)
        var scope = principal.scope
        if let text { scope = try await regionFilter(text, by: principal) }
        let within = scope
        return try await context.read { db in try await HouseholdStore().list(in: within, paging: paging, on: db) }
    }

    /// A household, if the caller may see it: staff within scope, or a member (the citizen's own).
    public func household(_ id: Int64, by principal: Principal) async throws(ServiceError) -> Household {
        guard let household = try await context.read({ db in try await HouseholdStore().find(id: id, on: db) }) else { throw .notFound }
        try Self.requireRead(household, principal)
        return household
    }

    /// The household of a record the caller has opened, if any.
    public func household(of person: Person, by principal: Principal) async throws(ServiceError) -> Household? {
        guard let id = person.householdID else { return nil }
        guard let household = try await context.read({ db in try await HouseholdStore().find(id: id, on: db) }) else { return nil }
        guard (try? Self.requireRead(household, principal)) != nil else { return nil }
        return household
    }

    public func householdHistory(_ id: Int64, by principal: Principal) async throws(ServiceError) -> [RecordVersion<Household>] {
        let household = try await household(id, by: principal)
        return try await context.read { db in try await HouseholdStore().history(of: household.id, on: db) }
    }

    /// Registers a household in a village of the caller's scope, with its head found by resident ID.
    public func createHousehold(registerNumber: String, region regionText: String, address: String?, headResidentID: String, reason: String?,
                                by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        let number = registerNumber.trimmingASCIIWhitespace()
        var issues: [FieldIssue] = []
        if number.isEmpty { issues.append(FieldIssue("registerNumber", "household.register_number_required")) }
        let region = try? RegionCode(regionText)
        if region == nil { issues.append(FieldIssue("region", "region_code.unknown", ["code": regionText])) }
        if let region {
            let known = try await context.perform { try await context.regions.contains(region) }
            if !known { issues.append(FieldIssue("region", "region_code.unknown", ["code": regionText])) }
            else if !principal.scope.contains(region) { issues.append(FieldIssue("region", "region.outside_scope", ["code": region.value])) }
        }
        let headID = try? ResidentID(headResidentID, today: context.today)
        if headID == nil { issues.append(FieldIssue("headResidentID", "import.person_not_registered", ["id": headResidentID])) }
        guard issues.isEmpty, let region, let headID else { throw .invalid(issues) }
        let scope = principal.scope
        let actor = AuditActor(principal)
        let reason = Self.reason(reason, otherwise: "registered")
        let now = context.now
        return try await context.write { db in
            guard let head = try await PersonStore().find(residentID: headID, in: scope, on: db) else {
                throw ServiceError.invalid("headResidentID", "import.person_not_registered", ["id": headResidentID])
            }
            guard try await HouseholdStore().existingRegisterNumbers([number], on: db).isEmpty else {
                throw ServiceError.invalid("registerNumber", "household.register_number_taken", ["number": number])
            }
            let household = try await HouseholdStore().create(registerNumber: number, region: region, address: address, members: [(head, .head)],
                                                              by: actor, reason: reason, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "household", entityID: String(household.id), region: region, after: household), on: db, at: now)
            return household
        }
    }

    /// Makes a member the head; the former head takes the relation the clerk states.
    public func changeHead(_ householdID: Int64, to personID: Int64?, formerHeadRelation text: String?, expectedVersion: Int64?, reason: String?,
                           by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        var issues: [FieldIssue] = []
        if personID == nil { issues.append(FieldIssue("personID", "field.required")) }
        let relation = text.flatMap(HouseholdRelation.init(rawValue:))
        if relation == nil { issues.append(FieldIssue("formerHeadRelation", text == nil ? "field.required" : "field.not_in_list", ["value": text ?? ""])) }
        let reasonText = (reason ?? "").trimmingASCIIWhitespace()
        if reasonText.isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        guard issues.isEmpty, let personID, let relation else { throw .invalid(issues) }
        return try await changeHousehold(householdID, expectedVersion: expectedVersion, by: principal) { household, actor, now, db in
            let changed = try await HouseholdStore().changeHead(of: household, to: personID, formerHeadRelation: relation, by: actor, reason: reasonText,
                                                                at: now, on: db)
            return changed
        }
    }

    /// Moves a person (found by resident ID in the caller's scope) into a household.
    public func moveIn(_ householdID: Int64, residentID: String, relation text: String, expectedVersion: Int64?, reason: String?,
                       by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        var issues: [FieldIssue] = []
        let relation = HouseholdRelation(rawValue: text)
        if relation == nil || relation == .head { issues.append(FieldIssue("relation", "field.not_in_list", ["value": text])) }
        let id = try? ResidentID(residentID, today: context.today)
        if id == nil { issues.append(FieldIssue("residentID", "import.person_not_registered", ["id": residentID])) }
        let reasonText = (reason ?? "").trimmingASCIIWhitespace()
        if reasonText.isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        guard issues.isEmpty, let relation, let id else { throw .invalid(issues) }
        let scope = principal.scope
        return try await changeHousehold(householdID, expectedVersion: expectedVersion, by: principal) { household, actor, now, db in
            guard let person = try await PersonStore().find(residentID: id, in: scope, on: db), principal.may(.personWrite, in: person.region) else {
                throw ServiceError.invalid("residentID", "import.person_not_registered", ["id": residentID])
            }
            var previous: Household?
            if let membership = try await HouseholdStore().membership(of: person.id, on: db) {
                guard let old = try await HouseholdStore().lock(id: membership.householdID, on: db), principal.may(.householdWrite, in: old.region) else {
                    throw ServiceError.notFound
                }
                previous = old
            }
            return try await HouseholdStore().moveIn(person, to: household, relation: relation, from: previous, by: actor, reason: reasonText, at: now, on: db)
        }
    }

    /// A change to a household the caller may change, at the version they saw, audited.
    private func changeHousehold(_ id: Int64, expectedVersion: Int64?, by principal: Principal,
                                 _ change: @escaping @Sendable (Household, AuditActor, Timestamp, any SQLDatabase) async throws -> Household)
        async throws(ServiceError) -> Household
    {
        guard let expectedVersion else { throw .invalid("version", "field.required") }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let household = try await HouseholdStore().lock(id: id, on: db), principal.may(.householdWrite, in: household.region) else {
                throw ServiceError.notFound
            }
            guard household.version == expectedVersion else { throw ServiceError.versionConflict(current: household.version) }
            let updated = try await change(household, actor, now, db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "household", entityID: String(id), region: household.region, before: household,
                           after: updated),
                on: db, at: now)
            return updated
        }
    }

    static func requireRead(_ household: Household, _ principal: Principal) throws(ServiceError) {
        if AccessPolicy.allows(principal.role, .householdRead) {
            try principal.require(.householdRead, in: household.region)
        } else if let own = principal.personID, household.members.contains(where: { $0.personID == own }) {
            return
        } else {
            throw AccessPolicy.allows(principal.role, .ownRecordRead) ? .notFound : .forbidden
        }
    }
}
