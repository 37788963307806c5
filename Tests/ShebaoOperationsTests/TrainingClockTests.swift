import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// A training installation's clock (`serve --training-clock`): an administrator moves it on by
/// whole days, 1 to 60 at a time, audited; no one else may, and a production installation's clock
/// cannot be moved at all.
@Suite("Training clock")
struct TrainingClockTests {
    @Test(arguments: TestDatabaseKind.available)
    func onlyAnAdministratorMovesATrainingClockAndOnlyForward(kind: TestDatabaseKind) async throws {
        let base = TestClock()
        let clock = TrainingClock(base: base)
        try await withTestDistrict(kind, clock: clock) { operations in
            let admin = try await operations.access.principal(named: "admin")
            let clerk = try await operations.access.principal(named: "district")
            let start = base.now().dateInChina
            #expect(operations.access.trainingDate == start)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.access.advanceTrainingClock(days: "8", by: clerk) }
            for bad in ["0", "61", "-3", "x"] {
                await #expect(throws: ServiceError.self) { _ = try await operations.access.advanceTrainingClock(days: bad, by: admin) }
            }
            #expect(operations.access.trainingDate == start)
            #expect(try await operations.access.advanceTrainingClock(days: "8", by: admin) == start.adding(days: 8))
            #expect(clock.daysAhead == 8 && operations.access.trainingDate == start.adding(days: 8))
            let audited = try await operations.database.read { db in
                try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE entity = 'training_clock'").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(audited == 1)
        }
        try await withTestDistrict(kind, clock: base) { operations in
            let admin = try await operations.access.principal(named: "admin")
            #expect(operations.access.trainingDate == nil)
            await #expect(throws: ServiceError.conflict("training_clock.absent")) { _ = try await operations.access.advanceTrainingClock(days: "8", by: admin) }
        }
    }
}
