import Logging
import SQLKit

/// Copies what the SQLite writer has committed from the write-ahead log into the database file,
/// on a connection and a thread of its own, soon after each commit: at most every
/// `interval`, so a server's many small commits are copied (and the file synced) together, as
/// SQLite's own checkpoint copied them every 1,000 pages, not one by one.
///
/// SQLite's own checkpoint runs inside the commit that finds the log long enough (1,000 pages):
/// the writer stops writing while it copies the log and waits for the file to sync. On the
/// payroll bench (a million payments in ten chunks) that was a sixth of the computation, on the
/// one core the writer uses while the other waits. Here chunk n is copied while chunk n + 1 is
/// computed — measured with the payroll's statements (Python's `sqlite3` on the same SQLite
/// 3.54.1), the commits went from 1.07–1.14 s to 0.51–0.57 s. A `PASSIVE` checkpoint never
/// blocks the writer or the readers, and the log stays as safe as before: a commit is durable
/// in the log (`synchronous = FULL`) whether or not it has been copied yet.
///
/// The writer keeps an automatic checkpoint of its own as a backstop, far above what one
/// transaction of the payroll writes (`ShebaoDatabase.sqliteWriterPragmas`): should this one
/// fall behind or fail, the log still cannot grow without end.
final class WALCheckpointer: Sendable {
    private let connection: ConnectionPool<Connection>
    private let requests: AsyncStream<Void>.Continuation
    private let worker: Task<Void, Never>

    /// The least time between two copies.
    static let interval = Duration.milliseconds(500)

    init(logger: Logger, open: @escaping @Sendable () async throws -> Connection) {
        let connection = ConnectionPool(capacity: 1, makeConnection: open)
        // One request waiting at most: commits made while a checkpoint runs are all copied by
        // the next one.
        let (stream, requests) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.connection = connection
        self.requests = requests
        self.worker = Task {
            for await _ in stream {
                do {
                    try await Self.checkpoint(on: connection)
                    // Closing cancels the wait: SQLite copies the rest as its last connection closes.
                    try await Task.sleep(for: Self.interval)
                } catch is CancellationError {
                    return
                } catch StoreError.databaseClosed {
                    return
                } catch {
                    logger.warning("write-ahead log checkpoint failed; the writer's own checkpoint remains", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// The writer has committed: copy the log once the copy under way, and `interval` after it, are over.
    func committed() {
        requests.yield()
    }

    /// Copies everything committed so far, now, and returns when it is in the database file.
    func checkpoint() async throws {
        try await Self.checkpoint(on: connection)
    }

    private static func checkpoint(on connection: ConnectionPool<Connection>) async throws {
        try await connection.withConnection { connection in try await connection.sql.raw("PRAGMA wal_checkpoint(PASSIVE)").run() }
    }

    /// Lets the copy under way finish, skips those still waiting and closes the connection.
    func close() async {
        requests.finish()
        worker.cancel()
        await worker.value
        await connection.close()
    }
}
