import Logging

/// A connection the pool can hand out: SQL access plus closing.
protocol PooledConnection: Sendable {
    var isClosed: Bool { get }
    func close() async
}

/// A small fair pool of at most `capacity` connections, opened lazily.
///
/// AsyncKit's pool is not `Sendable` (STACK-NOTES pitfall 2); this one is an actor over a
/// `makeConnection` closure and serves SQLite and PostgreSQL alike.
actor ConnectionPool<Connection: PooledConnection> {
    private let capacity: Int
    private let makeConnection: @Sendable () async throws -> Connection
    private var idle: [Connection] = []
    private var openCount = 0
    private var waiters: [CheckedContinuation<Connection?, Never>] = []
    private var closed = false

    init(capacity: Int, makeConnection: @escaping @Sendable () async throws -> Connection) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.makeConnection = makeConnection
    }

    /// Runs `body` with a connection held exclusively, then returns it to the pool.
    func withConnection<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    private func acquire() async throws -> Connection {
        if closed { throw StoreError.databaseClosed }
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            openCount -= 1
        }
        if openCount < capacity {
            openCount += 1
            do {
                return try await makeConnection()
            } catch {
                openCount -= 1
                throw error
            }
        }
        let connection = await withCheckedContinuation { waiters.append($0) }
        guard let connection else { throw StoreError.databaseClosed }
        return connection
    }

    private func release(_ connection: Connection) {
        if closed {
            // The pool closed while this connection was in use: close it now rather than keep it.
            openCount -= 1
            Task { await connection.close() }
            return
        }
        if connection.isClosed {
            openCount -= 1
            if !waiters.isEmpty, openCount < capacity {
                // Let a waiter open a fresh connection on its own.
                Task { await self.replaceClosedConnection() }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    private func replaceClosedConnection() async {
        guard !waiters.isEmpty, openCount < capacity else { return }
        openCount += 1
        do {
            let connection = try await makeConnection()
            release(connection)
        } catch {
            openCount -= 1
            waiters.removeFirst().resume(returning: nil)
        }
    }

    /// Closes idle connections and refuses new requests; waiters are told the pool is closed.
    func close() async {
        closed = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        for connection in connections { await connection.close() }
        openCount -= connections.count
    }
}
