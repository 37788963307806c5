public import SQLKit

/// Gathers the small writes of concurrent requests — audit rows of reads above all — into one
/// transaction (group commit), so that a read pays no fsync of its own (DESIGN.md §8,
/// STACK-NOTES pitfall 11).
///
/// One writer task takes whatever is waiting, runs each job inside its own savepoint of one
/// transaction and commits; each caller resumes only when the commit that holds its job is
/// durable, so nothing a caller was told is written can be lost in a crash. A job that fails
/// rolls back to its savepoint and fails alone; the others still commit.
public actor GroupCommit {
    public typealias Job = @Sendable (any SQLDatabase) async throws -> Void

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let database: ShebaoDatabase
    /// The most jobs one transaction takes; the rest wait for the next.
    private let batchLimit: Int
    private var waiting: [Waiting] = []
    private var draining = false
    /// Transactions committed and jobs they carried, for tests and benchmarks.
    public private(set) var commits = 0
    public private(set) var jobs = 0

    public init(database: ShebaoDatabase, batchLimit: Int = 512) {
        self.database = database
        self.batchLimit = max(1, batchLimit)
    }

    /// Runs `job` in the next group transaction and returns once that transaction is committed.
    public func submit(_ job: @escaping Job) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.append(Waiting(job: job, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(batchLimit))
            waiting.removeFirst(batch.count)
            let jobs = batch.map(\.job)
            let results: [Result<Void, any Error>]
            do {
                results = try await database.write { db in
                    var results: [Result<Void, any Error>] = []
                    results.reserveCapacity(jobs.count)
                    for job in jobs {
                        try await db.raw("SAVEPOINT group_job").run()
                        do {
                            try await job(db)
                            try await db.raw("RELEASE SAVEPOINT group_job").run()
                            results.append(.success(()))
                        } catch {
                            try await db.raw("ROLLBACK TO SAVEPOINT group_job").run()
                            try await db.raw("RELEASE SAVEPOINT group_job").run()
                            results.append(.failure(error))
                        }
                    }
                    return results
                }
                commits += 1
                self.jobs += jobs.count
            } catch {
                results = jobs.map { _ in .failure(error) }
            }
            for (waiter, result) in zip(batch, results) { waiter.continuation.resume(with: result) }
        }
        draining = false
    }
}
