/// 0002: users with role and region scope, sessions, API tokens and failed logins.
/// Secrets are stored only as hashes: bcrypt for passwords, SHA-256 for session ids and tokens.
public struct CreateAccess: Migration {
    public init() {}
    public let version = 2
    public let name = "create users, sessions, tokens"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE users (
                id \(dialect.bigIntPrimaryKey),
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                region_code TEXT NOT NULL REFERENCES regions (code),
                person_id BIGINT,
                password_hash TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'active',
                locked_until TEXT,
                created_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users (id),
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (
                id \(dialect.bigIntPrimaryKey),
                user_id BIGINT NOT NULL REFERENCES users (id),
                label TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            )
            """,
            """
            CREATE TABLE login_failures (
                user_id BIGINT NOT NULL REFERENCES users (id),
                failed_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX login_failures_user ON login_failures (user_id, failed_at)",
        ]
    }
}
