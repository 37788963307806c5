import Crypto
import Foundation
public import SQLKit
public import ShebaoCore

/// What happened, as the audit log records it.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create, update, delete
    /// A staff member opened a person's full record (RELIABILITY §A3: reads are logged too).
    case read
    case login
    case loginFailed = "login_failed"
    case logout
    case lock
    case tokenCreate = "token_create"
    case tokenRevoke = "token_revoke"
    /// A list left the office as a file.
    case export
    /// A search by name or resident ID (the query itself only as a digest).
    case search
    /// A file's identifiers were checked against the whole register (an import): even a rejected
    /// file is on record, so the check cannot be used quietly to learn who is registered elsewhere.
    case importCheck = "import_check"
    /// An account was disabled (its sessions ended, its tokens revoked) or enabled again.
    case disable
    case enable
    /// An administrator set a new password, to be changed at the next login.
    case passwordReset = "password_reset"
    /// The holder chose a new password.
    case passwordChange = "password_change"
    /// A second administrator decided a request about an account.
    case approve
    case reject
}

/// Who did it: a user, or the system itself (migrations, the demo generator, batch runs).
public struct AuditActor: Sendable, Hashable {
    public var userID: Int64?
    public var name: String

    public init(userID: Int64?, name: String) {
        self.userID = userID
        self.name = name
    }

    public init(_ principal: Principal) {
        self.init(userID: principal.userID, name: principal.username)
    }

    public static func system(_ what: String) -> AuditActor { AuditActor(userID: nil, name: "system:" + what) }
}

/// One line to append to the audit log. It holds digests of the record before and after,
/// never the record itself, so the log carries no personal data.
public struct AuditEvent: Sendable {
    public var actor: AuditActor
    public var action: AuditAction
    public var entity: String
    public var entityID: String
    public var region: RegionCode?
    public var beforeDigest: String?
    public var afterDigest: String?

    public init(actor: AuditActor, action: AuditAction, entity: String, entityID: String, region: RegionCode? = nil,
                before: (any Encodable)? = nil, after: (any Encodable)? = nil) {
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.region = region
        self.beforeDigest = before.map(AuditLog.digest)
        self.afterDigest = after.map(AuditLog.digest)
    }
}

/// The append-only, hash-chained audit log (DESIGN.md §8, RELIABILITY §A3 and §A4 8.1.4.3).
///
/// Each row's hash covers its own fields and the previous row's hash; `audit_head` keeps the
/// last sequence number and hash. Editing a row breaks its hash, removing one breaks the chain
/// or the head; `shebao audit verify` finds either.
public enum AuditLog {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Appends `event` inside the caller's write transaction, so the audit row and the change
    /// it describes are committed together or not at all.
    public static func append(_ event: AuditEvent, on db: any SQLDatabase, dialect: Dialect, at time: Timestamp) async throws {
        try await append([(event, time)], on: db, dialect: dialect)
    }

    /// Appends `events` in order as one link of the chain: the head is read once, the rows are
    /// hashed one after the other and written in multi-row statements, the head is moved once.
    /// This is what lets the group commit write a few hundred read audits for the price of one.
    public static func append(_ events: [(event: AuditEvent, at: Timestamp)], on db: any SQLDatabase, dialect: Dialect) async throws {
        guard !events.isEmpty else { return }
        guard let head = try await db.raw("SELECT last_seq, last_hash FROM audit_head WHERE id = 1\(unsafeRaw: dialect.forUpdate)").first() else {
            throw StoreError.notFound("audit_head")
        }
        var seq = try head.decode(column: "last_seq", as: Int64.self)
        var previous = try head.decode(column: "last_hash", as: String.self)
        var rows: [AuditRow] = []
        rows.reserveCapacity(events.count)
        for (event, time) in events {
            seq += 1
            var row = AuditRow(
                seq: seq, occurredAt: time.iso8601, actorID: event.actor.userID, actor: event.actor.name,
                action: event.action.rawValue, entity: event.entity, entityID: event.entityID,
                regionCode: event.region?.value, beforeDigest: event.beforeDigest, afterDigest: event.afterDigest,
                prevHash: previous, hash: "")
            row.hash = row.computedHash
            previous = row.hash
            rows.append(row)
        }
        // 12 binds a row: 200 rows stay far below either database's limit on binds.
        for chunk in rows.chunked(into: 200) {
            var insert = db.insert(into: "audit_log").columns(AuditRow.CodingKeys.allCases.map(\.rawValue))
            for row in chunk { insert = insert.values(row.values) }
            try await insert.run()
        }
        try await db.raw("UPDATE audit_head SET last_seq = \(bind: seq), last_hash = \(bind: previous) WHERE id = 1").run()
    }

    /// SHA-256 (hex) of a value's canonical JSON (sorted keys).
    public static func digest(_ value: any Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data()
        return SHA256.hash(data: data).hexString
    }

    /// Recomputes every hash in sequence order and compares the chain with `audit_head`.
    public static func verify(_ database: ShebaoDatabase, chunkSize: Int = 5000) async throws -> AuditVerification {
        var problems: [AuditProblem] = []
        var expectedPrevious = genesisHash
        var expectedSeq: Int64 = 1
        var checked = 0
        var after: Int64 = 0
        while true {
            let start = after
            let rows = try await database.read { db in
                try await db.raw(
                    """
                    SELECT seq, occurred_at, actor_id, actor, action, entity, entity_id, region_code,
                        before_digest, after_digest, prev_hash, hash
                    FROM audit_log WHERE seq > \(bind: start) ORDER BY seq LIMIT \(literal: chunkSize)
                    """
                ).all(decoding: AuditRow.self)
            }
            for row in rows {
                if row.seq != expectedSeq { problems.append(.missingRows(from: expectedSeq, to: row.seq - 1)) }
                if row.prevHash != expectedPrevious && row.seq == expectedSeq { problems.append(.brokenChain(seq: row.seq)) }
                if row.computedHash != row.hash { problems.append(.alteredRow(seq: row.seq)) }
                expectedPrevious = row.hash
                expectedSeq = row.seq + 1
                checked += 1
            }
            guard let last = rows.last, rows.count == chunkSize else { break }
            after = last.seq
        }
        let head = try await database.read { db in
            try await db.raw("SELECT last_seq, last_hash FROM audit_head WHERE id = 1").first()
        }
        let headSeq = try head?.decode(column: "last_seq", as: Int64.self) ?? -1
        let headHash = try head?.decode(column: "last_hash", as: String.self) ?? ""
        if headSeq != expectedSeq - 1 || headHash != expectedPrevious {
            problems.append(.headMismatch(headSeq: headSeq, lastSeq: expectedSeq - 1))
        }
        return AuditVerification(rowsChecked: checked, problems: problems)
    }
}

/// A row of `audit_log` as stored.
struct AuditRow: Codable, Sendable {
    var seq: Int64
    var occurredAt: String
    var actorID: Int64?
    var actor: String
    var action: String
    var entity: String
    var entityID: String
    var regionCode: String?
    var beforeDigest: String?
    var afterDigest: String?
    var prevHash: String
    var hash: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seq, actor, action, entity, hash
        case occurredAt = "occurred_at"
        case actorID = "actor_id"
        case entityID = "entity_id"
        case regionCode = "region_code"
        case beforeDigest = "before_digest"
        case afterDigest = "after_digest"
        case prevHash = "prev_hash"
    }

    /// The row's values in the order of ``CodingKeys``.
    var values: [any SQLExpression] {
        CodingKeys.allCases.map { key -> any SQLExpression in
            switch key {
            case .seq: SQLBind(seq)
            case .actor: SQLBind(actor)
            case .action: SQLBind(action)
            case .entity: SQLBind(entity)
            case .hash: SQLBind(hash)
            case .occurredAt: SQLBind(occurredAt)
            case .actorID: SQLBind(actorID)
            case .entityID: SQLBind(entityID)
            case .regionCode: SQLBind(regionCode)
            case .beforeDigest: SQLBind(beforeDigest)
            case .afterDigest: SQLBind(afterDigest)
            case .prevHash: SQLBind(prevHash)
            }
        }
    }

    /// SHA-256 over the previous hash and every field, separated by the unit separator (U+001F)
    /// so that no two different rows serialise alike.
    var computedHash: String {
        let fields: [String] = [
            prevHash, String(seq), occurredAt, actorID.map(String.init) ?? "", actor, action, entity, entityID,
            regionCode ?? "", beforeDigest ?? "", afterDigest ?? "",
        ]
        return SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)).hexString
    }
}

/// The outcome of `shebao audit verify`.
public struct AuditVerification: Sendable {
    public var rowsChecked: Int
    public var problems: [AuditProblem]
    public var isIntact: Bool { problems.isEmpty }
}

/// One way the audit log differs from what was written.
public enum AuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// The row's content no longer matches its hash: it was edited.
    case alteredRow(seq: Int64)
    /// The row does not follow the hash of the row before it: a row before it was changed or removed.
    case brokenChain(seq: Int64)
    /// Sequence numbers are missing: rows were removed.
    case missingRows(from: Int64, to: Int64)
    /// The newest rows do not match the recorded head: rows were removed from the end.
    case headMismatch(headSeq: Int64, lastSeq: Int64)

    /// Key of the localized message (`audit.problem.*`) and its arguments.
    public var code: String {
        switch self {
        case .alteredRow: "audit.problem.altered"
        case .brokenChain: "audit.problem.chain"
        case .missingRows(let from, let to): from == to ? "audit.problem.missing_one" : "audit.problem.missing"
        case .headMismatch: "audit.problem.head"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .alteredRow(let seq), .brokenChain(let seq): ["seq": String(seq)]
        case .missingRows(let from, let to): ["from": String(from), "to": String(to)]
        case .headMismatch(let headSeq, let lastSeq): ["head": String(headSeq), "last": String(lastSeq)]
        }
    }

    public var description: String {
        switch self {
        case .alteredRow(let seq): "row \(seq) was altered: its content does not match its hash"
        case .brokenChain(let seq): "row \(seq) does not follow the row before it: the chain is broken"
        case .missingRows(let from, let to): from == to ? "row \(from) is missing" : "rows \(from) to \(to) are missing"
        case .headMismatch(let headSeq, let lastSeq): "the log ends at row \(lastSeq) but its head records row \(headSeq): rows were removed or the head was changed"
        }
    }
}

extension Digest {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// An audit row as shown to auditors.
public struct AuditEntry: Sendable, Codable {
    public var seq: Int64
    public var occurredAt: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String
    public var regionCode: String?
    /// The digest of what the row records (the search, the export's filter, the record after a change).
    public var afterDigest: String?
}

extension AuditLog {
    /// The newest rows, or those before `seq`, newest first.
    public static func entries(_ database: ShebaoDatabase, before seq: Int64? = nil, limit: Int = 50) async throws -> [AuditEntry] {
        try await database.read { db in
            let condition: SQLQueryString = seq.map { "WHERE seq < \(bind: $0)" } ?? ""
            return try await db.raw(
                """
                SELECT seq, occurred_at, actor_id, actor, action, entity, entity_id, region_code, before_digest,
                    after_digest, prev_hash, hash
                FROM audit_log \(condition) ORDER BY seq DESC LIMIT \(literal: limit)
                """
            ).all(decoding: AuditRow.self).map {
                AuditEntry(seq: $0.seq, occurredAt: $0.occurredAt, actor: $0.actor, action: $0.action, entity: $0.entity,
                           entityID: $0.entityID, regionCode: $0.regionCode, afterDigest: $0.afterDigest)
            }
        }
    }
}
