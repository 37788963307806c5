import Logging
import NIOCore
import NIOPosix
import PostgresKit
public import SQLKit
import SQLiteKit

/// A statement as a database would receive it: its text and its bound values, rendered by the
/// dialects of SQLite and PostgreSQL without a connection (for tests of the important queries).
public enum RenderedSQL {
    public struct Statement: Sendable, Equatable {
        public var sql: String
        /// The bound values as text (`nil` shown as "NULL").
        public var binds: [String]
    }

    public static func sqlite(_ expression: any SQLExpression) -> Statement { render(expression, dialect: SQLiteDialect()) }

    public static func postgres(_ expression: any SQLExpression) -> Statement { render(expression, dialect: PostgresDialect()) }

    static func render(_ expression: any SQLExpression, dialect: any SQLDialect) -> Statement {
        let (sql, binds) = RenderingDatabase(dialect: dialect).serialize(expression)
        return Statement(sql: sql, binds: binds.map { bind in
            if let text = bind as? String { return text }
            if let optional = bind as? String?, optional == nil { return "NULL" }
            return String(describing: bind)
        })
    }

    /// Only a dialect: it renders, it never runs anything.
    struct RenderingDatabase: SQLDatabase {
        let dialect: any SQLDialect
        var logger: Logger { Logger(label: "shebao.rendered-sql") }
        var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
        var version: (any SQLDatabaseReportedVersion)? { nil }
        var queryLogLevel: Logger.Level? { nil }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
            eventLoop.makeFailedFuture(RenderOnly())
        }

        struct RenderOnly: Error {}
    }
}
