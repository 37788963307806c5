import Foundation
import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Synchronization
import Testing
@testable import ShebaoStore

/// The store's building blocks: append-only money tables, inserts matched by key, strict row
/// decoding, the group commit, and the rendered SQL of the search.
@Suite("Store kit")
struct KitTests {
    static let entries = AppendOnlyTable(name: "test_entries", columns: [
        .init("account", "TEXT NOT NULL"),
        .init("amount_fen", "BIGINT NOT NULL", negatedOnReversal: true),
        .init("memo", "TEXT"),
    ])

    @Test(arguments: TestDatabaseKind.available)
    func appendOnlyTablesAreIdempotentAndReversedOnce(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let table = Self.entries
            let actor = AuditActor.system("test")
            let now = SystemClock().now()
            try await database.write { db in
                for statement in table.createStatements(dialect: database.dialect) { try await db.raw(SQLQueryString(statement)).run() }
            }
            let values: [String: AppendOnlyTable.Value] = ["account": .text("1001 养老保险基金收入户"), "amount_fen": .integer(123_456), "memo": .null]
            let first = try await database.write { db in try await table.append(key: "k-1", values: values, by: actor, at: now, on: db) }
            guard case .created(let id) = first else { Issue.record("not created: \(first)"); return }
            // A retry with the same key and content returns the original; different content is refused.
            #expect(try await database.write { db in try await table.append(key: "k-1", values: values, by: actor, at: now, on: db) } == .existing(id))
            var different = values
            different["amount_fen"] = .integer(123_457)
            let changed = different
            await #expect(throws: AppendOnlyTable.Refusal.keyReused("k-1")) {
                _ = try await database.write { db in try await table.append(key: "k-1", values: changed, by: actor, at: now, on: db) }
            }
            // The database itself refuses changes.
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("UPDATE test_entries SET amount_fen = 1").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("DELETE FROM test_entries").run() }
            }
            // A correction is a reversing entry, once.
            let reversal = try await database.write { db in try await table.reverse(id, key: "k-1-reversal", by: actor, at: now, on: db) }
            #expect(reversal != .existing(id))
            #expect(try await database.write { db in try await table.reverse(id, key: "k-1-reversal", by: actor, at: now, on: db) } == .existing(reversal.id))
            await #expect(throws: AppendOnlyTable.Refusal.alreadyReversed(id: id, by: reversal.id)) {
                _ = try await database.write { db in try await table.reverse(id, key: "k-1-again", by: actor, at: now, on: db) }
            }
            let sum = try await database.read { db in
                try await SQLPieces.count(db, "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS n FROM test_entries")
            }
            #expect(sum == 0, "an entry and its reversal add up to nothing")
            let reversed = try await database.read { db in
                try await db.raw("SELECT reverses, memo FROM test_entries WHERE id = \(bind: reversal.id)").first()
            }
            #expect(try reversed?.decode(column: "reverses", as: Int64.self) == id)
            #expect(try reversed?.decode(column: "memo", as: String?.self) == nil)
        }
    }

    /// New ids are matched to their rows by key, whatever order the database returns them in.
    @Test func returnedIDsAreMatchedByKeyNotOrder() throws {
        let keys = ["A", "B", "C", "D"]
        let returned: [(key: String, id: Int64)] = [("C", 13), ("A", 11), ("D", 14), ("B", 12)]
        #expect(try InsertReturning.match(returned, to: keys, table: "t") == [11, 12, 13, 14])
        #expect(throws: InsertReturning.MatchError.mismatch(table: "t", key: "B")) { try InsertReturning.match(Array(returned.prefix(3)), to: keys, table: "t") }
        #expect(throws: InsertReturning.MatchError.mismatch(table: "t", key: "A")) { try InsertReturning.match(returned + [("A", 99)], to: keys, table: "t") }
    }

    /// Units inserted together each get their own schemes and version, on both databases.
    @Test(arguments: TestDatabaseKind.available)
    func employersInsertedTogetherKeepTheirOwnSchemes(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let region = RegionCode(trusted: "331004103201")
            let units: [(code: CreditCode, details: EmployerDetails)] = [[Scheme.pension], [.medical, .maternity], [], [.workInjury]].enumerated().map { index, schemes in
                (CreditCode(body: "91331004MA2\(String(format: "%06d", 700 + index))"),
                 EmployerDetails(name: "单位\(index)", ownershipType: .privateEnterprise, industry: .C, riskClass: 5, region: region, staffCount: index,
                                 schemes: Set(schemes)))
            }
            let now = SystemClock().now()
            let ids = try await database.write { db in
                try await RegionStore().insertMissing(try RegionStore.bundledRegions() + [Region(code: region, name: "测试村", level: .village,
                                                                                                 parent: RegionCode(trusted: "331004103000"), areaType: .rural)], on: db)
                return try await EmployerStore().insert(units, by: .system("test"), reason: "test", at: now, on: db)
            }
            for (id, unit) in zip(ids, units) {
                let stored = try #require(try await database.read { db in try await EmployerStore().find(id: id, on: db) })
                #expect(stored.creditCode == unit.code)
                #expect(stored.details.schemes == unit.details.schemes)
                let history = try await database.read { db in try await EmployerStore().history(of: id, on: db) }
                #expect(history.map(\.record.creditCode) == [unit.code])
            }
        }
    }

    /// A stored value that does not read back is an error naming the table, the column and the
    /// row, never a default.
    @Test(arguments: TestDatabaseKind.available)
    func aValueThatCannotBeReadIsNamed(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let person = try #require(try await registeredPersons(database, perPage: 1).items.first)
            try await database.write { db in
                try await db.raw("UPDATE persons SET hukou_type = 'martian' WHERE id = \(bind: person.id)").run()
            }
            await #expect(throws: RowDecodingError(table: "persons", column: "hukou_type", key: "id=\(person.id)", value: "martian")) {
                _ = try await database.read { db in try await PersonStore().find(id: person.id, on: db) }
            }
            try await database.write { db in
                try await db.raw("UPDATE persons SET hukou_type = 'agricultural', birth_date = '1990-02-30' WHERE id = \(bind: person.id)").run()
            }
            let error = RowDecodingError(table: "persons", column: "x", key: "id=1", value: "v")
            #expect(error.description.contains("table persons, column x, row id=1"))
        }
    }

    /// Concurrent small writes share commits; each caller returns once its item is committed, and a
    /// failing one fails alone.
    @Test(arguments: TestDatabaseKind.available)
    func theGroupCommitSharesCommitsAndIsolatesFailures(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await database.write { db in try await db.raw("CREATE TABLE group_items (v BIGINT NOT NULL CHECK (v <> 17))").run() }
            let commits = GroupCommit<Int64>(database: database) { items, db in
                var insert = db.insert(into: "group_items").columns("v")
                for item in items { insert = insert.values(SQLBind(item)) }
                try await insert.run()
            }
            let failures = Failures()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in Int64(0)..<200 {
                    group.addTask {
                        do {
                            try await commits.submit(index)
                        } catch {
                            #expect(index == 17)
                            failures.count.withLock { $0 += 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(failures.count.withLock { $0 } == 1)
            let stored = try await database.read { db in try await db.raw("SELECT v FROM group_items ORDER BY v").all().map { try $0.decode(column: "v", as: Int64.self) } }
            #expect(stored == Array(0..<200).filter { $0 != 17 })
            #expect(await commits.items == 200)
            #expect(await commits.commits < 200, "concurrent writes shared transactions")
        }
    }

    /// Audit rows of concurrent reads are chained in one link per commit, and the chain verifies.
    @Test(arguments: TestDatabaseKind.available)
    func readAuditsShareCommitsAndKeepTheChain(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let trail = AuditTrail(database: database, clock: SystemClock())
            let before = try await AuditLog.verify(database).rowsChecked
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        try await trail.record(AuditEvent(actor: .system("test"), action: .read, entity: "person", entityID: String(index)))
                    }
                }
                try await group.waitForAll()
            }
            let verification = try await AuditLog.verify(database)
            #expect(verification.isIntact)
            #expect(verification.rowsChecked == before + 300)
            let counts = await trail.commitCounts
            #expect(counts.rows == 300)
            #expect(counts.commits < 300)
            let ids = try await database.read { db in
                try await db.raw("SELECT entity_id FROM audit_log WHERE entity = 'person' AND action = 'read'").all().map { try $0.decode(column: "entity_id", as: String.self) }
            }
            #expect(Set(ids) == Set((0..<300).map(String.init)))
        }
    }

    final class Failures: Sendable {
        let count = Mutex(0)
    }

    /// The search statements as each database sees them: the scope is an index range, a name a
    /// byte-order prefix (COLLATE "C" on PostgreSQL) and then its one-wrong-character keys.
    @Test func theSearchRendersForBothDialects() throws {
        let query = PersonQuery(name: "张小明", status: .living)
        let scope = RegionCode(trusted: "331004103000")
        let sqlite = try #require(PersonSearchSQL(query: query, scope: scope, dialect: .sqlite))
        let postgres = try #require(PersonSearchSQL(query: query, scope: scope, dialect: .postgres))
        let renderedSQLite = RenderedSQL.sqlite(sqlite.parts[0].rows(limit: 50, offset: 0))
        #expect(renderedSQLite.sql.contains("p.region_code BETWEEN ?1 AND ?2"))
        #expect(renderedSQLite.sql.contains("p.merged_into IS NULL"))
        #expect(renderedSQLite.sql.contains("p.status = ?3 AND p.name >= ?4 AND p.name < ?5"))
        #expect(renderedSQLite.sql.contains("ORDER BY p.name, p.id LIMIT 50 OFFSET 0"))
        #expect(renderedSQLite.binds == ["331004103000", "331004103999", "living", "张小明", "张小明\u{10FFFF}"])
        let renderedPostgres = RenderedSQL.postgres(postgres.parts[0].rows(limit: 50, offset: 0))
        #expect(renderedPostgres.sql.contains("p.region_code BETWEEN $1 AND $2"))
        #expect(renderedPostgres.sql.contains("p.name COLLATE \"C\" >= $4 AND p.name COLLATE \"C\" < $5"))
        #expect(renderedPostgres.sql.contains("ORDER BY p.name COLLATE \"C\", p.id LIMIT 50 OFFSET 0"))
        let fuzzy = RenderedSQL.postgres(postgres.parts[1].count)
        #expect(fuzzy.sql.contains("p.id IN (SELECT k.person_id FROM person_name_keys k WHERE k.name_key IN ($4, $5, $6)) AND p.name <> $7"))
        #expect(fuzzy.binds.suffix(4) == ["*小明", "张*明", "张小*", "张小明"])
        // A district's scope is the range of its six digits; the nation's is no condition.
        #expect(RenderedSQL.sqlite(SQLPieces.scope(RegionCode(trusted: "331004000000"), column: "c")).binds == ["331004000000", "331004999999"])
        #expect(RenderedSQL.sqlite(SQLPieces.scope(.nation, column: "c")).sql == "1 = 1")
        // A region outside the scope matches nothing, without a query.
        #expect(PersonSearchSQL(query: PersonQuery(region: RegionCode(trusted: "331004104000")), scope: scope, dialect: .sqlite) == nil)
    }
}
