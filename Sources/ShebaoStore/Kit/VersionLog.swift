import Foundation
public import SQLKit
public import ShebaoCore

/// One saved version of a record: who, when, why and the record as it then was.
public struct RecordVersion<Record: Codable & Sendable>: Sendable {
    public var ownerID: Int64
    public var version: Int64
    public var changedAt: String
    public var changedBy: String
    public var reason: String
    public var record: Record
}

/// The one versioning mechanism of versioned records (persons, households, employers, and every
/// record a program adds): a table `(owner_id, version, changed_at, changed_by, changed_by_name,
/// reason, snapshot)`, append-only, whose snapshot is the record's JSON in the shape its Swift type
/// decodes. A single change writes the snapshot from Swift; a bulk change (an import, the demo)
/// has the database build the snapshots from the rows just written, in one statement.
public struct VersionLog<Record: Codable & Sendable>: Sendable {
    public let table: String
    public let ownerColumn: String

    public init(table: String, ownerColumn: String) {
        self.table = table
        self.ownerColumn = ownerColumn
    }

    /// The statements that create the table (append-only on both databases).
    public func createStatements(ownerTable: String, dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE \(table) (
                \(ownerColumn) BIGINT NOT NULL REFERENCES \(ownerTable) (id),
                version BIGINT NOT NULL,
                changed_at TEXT NOT NULL,
                changed_by BIGINT,
                changed_by_name TEXT NOT NULL,
                reason TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                PRIMARY KEY (\(ownerColumn), version)
            )
            """
        ] + dialect.appendOnlyTriggers(table: table)
    }

    /// Records `record` as version `version` of `id`.
    public func append(id: Int64, version: Int64, record: Record, by actor: AuditActor, reason: String, at now: Timestamp,
                       on db: any SQLDatabase) async throws {
        let snapshot = try StoreJSON.text(record)
        try await db.raw(
            """
            INSERT INTO \(ident: table) (\(ident: ownerColumn), version, changed_at, changed_by, changed_by_name, reason, snapshot)
            VALUES (\(bind: id), \(bind: version), \(bind: now.iso8601), \(bind: actor.userID), \(bind: actor.name), \(bind: reason), \(bind: snapshot))
            """
        ).run()
    }

    /// Records the current state of the rows `source` selects as their new versions, set-based:
    /// `snapshot` is a SQL expression over `source`'s columns (``Dialect/jsonObject(_:asText:)``)
    /// in the shape `Record` decodes; `idColumn` and `versionColumn` name the owner id and version.
    public func appendSnapshots(from source: String, idColumn: String = "id", versionColumn: String = "version", snapshot: String,
                                where condition: SQLQueryString, by actor: AuditActor, reason: String, at now: Timestamp,
                                on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO \(ident: table) (\(ident: ownerColumn), version, changed_at, changed_by, changed_by_name, reason, snapshot)
            SELECT \(unsafeRaw: idColumn), \(unsafeRaw: versionColumn), \(bind: now.iso8601), \(bind: actor.userID), \(bind: actor.name), \(bind: reason),
                \(unsafeRaw: snapshot)
            FROM \(unsafeRaw: source) WHERE \(condition)
            """
        ).run()
    }

    /// Every version of the given records, newest first; who changed each by the user's name as
    /// it stands (the name recorded with the change when the user is gone or it was the system).
    public func history(of ids: [Int64], on db: any SQLDatabase) async throws -> [RecordVersion<Record>] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw(
            """
            SELECT v.\(ident: ownerColumn) AS owner_id, v.version, v.changed_at, COALESCE(u.display_name, v.changed_by_name) AS changed_by_name,
                v.reason, v.snapshot
            FROM \(ident: table) v LEFT JOIN users u ON u.id = v.changed_by
            WHERE v.\(ident: ownerColumn) IN (\(binds: ids)) ORDER BY v.changed_at DESC, v.\(ident: ownerColumn), v.version DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: table, keyColumn: "owner_id")
            return RecordVersion(
                ownerID: try reader.int("owner_id"), version: try reader.int("version"), changedAt: try reader.string("changed_at"),
                changedBy: try reader.string("changed_by_name"), reason: try reader.string("reason"),
                record: try reader.json("snapshot", as: Record.self))
        }
    }
}
