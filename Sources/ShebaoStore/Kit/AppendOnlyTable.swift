import Crypto
import Foundation
public import SQLKit
public import ShebaoCore

/// A table of entries that are never changed (RELIABILITY §A1, TigerBeetle's rules in SQL): the
/// database itself refuses UPDATE, DELETE and TRUNCATE on both engines; every entry carries an
/// idempotency key, so a retried posting returns the original instead of writing twice; and a
/// correction is a new entry that reverses an earlier one, at most once. Money tables — the fund
/// ledger, payroll lines, bank payments — are declared with this.
public struct AppendOnlyTable: Sendable {
    /// A column beyond the standard ones.
    public struct Column: Sendable {
        public var name: String
        /// SQL type and constraints, e.g. `BIGINT NOT NULL`.
        public var definition: String
        /// Money or counts that a reversal negates.
        public var negatedOnReversal: Bool

        public init(_ name: String, _ definition: String, negatedOnReversal: Bool = false) {
            self.name = name
            self.definition = definition
            self.negatedOnReversal = negatedOnReversal
        }
    }

    /// A value to store; money is `.integer` fen.
    public enum Value: Sendable, Hashable {
        case integer(Int64)
        case text(String)
        case null

        var expression: any SQLExpression {
            switch self {
            case .integer(let value): SQLBind(value)
            case .text(let value): SQLBind(value)
            case .null: SQLLiteral.null
            }
        }

        var canonical: String {
            switch self {
            case .integer(let value): "i:\(value)"
            case .text(let value): "t:\(value)"
            case .null: "n"
            }
        }
    }

    /// What an append did.
    public enum Outcome: Sendable, Equatable {
        /// A new entry with this id.
        case created(Int64)
        /// The same key with the same content was appended before: its id, nothing written now.
        case existing(Int64)

        public var id: Int64 {
            switch self {
            case .created(let id), .existing(let id): id
            }
        }
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// The key was used before for different content: a collision, never a silent overwrite.
        case keyReused(String)
        /// The entry was reversed already (by entry `by`).
        case alreadyReversed(id: Int64, by: Int64)
        case notFound(Int64)
    }

    public let name: String
    public let columns: [Column]

    public init(name: String, columns: [Column]) {
        self.name = name
        self.columns = columns
    }

    /// The statements that create the table with its standard columns — `id`, `idempotency_key`
    /// (unique), `payload_digest`, `reverses` (unique: an entry is reversed at most once),
    /// `recorded_at`, `recorded_by` — and the append-only triggers.
    public func createStatements(dialect: Dialect) -> [String] {
        let own = columns.map { "    \($0.name) \($0.definition)," }.joined(separator: "\n")
        return [
            """
            CREATE TABLE \(name) (
                id \(dialect.bigIntPrimaryKey),
                idempotency_key TEXT NOT NULL UNIQUE,
                payload_digest TEXT NOT NULL,
                reverses BIGINT UNIQUE REFERENCES \(name) (id),
            \(own)
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """
        ] + dialect.appendOnlyTriggers(table: name)
    }

    /// Appends an entry under `key`, inside the caller's transaction. The same key with the same
    /// values returns the original entry; with different values it is refused.
    public func append(key: String, values: [String: Value], by actor: AuditActor, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> Outcome {
        try await append(key: key, values: values, reverses: nil, by: actor, at: now, on: db)
    }

    /// Appends the reversal of entry `id` under `key`: the same values with the money columns
    /// negated, pointing at the original. An entry is reversed once; a retry with the same key
    /// returns the reversal already written.
    public func reverse(_ id: Int64, key: String, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Outcome {
        let names = columns.map(\.name)
        guard let row = try await db.raw(
            "SELECT \(unsafeRaw: names.joined(separator: ", ")) FROM \(ident: name) WHERE id = \(bind: id)"
        ).first() else { throw Refusal.notFound(id) }
        var values: [String: Value] = [:]
        for column in columns {
            if (try? row.decodeNil(column: column.name)) == true {
                values[column.name] = .null
            } else if let number = try? row.decode(column: column.name, as: Int64.self) {
                values[column.name] = .integer(column.negatedOnReversal ? -number : number)
            } else if let text = try? row.decode(column: column.name, as: String.self) {
                values[column.name] = .text(text)
            } else {
                throw RowDecodingError(table: name, column: column.name, key: "id=\(id)", value: nil)
            }
        }
        if let existing = try await db.raw("SELECT id, idempotency_key FROM \(ident: name) WHERE reverses = \(bind: id)").first() {
            let reversal = try existing.decode(column: "id", as: Int64.self)
            guard try existing.decode(column: "idempotency_key", as: String.self) == key else {
                throw Refusal.alreadyReversed(id: id, by: reversal)
            }
        }
        return try await append(key: key, values: values, reverses: id, by: actor, at: now, on: db)
    }

    private func append(key: String, values: [String: Value], reverses: Int64?, by actor: AuditActor, at now: Timestamp,
                        on db: any SQLDatabase) async throws -> Outcome {
        let digest = Self.digest(values, reverses: reverses)
        if let existing = try await db.raw("SELECT id, payload_digest FROM \(ident: name) WHERE idempotency_key = \(bind: key)").first() {
            guard try existing.decode(column: "payload_digest", as: String.self) == digest else { throw Refusal.keyReused(key) }
            return .existing(try existing.decode(column: "id", as: Int64.self))
        }
        let names = columns.map(\.name)
        let insert = db.insert(into: name)
            .columns(["idempotency_key", "payload_digest", "reverses"] + names + ["recorded_at", "recorded_by"])
        let row: [any SQLExpression] = [SQLBind(key), SQLBind(digest), reverses.map { SQLBind($0) } ?? SQLLiteral.null]
            + names.map { (values[$0] ?? .null).expression } + [SQLBind(now.iso8601), SQLBind(actor.name)]
        insert.values(row)
        guard let created = try await insert.returning("id").first() else { throw Refusal.notFound(0) }
        return .created(try created.decode(column: "id", as: Int64.self))
    }

    /// SHA-256 of the values in column order, the reversed entry included.
    static func digest(_ values: [String: Value], reverses: Int64?) -> String {
        let text = values.keys.sorted().map { "\($0)=\(values[$0]!.canonical)" }.joined(separator: "\u{1F}") + "\u{1F}reverses=\(reverses.map(String.init) ?? "")"
        return SHA256.hash(data: Data(text.utf8)).hexString
    }
}
