import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Batch runs with the registry census: chunked, resumable, idempotent, approved by another
/// person, posted.
@Suite("Batch runs")
struct BatchTests {
    struct Interrupted: Error {}

    /// The census rows of a run, as stored.
    static func lines(_ operations: Operations, _ runID: Int64) async throws -> [CensusLine] {
        try await operations.database.read { db in try await CensusStore().lines(of: runID, on: db) }
    }

    /// A run stopped between chunks (the process killed) resumes where it stopped and ends with
    /// exactly the rows of an uninterrupted run; a rerun doubles nothing.
    @Test(arguments: TestDatabaseKind.available)
    func aRunStoppedBetweenChunksResumesToTheSameRows(kind: TestDatabaseKind) async throws {
        let uninterrupted = try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let run = try await operations.batches.start(kind: "registry.census", period: "2026-06", by: clerk)
            #expect(run.state == .computed)
            #expect(run.chunkCount == 10, "one chunk per street and town")
            return try await Self.lines(operations, run.id)
        }
        try await withTestDistrict(kind) { operations in
            let batches = operations.batches
            let clerk = try await operations.access.principal(named: "district")
            let stopped = await #expect(throws: ServiceError.self) {
                _ = try await batches.start(kind: "registry.census", period: "2026-06", by: clerk, progress: { done, _ in
                    if done == 3 { throw Interrupted() }
                })
            }
            #expect(stopped?.kind == .failure)
            let page = try await batches.runs(by: clerk)
            let draft = try #require(page.items.first)
            #expect(draft.state == .draft)
            // On PostgreSQL chunks compute side by side: those already running when the stop came
            // still commit; nothing else does.
            let inFlight = operations.database.dialect == .postgres ? max(0, min(4, ProcessInfo.processInfo.activeProcessorCount) - 1) : 0
            #expect((3...3 + inFlight).contains(draft.chunksDone))
            let committed = try await batches.chunks(of: draft, by: clerk).map(\.number)
            #expect(committed.count == draft.chunksDone && Set(committed).isSubset(of: Set(0..<(3 + inFlight + 1))))
            // Starting again finds the same run and computes only what is left.
            var reported: [Int] = []
            let progress = Progress()
            let resumed = try await batches.start(kind: "registry.census", period: "2026-06", by: clerk, progress: { done, _ in progress.record(done) })
            reported = progress.values
            #expect(resumed.id == draft.id)
            #expect(reported == Array(draft.chunksDone...10))
            #expect(resumed.state == .computed)
            let lines = try await Self.lines(operations, resumed.id)
            #expect(lines == uninterrupted)
            #expect(lines.reduce(0) { $0 + $1.persons } == resumed.total)
            #expect(resumed.total == 410, "every living person of the demo district, once")
            // A rerun of a computed run comes back as it is.
            let again = try await batches.start(kind: "registry.census", period: "2026-06", by: clerk)
            #expect(again.id == resumed.id)
            #expect(try await Self.lines(operations, again.id) == lines)
            #expect(try await batches.runs(by: clerk).total == 1)
        }
    }

    /// Approval by a second person, then posting; the census output by township.
    @Test(arguments: TestDatabaseKind.available)
    func aComputedRunIsApprovedByAnotherPersonThenPosted(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let batches = operations.batches
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let leader = try await operations.access.principal(named: "leader")
            await #expect(throws: ServiceError.forbidden) { _ = try await batches.start(kind: "registry.census", period: "2026-06", by: leader) }
            await #expect(throws: ServiceError.invalid("period", "period.invalid", ["value": "2026-13"])) {
                _ = try await batches.start(kind: "registry.census", period: "2026-13", by: clerk)
            }
            await #expect(throws: ServiceError.notFound) {
                _ = try await batches.start(kind: "registry.census", period: "2026-06", scope: "331004001000", by: clerk)
            }
            let run = try await batches.start(kind: "registry.census", period: "2026-06", by: clerk)
            #expect(run.key.scope == clerk.scope)
            #expect(run.chunkCount == 1)
            #expect(run.inputs["parameters"] != nil && run.inputs["asOf"] != nil, "the inputs' versions are frozen with the run")
            await #expect(throws: ServiceError.conflict("batch.not_approved", labels: ["state": BatchState.computed.labelKey])) {
                _ = try await batches.post(run.id, by: clerk)
            }
            // The one who started it cannot approve it, even as a reviewer.
            var sameUser = reviewer
            sameUser.userID = clerk.userID
            await #expect(throws: ServiceError(.forbidden, "maker_checker.own_proposal")) { _ = try await batches.decide(run.id, approve: true, note: nil, by: sameUser) }
            let approved = try await batches.decide(run.id, approve: true, note: "核对无误", by: reviewer)
            #expect(approved.state == .approved)
            await #expect(throws: ServiceError.conflict("batch.not_computed", labels: ["state": BatchState.approved.labelKey])) {
                _ = try await batches.decide(run.id, approve: false, note: nil, by: reviewer)
            }
            let posted = try await batches.post(run.id, by: clerk)
            #expect(posted.state == .posted)
            let output = try await batches.output(of: posted, by: clerk)
            #expect(output.rows.count == 1)
            #expect(output.rows[0][0] == "新桥镇")
            #expect(output.total?.first == String(try await registeredCount(operations.database, in: clerk.scope)))
            // Another town's clerk cannot see the run.
            let lunan = try await operations.access.principal(named: "lunan")
            await #expect(throws: ServiceError.notFound) { _ = try await batches.run(run.id, by: lunan) }
        }
    }

    /// A rejected run gives way to a new one for the same period and scope.
    @Test(arguments: TestDatabaseKind.available)
    func aRejectedRunMakesRoomForANewOne(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let first = try await operations.batches.start(kind: "registry.census", period: "2026-05", by: clerk)
            _ = try await operations.batches.decide(first.id, approve: false, note: "重算", by: reviewer)
            let second = try await operations.batches.start(kind: "registry.census", period: "2026-05", by: clerk)
            #expect(second.id != first.id)
            #expect(second.state == .computed)
            #expect(try await Self.lines(operations, first.id) == Self.lines(operations, second.id))
        }
    }

    /// What the progress callback was told (a class, since the callback is `@Sendable`).
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Int] = []
        func record(_ done: Int) { lock.withLock { recorded.append(done) } }
        var values: [Int] { lock.withLock { recorded } }
    }
}
