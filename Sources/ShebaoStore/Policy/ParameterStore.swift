import Foundation
public import SQLKit
public import ShebaoCore

/// A parameter row: the value and who proposed and decided it.
public struct ParameterRecord: Sendable, Hashable {
    public var id: Int64
    public var parameter: Parameter
    public var status: ProposalStatus
    public var note: String?
    public var proposedBy: Int64?
    public var proposedByName: String
    public var proposedAt: String
    public var decidedBy: Int64?
    public var decidedAt: String?
    /// Why a value starts before the day it was proposed (required for such a value).
    public var retroactiveReason: String?
    /// Far from the value in force: two reviewers must approve.
    public var needsSecondApproval: Bool
    public var firstApprovedBy: Int64?
    public var firstApprovedAt: String?
}

/// The policy book in the database, inside the caller's connection: defaults loaded once from
/// the shipped file, proposals by one user decided by another, approved rows read into a
/// `ParameterBook` by the operations layer (which keeps it cached).
public struct ParameterStore: Sendable {
    public init() {}

    /// Inserts the shipped defaults not yet present (by key, region and date); rows a user entered
    /// are never touched. Returns the parameters inserted.
    @discardableResult
    public func loadDefaults(_ defaults: [Parameter] = PolicyDefaults.parameters, at now: Timestamp, on db: any SQLDatabase) async throws -> [Parameter] {
        var existing: Set<String> = []
        for row in try await db.raw("SELECT key, region_code, valid_from FROM parameters WHERE status = 'approved'").all() {
            existing.insert(try row.decode(column: "key", as: String.self) + "|" + row.decode(column: "region_code", as: String.self) + "|"
                + row.decode(column: "valid_from", as: String.self))
        }
        let missing = defaults.filter { !existing.contains("\($0.key)|\($0.region.value)|\($0.validFrom)") }
        for chunk in missing.chunked(into: 200) {
            let insert = db.insert(into: "parameters").columns(
                "key", "region_code", "valid_from", "value", "unit", "legal_basis", "label", "status", "proposed_by_name", "proposed_at", "decided_at")
            for parameter in chunk {
                let row: [any SQLExpression] = [
                    SQLBind(parameter.key), SQLBind(parameter.region.value), SQLBind(parameter.validFrom.description), SQLBind(try StoreJSON.text(parameter.value)),
                    SQLBind(parameter.unit), SQLBind(parameter.legalBasis), SQLBind(parameter.label.rawValue), SQLBind(ProposalStatus.approved.rawValue),
                    SQLBind("system:defaults"), SQLBind(now.iso8601), SQLBind(now.iso8601),
                ]
                insert.values(row)
            }
            try await insert.run()
        }
        return missing
    }

    /// A cheap summary of the approved rows that changes whenever they do.
    public func fingerprint(on db: any SQLDatabase) async throws -> String {
        let row = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m, COALESCE(MAX(decided_at), '') AS d
            FROM parameters WHERE status = 'approved'
            """
        ).first()
        return "\(try row?.decode(column: "n", as: Int64.self) ?? 0)/\(try row?.decode(column: "m", as: Int64.self) ?? 0)/\(try row?.decode(column: "d", as: String.self) ?? "")"
    }

    public func records(status: ProposalStatus? = nil, key: String? = nil, on db: any SQLDatabase) async throws -> [ParameterRecord] {
        var filters: [SQLQueryString] = ["1 = 1"]
        if let status { filters.append("status = \(bind: status.rawValue)") }
        if let key { filters.append("key = \(bind: key)") }
        let condition = filters.joined(separator: " AND ")
        return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE \(condition) ORDER BY key, valid_from DESC, id DESC").all().map(Self.decode)
    }

    /// The row of `id`, locked for the rest of the transaction.
    public func lock(id: Int64, on db: any SQLDatabase) async throws -> ParameterRecord? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first().map(Self.decode)
    }

    /// Stores a proposal (usually future-dated); it enters the book only once approved.
    public func propose(_ parameter: Parameter, note: String?, retroactiveReason: String? = nil, needsSecondApproval: Bool = false, by actor: AuditActor,
                        at now: Timestamp, on db: any SQLDatabase) async throws -> ParameterRecord {
        let row = try await db.raw(
            """
            INSERT INTO parameters (key, region_code, valid_from, value, unit, legal_basis, label, status, note, proposed_by, proposed_by_name, proposed_at,
                retroactive_reason, needs_second_approval)
            VALUES (\(bind: parameter.key), \(bind: parameter.region.value), \(bind: parameter.validFrom.description), \(bind: try StoreJSON.text(parameter.value)),
                \(bind: parameter.unit), \(bind: parameter.legalBasis), \(bind: parameter.label.rawValue), \(bind: ProposalStatus.proposed.rawValue), \(bind: note),
                \(bind: actor.userID), \(bind: actor.name), \(bind: now.iso8601), \(bind: retroactiveReason), \(bind: needsSecondApproval ? Int64(1) : Int64(0)))
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).first()
        guard let row else { throw StoreError.notFound("parameters") }
        return try Self.decode(row)
    }

    /// Records the decision on a proposal (the caller has checked maker–checker). An approved value
    /// that collides with another approved one for the same key, region and date is a unique violation.
    public func decide(_ record: ParameterRecord, approve: Bool, by userID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> ParameterRecord {
        let status: ProposalStatus = approve ? .approved : .rejected
        try await db.raw(
            """
            UPDATE parameters SET status = \(bind: status.rawValue), decided_by = \(bind: userID), decided_at = \(bind: now.iso8601)
            WHERE id = \(bind: record.id)
            """
        ).run()
        guard let decided = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: record.id)").first().map(Self.decode) else {
            throw StoreError.notFound("parameters \(record.id)")
        }
        return decided
    }

    /// Records the first of two approvals: the proposal stays proposed until another reviewer approves.
    public func approveFirst(_ record: ParameterRecord, by userID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> ParameterRecord {
        try await db.raw(
            "UPDATE parameters SET first_approved_by = \(bind: userID), first_approved_at = \(bind: now.iso8601) WHERE id = \(bind: record.id)"
        ).run()
        guard let updated = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM parameters WHERE id = \(bind: record.id)").first().map(Self.decode) else {
            throw StoreError.notFound("parameters \(record.id)")
        }
        return updated
    }

    static let columns = """
        id, key, region_code, valid_from, value, unit, legal_basis, label, status, note, proposed_by, proposed_by_name, proposed_at, decided_by, decided_at,
        retroactive_reason, needs_second_approval, first_approved_by, first_approved_at
        """

    static func decode(_ row: any SQLRow) throws -> ParameterRecord {
        let reader = try RowReader(row, table: "parameters")
        return ParameterRecord(
            id: try reader.int("id"),
            parameter: Parameter(
                key: try reader.string("key"), region: try reader.region("region_code"), validFrom: try reader.date("valid_from"),
                value: try reader.json("value", as: ParameterValue.self), unit: try reader.string("unit"), legalBasis: try reader.string("legal_basis"),
                label: try reader.value("label", as: VerificationLabel.self)),
            status: try reader.value("status", as: ProposalStatus.self),
            note: try reader.optionalString("note"),
            proposedBy: try reader.optionalInt("proposed_by"),
            proposedByName: try reader.string("proposed_by_name"),
            proposedAt: try reader.string("proposed_at"),
            decidedBy: try reader.optionalInt("decided_by"),
            decidedAt: try reader.optionalString("decided_at"),
            retroactiveReason: try reader.optionalString("retroactive_reason"),
            needsSecondApproval: try reader.int("needs_second_approval") != 0,
            firstApprovedBy: try reader.optionalInt("first_approved_by"),
            firstApprovedAt: try reader.optionalString("first_approved_at"))
    }
}
