public import SQLKit
public import ShebaoCore

/// What a clerk looks for among employers; the parts combine with AND.
public struct EmployerQuery: Sendable, Hashable, Codable {
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

/// Insured units (参保单位) and their staff, read within a scope, inside the caller's connection.
public struct EmployerStore: Sendable {
    public init() {}

    public static let versions = VersionLog<Employer>(table: "employer_versions", ownerColumn: "employer_id")

    public func find(id: Int64, on db: any SQLDatabase) async throws -> Employer? {
        guard let row = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM employers e WHERE e.id = \(bind: id)").first() else { return nil }
        return try Self.decode(row, schemes: try await Self.schemes(of: [id], on: db))
    }

    /// The row of `id`, locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> Employer? {
        _ = try await db.raw("SELECT id FROM employers WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first()
        return try await find(id: id, on: db)
    }

    public func search(_ query: EmployerQuery, in scope: RegionCode, paging: Paging = Paging(), on db: any SQLDatabase) async throws -> Page<Employer> {
        guard let condition = Self.condition(query, in: scope, dialect: Dialect(db)) else { return .empty(page: paging.page, perPage: paging.perPage) }
        let total = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition)")
        let rows = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM employers e WHERE \(condition) ORDER BY e.id \(SQLPieces.page(paging))").all()
        return Page(items: try await decode(rows, on: db), total: total, page: paging.page, perPage: paging.perPage)
    }

    /// How many units match `query` in `scope`.
    public func count(_ query: EmployerQuery, in scope: RegionCode, on db: any SQLDatabase) async throws -> Int {
        guard let condition = Self.condition(query, in: scope, dialect: Dialect(db)) else { return 0 }
        return try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition)")
    }

    /// The next `limit` units after the one with id `after`, by id (keyset paging, for exports).
    public func page(_ query: EmployerQuery, in scope: RegionCode, after: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [Employer] {
        guard var condition = Self.condition(query, in: scope, dialect: Dialect(db), walking: true) else { return [] }
        if let after { condition = "\(condition) AND e.id > \(bind: after)" }
        let rows = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM employers e WHERE \(condition) ORDER BY e.id LIMIT \(literal: limit)").all()
        return try await decode(rows, on: db)
    }

    /// The filters of `query` inside `scope`; nil when its region lies outside the scope. A keyset
    /// read `walking` the table by id keeps the region out of index selection.
    static func condition(_ query: EmployerQuery, in scope: RegionCode, dialect: Dialect, walking: Bool = false) -> SQLQueryString? {
        var effective = scope
        if let region = query.region {
            guard scope.contains(region) else { return nil }
            effective = region
        }
        var filters: [SQLQueryString] = [SQLPieces.scope(effective, column: walking ? dialect.notIndexed("e.region_code") : "e.region_code")]
        let collate = dialect.binaryCollation
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
        return filters.joined(separator: " AND ")
    }

    private func decode(_ rows: [any SQLRow], on db: any SQLDatabase) async throws -> [Employer] {
        let schemes = try await Self.schemes(of: try rows.map { try $0.decode(column: "id", as: Int64.self) }, on: db)
        return try rows.map { try Self.decode($0, schemes: schemes) }
    }

    /// Registers units with their schemes and first version, inside the caller's transaction;
    /// ids come back in input order, matched by credit code.
    public func insert(_ units: [(code: CreditCode, details: EmployerDetails)], by actor: AuditActor, reason: String, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> [Int64] {
        let columns = ["credit_code", "name", "ownership_type", "non_public", "industry", "risk_class", "region_code", "staff_count",
                       "contact_name", "contact_phone", "address", "status", "version", "created_at", "updated_at"]
        let rows: [[any SQLExpression]] = units.map { unit in
            let d = unit.details
            return [
                SQLBind(unit.code.value), SQLBind(d.name), SQLBind(d.ownershipType.rawValue), SQLBind(Int64(d.ownershipType.isNonPublic ? 1 : 0)),
                SQLBind(d.industry.rawValue), SQLBind(Int64(d.riskClass)), SQLBind(d.region.value), SQLBind(Int64(d.staffCount)),
                SQLBind(d.contactName), SQLBind(d.contactPhone), SQLBind(d.address), SQLBind(d.status.rawValue), SQLBind(Int64(1)),
                SQLBind(now.iso8601), SQLBind(now.iso8601),
            ]
        }
        let ids = try await InsertReturning.insert(into: "employers", columns: columns, rows: rows, keyColumn: "credit_code",
                                                   keys: units.map(\.code.value), on: db)
        for (id, unit) in zip(ids, units) {
            try await Self.setSchemes(unit.details.schemes, of: id, on: db)
            try await Self.versions.append(id: id, version: 1, record: Employer(id: id, creditCode: unit.code, details: unit.details, version: 1),
                                           by: actor, reason: reason, at: now, on: db)
        }
        return ids
    }

    /// Saves new details as the next version, inside the caller's transaction (which holds the row).
    public func update(_ current: Employer, to details: EmployerDetails, by actor: AuditActor, reason: String, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> Employer {
        let d = details
        try await db.raw(
            """
            UPDATE employers SET name = \(bind: d.name), ownership_type = \(bind: d.ownershipType.rawValue),
                non_public = \(bind: Int64(d.ownershipType.isNonPublic ? 1 : 0)), industry = \(bind: d.industry.rawValue),
                risk_class = \(bind: Int64(d.riskClass)), region_code = \(bind: d.region.value), staff_count = \(bind: Int64(d.staffCount)),
                contact_name = \(bind: d.contactName), contact_phone = \(bind: d.contactPhone), address = \(bind: d.address),
                status = \(bind: d.status.rawValue), version = version + 1, updated_at = \(bind: now.iso8601)
            WHERE id = \(bind: current.id)
            """
        ).run()
        try await Self.setSchemes(d.schemes, of: current.id, on: db)
        let updated = Employer(id: current.id, creditCode: current.creditCode, details: d, version: current.version + 1)
        try await Self.versions.append(id: current.id, version: updated.version, record: updated, by: actor, reason: reason, at: now, on: db)
        return updated
    }

    public func history(of id: Int64, on db: any SQLDatabase) async throws -> [RecordVersion<Employer>] {
        try await Self.versions.history(of: [id], on: db)
    }

    /// Current (or all) staff of a unit, newest first.
    /// The current staff registered inside `scope`, and how many more are registered elsewhere
    /// (a unit's staff live in many towns; a town clerk sees only their own).
    public func staff(of employerID: Int64, in scope: RegionCode, limit: Int = 500, on db: any SQLDatabase) async throws -> (staff: [Employment], elsewhere: Int) {
        let inside = SQLPieces.scope(scope, column: "p.region_code")
        let staff = try await Self.employments(db, "m.employer_id = \(bind: employerID) AND m.end_date IS NULL AND \(inside)", limit: limit)
        let elsewhere = try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employments m JOIN persons p ON p.id = m.person_id
            WHERE m.employer_id = \(bind: employerID) AND m.end_date IS NULL AND NOT (\(inside))
            """)
        return (staff, elsewhere)
    }

    /// A person's jobs, newest first.
    public func employments(of personID: Int64, on db: any SQLDatabase) async throws -> [Employment] {
        try await Self.employments(db, "m.person_id = \(bind: personID)", limit: 100)
    }

    /// Records employments in bulk (the demo; staff changes proper arrive with enrolment).
    public func insertEmployments(_ rows: [(personID: Int64, employerID: Int64, start: LocalDate)], on db: any SQLDatabase) async throws {
        for chunk in rows.chunked(into: 1000) {
            let insert = db.insert(into: "employments").columns("person_id", "employer_id", "start_date")
            for row in chunk {
                let values: [any SQLExpression] = [SQLBind(row.personID), SQLBind(row.employerID), SQLBind(row.start.description)]
                insert.values(values)
            }
            try await insert.run()
        }
    }

    /// Moves the jobs of a merged record to the kept one.
    public func moveEmployments(from mergedID: Int64, to keptID: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE employments SET person_id = \(bind: keptID) WHERE person_id = \(bind: mergedID)").run()
    }

    /// Units and employees in `scope`, as the seed's statistics count them.
    public func counts(in scope: RegionCode, on db: any SQLDatabase) async throws -> EmployerCounts {
        let condition = SQLPieces.scope(scope, column: "e.region_code")
        let enterprises = OwnershipType.allCases.filter(\.isEnterprise).map(\.rawValue)
        let enterprise: SQLQueryString = "e.ownership_type IN (\(binds: enterprises))"
        let pension: SQLQueryString = "e.id IN (SELECT employer_id FROM employer_schemes WHERE scheme = 'pension')"
        let employers = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND e.status = 'active'")
        let inPension = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND \(enterprise) AND \(pension)")
        let nonPublic = try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employers e WHERE \(condition) AND e.non_public = 1 AND \(pension)")
        var perScheme: [Scheme: Int] = [:]
        for row in try await db.raw(
            """
            SELECT s.scheme, CAST(COUNT(*) AS BIGINT) AS n FROM employer_schemes s JOIN employers e ON e.id = s.employer_id
            WHERE \(condition) GROUP BY s.scheme
            """
        ).all() {
            let reader = try RowReader(row, table: "employer_schemes", keyColumn: "scheme")
            perScheme[try reader.value("scheme", as: Scheme.self)] = Int(try reader.int("n"))
        }
        let employed = try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employments m JOIN employers e ON e.id = m.employer_id
            WHERE \(condition) AND m.end_date IS NULL AND \(enterprise)
            """)
        let nonPublicEmployed = try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM employments m JOIN employers e ON e.id = m.employer_id
            WHERE \(condition) AND m.end_date IS NULL AND e.non_public = 1
            """)
        return EmployerCounts(employers: employers, enterprisesInPension: inPension, nonPublicEnterprisesInPension: nonPublic,
                              unitsPerScheme: perScheme, employed: employed, nonPublicEmployed: nonPublicEmployed)
    }

    public func existingCreditCodes(_ codes: [String], on db: any SQLDatabase) async throws -> Set<String> {
        var found: Set<String> = []
        for chunk in codes.chunked(into: 500) {
            for row in try await db.raw("SELECT credit_code FROM employers WHERE credit_code IN (\(binds: Array(chunk)))").all() {
                found.insert(try row.decode(column: "credit_code", as: String.self))
            }
        }
        return found
    }

    // MARK: SQL pieces

    static func employments(_ db: any SQLDatabase, _ condition: SQLQueryString, limit: Int) async throws -> [Employment] {
        try await db.raw(
            """
            SELECT m.id, m.employer_id, e.name AS employer_name, m.person_id, p.name AS person_name, p.resident_id, m.start_date, m.end_date
            FROM employments m JOIN employers e ON e.id = m.employer_id JOIN persons p ON p.id = m.person_id
            WHERE \(condition) ORDER BY m.start_date DESC, m.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "employments")
            return Employment(
                employerID: try reader.int("employer_id"), employerName: try reader.string("employer_name"),
                personID: try reader.int("person_id"), personName: try reader.string("person_name"),
                residentID: try reader.residentID("resident_id"), startDate: try reader.date("start_date"), endDate: try reader.optionalDate("end_date"))
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
            let reader = try RowReader(row, table: "employer_schemes", keyColumn: "employer_id")
            schemes[try reader.int("employer_id"), default: []].insert(try reader.value("scheme", as: Scheme.self))
        }
        return schemes
    }

    static let columns = """
        e.id, e.credit_code, e.name, e.ownership_type, e.industry, e.risk_class, e.region_code, e.staff_count, e.contact_name,
        e.contact_phone, e.address, e.status, e.version
        """

    static func decode(_ row: any SQLRow, schemes: [Int64: Set<Scheme>]) throws -> Employer {
        let reader = try RowReader(row, table: "employers")
        let id = try reader.int("id")
        let code = try reader.string("credit_code")
        guard let creditCode = try? CreditCode(code) else { throw RowDecodingError(table: "employers", column: "credit_code", key: reader.key, value: code) }
        return Employer(
            id: id,
            creditCode: creditCode,
            details: EmployerDetails(
                name: try reader.string("name"),
                ownershipType: try reader.value("ownership_type", as: OwnershipType.self),
                industry: try reader.value("industry", as: Industry.self),
                riskClass: Int(try reader.int("risk_class")),
                region: try reader.region("region_code"),
                staffCount: Int(try reader.int("staff_count")),
                contactName: try reader.optionalString("contact_name"),
                contactPhone: try reader.optionalString("contact_phone"),
                address: try reader.optionalString("address"),
                status: try reader.value("status", as: EmployerStatus.self),
                schemes: schemes[id] ?? []),
            version: try reader.int("version"))
    }
}
