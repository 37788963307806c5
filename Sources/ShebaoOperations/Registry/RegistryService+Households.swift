public import ShebaoCore
public import ShebaoStore
import SQLKit

/// Households: list, register with a head, change of head, moving a member in.
extension RegistryService {
    /// Households inside the caller's scope, or inside `region` (a place in it).
    /// With `matching`, those whose register number or head's name starts so.
    public func households(region text: String?, matching: String? = nil, paging: Paging = Paging(), by principal: Principal) async throws(ServiceError) -> Page<Household> {
        try principal.require(.householdRead)
        var scope = principal.scope
        if let text { scope = try await regionFilter(text, by: principal) }
        let within = scope
        let typed = matching.map { $0.trimmingUnicodeWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        if let typed, typed.count > 60 { throw .invalid("q", "field.too_long", ["max": "60"]) }
        return try await context.read { db in try await HouseholdStore().list(in: within, matching: typed, paging: paging, on: db) }
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

    /// Registers a household from one form: its members as rows, the head first, each typed once
    /// by resident ID. A person already registered in the caller's scope joins as they are (their
    /// household registration moves to the village); a person new to the registry is registered in
    /// the same transaction with the name typed, sex and birth date from the ID, the household's
    /// village and address. The register number (户号) is the system's, never the clerk's.
    /// Every problem is reported at once, beside its row; nothing is stored unless all is well.
    public func registerHousehold(_ form: HouseholdRegistration, by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        try principal.require(.personWrite)
        var issues: [FieldIssue] = []
        let village = try await village(form.region, by: principal, issues: &issues)
        var address: String?
        switch FieldRules.text(form.address, field: "address", max: 200) {
        case .success(let value): address = value
        case .failure(let issue): issues.append(issue)
        }
        let strings = context.strings
        var hukou: HukouType?
        switch FieldRules.choice(form.hukouType, field: "hukouType", labels: { (value: HukouType) in strings.labels(value.labelKey) }, required: false) {
        case .success(let value): hukou = value
        case .failure(let issue): issues.append(issue)
        }
        var members: [HouseholdRegistration.Member] = []
        switch form.members(today: context.today) {
        case .success(let checked): members = checked
        case .failure(let found): issues += found.issues
        }
        issues += try await unnamedNewcomers(form, typeChosen: hukou != nil)
        if !issues.isEmpty { throw .invalid(issues) }
        guard let village else { throw .invalid(issues) }
        let (checked, newHukou, homeAddress) = (members, hukou, address)
        let scope = principal.scope
        let actor = AuditActor(principal)
        let reason = Self.reason(form.reason, otherwise: "registered")
        let now = context.now
        return try await context.write { db in
            let persons = PersonStore()
            // Who is registered already: in scope and in no household, they join; anyone else is refused by row.
            var rows: [(person: Person?, member: HouseholdRegistration.Member)] = []
            var problems: [FieldIssue] = []
            let registered = try await persons.existingResidentIDs(checked.map(\.residentID.value), on: db)
            let inScope = try await persons.find(residentIDs: checked.map(\.residentID), in: scope, on: db)
            for member in checked {
                let idField = HouseholdRegistration.field(member.row, "residentID")
                guard registered.contains(member.residentID.value) else {
                    if member.name == nil { problems.append(FieldIssue(HouseholdRegistration.field(member.row, "name"), "household.new_member_name")) }
                    if newHukou == nil && !problems.contains(where: { $0.field == "hukouType" }) {
                        problems.append(FieldIssue("hukouType", "household.new_member_hukou"))
                    }
                    rows.append((nil, member))
                    continue
                }
                guard let person = inScope[member.residentID.value], principal.may(.personWrite, in: person.region) else {
                    problems.append(FieldIssue(idField, "import.already_registered", ["id": member.residentID.masked]))
                    continue
                }
                if let membership = try await HouseholdStore().membership(of: person.id, on: db),
                   let other = try await HouseholdStore().find(id: membership.householdID, on: db) {
                    problems.append(FieldIssue(idField, "household.member_elsewhere", ["name": person.name, "number": other.registerNumber]))
                    continue
                }
                rows.append((person, member))
            }
            if !problems.isEmpty { throw ServiceError.invalid(problems) }
            let fresh = rows.filter { $0.person == nil }.map(\.member)
            if !fresh.isEmpty, let hukou = newHukou {
                let news = fresh.map { member in
                    NewPerson(residentID: member.residentID, details: PersonDetails(
                        name: member.name ?? "", hukouType: hukou, region: village, address: homeAddress, phone: member.phone))
                }
                let ids = try await persons.insert(news, by: actor, reason: reason, at: now, on: db)
                for (id, new) in zip(ids, news) {
                    try await context.append(
                        AuditEvent(actor: actor, action: .create, entity: "person", entityID: String(id), region: village, after: new), on: db, at: now)
                }
            }
            let registeredNow = try await persons.find(residentIDs: fresh.map(\.residentID), in: scope, on: db)
            let joining = rows.compactMap { row in
                (row.person ?? registeredNow[row.member.residentID.value]).map { (person: $0, relation: row.member.relation) }
            }
            let number = try await HouseholdStore().nextRegisterNumber(in: village, on: db)
            let household = try await HouseholdStore().create(registerNumber: number, region: village, address: homeAddress, members: joining,
                                                              by: actor, reason: reason, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "household", entityID: String(household.id), region: village, after: household), on: db, at: now)
            return household
        }
    }

    /// Rows whose (valid) ID nobody is registered under and that have no name, and a missing
    /// registration type when any row is new: told with the form's other problems, all at once.
    private func unnamedNewcomers(_ form: HouseholdRegistration, typeChosen: Bool) async throws(ServiceError) -> [FieldIssue] {
        let today = context.today
        let typed = form.rows.enumerated().compactMap { index, row in
            (try? ResidentID(row.residentID ?? "", today: today)).map { (index: index, id: $0.value, named: !(row.name ?? "").trimmingUnicodeWhitespace().isEmpty) }
        }
        if typed.isEmpty { return [] }
        let ids = typed.map(\.id)
        let known = try await context.read { db in try await PersonStore().existingResidentIDs(ids, on: db) }
        let new = typed.filter { !known.contains($0.id) }
        var issues = new.filter { !$0.named }.map { FieldIssue(HouseholdRegistration.field($0.index, "name"), "household.new_member_name") }
        if !new.isEmpty && !typeChosen { issues.append(FieldIssue("hukouType", "household.new_member_hukou")) }
        return issues
    }

    /// The village a household is registered in: a known community or village inside the caller's scope.
    private func village(_ text: String?, by principal: Principal, issues: inout [FieldIssue]) async throws(ServiceError) -> RegionCode? {
        let typed = (text ?? "").trimmingASCIIWhitespace()
        if typed.isEmpty { issues.append(FieldIssue("region", "field.required")); return nil }
        guard let region = try? RegionCode(typed) else { issues.append(FieldIssue("region", "region_code.unknown", ["code": typed])); return nil }
        let known = try await context.perform { try await context.regions.contains(region) }
        if !known { issues.append(FieldIssue("region", "region_code.unknown", ["code": typed])); return nil }
        if !principal.scope.contains(region) { issues.append(FieldIssue("region", "region.outside_scope", ["code": region.value])); return nil }
        if region.level != .village { issues.append(FieldIssue("region", "household.region_not_village", ["code": region.value])); return nil }
        return region
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

    /// A person joins the household of a register number (from the person's page): moved from
    /// wherever they were, as `moveIn` does.
    public func joinHousehold(person personID: Int64, registerNumber: String?, relation: String?, reason: String?,
                              by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        let person = try await person(personID, by: principal)
        let number = (registerNumber ?? "").trimmingASCIIWhitespace()
        var issues: [FieldIssue] = []
        if number.isEmpty { issues.append(FieldIssue("registerNumber", "field.required")) }
        if (relation ?? "").trimmingASCIIWhitespace().isEmpty { issues.append(FieldIssue("relation", "field.required")) }
        if (reason ?? "").trimmingASCIIWhitespace().isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        if !issues.isEmpty { throw .invalid(issues) }
        let found = try await context.read { db in try await HouseholdStore().find(registerNumber: number, on: db) }
        guard let household = found, principal.may(.householdWrite, in: household.region) else {
            throw .invalid("registerNumber", "household.number_unknown", ["number": number])
        }
        if household.members.contains(where: { $0.personID == person.id }) {
            throw .invalid("registerNumber", "household.already_in_this", ["number": number])
        }
        return try await moveIn(household.id, residentID: person.residentID.value, relation: relation ?? "", expectedVersion: household.version,
                                reason: reason, by: principal)
    }

    /// A member leaves their household (分户, moving away): the person keeps their record without a
    /// household; the head hands the headship to another member first.
    public func leaveHousehold(person personID: Int64, expectedVersion: Int64?, reason: String?, by principal: Principal) async throws(ServiceError) -> Household {
        try principal.require(.householdWrite)
        let person = try await person(personID, by: principal)
        guard let householdID = person.householdID else { throw .invalid("person", "household.not_a_member") }
        let reasonText = (reason ?? "").trimmingASCIIWhitespace()
        if reasonText.isEmpty { throw .invalid("reason", "field.required") }
        return try await changeHousehold(householdID, expectedVersion: expectedVersion, by: principal) { household, actor, now, db in
            guard let current = try await PersonStore().find(id: person.id, on: db), principal.may(.personWrite, in: current.region) else {
                throw ServiceError.notFound
            }
            return try await HouseholdStore().leave(current, household: household, by: actor, reason: reasonText, at: now, on: db)
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
