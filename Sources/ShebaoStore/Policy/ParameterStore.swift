import Foundation
import SQLKit
public import ShebaoCore
import Synchronization

/// A parameter row: the value and who proposed and decided it.
public struct ParameterRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Codable { case proposed, approved, rejected }

    public var id: Int64
    public var parameter: Parameter
    public var status: Status
    public var note: String?
    public var proposedBy: Int64?
    public var proposedByName: String
    public var proposedAt: String
    public var decidedBy: Int64?
    public var decidedAt: String?
}

public enum ParameterStoreError: Error, Equatable, Sendable {
    /// Maker–checker: the one who proposed a value cannot approve it.
    case ownProposal
    case notPending
    /// An approved value already exists for this key, region and date.
    case duplicate
    case unknownKey(String)
    case wrongKind(expected: String)
    case badRegion(String)
    case badDate(String)
    case legalBasisRequired

    /// The string-table code (`error.<code>`) and its arguments, for pages, the API and the CLI.
    public var code: String {
        switch self {
        case .ownProposal: "parameter.own_proposal"
        case .notPending: "parameter.not_pending"
        case .duplicate: "parameter.duplicate"
        case .unknownKey: "parameter.unknown_key"
        case .wrongKind: "parameter.bad_value"
        case .badRegion: "parameter.bad_region"
        case .badDate: "parameter.bad_date"
        case .legalBasisRequired: "parameter.legal_basis_required"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .unknownKey(let key): ["key": key]
        case .wrongKind(let expected): ["kind": expected]
        case .badRegion(let text): ["region": text]
        case .badDate(let text): ["date": text]
        default: [:]
        }
    }
}

/// A proposal as a person writes it (a form, a JSON body, a command line): checked against the
/// key's kind and unit by ``ParameterStore/propose(_:by:)``.
public struct ParameterProposal: Sendable, Decodable {
    public var key: String
    public var regionCode: String
    public var validFrom: String
    /// The value as text; see ``ParameterValue/parse(_:kind:)``.
    public var value: String
    public var legalBasis: String
    public var note: String?

    public init(key: String, regionCode: String, validFrom: String, value: String, legalBasis: String, note: String? = nil) {
        self.key = key
        self.regionCode = regionCode
        self.validFrom = validFrom
        self.value = value
        self.legalBasis = legalBasis
        self.note = note
    }
}

/// The policy book in the database: defaults loaded once from the shipped file, proposals by one
/// user approved by another, and the approved rows as a `ParameterBook` for the rules.
public final class ParameterStore: Sendable {
    let database: ShebaoDatabase
    let clock: any WallClock
    /// The book of approved rows, reloaded when the rows change (checked by a cheap fingerprint).
    private let cache = Mutex<(fingerprint: String, book: ParameterBook)?>(nil)

    public init(database: ShebaoDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Inserts the shipped defaults not yet present (by key, region and date); user rows are never touched.
    @discardableResult
    public func loadDefaults(_ defaults: [Parameter] = PolicyDefaults.parameters) async throws -> Int {
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            var existing: Set<String> = []
            for row in try await db.raw("SELECT key, region_code, valid_from FROM parameters WHERE status = 'approved'").all() {
                existing.insert(try row.decode(column: "key", as: String.self) + "|" + row.decode(column: "region_code", as: String.self) + "|" + row.decode(column: "valid_from", as: String.self))
            }
            let missing = defaults.filter { !existing.contains("\($0.key)|\($0.region.value)|\($0.validFrom)") }
            for chunk in missing.chunked(into: 200) {
                let insert = db.insert(into: "parameters").columns(
                    "key", "region_code", "valid_from", "value", "unit", "legal_basis", "label", "status", "proposed_by_name", "proposed_at", "decided_at")
                for parameter in chunk {
                    let row: [any SQLExpression] = [
                        SQLBind(parameter.key), SQLBind(parameter.region.value), SQLBind(parameter.validFrom.description), SQLBind(try Self.encode(parameter.value)),
                        SQLBind(parameter.unit), SQLBind(parameter.legalBasis), SQLBind(parameter.label.rawValue), SQLBind("approved"),
                        SQLBind("system:defaults"), SQLBind(now.iso8601), SQLBind(now.iso8601),
                    ]
                    insert.values(row)
                }
                try await insert.run()
            }
            if !missing.isEmpty {
                try await AuditLog.append(
                    AuditEvent(actor: .system("defaults"), action: .create, entity: "parameter", entityID: "defaults:\(missing.count)", after: missing.map(\.key)),
                    on: db, dialect: dialect, at: now)
            }
            return missing.count
        }
    }

    /// The approved parameters as a book, from cache while nothing changed.
    public func book() async throws -> ParameterBook {
        let fingerprint = try await database.read { db in
            let row = try await db.raw(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m, COALESCE(MAX(decided_at), '') AS d FROM parameters WHERE status = 'approved'"
            ).first()
            return "\(try row?.decode(column: "n", as: Int64.self) ?? 0)/\(try row?.decode(column: "m", as: Int64.self) ?? 0)/\(try row?.decode(column: "d", as: String.self) ?? "")"
        }
        if let cached = cache.withLock({ $0 }), cached.fingerprint == fingerprint { return cached.book }
        let book = ParameterBook(try await records(status: .approved).map(\.parameter))
        cache.withLock { $0 = (fingerprint, book) }
        return book
    }

    public func records(status: ParameterRecord.Status? = nil, key: String? = nil) async throws -> [ParameterRecord] {
        var filters: [SQLQueryString] = ["1 = 1"]
        if let status { filters.append("status = \(bind: status.rawValue)") }
        if let key { filters.append("key = \(bind: key)") }
        let condition = filters.joined(separator: " AND ")
        return try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE \(condition) ORDER BY key, valid_from DESC, id DESC").all().map(Self.decode)
        }
    }

    public func record(id: Int64) async throws -> ParameterRecord? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// Proposes a value written as text: the key must exist, the value be of its kind, the region
    /// a region code and the date a date; the unit is the key's. The value applies once approved.
    public func propose(_ proposal: ParameterProposal, by principal: Principal) async throws -> ParameterRecord {
        guard let known = try await book().history(proposal.key).first else { throw ParameterStoreError.unknownKey(proposal.key) }
        guard let region = try? RegionCode(proposal.regionCode) else { throw ParameterStoreError.badRegion(proposal.regionCode) }
        guard let date = LocalDate(iso: proposal.validFrom) else { throw ParameterStoreError.badDate(proposal.validFrom) }
        let basis = proposal.legalBasis.trimmingCharacters(in: .whitespaces)
        guard !basis.isEmpty else { throw ParameterStoreError.legalBasisRequired }
        guard let value = ParameterValue.parse(proposal.value, kind: known.value.kind) else { throw ParameterStoreError.wrongKind(expected: known.value.kind) }
        let parameter = Parameter(key: proposal.key, region: region, validFrom: date, value: value, unit: known.unit, legalBasis: basis, label: .district)
        return try await propose(parameter, note: proposal.note, by: principal)
    }

    /// Proposes a value (usually future-dated). The key must exist and the value be of its kind.
    public func propose(_ parameter: Parameter, note: String?, by principal: Principal) async throws -> ParameterRecord {
        // A value for the caller's own area, or for a wider one it lives under (a national rate
        // announced this year is recorded by the district's administrator).
        guard principal.decide(.parameterPropose) == .allowed,
            principal.scope.contains(parameter.region) || parameter.region.contains(principal.scope)
        else { throw StoreError.notFound("parameter") }
        let current = try await book()
        guard let known = current.history(parameter.key).first else { throw ParameterStoreError.unknownKey(parameter.key) }
        guard known.value.kind == parameter.value.kind else { throw ParameterStoreError.wrongKind(expected: known.value.kind) }
        let now = clock.now()
        let dialect = database.dialect
        return try await database.write { db in
            let row = try await db.raw(
                """
                INSERT INTO parameters (key, region_code, valid_from, value, unit, legal_basis, label, status, note, proposed_by, proposed_by_name, proposed_at)
                VALUES (\(bind: parameter.key), \(bind: parameter.region.value), \(bind: parameter.validFrom.description), \(bind: try Self.encode(parameter.value)),
                    \(bind: parameter.unit), \(bind: parameter.legalBasis), \(bind: parameter.label.rawValue), 'proposed', \(bind: note),
                    \(bind: principal.userID), \(bind: principal.username), \(bind: now.iso8601))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first()
            let record = try Self.decode(row!)
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .create, entity: "parameter", entityID: String(record.id), region: parameter.region, after: parameter),
                on: db, dialect: dialect, at: now)
            return record
        }
    }

    /// Approves or rejects a proposal; never by the one who proposed it.
    public func decide(id: Int64, approve: Bool, by principal: Principal) async throws -> ParameterRecord? {
        let now = clock.now()
        let dialect = database.dialect
        do {
            return try await database.write { db in
                guard let record = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: id)\(unsafeRaw: dialect.forUpdate)").first().map(Self.decode),
                    principal.decide(.parameterDecide) == .allowed
                else { return nil }
                guard record.status == .proposed else { throw ParameterStoreError.notPending }
                guard record.proposedBy != principal.userID else { throw ParameterStoreError.ownProposal }
                try await db.raw(
                    """
                    UPDATE parameters SET status = \(bind: approve ? "approved" : "rejected"), decided_by = \(bind: principal.userID), decided_at = \(bind: now.iso8601)
                    WHERE id = \(bind: id)
                    """
                ).run()
                try await AuditLog.append(
                    AuditEvent(actor: AuditActor(principal), action: .update, entity: "parameter", entityID: String(id), region: record.parameter.region,
                               before: ["status": "proposed"], after: ["status": approve ? "approved" : "rejected"]),
                    on: db, dialect: dialect, at: now)
                return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: id)").first().map(Self.decode)
            }
        } catch where dialect.isUniqueViolation(error) {
            throw ParameterStoreError.duplicate
        }
    }

    static let columns = "id, key, region_code, valid_from, value, unit, legal_basis, label, status, note, proposed_by, proposed_by_name, proposed_at, decided_by, decided_at"

    static func encode(_ value: ParameterValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode(_ row: any SQLRow) throws -> ParameterRecord {
        let value = try JSONDecoder().decode(ParameterValue.self, from: Data(try row.decode(column: "value", as: String.self).utf8))
        return ParameterRecord(
            id: try row.decode(column: "id", as: Int64.self),
            parameter: Parameter(
                key: try row.decode(column: "key", as: String.self),
                region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
                validFrom: LocalDate(iso: try row.decode(column: "valid_from", as: String.self)) ?? LocalDate(year: 1900, month: 1, day: 1)!,
                value: value,
                unit: try row.decode(column: "unit", as: String.self),
                legalBasis: try row.decode(column: "legal_basis", as: String.self),
                label: VerificationLabel(rawValue: try row.decode(column: "label", as: String.self)) ?? .assumption),
            status: ParameterRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .proposed,
            note: try row.decode(column: "note", as: String?.self),
            proposedBy: try row.decode(column: "proposed_by", as: Int64?.self),
            proposedByName: try row.decode(column: "proposed_by_name", as: String.self),
            proposedAt: try row.decode(column: "proposed_at", as: String.self),
            decidedBy: try row.decode(column: "decided_by", as: Int64?.self),
            decidedAt: try row.decode(column: "decided_at", as: String?.self))
    }
}
