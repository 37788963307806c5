import SQLKit
public import ShebaoCore

/// What a clerk looks for among employers; the parts combine with AND.
public struct EmployerQuery: Sendable, Hashable {
    /// A name prefix, or a full credit code.
    public var text: String?
    public var ownershipType: OwnershipType?
    public var status: EmployerStatus?
    public var scheme: Scheme?
    public var region: RegionCode?

    public init(text: String? = nil, ownershipType: OwnershipType? = nil, status: EmployerStatus? = nil, scheme: Scheme? = nil, region: RegionCode? = nil) {
        self.text = text
        self.ownershipType = ownershipType
        self.status = status
        self.scheme = scheme
        self.region = region
    }
}

/// A person's job with a unit.
public struct Employment: Sendable, Codable, Hashable {
    public var employerID: Int64
    public var employerName: String
    public var personID: Int64
    public var personName: String
    public var residentID: ResidentID
    public var startDate: LocalDate
    public var endDate: LocalDate?
}

/// The seed's unit counts (PROGRAMS.md §6), computed from the register for any scope.
public struct EmployerCounts: Sendable, Hashable, Codable {
    public var employers: Int
    public var enterprisesInPension: Int
    public var nonPublicEnterprisesInPension: Int
    public var unitsPerScheme: [Scheme: Int]
    public var employed: Int
    public var nonPublicEmployed: Int
}

/// Insured units (参保单位) and their staff, always within a caller's scope.
public struct EmployerStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    static let versions = VersionLog<Employer>(table: "employer_versions", ownerColumn: "employer_id")

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// An employer if `principal` may see it: staff within scope, or the unit's own agent.
    public func find(id: Int64, by principal: Principal) async throws -> Employer? {
        guard let employer = try await database.read({ db in try await Self.load(id: id, on: db) }) else { return nil }
        let own = principal.role == .employerAgent && principal.employerID == id
        guard own || principal.decide(.employerRead, in: employer.region) == .allowed else { return nil }
        return employer
    }

    public func search(_ query: EmployerQuery, in scope: RegionCode, page: Int = 1, perPage: Int = 50) async throws -> Page<Employer> {
        let page = max(1, page)
        let perPage = min(max(1, perPage), PersonStore.maximumPerPage)
        var effective = scope
        if let region = query.region {
            guard scope.contains(region) else { return Page(items: [], total: 0, page: page, perPage: perPage) }
            effective = region
        }
        var filters: [SQLQueryString] = [PersonStore.scopeCondition(effective, column: "e.region_code")]
        let collate = database.dialect.binaryCollation
        if let text = query.text?.trimmingASCIIWhitespace(), !text.isEmpty {
            if let code = try? CreditCode(text) {
                filters.append("e.credit_code = \(bind: code.value)")
            } else {
                filters.append("e.name\(unsafeRaw: collate) >= \(bind: text) AND e.name\(unsafeRaw: collate) < \(bind: text + "\u{10FFFF}")")
            }
        }
        if let ownership = query.ownershipType { filters.append("e.ownership_type = \(bind: ownership.rawValue)") }
        if let status = query.status { filters.append("e.status = \(bind: status.rawValue)") }
        if let scheme = query.scheme {
            filters.append("e.id IN (SELECT employer_id FROM employer_schemes WHERE scheme = \(bind: scheme.rawValue))")
        }
        let condition = filters.joined(separator: " AND ")
        return try await database.read { db in
            let total = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition)")
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM employers e WHERE \(condition)
                ORDER BY e.id LIMIT \(literal: perPage) OFFSET \(literal: (page - 1) * perPage)
                """
            ).all()
            let schemes = try await Self.schemes(of: try rows.map { try $0.decode(column: "id", as: Int64.self) }, on: db)
            return Page(items: try rows.map { try Self.decode($0, schemes: schemes) }, total: total, page: page, perPage: perPage)
        }
    }

    public func all(_ query: EmployerQuery, in scope: RegionCode, limit: Int) async throws -> [Employer] {
        var employers: [Employer] = []
        var page = 1
        while employers.count < limit {
            let batch = try await search(query, in: scope, page: page, perPage: PersonStore.maximumPerPage)
            employers += batch.items
            if !batch.hasNext { break }
            page += 1
        }
        return Array(employers.prefix(limit))
    }

    /// Registers units in one transaction; refuses the whole batch on a credit code already registered.
    @discardableResult
    public func insert(_ units: [(code: CreditCode, details: EmployerDetails)], by actor: AuditActor, reason: String = "registered",
                       auditEach: Bool = true) async throws -> [Int64] {
        let now = clock.now()
        let dialect = database.dialect
        do {
            return try await database.write { db in
                try await Self.insert(units, on: db, dialect: dialect, by: actor, reason: reason, auditEach: auditEach, at: now)
            }
        } catch where dialect.isUniqueViolation(error) {
            throw EmployerStoreError.duplicateCreditCode
        }
    }

    static func insert(_ units: [(code: CreditCode, details: EmployerDetails)], on db: any SQLDatabase, dialect: Dialect, by actor: AuditActor,
                       reason: String, auditEach: Bool, at now: Timestamp) async throws -> [Int64] {
        var ids: [Int64] = []
        for chunk in units.chunked(into: 400) {
            let insert = db.insert(into: "employers").columns(
                "credit_code", "name", "ownership_type", "non_public", "industry", "risk_class", "region_code", "staff_count",
                "contact_name", "contact_phone", "address", "status", "version", "created_at", "updated_at")
            for unit in chunk {
                let d = unit.details
                let row: [any SQLExpression] = [
                    SQLBind(unit.code.value), SQLBind(d.name), SQLBind(d.ownershipType.rawValue), SQLBind(Int64(d.ownershipType.isNonPublic ? 1 : 0)),
                    SQLBind(d.industry.rawValue), SQLBind(Int64(d.riskClass)), SQLBind(d.region.value), SQLBind(Int64(d.staffCount)),
                    SQLBind(d.contactName), SQLBind(d.contactPhone), SQLBind(d.address), SQLBind(d.status.rawValue), SQLBind(Int64(1)),
                    SQLBind(now.iso8601), SQLBind(now.iso8601),
                ]
                insert.values(row)
            }
            let chunkIDs = try await insert.returning("id").all().map { try $0.decode(column: "id", as: Int64.self) }
            ids += chunkIDs
            for (id, unit) in zip(chunkIDs, chunk) {
                try await setSchemes(unit.details.schemes, of: id, on: db)
                let employer = Employer(id: id, creditCode: unit.code, details: unit.details, version: 1)
                try await versions.append(id: id, version: 1, record: employer, on: db, by: actor, reason: reason, at: now)
                if auditEach {
                    try await AuditLog.append(
                        AuditEvent(actor: actor, action: .create, entity: "employer", entityID: String(id), region: unit.details.region, after: employer),
                        on: db, dialect: dialect, at: now)
                }
            }
        }
        if !auditEach, let first = ids.first, let last = ids.last {
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .create, entity: "employer", entityID: "\(first)-\(last)", after: units.map(\.code.value)),
                on: db, dialect: dialect, at: now)
        }
        return ids
    }

    public func update(id: Int64, to details: EmployerDetails, expectedVersion: Int64, reason: String, by principal: Principal) async throws -> Employer? {
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            _ = try await db.raw("SELECT id FROM employers WHERE id = \(bind: id)\(unsafeRaw: dialect.forUpdate)").first()
            guard let current = try await Self.load(id: id, on: db), principal.decide(.employerWrite, in: current.region) == .allowed else { return nil }
            guard current.version == expectedVersion else { throw PersonStoreError.versionConflict(current: current.version) }
            guard principal.scope.contains(details.region) else {
                throw PersonStoreError.invalid(FieldIssues([FieldIssue("region", "region.outside_scope", ["code": details.region.value])]))
            }
            let d = details
            try await db.raw(
                """
                UPDATE employers SET name = \(bind: d.name), ownership_type = \(bind: d.ownershipType.rawValue),
                    non_public = \(bind: Int64(d.ownershipType.isNonPublic ? 1 : 0)), industry = \(bind: d.industry.rawValue),
                    risk_class = \(bind: Int64(d.riskClass)), region_code = \(bind: d.region.value), staff_count = \(bind: Int64(d.staffCount)),
                    contact_name = \(bind: d.contactName), contact_phone = \(bind: d.contactPhone), address = \(bind: d.address),
                    status = \(bind: d.status.rawValue), version = version + 1, updated_at = \(bind: now.iso8601)
                WHERE id = \(bind: id)
                """
            ).run()
            try await Self.setSchemes(d.schemes, of: id, on: db)
            let updated = Employer(id: id, creditCode: current.creditCode, details: d, version: current.version + 1)
            try await Self.versions.append(id: id, version: updated.version, record: updated, on: db, by: AuditActor(principal), reason: reason, at: now)
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .update, entity: "employer", entityID: String(id), region: d.region,
                           before: current, after: updated),
                on: db, dialect: dialect, at: now)
            return updated
        }
    }

    public func history(of id: Int64) async throws -> [RecordVersion<Employer>] {
        try await database.read { db in try await Self.versions.history(of: id, on: db) }
    }

    /// Current and past staff of a unit, newest first.
    public func staff(of employerID: Int64, current: Bool = true, limit: Int = 500) async throws -> [Employment] {
        try await database.read { db in
            let condition: SQLQueryString = current ? "AND m.end_date IS NULL" : ""
            return try await Self.employments(db, "m.employer_id = \(bind: employerID) \(condition)", limit: limit)
        }
    }

    /// A person's jobs, newest first.
    public func employments(of personID: Int64) async throws -> [Employment] {
        try await database.read { db in try await Self.employments(db, "m.person_id = \(bind: personID)", limit: 100) }
    }

    /// Records employments in bulk (the demo; staff changes proper arrive with enrolment).
    public func insertEmployments(_ rows: [(personID: Int64, employerID: Int64, start: LocalDate)]) async throws {
        try await database.write { db in
            for chunk in rows.chunked(into: 1000) {
                let insert = db.insert(into: "employments").columns("person_id", "employer_id", "start_date")
                for row in chunk {
                    let values: [any SQLExpression] = [SQLBind(row.personID), SQLBind(row.employerID), SQLBind(row.start.description)]
                    insert.values(values)
                }
                try await insert.run()
            }
        }
    }

    /// Units and employees in `scope`, as the seed's statistics count them.
    public func counts(in scope: RegionCode) async throws -> EmployerCounts {
        let condition = PersonStore.scopeCondition(scope, column: "e.region_code")
        let enterprise: SQLQueryString = "e.ownership_type IN ('state', 'collective', 'private', 'foreign_invested', 'shareholding_cooperative')"
        return try await database.read { db in
            let employers = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND e.status = 'active'")
            let pension: SQLQueryString = "e.id IN (SELECT employer_id FROM employer_schemes WHERE scheme = 'pension')"
            let enterprises = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND \(enterprise) AND \(pension)")
            let nonPublic = try await PersonStore.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND e.non_public = 1 AND \(pension)")
            var perScheme: [Scheme: Int] = [:]
            for row in try await db.raw(
                """
                SELECT s.scheme, CAST(COUNT(*) AS BIGINT) AS n FROM employer_schemes s JOIN employers e ON e.id = s.employer_id
                WHERE \(condition) GROUP BY s.scheme
                """
            ).all() {
                if let scheme = Scheme(rawValue: try row.decode(column: "scheme", as: String.self)) {
                    perScheme[scheme] = Int(try row.decode(column: "n", as: Int64.self))
                }
            }
            let employed = try await PersonStore.count(db, """
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employments m JOIN employers e ON e.id = m.employer_id
                WHERE \(condition) AND m.end_date IS NULL AND \(enterprise)
                """)
            let nonPublicEmployed = try await PersonStore.count(db, """
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employments m JOIN employers e ON e.id = m.employer_id
                WHERE \(condition) AND m.end_date IS NULL AND e.non_public = 1
                """)
            return EmployerCounts(employers: employers, enterprisesInPension: enterprises, nonPublicEnterprisesInPension: nonPublic,
                                  unitsPerScheme: perScheme, employed: employed, nonPublicEmployed: nonPublicEmployed)
        }
    }

    public func existingCreditCodes(_ codes: [String]) async throws -> Set<String> {
        try await database.read { db in
            var found: Set<String> = []
            for chunk in codes.chunked(into: 500) {
                for row in try await db.raw("SELECT credit_code FROM employers WHERE credit_code IN (\(binds: Array(chunk)))").all() {
                    found.insert(try row.decode(column: "credit_code", as: String.self))
                }
            }
            return found
        }
    }

    // MARK: SQL pieces

    static func employments(_ db: any SQLDatabase, _ condition: SQLQueryString, limit: Int) async throws -> [Employment] {
        try await db.raw(
            """
            SELECT m.employer_id, e.name AS employer_name, m.person_id, p.name AS person_name, p.resident_id, m.start_date, m.end_date
            FROM employments m JOIN employers e ON e.id = m.employer_id JOIN persons p ON p.id = m.person_id
            WHERE \(condition) ORDER BY m.start_date DESC, m.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            Employment(
                employerID: try row.decode(column: "employer_id", as: Int64.self),
                employerName: try row.decode(column: "employer_name", as: String.self),
                personID: try row.decode(column: "person_id", as: Int64.self),
                personName: try row.decode(column: "person_name", as: String.self),
                residentID: ResidentID(trusted: try row.decode(column: "resident_id", as: String.self)),
                startDate: LocalDate(iso: try row.decode(column: "start_date", as: String.self)) ?? LocalDate(year: 1970, month: 1, day: 1)!,
                endDate: try row.decode(column: "end_date", as: String?.self).flatMap(LocalDate.init(iso:)))
        }
    }

    static func setSchemes(_ schemes: Set<Scheme>, of id: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM employer_schemes WHERE employer_id = \(bind: id)").run()
        for scheme in schemes.sorted(by: { $0.rawValue < $1.rawValue }) {
            try await db.raw("INSERT INTO employer_schemes (employer_id, scheme) VALUES (\(bind: id), \(bind: scheme.rawValue))").run()
        }
    }

    static func schemes(of ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: Set<Scheme>] {
        guard !ids.isEmpty else { return [:] }
        var schemes: [Int64: Set<Scheme>] = [:]
        for row in try await db.raw("SELECT employer_id, scheme FROM employer_schemes WHERE employer_id IN (\(binds: ids))").all() {
            if let scheme = Scheme(rawValue: try row.decode(column: "scheme", as: String.self)) {
                schemes[try row.decode(column: "employer_id", as: Int64.self), default: []].insert(scheme)
            }
        }
        return schemes
    }

    static func load(id: Int64, on db: any SQLDatabase) async throws -> Employer? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: columns) FROM employers e WHERE e.id = \(bind: id)").first() else { return nil }
        return try decode(row, schemes: try await schemes(of: [id], on: db))
    }

    static let columns = """
        e.id, e.credit_code, e.name, e.ownership_type, e.industry, e.risk_class, e.region_code, e.staff_count, e.contact_name,
        e.contact_phone, e.address, e.status, e.version
        """

    static func decode(_ row: any SQLRow, schemes: [Int64: Set<Scheme>]) throws -> Employer {
        let id = try row.decode(column: "id", as: Int64.self)
        return Employer(
            id: id,
            creditCode: CreditCode(body: String(try row.decode(column: "credit_code", as: String.self).prefix(17))),
            details: EmployerDetails(
                name: try row.decode(column: "name", as: String.self),
                ownershipType: OwnershipType(rawValue: try row.decode(column: "ownership_type", as: String.self)) ?? .privateEnterprise,
                industry: Industry(rawValue: try row.decode(column: "industry", as: String.self)) ?? .C,
                riskClass: Int(try row.decode(column: "risk_class", as: Int64.self)),
                region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
                staffCount: Int(try row.decode(column: "staff_count", as: Int64.self)),
                contactName: try row.decode(column: "contact_name", as: String?.self),
                contactPhone: try row.decode(column: "contact_phone", as: String?.self),
                address: try row.decode(column: "address", as: String?.self),
                status: EmployerStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                schemes: schemes[id] ?? []),
            version: try row.decode(column: "version", as: Int64.self))
    }
}

public enum EmployerStoreError: Error, Equatable, Sendable {
    case duplicateCreditCode
}
