public import SQLKit
public import ShebaoCore

/// SQL fragments every store uses: scope conditions, counts, id lists.
public enum SQLPieces {
    /// `column` inside `scope`, as a range both databases answer from the index (a LIKE prefix
    /// would not use it under SQLite's case-insensitive LIKE); codes are digits of equal length,
    /// so the range reads the same under any collation.
    public static func scope(_ scope: RegionCode, column: String) -> SQLQueryString {
        let prefix = scope.scopePrefix
        if prefix.isEmpty { return "1 = 1" }
        let low = prefix + String(repeating: "0", count: 12 - prefix.count)
        let high = prefix + String(repeating: "9", count: 12 - prefix.count)
        return "\(unsafeRaw: column) BETWEEN \(bind: low) AND \(bind: high)"
    }

    /// The first column `n` of the first row, as an integer (0 when there is no row).
    public static func count(_ db: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        Int(try await db.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// Conditions on `column` that together select exactly `ids`. On SQLite, whose single writer
    /// holds the database, the ids of a batch just inserted are one range; elsewhere (and for
    /// scattered ids) lists of 500, since another transaction may have taken ids in between.
    public static func idConditions(_ ids: [Int64], column: String = "id", dialect: Dialect) -> [SQLQueryString] {
        guard let low = ids.min(), let high = ids.max() else { return [] }
        if dialect == .sqlite && high - low + 1 == Int64(ids.count) && Set(ids).count == ids.count {
            return ["\(unsafeRaw: column) BETWEEN \(bind: low) AND \(bind: high)"]
        }
        return ids.chunked(into: 500).map { "\(unsafeRaw: column) IN (\(binds: Array($0)))" }
    }

    /// `LIMIT n OFFSET m` for a page.
    public static func page(_ paging: Paging) -> SQLQueryString {
        "LIMIT \(literal: paging.perPage) OFFSET \(literal: paging.offset)"
    }
}
