import SQLKit
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

/// Rows read by position come back as the database holds them, on both databases, whatever the
/// text: quotes, backslashes, control characters, Chinese and characters outside the BMP.
@Suite("Rows read by position")
struct RowsByPositionTests {
    static let names = ["王芳", "O'Brien \"Jr\"", "back\\slash", "tab\there\nnewline", "𠀋𡈽 outside the BMP", "", "<&>"]

    @Test(arguments: TestDatabaseKind.available)
    func rowsComeBackAsStoredInTheirOrder(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let rows = try await database.write { db in
                try await db.raw("CREATE TABLE position_probe (id BIGINT NOT NULL, amount BIGINT, name TEXT)").run()
                for (index, name) in Self.names.enumerated() {
                    let amount: Int64? = index == 2 ? nil : Int64(index) * -1_000_000_007
                    try await db.raw("INSERT INTO position_probe (id, amount, name) VALUES (\(bind: Int64(10 - index)), \(bind: amount), \(bind: name))").run()
                }
                return try await db.rowsByPosition("SELECT id, amount, name FROM position_probe", columns: ["id", "amount", "name"], orderedBy: "id")
            }
            #expect(rows.map { try? $0.int(0) } == (4...10).map(Int64.init))
            #expect(rows.map { try? $0.string(2) } == Self.names.reversed())
            #expect(rows[4].values[1] == .null)
            #expect(try rows[0].int(1) == 6 * -1_000_000_007)
            #expect(throws: RowsByPositionError.notText(column: 0)) { try rows[0].string(0) }
            #expect(rows.allSatisfy { $0.count == 3 })
            #expect(try rows[4].isNull(1) && !rows[0].isNull(1))
            #expect(throws: RowsByPositionError.noColumn(3)) { try rows[0].isNull(3) }
            let none = try await database.read { db in
                try await db.rowsByPosition("SELECT id, name FROM position_probe WHERE id < 0", columns: ["id", "name"], orderedBy: "id")
            }
            #expect(none.isEmpty)
            await #expect(throws: RowsByPositionError.unknownOrder("name")) {
                try await database.read { db in try await db.rowsByPosition("SELECT id FROM position_probe", columns: ["id"], orderedBy: "name") }
            }
        }
    }

    @Test func theReaderTakesJSONOfEitherDatabaseAndRefusesAnythingElse() throws {
        #expect(Array(try JSONRows.parse("[[1, \"a\"], [-2,null], []]")) == [PositionalRow([.integer(1), .text("a")]), PositionalRow([.integer(-2), .null]), PositionalRow([])])
        #expect(try JSONRows.parse(" [ ] ").isEmpty)
        // Rows far longer or shorter than the first, many of them: the room made after the first
        // row is only a guess.
        let long = (1...500).map { [ColumnValue.integer(Int64($0)), .text(String(repeating: "长", count: $0 % 37 * 20))] }
        for rows in [[[ColumnValue.integer(0)]] + long, [[ColumnValue.text(String(repeating: "x", count: 5_000))]] + long] {
            let json = "[" + rows.map { row in
                "[" + row.map { value in
                    switch value {
                    case .integer(let number): String(number)
                    case .text(let text): "\"\(text)\""
                    case .null: "null"
                    }
                }.joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
            #expect(Array(try JSONRows.parse(json)) == rows.map(PositionalRow.init))
        }
        #expect(Array(try JSONRows.parse(#"[["\u00e9\ud83d\ude00\"\\\/\n"]]"#)) == [PositionalRow([.text("é😀\"\\/\n")])])
        for bad in ["", "[", "[[1]", "[[1]] x", "[[1.5]]", "[[true]]", "[[\"open]]", #"[["\ud800"]]"#, "[[99999999999999999999]]", "[[-]]"] {
            #expect(throws: RowsByPositionError.self, "\(bad)") { try JSONRows.parse(bad) }
        }
    }
}
