public import SQLKit

/// Gathers the small writes of concurrent requests — audit rows of reads above all — into one
/// transaction (group commit), so that a read pays no fsync of its own (DESIGN.md §8,
/// STACK-NOTES pitfall 11).
///
/// One writer task takes whatever items are waiting and writes them together with `write`, in
/// one transaction; each caller resumes only when the commit that holds its item is durable, so
/// nothing a caller was told is written can be lost in a crash. If the batch fails, its items
/// are written again one by one, each in its own savepoint of one transaction, so a bad item
/// fails alone and the others still commit.
public actor GroupCommit<Item: Sendable> {
    /// Writes items inside the group's transaction, in order.
    public typealias Writer = @Sendable ([Item], any SQLDatabase) async throws -> Void

    private struct Waiting {
        var item: Item
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let database: ShebaoDatabase
    private let write: Writer
    /// The most items one transaction takes; the rest wait for the next.
    private let batchLimit: Int
    private var waiting: [Waiting] = []
    private var draining = false
    /// Transactions committed and items they carried, for tests and benchmarks.
    public private(set) var commits = 0
    public private(set) var items = 0

    public init(database: ShebaoDatabase, batchLimit: Int = 512, write: @escaping Writer) {
        self.database = database
        self.batchLimit = max(1, batchLimit)
        self.write = write
    }

    /// Writes `item` in the next group transaction and returns once that transaction is committed.
    public func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.append(Waiting(item: item, continuation: continuation))
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
            let results = await commit(batch.map(\.item))
            for (waiter, result) in zip(batch, results) { waiter.continuation.resume(with: result) }
        }
        draining = false
    }

    /// Writes the batch in one statement group; failing that, item by item so that only the bad
    /// ones fail.
    private func commit(_ batch: [Item]) async -> [Result<Void, any Error>] {
        let write = self.write
        do {
            try await database.write { db in try await write(batch, db) }
            commits += 1
            items += batch.count
            return batch.map { _ in .success(()) }
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
        }
        do {
            let results = try await database.write { db in
                var results: [Result<Void, any Error>] = []
                results.reserveCapacity(batch.count)
                for item in batch {
                    try await db.raw("SAVEPOINT group_item").run()
                    do {
                        try await write([item], db)
                        try await db.raw("RELEASE SAVEPOINT group_item").run()
                        results.append(.success(()))
                    } catch {
                        try await db.raw("ROLLBACK TO SAVEPOINT group_item").run()
                        try await db.raw("RELEASE SAVEPOINT group_item").run()
                        results.append(.failure(error))
                    }
                }
                return results
            }
            commits += 1
            items += batch.count
            return results
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }
}
