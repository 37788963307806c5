import SQLKit
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

/// SQLite's log is copied into the database file beside the writer (`WALCheckpointer`), not by
/// the commit that happens to find it long.
@Suite("Write-ahead log checkpoints")
struct WALCheckpointerTests {
    /// Frames in the log and frames of it already in the database file, as a passive checkpoint
    /// of a reader finds them (it copies nothing the checkpointer has not).
    static func log(of database: ShebaoDatabase) async throws -> (frames: Int64, copied: Int64) {
        try await database.read { db in
            let row = try await db.raw("PRAGMA wal_checkpoint(PASSIVE)").first()
            return (try row?.decode(column: "log", as: Int64.self) ?? -1, try row?.decode(column: "checkpointed", as: Int64.self) ?? -1)
        }
    }

    static func writeRows(_ count: Int, into database: ShebaoDatabase) async throws {
        try await database.write { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS checkpoint_probe (id BIGINT NOT NULL, note TEXT NOT NULL)").run()
            for id in 0..<count {
                try await db.raw("INSERT INTO checkpoint_probe (id, note) VALUES (\(bind: Int64(id)), \(bind: String(repeating: "账", count: 200)))").run()
            }
        }
    }

    @Test func aCommitIsCopiedIntoTheFileWithoutTheWriterCheckpointing() async throws {
        try await withTestDatabase(.sqlite) { (database: ShebaoDatabase) async throws in
            // A few hundred pages: below the 1,000 at which SQLite's own checkpoint would copy
            // them at the commit, and far below the writer's backstop.
            try await Self.writeRows(600, into: database)
            var log = try await Self.log(of: database)
            for _ in 0..<200 where log.copied < log.frames {
                try await Task.sleep(for: .milliseconds(50))
                log = try await Self.log(of: database)
            }
            #expect(log.frames > 0)
            #expect(log.copied == log.frames)
        }
    }

    @Test func checkpointReturnsWithEverythingCommittedInTheFile() async throws {
        try await withTestDatabase(.sqlite) { (database: ShebaoDatabase) async throws in
            for _ in 0..<3 {
                try await Self.writeRows(300, into: database)
                try await database.checkpoint()
                let log = try await Self.log(of: database)
                #expect(log.frames > 0)
                #expect(log.copied == log.frames)
            }
            let backstop = try await database.write { db in
                try await db.raw("PRAGMA wal_autocheckpoint").first()?.decode(column: "wal_autocheckpoint", as: Int64.self)
            }
            #expect(backstop == 100_000)
            #expect(try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM checkpoint_probe").first()?.decode(column: "n", as: Int64.self) } == 900)
        }
    }
}
