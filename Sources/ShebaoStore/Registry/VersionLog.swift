import Foundation
import SQLKit
public import ShebaoCore

/// One saved version of a record (household or employer): who, when, why and the record then.
public struct RecordVersion<Record: Codable & Sendable>: Sendable {
    public var version: Int64
    public var changedAt: String
    public var changedBy: String
    public var reason: String
    public var record: Record
}

/// The version tables of households and employers share one shape:
/// `(owner_id, version, changed_at, changed_by, changed_by_name, reason, snapshot)`.
struct VersionLog<Record: Codable & Sendable>: Sendable {
    let table: String
    let ownerColumn: String

    func append(id: Int64, version: Int64, record: Record, on db: any SQLDatabase, by actor: AuditActor, reason: String, at now: Timestamp) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let snapshot = String(decoding: try encoder.encode(record), as: UTF8.self)
        try await db.raw(
            """
            INSERT INTO \(ident: table) (\(ident: ownerColumn), version, changed_at, changed_by, changed_by_name, reason, snapshot)
            VALUES (\(bind: id), \(bind: version), \(bind: now.iso8601), \(bind: actor.userID), \(bind: actor.name), \(bind: reason), \(bind: snapshot))
            """
        ).run()
    }

    func history(of id: Int64, on db: any SQLDatabase) async throws -> [RecordVersion<Record>] {
        try await db.raw(
            """
            SELECT version, changed_at, changed_by_name, reason, snapshot FROM \(ident: table)
            WHERE \(ident: ownerColumn) = \(bind: id) ORDER BY version DESC
            """
        ).all().map { row in
            RecordVersion(
                version: try row.decode(column: "version", as: Int64.self),
                changedAt: try row.decode(column: "changed_at", as: String.self),
                changedBy: try row.decode(column: "changed_by_name", as: String.self),
                reason: try row.decode(column: "reason", as: String.self),
                record: try JSONDecoder().decode(Record.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8)))
        }
    }
}
