/// 0013: the life of an account (issue 9). Privileged accounts are created, re-enabled and given
/// a new password only on a second administrator's approval (`account_requests`); every hand an
/// administrator has in an account is kept (`account_changes`, append-only) so that a reviewer
/// cannot decide the proposals of an account the same administrator made; a reset password must
/// be changed at the next login; API tokens expire.
public struct AccountLifecycle: Migration {
    public init() {}
    public let version = 13
    public let name = "account lifecycle"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE api_tokens ADD COLUMN expires_at TEXT",
            """
            CREATE TABLE account_requests (
                id \(dialect.bigIntPrimaryKey),
                user_id BIGINT NOT NULL REFERENCES users (id),
                kind TEXT NOT NULL,
                password_hash TEXT,
                status TEXT NOT NULL,
                requested_by BIGINT REFERENCES users (id),
                requested_at TEXT NOT NULL,
                decided_by BIGINT REFERENCES users (id),
                decided_at TEXT
            )
            """,
            "CREATE INDEX account_requests_status ON account_requests (status, id)",
            """
            CREATE TABLE account_changes (
                id \(dialect.bigIntPrimaryKey),
                user_id BIGINT NOT NULL REFERENCES users (id),
                kind TEXT NOT NULL,
                changed_by BIGINT NOT NULL REFERENCES users (id),
                changed_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX account_changes_user ON account_changes (user_id, changed_at)",
        ] + dialect.appendOnlyTriggers(table: "account_changes")
    }
}
