import SQLKit
public import ShebaoCore

/// One page of a list, with the total for the pager.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }
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

    /// The persons registered inside `scope`, by id.
    public func list(in scope: RegionCode, page: Int = 1, perPage: Int = 50) async throws -> Page<Person> {
        let page = max(1, page)
        let perPage = min(max(1, perPage), Self.maximumPerPage)
        let condition = Self.scopeCondition(scope)
        return try await database.read { db in
            let total = try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons WHERE \(condition)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM persons WHERE \(condition)
                ORDER BY id LIMIT \(literal: perPage) OFFSET \(literal: (page - 1) * perPage)
                """
            ).all()
            return Page(items: try rows.map(Self.decode), total: Int(total), page: page, perPage: perPage)
        }
    }

    /// One person's full record for `principal`, or nil when it does not exist **or** lies
    /// outside the principal's scope (the caller answers 404 either way). The read is audited.
    public func read(id: Int64, by principal: Principal) async throws -> Person? {
        guard let person = try await database.read({ db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM persons WHERE id = \(bind: id)").first().map(Self.decode)
        }) else { return nil }
        guard principal.decide(.personRead, in: person.region) == .allowed
            || (principal.personID == person.id && principal.decide(.ownRecordRead) == .allowed)
        else { return nil }
        let dialect = database.dialect
        let now = clock.now()
        try await database.write { db in
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .read, entity: "person", entityID: String(person.id), region: person.region),
                on: db, dialect: dialect, at: now)
        }
        return person
    }

    /// Inserts new persons in chunks inside one transaction; refuses the whole batch when any
    /// resident ID is already registered. Returns the new ids in input order.
    @discardableResult
    public func insert(_ persons: [NewPerson], by actor: AuditActor, auditEach: Bool = true) async throws -> [Int64] {
        let now = clock.now()
        let dialect = database.dialect
        do {
            return try await database.write { db in
                var ids: [Int64] = []
                ids.reserveCapacity(persons.count)
                for chunk in persons.chunked(into: 400) {
                    let insert = db.insert(into: "persons").columns(
                        "resident_id", "name", "sex", "birth_date", "hukou_type", "region_code", "residence_region_code",
                        "address", "phone", "status", "version", "created_at", "updated_at")
                    for person in chunk {
                        let row: [any SQLExpression] = [
                            SQLBind(person.residentID.value), SQLBind(person.name), SQLBind(person.residentID.sex.rawValue),
                            SQLBind(person.residentID.birthDate.description), SQLBind(person.hukouType.rawValue),
                            SQLBind(person.region.value), SQLBind(person.residenceRegion?.value), SQLBind(person.address),
                            SQLBind(person.phone), SQLBind(PersonStatus.living.rawValue), SQLBind(Int64(1)),
                            SQLBind(now.iso8601), SQLBind(now.iso8601),
                        ]
                        insert.values(row)
                    }
                    let rows = try await insert.returning("id").all()
                    ids += try rows.map { try $0.decode(column: "id", as: Int64.self) }
                }
                if auditEach {
                    for (person, id) in zip(persons, ids) {
                        try await AuditLog.append(
                            AuditEvent(actor: actor, action: .create, entity: "person", entityID: String(id), region: person.region, after: person),
                            on: db, dialect: dialect, at: now)
                    }
                } else {
                    try await AuditLog.append(
                        AuditEvent(actor: actor, action: .create, entity: "person", entityID: "batch:\(ids.first ?? 0)-\(ids.last ?? 0)", after: persons.map(\.residentID.value)),
                        on: db, dialect: dialect, at: now)
                }
                return ids
            }
        } catch where dialect.isUniqueViolation(error) {
            throw StoreError.duplicate("resident ID")
        }
    }

    public func count(in scope: RegionCode) async throws -> Int {
        let condition = Self.scopeCondition(scope)
        return try await database.read { db in
            Int(try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons WHERE \(condition)").first()?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    /// `region_code` inside `scope`, as a range both databases answer from the index
    /// (a LIKE prefix would not use it under SQLite's case-insensitive LIKE).
    static func scopeCondition(_ scope: RegionCode, column: String = "region_code") -> SQLQueryString {
        let prefix = scope.scopePrefix
        if prefix.isEmpty { return "1 = 1" }
        let low = prefix + String(repeating: "0", count: 12 - prefix.count)
        let high = prefix + String(repeating: "9", count: 12 - prefix.count)
        return "\(ident: column) BETWEEN \(bind: low) AND \(bind: high)"
    }

    static let columns = """
        id, resident_id, name, sex, birth_date, hukou_type, region_code, residence_region_code, address, phone,
        status, death_date, version
        """

    static func decode(_ row: any SQLRow) throws -> Person {
        Person(
            id: try row.decode(column: "id", as: Int64.self),
            residentID: ResidentID(trusted: try row.decode(column: "resident_id", as: String.self)),
            name: try row.decode(column: "name", as: String.self),
            hukouType: HukouType(rawValue: try row.decode(column: "hukou_type", as: String.self)) ?? .agricultural,
            region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
            residenceRegion: try row.decode(column: "residence_region_code", as: String?.self).map(RegionCode.init(trusted:)),
            address: try row.decode(column: "address", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            status: PersonStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .living,
            deathDate: try row.decode(column: "death_date", as: String?.self).flatMap(LocalDate.init(iso:)),
            version: try row.decode(column: "version", as: Int64.self))
    }
}

/// A person about to be registered (no id yet).
public struct NewPerson: Sendable, Codable {
    public var residentID: ResidentID
    public var name: String
    public var hukouType: HukouType
    public var region: RegionCode
    public var residenceRegion: RegionCode?
    public var address: String?
    public var phone: String?

    public init(residentID: ResidentID, name: String, hukouType: HukouType, region: RegionCode,
                residenceRegion: RegionCode? = nil, address: String? = nil, phone: String? = nil) {
        self.residentID = residentID
        self.name = name
        self.hukouType = hukouType
        self.region = region
        self.residenceRegion = residenceRegion
        self.address = address
        self.phone = phone
    }
}

extension PersonStore {
    /// Persons per township (first 9 digits of the region code) inside `scope`.
    public func countsByTownship(in scope: RegionCode) async throws -> [RegionCode: Int] {
        let condition = Self.scopeCondition(scope)
        return try await database.read { db in
            var counts: [RegionCode: Int] = [:]
            for row in try await db.raw(
                "SELECT substr(region_code, 1, 9) AS township, CAST(COUNT(*) AS BIGINT) AS n FROM persons WHERE \(condition) GROUP BY substr(region_code, 1, 9)"
            ).all() {
                let township = try row.decode(column: "township", as: String.self) + "000"
                counts[RegionCode(trusted: township)] = Int(try row.decode(column: "n", as: Int64.self))
            }
            return counts
        }
    }
}
