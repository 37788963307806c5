import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Audit log")
struct AuditLogTests {
    static func appendSome(_ database: ShebaoDatabase, count: Int) async throws {
        let clock = TestClock()
        for index in 1...count {
            try await database.write { db in
                try await AuditLog.append(
                    AuditEvent(actor: .system("test"), action: .update, entity: "person", entityID: String(index),
                               region: RegionCode(trusted: "331004103201"), before: ["v": index], after: ["v": index + 1]),
                    on: db, dialect: database.dialect, at: clock.now())
            }
            clock.advance(seconds: 1)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anIntactChainVerifies(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.appendSome(database, count: 12)
            let result = try await AuditLog.verify(database, chunkSize: 5)
            #expect(result.isIntact)
            #expect(result.rowsChecked == 12)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theDatabaseRefusesUpdatesAndDeletes(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.appendSome(database, count: 2)
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("DELETE FROM audit_log WHERE seq = 2").run() }
            }
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    /// Someone with the database file drops the trigger and edits a row: verify names the row.
    @Test(arguments: TestDatabaseKind.available)
    func anEditedRowIsNamed(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.appendSome(database, count: 6)
            try await Self.withoutTriggers(database) { db in
                try await db.raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4").run()
            }
            let result = try await AuditLog.verify(database)
            #expect(!result.isIntact)
            #expect(result.problems == [.alteredRow(seq: 4)])
            #expect(result.problems[0].description.contains("row 4"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func removedRowsAreFound(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.appendSome(database, count: 6)
            try await Self.withoutTriggers(database) { db in
                try await db.raw("DELETE FROM audit_log WHERE seq = 3").run()
                try await db.raw("DELETE FROM audit_log WHERE seq = 6").run()
            }
            let result = try await AuditLog.verify(database)
            #expect(result.problems.contains(.missingRows(from: 3, to: 3)))
            #expect(result.problems.contains(.brokenChain(seq: 4)) || result.problems.contains(.missingRows(from: 3, to: 3)))
            #expect(result.problems.contains(.headMismatch(headSeq: 6, lastSeq: 5)))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aRowWithARecomputedHashBreaksTheNextLink(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Self.appendSome(database, count: 3)
            try await Self.withoutTriggers(database) { db in
                try await db.raw("UPDATE audit_log SET hash = 'ffff' WHERE seq = 2").run()
            }
            let problems = try await AuditLog.verify(database).problems
            #expect(problems.contains(.alteredRow(seq: 2)))
            #expect(problems.contains(.brokenChain(seq: 3)))
        }
    }

    static func withoutTriggers(_ database: ShebaoDatabase, _ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await database.write { db in
            switch database.dialect {
            case .sqlite:
                try await db.raw("DROP TRIGGER audit_log_no_update").run()
                try await db.raw("DROP TRIGGER audit_log_no_delete").run()
            case .postgres:
                try await db.raw("DROP TRIGGER audit_log_append_only ON audit_log").run()
            }
            try await body(db)
        }
    }
}
