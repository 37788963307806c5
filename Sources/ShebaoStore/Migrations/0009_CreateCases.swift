/// 0009: cases (applications) of every program — their step, due date and payload; every step
/// taken (append-only history); the documents checked; public notices with their objections.
public struct CreateCases: Migration {
    public init() {}
    public let version = 9
    public let name = "create cases"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE cases (
                id \(dialect.bigIntPrimaryKey),
                case_type TEXT NOT NULL,
                region_code TEXT NOT NULL REFERENCES regions (code),
                person_id BIGINT REFERENCES persons (id),
                state TEXT NOT NULL,
                due_on TEXT,
                payload TEXT NOT NULL,
                opened_by BIGINT REFERENCES users (id),
                opened_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX cases_region ON cases (region_code, state, due_on)",
            "CREATE INDEX cases_type ON cases (case_type, state)",
            "CREATE INDEX cases_person ON cases (person_id)",
            """
            CREATE TABLE case_steps (
                case_id BIGINT NOT NULL REFERENCES cases (id),
                seq BIGINT NOT NULL,
                transition TEXT NOT NULL,
                from_state TEXT,
                to_state TEXT NOT NULL,
                actor_id BIGINT REFERENCES users (id),
                actor_name TEXT NOT NULL,
                taken_at TEXT NOT NULL,
                note TEXT,
                PRIMARY KEY (case_id, seq)
            )
            """,
            """
            CREATE TABLE case_documents (
                id \(dialect.bigIntPrimaryKey),
                case_id BIGINT NOT NULL REFERENCES cases (id),
                kind TEXT NOT NULL,
                reference TEXT NOT NULL,
                note TEXT,
                added_by BIGINT REFERENCES users (id),
                added_by_name TEXT NOT NULL,
                added_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX case_documents_case ON case_documents (case_id)",
            """
            CREATE TABLE case_notices (
                id \(dialect.bigIntPrimaryKey),
                case_id BIGINT NOT NULL REFERENCES cases (id),
                state TEXT NOT NULL,
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                posted_by BIGINT REFERENCES users (id),
                posted_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX case_notices_case ON case_notices (case_id)",
            """
            CREATE TABLE case_objections (
                id \(dialect.bigIntPrimaryKey),
                notice_id BIGINT NOT NULL REFERENCES case_notices (id),
                raised_on TEXT NOT NULL,
                raised_by TEXT NOT NULL,
                content TEXT NOT NULL,
                recorded_by BIGINT REFERENCES users (id),
                recorded_at TEXT NOT NULL,
                outcome TEXT,
                resolution TEXT,
                resolved_by BIGINT REFERENCES users (id),
                resolved_at TEXT
            )
            """,
            "CREATE INDEX case_objections_notice ON case_objections (notice_id)",
        ] + dialect.appendOnlyTriggers(table: "case_steps") + dialect.appendOnlyTriggers(table: "case_documents")
    }
}
