import Foundation
import SQLKit
public import ShebaoCore

/// One page of a list, with the total for the pager.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }
}

/// A person about to be registered (no id yet).
public struct NewPerson: Sendable, Codable {
    public var residentID: ResidentID
    public var details: PersonDetails

    public init(residentID: ResidentID, details: PersonDetails) {
        self.residentID = residentID
        self.details = details
    }

    public init(residentID: ResidentID, name: String, hukouType: HukouType, region: RegionCode,
                residenceRegion: RegionCode? = nil, address: String? = nil, phone: String? = nil) {
        self.init(residentID: residentID, details: PersonDetails(
            name: name, hukouType: hukouType, region: region, residenceRegion: residenceRegion, address: address, phone: phone))
    }

    public var region: RegionCode { details.region }
    public var name: String { details.name }
}

/// One version of a person's record: who changed it, when and why, and the record as it then was.
public struct PersonVersion: Sendable, Codable {
    public var version: Int64
    public var changedAt: String
    public var changedBy: String
    public var reason: String
    public var person: Person
}

/// Why a change to a person was refused.
public enum PersonStoreError: Error, Equatable, Sendable {
    /// Someone saved a newer version since the form was opened.
    case versionConflict(current: Int64)
    case invalid(FieldIssues)
    case duplicateResidentID(String)
}

/// Persons in the registry, always read within a caller's scope.
public struct PersonStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public static let maximumPerPage = 200

    // MARK: Reading

    /// The persons registered inside `scope`, by id (merged duplicates left out).
    public func list(in scope: RegionCode, page: Int = 1, perPage: Int = 50) async throws -> Page<Person> {
        try await search(PersonQuery(), in: scope, page: page, perPage: perPage)
    }

    /// Persons matching `query` inside `scope`. A name matches by prefix, and — for names of two
    /// characters or more — names of the same length with one wrong character follow the prefix
    /// matches. Always within scope; a region outside it matches nothing.
    public func search(_ query: PersonQuery, in scope: RegionCode, page: Int = 1, perPage: Int = 50) async throws -> Page<Person> {
        let page = max(1, page)
        let perPage = min(max(1, perPage), Self.maximumPerPage)
        guard let scope = query.effectiveScope(within: scope) else { return Page(items: [], total: 0, page: page, perPage: perPage) }
        var filters: [SQLQueryString] = [Self.scopeCondition(scope), "p.merged_into IS NULL"]
        if let id = query.residentID { filters.append("p.resident_id = \(bind: id.value)") }
        if let date = query.birthDate { filters.append("p.birth_date = \(bind: date.description)") }
        if let status = query.status { filters.append("p.status = \(bind: status.rawValue)") }
        let common = filters.joined(separator: " AND ")
        let collate = database.dialect.binaryCollation
        let offset = (page - 1) * perPage

        guard let name = query.name?.trimmingASCIIWhitespace(), !name.isEmpty else {
            return try await database.read { db in
                let total = try await Self.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(common)")
                let rows = try await db.raw(
                    "SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE \(common) ORDER BY p.id LIMIT \(literal: perPage) OFFSET \(literal: offset)"
                ).all()
                return Page(items: try rows.map(Self.decode), total: total, page: page, perPage: perPage)
            }
        }
        // Prefix matches come first, in name order (the index on name serves both range and order).
        let prefix: SQLQueryString = "p.name\(unsafeRaw: collate) >= \(bind: name) AND p.name\(unsafeRaw: collate) < \(bind: name + "\u{10FFFF}")"
        let keys = NameKeys.keys(for: name)
        let fuzzy: SQLQueryString? = keys.isEmpty ? nil : """
            p.id IN (SELECT k.person_id FROM person_name_keys k WHERE k.name_key IN (\(binds: keys))) AND p.name <> \(bind: name)
            """
        return try await database.read { db in
            let prefixTotal = try await Self.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(common) AND \(prefix)")
            var fuzzyTotal = 0
            if let fuzzy {
                fuzzyTotal = try await Self.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(common) AND \(fuzzy)")
            }
            var items: [Person] = []
            if offset < prefixTotal {
                items += try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE \(common) AND \(prefix)
                    ORDER BY p.name\(unsafeRaw: collate), p.id LIMIT \(literal: perPage) OFFSET \(literal: offset)
                    """
                ).all().map(Self.decode)
            }
            if let fuzzy, items.count < perPage, fuzzyTotal > 0 {
                let fuzzyOffset = max(0, offset - prefixTotal)
                items += try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE \(common) AND \(fuzzy)
                    ORDER BY p.name\(unsafeRaw: collate), p.id LIMIT \(literal: perPage - items.count) OFFSET \(literal: fuzzyOffset)
                    """
                ).all().map(Self.decode)
            }
            return Page(items: items, total: prefixTotal + fuzzyTotal, page: page, perPage: perPage)
        }
    }

    /// Every person matching `query` in `scope`, up to `limit`, for exports.
    public func all(_ query: PersonQuery, in scope: RegionCode, limit: Int) async throws -> [Person] {
        var people: [Person] = []
        var page = 1
        while people.count < limit {
            let batch = try await search(query, in: scope, page: page, perPage: Self.maximumPerPage)
            people += batch.items
            if !batch.hasNext { break }
            page += 1
        }
        return Array(people.prefix(limit))
    }

    /// A person by id without access checks, for code that has already decided access.
    public func find(id: Int64) async throws -> Person? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE p.id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// A person by resident ID within `scope`.
    public func find(residentID: ResidentID, in scope: RegionCode) async throws -> Person? {
        try await search(PersonQuery(residentID: residentID), in: scope, perPage: 1).items.first
    }

    /// One person's full record for `principal`, or nil when it does not exist **or** lies
    /// outside the principal's scope (the caller answers 404 either way). The read is audited.
    public func read(id: Int64, by principal: Principal) async throws -> Person? {
        guard let person = try await find(id: id), Self.mayRead(person, principal) else { return nil }
        let dialect = database.dialect
        let now = clock.now()
        try await database.write { db in
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .read, entity: "person", entityID: String(person.id), region: person.region),
                on: db, dialect: dialect, at: now)
        }
        return person
    }

    static func mayRead(_ person: Person, _ principal: Principal) -> Bool {
        principal.decide(.personRead, in: person.region) == .allowed
            || (principal.personID == person.id && principal.decide(.ownRecordRead) == .allowed)
    }

    /// Every version of a person's record, newest first (merged records' histories included).
    public func history(of id: Int64) async throws -> [PersonVersion] {
        try await database.read { db in
            let merged = try await db.raw("SELECT id FROM persons WHERE merged_into = \(bind: id)").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            let ids = [id] + merged
            return try await db.raw(
                """
                SELECT person_id, version, changed_at, changed_by_name, reason, snapshot FROM person_versions
                WHERE person_id IN (\(binds: ids)) ORDER BY changed_at DESC, person_id, version DESC
                """
            ).all().map { row in
                let snapshot = try row.decode(column: "snapshot", as: String.self)
                return PersonVersion(
                    version: try row.decode(column: "version", as: Int64.self),
                    changedAt: try row.decode(column: "changed_at", as: String.self),
                    changedBy: try row.decode(column: "changed_by_name", as: String.self),
                    reason: try row.decode(column: "reason", as: String.self),
                    person: try JSONDecoder().decode(Person.self, from: Data(snapshot.utf8)))
            }
        }
    }

    /// Names spread over the register (every 997th record), for benchmarks and tests.
    public func sampleNames(limit: Int) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT name FROM persons WHERE id % 997 = 0 ORDER BY id LIMIT \(literal: limit)").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
    }

    public func count(in scope: RegionCode) async throws -> Int {
        let condition = Self.scopeCondition(scope)
        return try await database.read { db in
            try await Self.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(condition) AND p.merged_into IS NULL")
        }
    }

    /// Persons per township (first 9 digits of the region code) inside `scope`.
    public func countsByTownship(in scope: RegionCode) async throws -> [RegionCode: Int] {
        let condition = Self.scopeCondition(scope)
        return try await database.read { db in
            var counts: [RegionCode: Int] = [:]
            for row in try await db.raw(
                """
                SELECT substr(p.region_code, 1, 9) AS township, CAST(COUNT(*) AS BIGINT) AS n FROM persons p
                WHERE \(condition) AND p.merged_into IS NULL GROUP BY substr(p.region_code, 1, 9)
                """
            ).all() {
                counts[RegionCode(trusted: try row.decode(column: "township", as: String.self) + "000")] = Int(try row.decode(column: "n", as: Int64.self))
            }
            return counts
        }
    }

    /// Which of `ids` are already registered (for imports: one query per 500 IDs).
    public func existingResidentIDs(_ ids: [String]) async throws -> Set<String> {
        try await database.read { db in
            var found: Set<String> = []
            for chunk in ids.chunked(into: 500) {
                for row in try await db.raw("SELECT resident_id FROM persons WHERE resident_id IN (\(binds: Array(chunk)))").all() {
                    found.insert(try row.decode(column: "resident_id", as: String.self))
                }
            }
            return found
        }
    }

    // MARK: Writing

    /// Registers new persons in one transaction, with their first version and name keys;
    /// refuses the whole batch when any resident ID is already registered. Returns the new ids
    /// in input order. `auditEach: false` writes one audit row for the batch (imports, demo).
    @discardableResult
    public func insert(_ persons: [NewPerson], by actor: AuditActor, reason: String = "registered", auditEach: Bool = true) async throws -> [Int64] {
        let dialect = database.dialect
        let now = clock.now()
        do {
            return try await database.write { db in
                try await Self.insert(persons, on: db, dialect: dialect, by: actor, reason: reason, auditEach: auditEach, at: now)
            }
        } catch where dialect.isUniqueViolation(error) {
            throw PersonStoreError.duplicateResidentID("")
        }
    }

    /// The insert itself, inside the caller's transaction (imports write several tables together).
    /// `householdIDs`, when given, is parallel to `persons`.
    static func insert(_ persons: [NewPerson], on db: any SQLDatabase, dialect: Dialect, by actor: AuditActor, reason: String,
                       auditEach: Bool, at now: Timestamp, householdIDs: [Int64?]? = nil) async throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(persons.count)
        let stamp = now.iso8601
        for (chunkIndex, chunk) in persons.chunked(into: 500).enumerated() {
            let insert = db.insert(into: "persons").columns(
                "resident_id", "name", "sex", "birth_date", "hukou_type", "region_code", "residence_region_code", "address", "phone",
                "bank_name", "bank_account", "disability_category", "disability_grade", "status", "death_date", "household_id",
                "version", "created_at", "updated_at")
            for (offset, person) in chunk.enumerated() {
                let details = person.details
                let household = householdIDs?[chunkIndex * 500 + offset] ?? nil
                let row: [any SQLExpression] = [
                    SQLBind(person.residentID.value), SQLBind(details.name), SQLBind(person.residentID.sex.rawValue),
                    SQLBind(person.residentID.birthDate.description), SQLBind(details.hukouType.rawValue), SQLBind(details.region.value),
                    SQLBind(details.residenceRegion?.value), SQLBind(details.address), SQLBind(details.phone), SQLBind(details.bankName),
                    SQLBind(details.bankAccount), SQLBind(details.disability?.category.rawValue), SQLBind(details.disability.map { Int64($0.grade) }),
                    SQLBind(details.status.rawValue), SQLBind(details.deathDate?.description), SQLBind(household),
                    SQLBind(Int64(1)), SQLBind(stamp), SQLBind(stamp),
                ]
                insert.values(row)
            }
            // RETURNING promises no order: map the new ids back by resident ID.
            var idByResident: [String: Int64] = [:]
            for row in try await insert.returning("id", "resident_id").all() {
                idByResident[try row.decode(column: "resident_id", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
            ids += chunk.map { idByResident[$0.residentID.value]! }
        }
        try await snapshotVersions(ids: ids, on: db, dialect: dialect, by: actor, reason: reason, at: stamp)
        try await rebuildNameKeys(ids: ids, on: db)
        if auditEach {
            for (person, id) in zip(persons, ids) {
                try await AuditLog.append(
                    AuditEvent(actor: actor, action: .create, entity: "person", entityID: String(id), region: person.region, after: person),
                    on: db, dialect: dialect, at: now)
            }
        } else if let first = ids.first, let last = ids.last {
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .create, entity: "person", entityID: "\(first)-\(last)", after: persons.map(\.residentID.value)),
                on: db, dialect: dialect, at: now)
        }
        return ids
    }

    /// Changes a person's details as a new version. `expectedVersion` is the version the clerk
    /// saw: if someone saved since, the change is refused rather than silently overwritten.
    public func update(id: Int64, to details: PersonDetails, expectedVersion: Int64, reason: String, by principal: Principal) async throws -> Person? {
        let dialect = database.dialect
        let now = clock.now()
        return try await database.write { db in
            guard let current = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE p.id = \(bind: id)\(unsafeRaw: dialect.forUpdate)")
                .first().map(Self.decode),
                principal.decide(.personWrite, in: current.region) == .allowed, current.mergedInto == nil
            else { return nil }
            guard current.version == expectedVersion else { throw PersonStoreError.versionConflict(current: current.version) }
            guard principal.scope.contains(details.region) else {
                throw PersonStoreError.invalid(FieldIssues([FieldIssue("region", "region.outside_scope", ["code": details.region.value])]))
            }
            var updated = current.applying(details)
            updated.version = current.version + 1
            try await Self.write(updated, on: db, at: now)
            try await Self.snapshotVersions(ids: [id], on: db, dialect: dialect, by: AuditActor(principal), reason: reason, at: now.iso8601)
            if updated.name != current.name { try await Self.rebuildNameKeys(ids: [id], on: db) }
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .update, entity: "person", entityID: String(id), region: updated.region,
                           before: current, after: updated),
                on: db, dialect: dialect, at: now)
            return updated
        }
    }

    /// Writes every column of `person` (inside a transaction that already holds the row).
    static func write(_ person: Person, on db: any SQLDatabase, at now: Timestamp) async throws {
        try await db.raw(
            """
            UPDATE persons SET name = \(bind: person.name), hukou_type = \(bind: person.hukouType.rawValue),
                region_code = \(bind: person.region.value), residence_region_code = \(bind: person.residenceRegion?.value),
                address = \(bind: person.address), phone = \(bind: person.phone), bank_name = \(bind: person.bankName),
                bank_account = \(bind: person.bankAccount), disability_category = \(bind: person.disability?.category.rawValue),
                disability_grade = \(bind: person.disability.map { Int64($0.grade) }), status = \(bind: person.status.rawValue),
                death_date = \(bind: person.deathDate?.description), household_id = \(bind: person.householdID),
                merged_into = \(bind: person.mergedInto), version = \(bind: person.version), updated_at = \(bind: now.iso8601)
            WHERE id = \(bind: person.id)
            """
        ).run()
    }

    /// Records the current state of the given persons as their new version, set-based: the
    /// snapshot is built as JSON inside the database, in the shape `Person` decodes.
    static func snapshotVersions(ids: [Int64], on db: any SQLDatabase, dialect: Dialect, by actor: AuditActor, reason: String, at stamp: String) async throws {
        let snapshot = dialect.jsonObject([
            ("id", "id"), ("residentID", "resident_id"), ("name", "name"), ("sex", "sex"), ("birthDate", "birth_date"),
            ("hukouType", "hukou_type"), ("region", "region_code"), ("residenceRegion", "residence_region_code"), ("address", "address"),
            ("phone", "phone"), ("bankName", "bank_name"), ("bankAccount", "bank_account"),
            ("disability", "CASE WHEN disability_category IS NULL THEN NULL ELSE "
                + dialect.jsonObject([("category", "disability_category"), ("grade", "disability_grade")], asText: false) + " END"),
            ("status", "status"), ("deathDate", "death_date"), ("householdID", "household_id"), ("mergedInto", "merged_into"), ("version", "version"),
        ])
        for condition in idConditions(ids, dialect: dialect) {
            try await db.raw(
                """
                INSERT INTO person_versions (person_id, version, changed_at, changed_by, changed_by_name, reason, snapshot)
                SELECT id, version, \(bind: stamp), \(bind: actor.userID), \(bind: actor.name), \(bind: reason), \(unsafeRaw: snapshot)
                FROM persons WHERE \(condition)
                """
            ).run()
        }
    }

    /// Recomputes the one-wrong-character keys of the given persons, set-based in SQL: for each
    /// character position, `substr(name, 1, p - 1) || '*' || substr(name, p + 1)`.
    static func rebuildNameKeys(ids: [Int64], on db: any SQLDatabase) async throws {
        for condition in idConditions(ids, dialect: Dialect(db)) {
            try await db.raw("DELETE FROM person_name_keys WHERE person_\(condition)").run()
            let longest = try await db.raw("SELECT CAST(COALESCE(MAX(length(name)), 0) AS BIGINT) AS n FROM persons WHERE \(condition)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            guard longest >= 2 else { continue }
            for position in 1...longest {
                try await db.raw(
                    """
                    INSERT INTO person_name_keys (name_key, person_id)
                    SELECT substr(name, 1, \(literal: Int(position) - 1)) || '*' || substr(name, \(literal: Int(position) + 1)), id
                    FROM persons WHERE \(condition) AND length(name) >= \(literal: max(2, Int(position)))
                    """
                ).run()
            }
        }
    }

    // MARK: SQL pieces

    /// Conditions on `id` that together select exactly `ids`. On SQLite, whose single writer
    /// holds the database, the ids of a batch just inserted are one range; elsewhere (and for
    /// scattered ids) lists of 500, since another transaction may have taken ids in between.
    static func idConditions(_ ids: [Int64], dialect: Dialect) -> [SQLQueryString] {
        guard let low = ids.min(), let high = ids.max() else { return [] }
        if dialect == .sqlite && high - low + 1 == Int64(ids.count) && Set(ids).count == ids.count {
            return ["id BETWEEN \(bind: low) AND \(bind: high)"]
        }
        return ids.chunked(into: 500).map { "id IN (\(binds: Array($0)))" }
    }

    /// `region_code` inside `scope`, as a range both databases answer from the index
    /// (a LIKE prefix would not use it under SQLite's case-insensitive LIKE).
    static func scopeCondition(_ scope: RegionCode, column: String = "p.region_code") -> SQLQueryString {
        let prefix = scope.scopePrefix
        if prefix.isEmpty { return "1 = 1" }
        let low = prefix + String(repeating: "0", count: 12 - prefix.count)
        let high = prefix + String(repeating: "9", count: 12 - prefix.count)
        return "\(unsafeRaw: column) BETWEEN \(bind: low) AND \(bind: high)"
    }

    static func count(_ db: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        Int(try await db.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    static let columns = """
        p.id, p.resident_id, p.name, p.hukou_type, p.region_code, p.residence_region_code, p.address, p.phone, p.bank_name,
        p.bank_account, p.disability_category, p.disability_grade, p.status, p.death_date, p.household_id, p.merged_into, p.version
        """

    static func decode(_ row: any SQLRow) throws -> Person {
        let category = try row.decode(column: "disability_category", as: String?.self).flatMap(DisabilityCategory.init(rawValue:))
        let grade = try row.decode(column: "disability_grade", as: Int64?.self)
        return Person(
            id: try row.decode(column: "id", as: Int64.self),
            residentID: ResidentID(trusted: try row.decode(column: "resident_id", as: String.self)),
            name: try row.decode(column: "name", as: String.self),
            hukouType: HukouType(rawValue: try row.decode(column: "hukou_type", as: String.self)) ?? .agricultural,
            region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
            residenceRegion: try row.decode(column: "residence_region_code", as: String?.self).map(RegionCode.init(trusted:)),
            address: try row.decode(column: "address", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            bankName: try row.decode(column: "bank_name", as: String?.self),
            bankAccount: try row.decode(column: "bank_account", as: String?.self),
            disability: category.map { Disability(category: $0, grade: Int(grade ?? 4)) },
            status: PersonStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .living,
            deathDate: try row.decode(column: "death_date", as: String?.self).flatMap(LocalDate.init(iso:)),
            householdID: try row.decode(column: "household_id", as: Int64?.self),
            mergedInto: try row.decode(column: "merged_into", as: Int64?.self),
            version: try row.decode(column: "version", as: Int64.self))
    }
}

extension Person {
    func withHousehold(_ id: Int64?) -> Person {
        var copy = self
        copy.householdID = id
        return copy
    }
}
