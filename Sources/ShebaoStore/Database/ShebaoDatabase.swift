public import Logging
import NIOCore
import NIOPosix
import PostgresKit
public import SQLKit
import SQLiteKit

/// The database behind Shebao: SQLite (embedded) or PostgreSQL, reached through one SQLKit path.
///
/// Reads run on a pool of connections; writes run in a transaction. On SQLite all writes go
/// through one connection (`BEGIN IMMEDIATE`) because SQLite has one writer anyway and queuing
/// in-process is kinder than `SQLITE_BUSY`; readers proceed in parallel thanks to WAL.
public final class ShebaoDatabase: Sendable {
    public let dialect: Dialect
    public let location: DatabaseLocation
    let logger: Logger
    private let readers: ConnectionPool<Connection>
    private let writer: ConnectionPool<Connection>
    /// SQLite's checkpoints, off the writer (`WALCheckpointer`); PostgreSQL checkpoints itself.
    private let checkpointer: WALCheckpointer?

    /// SQLite settings applied to **every** connection: `synchronous` is not persisted in the
    /// file, so a connection without it would silently weaken durability (STACK-NOTES pitfall 5).
    static let sqlitePragmas = [
        // The wait first: a connection opened while another writes would otherwise be refused
        // (SQLITE_BUSY) by the journal-mode pragma at once — four households registered at the
        // same moment failed so.
        "PRAGMA busy_timeout = 5000",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA temp_store = MEMORY",
        // Deleted rows and freed pages are overwritten with zeros (residual information,
        // RELIABILITY-SECURITY-ECOSYSTEM.md 8.1.4.10). SQLiteNIO's build turns it on already; said
        // here so that it does not depend on how the package is built.
        "PRAGMA secure_delete = ON",
    ]

    /// The writer's page cache: 32 MB instead of SQLite's 2 MB. A payroll chunk writes 100,000
    /// payments into indexes that grow with every month paid and moves on as many pensions'
    /// progress; each page the cache lacks is read from the file again. Readers keep the default.
    /// The writer's own checkpoint only as a backstop, at 100,000 pages (400 MB) of log instead
    /// of 1,000: `WALCheckpointer` copies the log soon after each commit, beside the writer.
    static let sqliteWriterPragmas = ["PRAGMA cache_size = -32768", "PRAGMA wal_autocheckpoint = 100000"]

    private init(dialect: Dialect, location: DatabaseLocation, logger: Logger, readers: ConnectionPool<Connection>, writer: ConnectionPool<Connection>,
                 checkpointer: WALCheckpointer?) {
        self.dialect = dialect
        self.location = location
        self.logger = logger
        self.readers = readers
        self.writer = writer
        self.checkpointer = checkpointer
    }

    /// Opens (creating when needed) the database at `location`.
    ///
    /// - Parameter searchPath: PostgreSQL schema to use instead of `public` (tests use one schema each).
    public static func open(_ location: DatabaseLocation, logger: Logger, searchPath: String? = nil) async throws -> ShebaoDatabase {
        switch location {
        case .sqlite(let path):
            let open: @Sendable (_ writer: Bool) async throws -> Connection = { writer in
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: .singleton, logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any())
                do {
                    for pragma in sqlitePragmas + (writer ? sqliteWriterPragmas : []) { _ = try await connection.query(pragma, []) }
                } catch {
                    // Closed in a task of its own: when the caller was cancelled (a task group
                    // giving up) the close must still happen, or the connection is left open.
                    await Task { try? await connection.close() }.value
                    throw StoreError.cannotOpen(location.description, String(reflecting: error))
                }
                return Connection(sqlite: connection)
            }
            let database = ShebaoDatabase(
                dialect: .sqlite, location: location, logger: logger,
                readers: ConnectionPool(capacity: 4, makeConnection: { try await open(false) }),
                writer: ConnectionPool(capacity: 1, makeConnection: { try await open(true) }),
                checkpointer: WALCheckpointer(logger: logger, open: { try await open(false) }))
            // Open a connection now, so a bad path fails here and not on the first request.
            do {
                try await database.read { db in try await db.raw("SELECT 1").run() }
            } catch {
                await database.close()
                throw error
            }
            return database
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError.cannotOpen(location.description, "not a valid PostgreSQL URL")
            }
            let open: @Sendable () async throws -> Connection = {
                let connection: PostgresConnection
                do {
                    connection = try await PostgresConnection.connect(
                        on: MultiThreadedEventLoopGroup.singleton.any(),
                        configuration: configuration.coreConfiguration, id: 0, logger: logger)
                } catch {
                    throw StoreError.cannotOpen(location.description, String(reflecting: error))
                }
                if let searchPath {
                    try await connection.sql(queryLogLevel: nil).raw("SET search_path TO \(ident: searchPath)").run()
                }
                return Connection(postgres: connection)
            }
            let pool = ConnectionPool(capacity: 8, makeConnection: open)
            let database = ShebaoDatabase(dialect: .postgres, location: location, logger: logger, readers: pool, writer: pool, checkpointer: nil)
            try await database.read { db in try await db.raw("SELECT 1").run() }
            return database
        }
    }

    /// Runs `body` outside a transaction, for reads.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.withConnection { connection in try await body(connection.sql) }
    }

    /// Runs `body` in one transaction: everything it writes is committed together or not at all.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await writer.withConnection { connection in
            let db = connection.sql
            try await db.raw(SQLQueryString(stringLiteral: begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                checkpointer?.committed()
                return result
            } catch {
                do {
                    try await db.raw("ROLLBACK").run()
                } catch {
                    // The connection is unusable if even ROLLBACK fails; drop it from the pool.
                    await connection.close()
                }
                throw error
            }
        }
    }

    /// Returns when everything committed so far is in the database file itself, not only in
    /// SQLite's write-ahead log (a benchmark's timed work ends there). PostgreSQL: at once.
    public func checkpoint() async throws {
        try await checkpointer?.checkpoint()
    }

    /// Closes every connection. Call once, at shutdown.
    public func close() async {
        await checkpointer?.close()
        await readers.close()
        if dialect == .sqlite { await writer.close() }
    }
}

/// One pooled connection of either kind with its SQLKit view.
final class Connection: PooledConnection {
    let sql: any SQLDatabase
    private let closeBody: @Sendable () async -> Void
    private let isClosedBody: @Sendable () -> Bool

    init(sqlite connection: SQLiteConnection) {
        self.sql = connection.sql(queryLogLevel: nil)
        self.closeBody = { try? await connection.close() }
        self.isClosedBody = { connection.isClosed }
    }

    init(postgres connection: PostgresConnection) {
        self.sql = connection.sql(queryLogLevel: nil)
        self.closeBody = { try? await connection.close() }
        self.isClosedBody = { connection.isClosed }
    }

    var isClosed: Bool { isClosedBody() }

    /// Closes the connection even when called from a cancelled task (a server stopped by an
    /// error is cancelled): an unclosed SQLite connection traps when released.
    func close() async {
        let close = closeBody
        await Task { await close() }.value
    }
}

/// Storage failures a caller can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case databaseClosed
    case cannotOpen(String, String)
    /// A unique key already holds a different record (e.g. a resident ID registered twice).
    case duplicate(String)
    case notFound(String)
    /// A migration left the database at a version this program does not know.
    case unknownSchemaVersion(Int)

    public var description: String {
        switch self {
        case .databaseClosed: "the database is closed"
        case .cannotOpen(let location, let reason): "cannot open \(location): \(reason)"
        case .duplicate(let what): "already exists: \(what)"
        case .notFound(let what): "not found: \(what)"
        case .unknownSchemaVersion(let version): "the database is at schema version \(version), newer than this program knows; upgrade Shebao"
        }
    }
}
