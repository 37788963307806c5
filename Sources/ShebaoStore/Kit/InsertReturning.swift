public import SQLKit

/// Multi-row inserts whose new ids are matched back to the input by a natural key.
///
/// Neither database promises the order of `INSERT … RETURNING` (SQLite says outright that it is
/// arbitrary), so zipping the returned ids with the input can attach a scheme, a version or a
/// member to the wrong record. Every store inserts many rows through here.
public enum InsertReturning {
    public enum MatchError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A key came back that was not inserted, came back twice, or did not come back.
        case mismatch(table: String, key: String)

        public var description: String {
            switch self {
            case .mismatch(let table, let key): "the ids returned by an insert into \(table) do not match its rows (key \(key))"
            }
        }
    }

    /// Inserts `rows` into `table` (`columns` in order) in chunks and returns each row's new id,
    /// in input order, matched through `keyColumn`, whose values are `keys` (parallel to `rows`,
    /// unique within the call).
    public static func insert(into table: String, columns: [String], rows: [[any SQLExpression]], keyColumn: String, keys: [String],
                              chunkSize: Int = 400, on db: any SQLDatabase) async throws -> [Int64] {
        precondition(rows.count == keys.count, "one key per row")
        var ids: [Int64] = []
        ids.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + chunkSize)
            let insert = db.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert.values(row) }
            var returned: [(key: String, id: Int64)] = []
            for row in try await insert.returning("id", keyColumn).all() {
                returned.append((try row.decode(column: keyColumn, as: String.self), try row.decode(column: "id", as: Int64.self)))
            }
            ids += try match(returned, to: Array(keys[start..<end]), table: table)
            start = end
        }
        return ids
    }

    /// The ids of `keys`, in their order, from `(key, id)` pairs in any order. Every key must
    /// come back exactly once.
    public static func match(_ returned: [(key: String, id: Int64)], to keys: [String], table: String) throws -> [Int64] {
        var byKey: [String: Int64] = [:]
        for pair in returned {
            guard byKey.updateValue(pair.id, forKey: pair.key) == nil else { throw MatchError.mismatch(table: table, key: pair.key) }
        }
        guard byKey.count == keys.count else {
            let missing = keys.first { byKey[$0] == nil } ?? "?"
            throw MatchError.mismatch(table: table, key: missing)
        }
        return try keys.map { key in
            guard let id = byKey[key] else { throw MatchError.mismatch(table: table, key: key) }
            return id
        }
    }
}

extension SQLDatabase {
    /// Runs one `INSERT` and returns the id of the row it made.
    public func insertReturningID(_ insert: SQLQueryString) async throws -> Int64 {
        guard let row = try await raw("\(insert) RETURNING id").first() else { throw InsertReturning.MatchError.mismatch(table: "?", key: "id") }
        return try row.decode(column: "id", as: Int64.self)
    }
}
