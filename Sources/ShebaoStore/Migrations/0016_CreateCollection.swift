/// 0016: what units owe and pay — the bills an approved assessment sends out, the tax bureau's
/// collection files and lines (先征后登), the months each person has paid, the yearly individual
/// accounts with their interest, and the statements a citizen printed (PROGRAMS.md §2.1, §3).
public struct CreateCollection: Migration {
    public init() {}
    public let version = 16
    public let name = "collection and individual accounts"

    public func statements(for dialect: Dialect) -> [String] {
        [
            // One bill per unit, month and scheme, written when an approved assessment is posted.
            """
            CREATE TABLE bills (
                employer_id BIGINT NOT NULL REFERENCES employers (id),
                period BIGINT NOT NULL,
                scheme TEXT NOT NULL,
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                region_code TEXT NOT NULL,
                headcount BIGINT NOT NULL,
                base_fen BIGINT NOT NULL,
                individual_fen BIGINT NOT NULL,
                employer_fen BIGINT NOT NULL,
                PRIMARY KEY (employer_id, period, scheme)
            )
            """,
            "CREATE INDEX bills_period ON bills (period, region_code)",
            """
            CREATE TABLE collection_files (
                id \(dialect.bigIntPrimaryKey),
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                region_code TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL,
                imported_at TEXT NOT NULL,
                imported_by TEXT NOT NULL
            )
            """,
            // A line of a tax-bureau file. `employer_id` is set when it matched a bill (or was
            // assigned from the queue); `state` is matched, unmatched or returned (sent back to the
            // tax bureau). The surcharge is what the late part of the line owes (RULES.md §6).
            """
            CREATE TABLE collections (
                id \(dialect.bigIntPrimaryKey),
                file_id BIGINT NOT NULL REFERENCES collection_files (id),
                row_number BIGINT NOT NULL,
                voucher TEXT NOT NULL UNIQUE,
                credit_code TEXT NOT NULL,
                employer_id BIGINT REFERENCES employers (id),
                period BIGINT NOT NULL,
                scheme TEXT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                paid_on TEXT NOT NULL,
                headcount BIGINT,
                state TEXT NOT NULL,
                surcharge_fen BIGINT NOT NULL DEFAULT 0,
                resolved_by TEXT,
                resolved_at TEXT,
                note TEXT
            )
            """,
            "CREATE INDEX collections_bill ON collections (employer_id, period, scheme)",
            "CREATE INDEX collections_state ON collections (state, period)",
            // A month a person's unit paid in full for a scheme: their contribution month, and the
            // account credit it carries (RULES.md §1.2), credited on the day the payment completed.
            """
            CREATE TABLE paid_months (
                person_id BIGINT NOT NULL,
                scheme TEXT NOT NULL,
                period BIGINT NOT NULL,
                employer_id BIGINT NOT NULL,
                base_fen BIGINT NOT NULL,
                individual_fen BIGINT NOT NULL,
                account_credit_fen BIGINT NOT NULL,
                employer_transfer_fen BIGINT NOT NULL,
                credited_on TEXT NOT NULL,
                PRIMARY KEY (person_id, scheme, period, employer_id)
            )\(dialect.withoutRowID)
            """,
            "CREATE INDEX paid_months_employer ON paid_months (employer_id, period)",
            // A pension account's year: opening, credits and interest by the 13/24 rule, each part
            // (the individual's own, inheritable; the employer's transfer before 2006) on its own.
            """
            CREATE TABLE account_years (
                person_id BIGINT NOT NULL,
                year BIGINT NOT NULL,
                run_id BIGINT NOT NULL,
                rate_nanos BIGINT NOT NULL,
                opening_own_fen BIGINT NOT NULL,
                opening_transfer_fen BIGINT NOT NULL,
                credited_own_fen BIGINT NOT NULL,
                credited_transfer_fen BIGINT NOT NULL,
                closing_own_fen BIGINT NOT NULL,
                closing_transfer_fen BIGINT NOT NULL,
                PRIMARY KEY (person_id, year)
            )\(dialect.withoutRowID)
            """,
            // A printed statement: its code, whose it is, and what it said (masked), so anyone
            // holding the paper can check it on the public page.
            """
            CREATE TABLE statements (
                code TEXT PRIMARY KEY,
                person_id BIGINT NOT NULL REFERENCES persons (id),
                issued_at TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                content TEXT NOT NULL
            )
            """,
        ]
    }
}
