import Foundation
public import SQLKit
public import ShebaoCore

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

/// Persons in the registry (人员), one row per resident ID, read within a scope.
///
/// Every function works inside the caller's connection or transaction; the operations layer
/// decides access, opens the transaction and writes the audit row (DESIGN.md §1).
public struct PersonStore: Sendable {
    public init() {}

    /// Every version of every person, in the shape `Person` decodes.
    public static let versions = VersionLog<Person>(table: "person_versions", ownerColumn: "person_id")

    // MARK: Reading

    /// Persons matching `query` inside `scope`. A name matches by prefix, and — for names of two
    /// characters or more — names of the same length with one wrong character follow the prefix
    /// matches. Merged duplicates are left out; a region outside the scope matches nothing.
    public func search(_ query: PersonQuery, in scope: RegionCode, paging: Paging = Paging(), on db: any SQLDatabase) async throws -> Page<Person> {
        guard let search = PersonSearchSQL(query: query, scope: scope, dialect: Dialect(db)) else {
            return .empty(page: paging.page, perPage: paging.perPage)
        }
        var total = 0
        var items: [Person] = []
        var offset = paging.offset
        for part in search.parts {
            let count = try await SQLPieces.count(db, part.count)
            if offset < count && items.count < paging.perPage {
                items += try await db.raw(part.rows(limit: paging.perPage - items.count, offset: offset)).all().map(Self.decode)
            }
            offset = max(0, offset - count)
            total += count
        }
        return Page(items: items, total: total, page: paging.page, perPage: paging.perPage)
    }

    /// The next `limit` persons matching `query` in `scope` after `cursor`, in the search's order,
    /// for exports. Keyset paging: each page is one indexed range read whatever its depth, where
    /// OFFSET would read and skip every earlier row again (issue 9: 56,000 rows took 91 s).
    public func page(_ query: PersonQuery, in scope: RegionCode, after cursor: PersonCursor?, limit: Int,
                     on db: any SQLDatabase) async throws -> (persons: [Person], next: PersonCursor?) {
        guard let search = PersonSearchSQL(query: query, scope: scope, dialect: Dialect(db)) else { return ([], nil) }
        var cursor = cursor ?? PersonCursor(part: 0, last: nil)
        while cursor.part < search.parts.count {
            let persons = try await db.raw(search.parts[cursor.part].rows(after: cursor.last, limit: limit)).all().map(Self.decode)
            if let last = persons.last {
                return (persons, PersonCursor(part: cursor.part, last: PersonCursor.Key(name: last.name, id: last.id)))
            }
            cursor = PersonCursor(part: cursor.part + 1, last: nil)
        }
        return ([], nil)
    }

    /// How many persons match `query` in `scope`: one count per part of the search.
    public func count(_ query: PersonQuery, in scope: RegionCode, on db: any SQLDatabase) async throws -> Int {
        guard let search = PersonSearchSQL(query: query, scope: scope, dialect: Dialect(db)) else { return 0 }
        var total = 0
        for part in search.parts { total += try await SQLPieces.count(db, part.count) }
        return total
    }

    public func find(id: Int64, on db: any SQLDatabase) async throws -> Person? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE p.id = \(bind: id)").first().map(Self.decode)
    }

    /// The row of `id`, locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> Person? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE p.id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)")
            .first().map(Self.decode)
    }

    /// A person by resident ID within `scope`.
    public func find(residentID: ResidentID, in scope: RegionCode, on db: any SQLDatabase) async throws -> Person? {
        try await search(PersonQuery(residentID: residentID), in: scope, paging: Paging(perPage: 1), on: db).items.first
    }

    /// The records of `ids` inside `scope` by resident ID, one query per 500 IDs (a file of
    /// thousands of rows is not thousands of searches). Merged duplicates and IDs outside the
    /// scope are absent.
    public func find(residentIDs ids: [ResidentID], in scope: RegionCode, on db: any SQLDatabase) async throws -> [String: Person] {
        var found: [String: Person] = [:]
        for chunk in ids.map(\.value).chunked(into: 500) {
            for row in try await db.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM persons p WHERE p.resident_id IN (\(binds: Array(chunk)))
                AND p.merged_into IS NULL AND \(SQLPieces.scope(scope, column: "p.region_code"))
                """
            ).all() {
                let person = try Self.decode(row)
                found[person.residentID.value] = person
            }
        }
        return found
    }

    /// Every version of a person's record, newest first, those of records merged into it included.
    public func history(of id: Int64, on db: any SQLDatabase) async throws -> [RecordVersion<Person>] {
        let merged = try await db.raw("SELECT id FROM persons WHERE merged_into = \(bind: id)").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        return try await Self.versions.history(of: [id] + merged, on: db)
    }

    /// Names spread over the register (every 997th record), for benchmarks and tests.
    public func sampleNames(limit: Int, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT name FROM persons WHERE id % 997 = 0 ORDER BY id LIMIT \(literal: limit)").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    public func count(in scope: RegionCode, on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(
            db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(SQLPieces.scope(scope, column: "p.region_code")) AND p.merged_into IS NULL")
    }

    /// Persons per township (first 9 digits of the region code) inside `scope`.
    public func countsByTownship(in scope: RegionCode, on db: any SQLDatabase) async throws -> [RegionCode: Int] {
        var counts: [RegionCode: Int] = [:]
        for row in try await db.raw(
            """
            SELECT substr(p.region_code, 1, 9) AS township, CAST(COUNT(*) AS BIGINT) AS n FROM persons p
            WHERE \(SQLPieces.scope(scope, column: "p.region_code")) AND p.merged_into IS NULL GROUP BY substr(p.region_code, 1, 9)
            """
        ).all() {
            let reader = try RowReader(row, table: "persons", keyColumn: "township")
            counts[try RegionCode(reader.string("township") + "000")] = Int(try reader.int("n"))
        }
        return counts
    }

    /// Which of `ids` are already registered (one query per 500 IDs).
    public func existingResidentIDs(_ ids: [String], on db: any SQLDatabase) async throws -> Set<String> {
        var found: Set<String> = []
        for chunk in ids.chunked(into: 500) {
            for row in try await db.raw("SELECT resident_id FROM persons WHERE resident_id IN (\(binds: Array(chunk)))").all() {
                found.insert(try row.decode(column: "resident_id", as: String.self))
            }
        }
        return found
    }

    /// The person ids of the registered (not merged) records with these resident IDs.
    public func ids(ofResidentIDs ids: [ResidentID], on db: any SQLDatabase) async throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        for chunk in ids.map(\.value).chunked(into: 500) {
            for row in try await db.raw("SELECT id, resident_id FROM persons WHERE resident_id IN (\(binds: Array(chunk))) AND merged_into IS NULL").all() {
                found[try row.decode(column: "resident_id", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        return found
    }

    // MARK: Writing

    /// Registers new persons with their first version and name keys, inside the caller's
    /// transaction. Returns the new ids in input order, matched by resident ID.
    /// `householdIDs`, when given, is parallel to `persons`.
    public func insert(_ persons: [NewPerson], householdIDs: [Int64?]? = nil, by actor: AuditActor, reason: String, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> [Int64] {
        let stamp = now.iso8601
        let fields = PersonField.allCases
        let columns = ["resident_id", "sex", "birth_date"] + fields.map(\.column) + ["household_id", "version", "created_at", "updated_at"]
        let rows: [[any SQLExpression]] = persons.enumerated().map { index, person in
            let record = Person(id: 0, residentID: person.residentID, name: "", hukouType: .agricultural, region: person.region).applying(person.details)
            return [SQLBind(person.residentID.value), SQLBind(person.residentID.sex.rawValue), SQLBind(person.residentID.birthDate.description)]
                + fields.map { Self.bind($0, of: record) }
                + [SQLBind(householdIDs.flatMap { $0[index] }), SQLBind(Int64(1)), SQLBind(stamp), SQLBind(stamp)]
        }
        let ids = try await InsertReturning.insert(into: "persons", columns: columns, rows: rows, keyColumn: "resident_id",
                                                   keys: persons.map(\.residentID.value), chunkSize: 500, on: db)
        try await recordVersions(ids: ids, by: actor, reason: reason, at: now, on: db)
        try await rebuildNameKeys(ids: ids, on: db)
        return ids
    }

    /// Writes every column of `person` (the resident ID, sex and birth date included) in the
    /// caller's transaction, which holds the row.
    public func save(_ person: Person, at now: Timestamp, on db: any SQLDatabase) async throws {
        let assignments = PersonField.allCases.map { field -> SQLQueryString in "\(unsafeRaw: field.column) = \(Self.bind(field, of: person))" }
        try await db.raw(
            """
            UPDATE persons SET \(assignments.joined(separator: ", ")), resident_id = \(bind: person.residentID.value),
                sex = \(bind: person.sex.rawValue), birth_date = \(bind: person.birthDate.description),
                household_id = \(bind: person.householdID), merged_into = \(bind: person.mergedInto), version = \(bind: person.version),
                updated_at = \(bind: now.iso8601)
            WHERE id = \(bind: person.id)
            """
        ).run()
    }

    /// Records the current rows of `ids` as their new versions, set-based: the snapshot is built
    /// as JSON inside the database, in the shape `Person` decodes.
    public func recordVersions(ids: [Int64], by actor: AuditActor, reason: String, at now: Timestamp, on db: any SQLDatabase) async throws {
        let dialect = Dialect(db)
        let snapshot = Self.snapshotSQL(dialect)
        for condition in SQLPieces.idConditions(ids, dialect: dialect) {
            try await Self.versions.appendSnapshots(from: "persons", snapshot: snapshot, where: condition, by: actor, reason: reason, at: now, on: db)
        }
    }

    /// Recomputes the one-wrong-character keys of `ids`, set-based in SQL: for each character
    /// position, `substr(name, 1, p - 1) || '*' || substr(name, p + 1)`.
    public func rebuildNameKeys(ids: [Int64], on db: any SQLDatabase) async throws {
        for condition in SQLPieces.idConditions(ids, dialect: Dialect(db)) {
            try await db.raw("DELETE FROM person_name_keys WHERE person_\(condition)").run()
            let longest = try await SQLPieces.count(db, "SELECT CAST(COALESCE(MAX(length(name)), 0) AS BIGINT) AS n FROM persons WHERE \(condition)")
            guard longest >= 2 else { continue }
            for position in 1...longest {
                try await db.raw(
                    """
                    INSERT INTO person_name_keys (name_key, person_id)
                    SELECT substr(name, 1, \(literal: position - 1)) || '*' || substr(name, \(literal: position + 1)), id
                    FROM persons WHERE \(condition) AND length(name) >= \(literal: max(2, position))
                    """
                ).run()
            }
        }
    }

    /// Drops a merged record's name keys, so it leaves searches.
    public func removeNameKeys(of id: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM person_name_keys WHERE person_id = \(bind: id)").run()
    }

    // MARK: SQL pieces

    /// A field's value as a bind (disability grade is a number, the rest text).
    static func bind(_ field: PersonField, of person: Person) -> SQLBind {
        switch field {
        case .disabilityGrade: SQLBind(person.disability.map { Int64($0.grade) })
        default: SQLBind(field.text(of: person))
        }
    }

    /// The JSON snapshot of a `persons` row, in the shape `Person` decodes.
    static func snapshotSQL(_ dialect: Dialect) -> String {
        dialect.jsonObject([
            ("id", "id"), ("residentID", "resident_id"), ("name", "name"), ("sex", "sex"), ("birthDate", "birth_date"),
            ("hukouType", "hukou_type"), ("region", "region_code"), ("residenceRegion", "residence_region_code"), ("address", "address"),
            ("phone", "phone"), ("bankName", "bank_name"), ("bankAccount", "bank_account"),
            ("disability", "CASE WHEN disability_category IS NULL THEN NULL ELSE "
                + dialect.jsonObject([("category", "disability_category"), ("grade", "disability_grade")], asText: false) + " END"),
            ("status", "status"), ("deathDate", "death_date"), ("householdID", "household_id"), ("mergedInto", "merged_into"), ("version", "version"),
        ])
    }

    static let columns = """
        p.id, p.resident_id, p.name, p.hukou_type, p.region_code, p.residence_region_code, p.address, p.phone, p.bank_name,
        p.bank_account, p.disability_category, p.disability_grade, p.status, p.death_date, p.household_id, p.merged_into, p.version
        """

    static func decode(_ row: any SQLRow) throws -> Person {
        let reader = try RowReader(row, table: "persons")
        let category = try reader.optionalValue("disability_category", as: DisabilityCategory.self)
        let grade = try reader.optionalInt("disability_grade")
        if category != nil && !(1...4).contains(grade ?? 0) {
            throw RowDecodingError(table: "persons", column: "disability_grade", key: reader.key, value: grade.map(String.init))
        }
        return Person(
            id: try reader.int("id"),
            residentID: try reader.residentID("resident_id"),
            name: try reader.string("name"),
            hukouType: try reader.value("hukou_type", as: HukouType.self),
            region: try reader.region("region_code"),
            residenceRegion: try reader.optionalRegion("residence_region_code"),
            address: try reader.optionalString("address"),
            phone: try reader.optionalString("phone"),
            bankName: try reader.optionalString("bank_name"),
            bankAccount: try reader.optionalString("bank_account"),
            disability: category.map { Disability(category: $0, grade: Int(grade ?? 4)) },
            status: try reader.value("status", as: PersonStatus.self),
            deathDate: try reader.optionalDate("death_date"),
            householdID: try reader.optionalInt("household_id"),
            mergedInto: try reader.optionalInt("merged_into"),
            version: try reader.int("version"))
    }
}

/// Where an export stopped: the part of the search and the last row's sort key.
public struct PersonCursor: Sendable, Equatable {
    public struct Key: Sendable, Equatable {
        public var name: String
        public var id: Int64
    }

    public var part: Int
    public var last: Key?
}

/// The statements of a person search, built apart from running them so a test can render them
/// for both dialects: the filters, then a prefix part and — for names — a one-wrong-character part.
public struct PersonSearchSQL: Sendable {
    /// One part of the results: its count and its rows, in order.
    public struct Part: Sendable {
        /// How a part's rows are ordered: by id, or by name (in the dialect's binary collation) then id.
        public enum Order: Sendable {
            case id
            case name(collation: String)

            var sql: String {
                switch self {
                case .id: "p.id"
                case .name(let collation): "p.name\(collation), p.id"
                }
            }
        }

        public var count: SQLQueryString
        public var select: SQLQueryString
        public var condition: SQLQueryString
        /// The condition for keyset reads: in id order the table is walked by id (see
        /// ``Dialect/notIndexed(_:)``); in name order the name index leads as in a search.
        public var keysetCondition: SQLQueryString
        public var order: Order

        public func rows(limit: Int, offset: Int) -> SQLQueryString {
            "\(select) WHERE \(condition) ORDER BY \(unsafeRaw: order.sql) LIMIT \(literal: limit) OFFSET \(literal: offset)"
        }

        /// The `limit` rows that follow `last` in this part's order.
        public func rows(after last: PersonCursor.Key?, limit: Int) -> SQLQueryString {
            var condition = keysetCondition
            if let last {
                switch order {
                case .id:
                    condition = "\(condition) AND p.id > \(bind: last.id)"
                case .name(let collation):
                    condition = """
                        \(condition) AND (p.name\(unsafeRaw: collation) > \(bind: last.name) OR (p.name\(unsafeRaw: collation) = \(bind: last.name) AND p.id > \(bind: last.id)))
                        """
                }
            }
            return "\(select) WHERE \(condition) ORDER BY \(unsafeRaw: order.sql) LIMIT \(literal: limit)"
        }
    }

    public let parts: [Part]

    /// Nil when the query's region lies outside `scope` (nothing can match).
    public init?(query: PersonQuery, scope: RegionCode, dialect: Dialect) {
        guard let scope = query.effectiveScope(within: scope) else { return nil }
        var filters: [SQLQueryString] = ["p.merged_into IS NULL"]
        if let id = query.residentID { filters.append("p.resident_id = \(bind: id.value)") }
        if let date = query.birthDate { filters.append("p.birth_date = \(bind: date.description)") }
        if let status = query.status { filters.append("p.status = \(bind: status.rawValue)") }
        // The ID's last characters: no index serves a suffix, so this reads the scope's rows (a
        // town's 40,000 at most), which a clerk's one search can afford.
        if let ending = query.idEnding { filters.append("p.resident_id LIKE \(bind: "%" + ending)") }
        let common = ([SQLPieces.scope(scope, column: "p.region_code")] + filters).joined(separator: " AND ")
        let walk = ([SQLPieces.scope(scope, column: dialect.notIndexed("p.region_code"))] + filters).joined(separator: " AND ")
        func part(_ condition: SQLQueryString?, order: Part.Order) -> Part {
            let whereClause: SQLQueryString = condition.map { "\(common) AND \($0)" } ?? common
            let keyset: SQLQueryString = switch order {
            case .id: condition.map { "\(walk) AND \($0)" } ?? walk
            case .name: whereClause
            }
            return Part(count: "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons p WHERE \(whereClause)",
                        select: "SELECT \(unsafeRaw: PersonStore.columns) FROM persons p", condition: whereClause, keysetCondition: keyset, order: order)
        }
        guard let name = query.name?.trimmingASCIIWhitespace(), !name.isEmpty else {
            parts = [part(nil, order: .id)]
            return
        }
        // Prefix matches come first, in name order (the index on name serves both range and order).
        let collate = dialect.binaryCollation
        let prefix: SQLQueryString = "p.name\(unsafeRaw: collate) >= \(bind: name) AND p.name\(unsafeRaw: collate) < \(bind: name + "\u{10FFFF}")"
        var parts = [part(prefix, order: .name(collation: collate))]
        let keys = NameKeys.keys(for: name)
        if !keys.isEmpty {
            let fuzzy: SQLQueryString = """
                p.id IN (SELECT k.person_id FROM person_name_keys k WHERE k.name_key IN (\(binds: keys))) AND p.name <> \(bind: name)
                """
            parts.append(part(fuzzy, order: .name(collation: collate)))
        }
        // The given name after a one-character surname (小明 finds 王小明), after the rest and not
        // among them.
        let givenName: SQLQueryString = """
            substr(p.name, 2, \(literal: name.count)) = \(bind: name) AND NOT (\(prefix))
            """
        parts.append(part(givenName, order: .name(collation: collate)))
        self.parts = parts
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    public func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
