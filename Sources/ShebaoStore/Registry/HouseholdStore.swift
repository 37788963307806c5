import SQLKit
public import ShebaoCore

/// Households: members and their relation to the head, a change of head, moving a member.
///
/// A household is registered in a community or village, and so are its members: joining a
/// household moves a person's household registration (户籍) there, as a new person version.
public struct HouseholdStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    static let versions = VersionLog<Household>(table: "household_versions", ownerColumn: "household_id")

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// A household with its members, if `principal` may see it.
    public func find(id: Int64, by principal: Principal) async throws -> Household? {
        guard let household = try await database.read({ db in try await Self.load(id: id, on: db) }),
            principal.decide(.householdRead, in: household.region) == .allowed
                || (principal.personID.map { person in household.members.contains { $0.personID == person } } ?? false)
        else { return nil }
        return household
    }

    /// Households registered inside `scope`, by id, with their members.
    public func list(in scope: RegionCode, page: Int = 1, perPage: Int = 50) async throws -> Page<Household> {
        let page = max(1, page)
        let perPage = min(max(1, perPage), PersonStore.maximumPerPage)
        let condition = PersonStore.scopeCondition(scope, column: "h.region_code")
        return try await database.read { db in
            let total = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM households h WHERE \(condition)")
            let ids = try await db.raw(
                "SELECT h.id FROM households h WHERE \(condition) ORDER BY h.id LIMIT \(literal: perPage) OFFSET \(literal: (page - 1) * perPage)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            var households: [Household] = []
            for id in ids { if let household = try await Self.load(id: id, on: db) { households.append(household) } }
            return Page(items: households, total: total, page: page, perPage: perPage)
        }
    }

    /// Registers a household with its members; exactly one is the head.
    public func create(registerNumber: String, region: RegionCode, address: String?, members: [(personID: Int64, relation: HouseholdRelation)],
                       reason: String, by principal: Principal) async throws -> Household {
        guard region.level == .village else { throw HouseholdError.regionNotAVillage(region) }
        guard principal.decide(.householdWrite, in: region) == .allowed else { throw StoreError.notFound("region") }
        let heads = members.filter { $0.relation == .head }.count
        guard heads == 1 else { throw HouseholdError.needsExactlyOneHead(count: heads) }
        let now = clock.now()
        let dialect = database.dialect
        do {
            return try await database.write { db in
                try await Self.insert(registerNumber: registerNumber, region: region, address: address, members: members, on: db, by: principal, reason: reason, at: now)
            }
        } catch where dialect.isUniqueViolation(error) {
            throw HouseholdError.registerNumberTaken(registerNumber)
        }
    }

    /// The creation itself, inside the caller's transaction (imports create many at once).
    static func insert(registerNumber: String, region: RegionCode, address: String?, members: [(personID: Int64, relation: HouseholdRelation)],
                       on db: any SQLDatabase, by principal: Principal, reason: String, at now: Timestamp) async throws -> Household {
        let row = try await db.raw(
            """
            INSERT INTO households (register_number, region_code, address, version, created_at, updated_at)
            VALUES (\(bind: registerNumber), \(bind: region.value), \(bind: address), 1, \(bind: now.iso8601), \(bind: now.iso8601)) RETURNING id
            """
        ).first()
        let id = try row!.decode(column: "id", as: Int64.self)
        for member in members {
            try await join(personID: member.personID, household: id, region: region, relation: member.relation,
                           on: db, by: principal, reason: reason, at: now)
        }
        guard let household = try await load(id: id, on: db) else { throw StoreError.notFound("household") }
        try await versions.append(id: id, version: 1, record: household, on: db, by: AuditActor(principal), reason: reason, at: now)
        try await AuditLog.append(
            AuditEvent(actor: AuditActor(principal), action: .create, entity: "household", entityID: String(id), region: region, after: household),
            on: db, dialect: Dialect(db), at: now)
        return household
    }

    /// Makes `newHead` the head; the former head takes `formerHeadRelation`.
    public func changeHead(householdID: Int64, to newHead: Int64, formerHeadRelation: HouseholdRelation, expectedVersion: Int64,
                           reason: String, by principal: Principal) async throws -> Household? {
        try await change(householdID: householdID, expectedVersion: expectedVersion, reason: reason, by: principal) { household, db, now in
            let relations = try household.changingHead(to: newHead, formerHeadRelation: formerHeadRelation)
            for (person, relation) in relations {
                try await db.raw(
                    "UPDATE household_members SET relation = \(bind: relation.rawValue) WHERE household_id = \(bind: householdID) AND person_id = \(bind: person)"
                ).run()
            }
        }
    }

    /// Moves a person into this household (from wherever they were), with their relation to its head.
    public func moveIn(personID: Int64, to householdID: Int64, relation: HouseholdRelation, expectedVersion: Int64,
                       reason: String, by principal: Principal) async throws -> Household? {
        guard relation != .head else { throw HouseholdError.needsExactlyOneHead(count: 2) }
        return try await change(householdID: householdID, expectedVersion: expectedVersion, reason: reason, by: principal) { household, db, now in
            if let membership = try await db.raw(
                "SELECT household_id, relation FROM household_members WHERE person_id = \(bind: personID)"
            ).first() {
                let from = try membership.decode(column: "household_id", as: Int64.self)
                if from == householdID { throw HouseholdError.alreadyInAHousehold(personID: personID, householdID: from) }
                let others = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM household_members WHERE household_id = \(bind: from)")
                if try membership.decode(column: "relation", as: String.self) == HouseholdRelation.head.rawValue && others > 1 {
                    throw HouseholdError.headCannotLeave
                }
                guard let old = try await Self.load(id: from, on: db), principal.decide(.householdWrite, in: old.region) == .allowed else {
                    throw StoreError.notFound("household")
                }
                try await db.raw("DELETE FROM household_members WHERE person_id = \(bind: personID)").run()
                try await Self.bumpVersion(from, on: db, by: principal, reason: reason, at: now)
            }
            try await Self.join(personID: personID, household: householdID, region: household.region, relation: relation,
                                on: db, by: principal, reason: reason, at: now)
        }
    }

    /// Which of `numbers` are already taken (for imports).
    public func existingRegisterNumbers(_ numbers: [String]) async throws -> Set<String> {
        try await database.read { db in
            var found: Set<String> = []
            for chunk in numbers.chunked(into: 500) {
                for row in try await db.raw("SELECT register_number FROM households WHERE register_number IN (\(binds: Array(chunk)))").all() {
                    found.insert(try row.decode(column: "register_number", as: String.self))
                }
            }
            return found
        }
    }

    public func history(of id: Int64) async throws -> [RecordVersion<Household>] {
        try await database.read { db in try await Self.versions.history(of: id, on: db) }
    }

    // MARK: Internals

    /// Runs `body` on a household the principal may change, at the version they saw, then saves a new version.
    private func change(householdID: Int64, expectedVersion: Int64, reason: String, by principal: Principal,
                        _ body: @Sendable @escaping (Household, any SQLDatabase, Timestamp) async throws -> Void) async throws -> Household? {
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            _ = try await db.raw("SELECT id FROM households WHERE id = \(bind: householdID)\(unsafeRaw: dialect.forUpdate)").first()
            guard let household = try await Self.load(id: householdID, on: db),
                principal.decide(.householdWrite, in: household.region) == .allowed
            else { return nil }
            guard household.version == expectedVersion else { throw PersonStoreError.versionConflict(current: household.version) }
            try await body(household, db, now)
            try await Self.bumpVersion(householdID, on: db, by: principal, reason: reason, at: now)
            let updated = try await Self.load(id: householdID, on: db)
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .update, entity: "household", entityID: String(householdID),
                           region: household.region, before: household, after: updated),
                on: db, dialect: dialect, at: now)
            return updated
        }
    }

    private static func bumpVersion(_ id: Int64, on db: any SQLDatabase, by principal: Principal, reason: String, at now: Timestamp) async throws {
        try await db.raw("UPDATE households SET version = version + 1, updated_at = \(bind: now.iso8601) WHERE id = \(bind: id)").run()
        guard let household = try await load(id: id, on: db) else { return }
        try await versions.append(id: id, version: household.version, record: household, on: db, by: AuditActor(principal), reason: reason, at: now)
    }

    /// Adds a member and moves their household registration to the household's place.
    private static func join(personID: Int64, household: Int64, region: RegionCode, relation: HouseholdRelation,
                             on db: any SQLDatabase, by principal: Principal, reason: String, at now: Timestamp) async throws {
        guard let person = try await db.raw("SELECT \(unsafeRaw: PersonStore.columns) FROM persons p WHERE p.id = \(bind: personID)").first()
            .map(PersonStore.decode), principal.decide(.personWrite, in: person.region) == .allowed, person.mergedInto == nil
        else { throw HouseholdError.notAMember(personID) }
        if let existing = try await db.raw("SELECT household_id FROM household_members WHERE person_id = \(bind: personID)").first() {
            throw HouseholdError.alreadyInAHousehold(personID: personID, householdID: try existing.decode(column: "household_id", as: Int64.self))
        }
        try await db.raw(
            """
            INSERT INTO household_members (household_id, person_id, relation, joined_on)
            VALUES (\(bind: household), \(bind: personID), \(bind: relation.rawValue), \(bind: now.dateInChina.description))
            """
        ).run()
        var moved = person
        moved.householdID = household
        moved.region = region
        moved.version += 1
        try await PersonStore.write(moved, on: db, at: now)
        try await PersonStore.snapshotVersions(ids: [moved.id], on: db, dialect: Dialect(db), by: AuditActor(principal), reason: reason, at: now.iso8601)
    }

    static func load(id: Int64, on db: any SQLDatabase) async throws -> Household? {
        guard let row = try await db.raw("SELECT id, register_number, region_code, address, version FROM households WHERE id = \(bind: id)").first() else { return nil }
        let members = try await db.raw(
            """
            SELECT m.person_id, m.relation, p.name, p.resident_id FROM household_members m JOIN persons p ON p.id = m.person_id
            WHERE m.household_id = \(bind: id) ORDER BY CASE WHEN m.relation = 'head' THEN 0 ELSE 1 END, p.birth_date
            """
        ).all().map { row in
            Household.Member(
                personID: try row.decode(column: "person_id", as: Int64.self),
                name: try row.decode(column: "name", as: String.self),
                residentID: ResidentID(trusted: try row.decode(column: "resident_id", as: String.self)),
                relation: HouseholdRelation(rawValue: try row.decode(column: "relation", as: String.self)) ?? .other)
        }
        return Household(
            id: try row.decode(column: "id", as: Int64.self),
            registerNumber: try row.decode(column: "register_number", as: String.self),
            region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
            address: try row.decode(column: "address", as: String?.self),
            members: members,
            version: try row.decode(column: "version", as: Int64.self))
    }
}

extension HouseholdStore {
    /// Version 1 of every household that has none yet, built as JSON inside the database (bulk creation).
    static func snapshotVersions(on db: any SQLDatabase, dialect: Dialect, by actor: AuditActor, reason: String, at now: Timestamp) async throws {
        let member = dialect.jsonObject([
            ("personID", "m.person_id"), ("name", "p.name"), ("residentID", "p.resident_id"), ("relation", "m.relation"),
        ], asText: false)
        let members: String
        switch dialect {
        // json() keeps the array a JSON value (not a string) when it crosses the subquery.
        case .sqlite: members = "json((SELECT json_group_array(\(member)) FROM household_members m JOIN persons p ON p.id = m.person_id WHERE m.household_id = h.id))"
        case .postgres: members = "(SELECT COALESCE(json_agg(\(member)), '[]'::json) FROM household_members m JOIN persons p ON p.id = m.person_id WHERE m.household_id = h.id)"
        }
        let snapshot = dialect.jsonObject([
            ("id", "h.id"), ("registerNumber", "h.register_number"), ("region", "h.region_code"), ("address", "h.address"),
            ("members", members), ("version", "h.version"),
        ])
        try await db.raw(
            """
            INSERT INTO household_versions (household_id, version, changed_at, changed_by, changed_by_name, reason, snapshot)
            SELECT h.id, h.version, \(bind: now.iso8601), \(bind: actor.userID), \(bind: actor.name), \(bind: reason), \(unsafeRaw: snapshot)
            FROM households h WHERE NOT EXISTS (SELECT 1 FROM household_versions v WHERE v.household_id = h.id)
            """
        ).run()
    }
}
