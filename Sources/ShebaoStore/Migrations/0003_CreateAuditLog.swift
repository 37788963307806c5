/// 0003: the audit log — append-only (triggers refuse UPDATE and DELETE) and hash-chained;
/// `audit_head` holds the last sequence number and hash so that removing the newest rows is seen too.
public struct CreateAuditLog: Migration {
    public init() {}
    public let version = 3
    public let name = "create audit log"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY,
                occurred_at TEXT NOT NULL,
                actor_id BIGINT,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                region_code TEXT,
                before_digest TEXT,
                after_digest TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)",
            "CREATE INDEX audit_log_actor ON audit_log (actor_id, occurred_at)",
            """
            CREATE TABLE audit_head (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                last_seq BIGINT NOT NULL,
                last_hash TEXT NOT NULL
            )
            """,
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '\(AuditLog.genesisHash)')",
        ] + dialect.appendOnlyTriggers(table: "audit_log")
    }
}
