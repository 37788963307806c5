public import SQLKit
public import ShebaoCore

/// Households (户): members and their relation to the head, inside the caller's connection.
///
/// A household is registered in a community or village, and so are its members: joining a
/// household moves a person's household registration (户籍) there, as a new person version.
public struct HouseholdStore: Sendable {
    public init() {}

    public static let versions = VersionLog<Household>(table: "household_versions", ownerColumn: "household_id")

    public func find(id: Int64, on db: any SQLDatabase) async throws -> Household? {
        guard let row = try await db.raw("SELECT id, register_number, region_code, address, version FROM households WHERE id = \(bind: id)").first() else {
            return nil
        }
        let reader = try RowReader(row, table: "households")
        let members = try await db.raw(
            """
            SELECT m.person_id, m.relation, p.name, p.resident_id FROM household_members m JOIN persons p ON p.id = m.person_id
            WHERE m.household_id = \(bind: id) ORDER BY CASE WHEN m.relation = 'head' THEN 0 ELSE 1 END, p.birth_date
            """
        ).all().map { row in
            let member = try RowReader(row, table: "household_members", keyColumn: "person_id")
            return Household.Member(personID: try member.int("person_id"), name: try member.string("name"),
                                    residentID: try member.residentID("resident_id"), relation: try member.value("relation", as: HouseholdRelation.self))
        }
        return Household(id: try reader.int("id"), registerNumber: try reader.string("register_number"), region: try reader.region("region_code"),
                         address: try reader.optionalString("address"), members: members, version: try reader.int("version"))
    }

    /// The household of a register number (户号).
    public func find(registerNumber: String, on db: any SQLDatabase) async throws -> Household? {
        guard let id = try await db.raw("SELECT id FROM households WHERE register_number = \(bind: registerNumber)").first()?.decode(column: "id", as: Int64.self) else {
            return nil
        }
        return try await find(id: id, on: db)
    }

    /// The household of `id`, its row locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> Household? {
        _ = try await db.raw("SELECT id FROM households WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first()
        return try await find(id: id, on: db)
    }

    /// Households registered inside `scope`, by id, with their members; with `matching`, those
    /// whose register number starts so (digits and dashes) or whose head's name starts so.
    public func list(in scope: RegionCode, matching text: String? = nil, paging: Paging = Paging(), on db: any SQLDatabase) async throws -> Page<Household> {
        var condition = SQLPieces.scope(scope, column: "h.region_code")
        if let text, !text.isEmpty {
            // A prefix as a range (what the person search does): no LIKE escapes, the same on both databases.
            let collate = Dialect(db).binaryCollation
            let upper = text + "\u{10FFFF}"
            if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) {
                condition = """
                    \(condition) AND h.register_number\(unsafeRaw: collate) >= \(bind: text) AND h.register_number\(unsafeRaw: collate) < \(bind: upper)
                    """
            } else {
                condition = """
                    \(condition) AND EXISTS (SELECT 1 FROM household_members m JOIN persons p ON p.id = m.person_id
                    WHERE m.household_id = h.id AND m.relation = 'head' AND p.name\(unsafeRaw: collate) >= \(bind: text) AND p.name\(unsafeRaw: collate) < \(bind: upper))
                    """
            }
        }
        let total = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM households h WHERE \(condition)")
        let ids = try await db.raw("SELECT h.id FROM households h WHERE \(condition) ORDER BY h.id \(SQLPieces.page(paging))").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        var households: [Household] = []
        for id in ids { if let household = try await find(id: id, on: db) { households.append(household) } }
        return Page(items: households, total: total, page: paging.page, perPage: paging.perPage)
    }

    /// The household `personID` belongs to and their relation to its head, if any.
    public func membership(of personID: Int64, on db: any SQLDatabase) async throws -> (householdID: Int64, relation: HouseholdRelation)? {
        guard let row = try await db.raw("SELECT household_id, relation FROM household_members WHERE person_id = \(bind: personID)").first() else {
            return nil
        }
        let reader = try RowReader(row, table: "household_members", keyColumn: "household_id")
        return (try reader.int("household_id"), try reader.value("relation", as: HouseholdRelation.self))
    }

    /// Registers a household and its members (persons the caller may change) in the caller's
    /// transaction; exactly one member is the head.
    public func create(registerNumber: String, region: RegionCode, address: String?, members: [(person: Person, relation: HouseholdRelation)],
                       by actor: AuditActor, reason: String, at now: Timestamp, on db: any SQLDatabase) async throws -> Household {
        let heads = members.filter { $0.relation == .head }.count
        guard heads == 1 else { throw HouseholdError.needsExactlyOneHead(count: heads) }
        guard region.level == .village else { throw HouseholdError.regionNotAVillage(region) }
        let row = try await db.raw(
            """
            INSERT INTO households (register_number, region_code, address, version, created_at, updated_at)
            VALUES (\(bind: registerNumber), \(bind: region.value), \(bind: address), 1, \(bind: now.iso8601), \(bind: now.iso8601)) RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("households") }
        for member in members {
            try await join(member.person, household: id, region: region, relation: member.relation, by: actor, reason: reason, at: now, on: db)
        }
        guard let household = try await find(id: id, on: db) else { throw StoreError.notFound("household \(id)") }
        try await Self.versions.append(id: id, version: 1, record: household, by: actor, reason: reason, at: now, on: db)
        return household
    }

    /// Makes `newHead` the head; the former head takes `formerHeadRelation`. The caller holds the row.
    public func changeHead(of household: Household, to newHead: Int64, formerHeadRelation: HouseholdRelation, by actor: AuditActor,
                           reason: String, at now: Timestamp, on db: any SQLDatabase) async throws -> Household {
        let relations = try household.changingHead(to: newHead, formerHeadRelation: formerHeadRelation)
        for (person, relation) in relations.sorted(by: { $0.key < $1.key }) {
            try await db.raw(
                "UPDATE household_members SET relation = \(bind: relation.rawValue) WHERE household_id = \(bind: household.id) AND person_id = \(bind: person)"
            ).run()
        }
        return try await bumpVersion(household.id, by: actor, reason: reason, at: now, on: db)
    }

    /// Moves `person` into `household` with their relation to its head; from `from`, when they
    /// were a member elsewhere (that household gets a new version too). The caller holds both rows.
    public func moveIn(_ person: Person, to household: Household, relation: HouseholdRelation, from previous: Household?, by actor: AuditActor,
                       reason: String, at now: Timestamp, on db: any SQLDatabase) async throws -> Household {
        guard relation != .head else { throw HouseholdError.needsExactlyOneHead(count: 2) }
        if let previous {
            guard previous.id != household.id else { throw HouseholdError.alreadyInAHousehold(personID: person.id, householdID: previous.id) }
            if previous.members.first(where: { $0.personID == person.id })?.relation == .head && previous.members.count > 1 {
                throw HouseholdError.headCannotLeave
            }
            try await db.raw("DELETE FROM household_members WHERE person_id = \(bind: person.id)").run()
            _ = try await bumpVersion(previous.id, by: actor, reason: reason, at: now, on: db)
        }
        var moving = person
        moving.householdID = nil
        try await join(moving, household: household.id, region: household.region, relation: relation, by: actor, reason: reason, at: now, on: db)
        return try await bumpVersion(household.id, by: actor, reason: reason, at: now, on: db)
    }

    /// Hands a merged record's place in a household to the kept record, or drops it when the kept
    /// record has a household of its own.
    public func transferMembership(from merged: Person, to kept: Person, on db: any SQLDatabase) async throws -> Int64? {
        if kept.householdID == nil, let household = merged.householdID {
            try await db.raw("UPDATE household_members SET person_id = \(bind: kept.id) WHERE person_id = \(bind: merged.id)").run()
            return household
        }
        try await db.raw("DELETE FROM household_members WHERE person_id = \(bind: merged.id)").run()
        return kept.householdID
    }

    /// The register number and head's name of each household in `ids` (one query per 500), for lists.
    public func numbersAndHeads(of ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: (number: String, head: String)] {
        var found: [Int64: (number: String, head: String)] = [:]
        for chunk in Array(Set(ids)).sorted().chunked(into: 500) {
            for row in try await db.raw(
                """
                SELECT h.id, h.register_number, COALESCE(p.name, '') AS head FROM households h
                LEFT JOIN household_members m ON m.household_id = h.id AND m.relation = 'head' LEFT JOIN persons p ON p.id = m.person_id
                WHERE h.id IN (\(binds: Array(chunk)))
                """
            ).all() {
                let reader = try RowReader(row, table: "households")
                found[try reader.int("id")] = (try reader.string("register_number"), try reader.string("head"))
            }
        }
        return found
    }

    /// The register number the village's next household gets (village code, a dash, one more than
    /// its highest). The village's region row is locked first, so two clerks registering households
    /// in one village at once get consecutive numbers instead of the same one (on PostgreSQL; an
    /// SQLite write transaction is serialised already).
    public func nextRegisterNumber(in village: RegionCode, on db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT code FROM regions WHERE code = \(bind: village.value)\(unsafeRaw: Dialect(db).forNoKeyUpdate)").run()
        let taken = try await db.raw("SELECT register_number FROM households WHERE region_code = \(bind: village.value)").all()
            .map { try $0.decode(column: "register_number", as: String.self) }
        return Household.nextRegisterNumber(in: village, taken: taken)
    }

    /// Takes `person` out of `household` (分户 or moving away); the head cannot leave — another
    /// member becomes head first, and a household is never left without members. The caller holds the row.
    public func leave(_ person: Person, household: Household, by actor: AuditActor, reason: String, at now: Timestamp,
                      on db: any SQLDatabase) async throws -> Household {
        guard let member = household.members.first(where: { $0.personID == person.id }) else { throw HouseholdError.notAMember(person.id) }
        guard member.relation != .head else { throw HouseholdError.headCannotLeave }
        try await db.raw("DELETE FROM household_members WHERE person_id = \(bind: person.id) AND household_id = \(bind: household.id)").run()
        var left = person
        left.householdID = nil
        left.version += 1
        let persons = PersonStore()
        try await persons.save(left, at: now, on: db)
        try await persons.recordVersions(ids: [left.id], by: actor, reason: reason, at: now, on: db)
        return try await bumpVersion(household.id, by: actor, reason: reason, at: now, on: db)
    }

    /// Which of `numbers` are already taken (for imports).
    public func existingRegisterNumbers(_ numbers: [String], on db: any SQLDatabase) async throws -> Set<String> {
        var found: Set<String> = []
        for chunk in numbers.chunked(into: 500) {
            for row in try await db.raw("SELECT register_number FROM households WHERE register_number IN (\(binds: Array(chunk)))").all() {
                found.insert(try row.decode(column: "register_number", as: String.self))
            }
        }
        return found
    }

    public func history(of id: Int64, on db: any SQLDatabase) async throws -> [RecordVersion<Household>] {
        try await Self.versions.history(of: [id], on: db)
    }

    public func count(on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM households")
    }

    // MARK: Internals

    private func bumpVersion(_ id: Int64, by actor: AuditActor, reason: String, at now: Timestamp, on db: any SQLDatabase) async throws -> Household {
        try await db.raw("UPDATE households SET version = version + 1, updated_at = \(bind: now.iso8601) WHERE id = \(bind: id)").run()
        guard let household = try await find(id: id, on: db) else { throw StoreError.notFound("household \(id)") }
        try await Self.versions.append(id: id, version: household.version, record: household, by: actor, reason: reason, at: now, on: db)
        return household
    }

    /// Adds a member and moves their household registration to the household's place.
    private func join(_ person: Person, household: Int64, region: RegionCode, relation: HouseholdRelation, by actor: AuditActor,
                      reason: String, at now: Timestamp, on db: any SQLDatabase) async throws {
        guard person.mergedInto == nil else { throw HouseholdError.notAMember(person.id) }
        if let existing = try await membership(of: person.id, on: db) {
            throw HouseholdError.alreadyInAHousehold(personID: person.id, householdID: existing.householdID)
        }
        try await db.raw(
            """
            INSERT INTO household_members (household_id, person_id, relation, joined_on)
            VALUES (\(bind: household), \(bind: person.id), \(bind: relation.rawValue), \(bind: now.dateInChina.description))
            """
        ).run()
        var moved = person
        moved.householdID = household
        moved.region = region
        moved.version += 1
        let persons = PersonStore()
        try await persons.save(moved, at: now, on: db)
        try await persons.recordVersions(ids: [moved.id], by: actor, reason: reason, at: now, on: db)
    }
}

extension HouseholdStore {
    /// Version 1 of every household that has none yet, built as JSON inside the database (bulk creation).
    public func recordFirstVersions(by actor: AuditActor, reason: String, at now: Timestamp, on db: any SQLDatabase) async throws {
        let dialect = Dialect(db)
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
        try await Self.versions.appendSnapshots(
            from: "households h", idColumn: "h.id", versionColumn: "h.version", snapshot: snapshot,
            where: "NOT EXISTS (SELECT 1 FROM household_versions v WHERE v.household_id = h.id)", by: actor, reason: reason, at: now, on: db)
    }
}
