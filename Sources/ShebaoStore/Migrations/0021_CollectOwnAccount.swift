/// 0021: the contributions of persons insured on their own account (个体工商户、灵活就业人员) are
/// billed and collected like a unit's. An approved assessment's own-account lines become the
/// person's bills of the month; the tax bureau's file names such a payer by resident ID instead
/// of a credit code, so a collection line names one or the other (and the person it matched);
/// and a paid month is the person's in a scheme and month whoever paid it — its unit, or none.
/// Enrolments in a scheme never overlap, so (person, scheme, month) was already unique. A line
/// also keeps the fund its cash came into, so settling it from the queue moves the cash when its
/// payer's fund turns out to be another (a pension paid by a public institution).
public struct CollectOwnAccount: Migration {
    public init() {}
    public let version = 21
    public let name = "own-account bills and collection"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE own_bills (
                person_id BIGINT NOT NULL REFERENCES persons (id),
                period BIGINT NOT NULL,
                scheme TEXT NOT NULL,
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                region_code TEXT NOT NULL,
                base_fen BIGINT NOT NULL,
                individual_fen BIGINT NOT NULL,
                employer_fen BIGINT NOT NULL,
                account_credit_fen BIGINT NOT NULL,
                employer_transfer_fen BIGINT NOT NULL,
                PRIMARY KEY (person_id, period, scheme)
            )
            """,
            "CREATE INDEX own_bills_period ON own_bills (period, region_code)",
            // A run's own-account bills summed per scheme when it is posted, without reading older runs'.
            "CREATE INDEX own_bills_run ON own_bills (run_id, scheme)",
        ] + collections(dialect) + paidMonths(dialect)
    }

    /// A line names a unit by credit code or a person by resident ID, never both.
    private func collections(_ dialect: Dialect) -> [String] {
        let payer = "CHECK ((credit_code IS NULL) <> (resident_id IS NULL))"
        let byPerson = "CREATE INDEX collections_person ON collections (person_id, period, scheme)"
        switch dialect {
        case .postgres:
            return [
                """
                ALTER TABLE collections ALTER COLUMN credit_code DROP NOT NULL, ADD COLUMN resident_id TEXT,
                    ADD COLUMN person_id BIGINT REFERENCES persons (id), ADD COLUMN received_fund TEXT, ADD CONSTRAINT collections_payer \(payer)
                """,
                byPerson,
            ]
        case .sqlite:
            return [
                """
                CREATE TABLE collections_by_payer (
                    id \(dialect.bigIntPrimaryKey),
                    file_id BIGINT NOT NULL REFERENCES collection_files (id),
                    row_number BIGINT NOT NULL,
                    voucher TEXT NOT NULL UNIQUE,
                    credit_code TEXT,
                    resident_id TEXT,
                    employer_id BIGINT REFERENCES employers (id),
                    person_id BIGINT REFERENCES persons (id),
                    period BIGINT NOT NULL,
                    scheme TEXT NOT NULL,
                    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                    paid_on TEXT NOT NULL,
                    headcount BIGINT,
                    state TEXT NOT NULL,
                    surcharge_fen BIGINT NOT NULL DEFAULT 0,
                    resolved_by TEXT,
                    resolved_at TEXT,
                    note TEXT,
                    received_fund TEXT,
                    \(payer)
                )
                """,
                """
                INSERT INTO collections_by_payer (id, file_id, row_number, voucher, credit_code, employer_id, period, scheme, amount_fen, paid_on,
                    headcount, state, surcharge_fen, resolved_by, resolved_at, note)
                SELECT id, file_id, row_number, voucher, credit_code, employer_id, period, scheme, amount_fen, paid_on, headcount, state,
                    surcharge_fen, resolved_by, resolved_at, note
                FROM collections
                """,
                "DROP TABLE collections",
                "ALTER TABLE collections_by_payer RENAME TO collections",
                "CREATE INDEX collections_bill ON collections (employer_id, period, scheme)",
                "CREATE INDEX collections_state ON collections (state, period)",
                byPerson,
            ]
        }
    }

    private func paidMonths(_ dialect: Dialect) -> [String] {
        switch dialect {
        case .postgres:
            return [
                """
                ALTER TABLE paid_months DROP CONSTRAINT paid_months_pkey, ALTER COLUMN employer_id DROP NOT NULL,
                    ADD PRIMARY KEY (person_id, scheme, period)
                """,
            ]
        case .sqlite:
            return [
                """
                CREATE TABLE paid_months_by_person (
                    person_id BIGINT NOT NULL,
                    scheme TEXT NOT NULL,
                    period BIGINT NOT NULL,
                    employer_id BIGINT,
                    base_fen BIGINT NOT NULL,
                    individual_fen BIGINT NOT NULL,
                    account_credit_fen BIGINT NOT NULL,
                    employer_transfer_fen BIGINT NOT NULL,
                    credited_on TEXT NOT NULL,
                    PRIMARY KEY (person_id, scheme, period)
                )\(dialect.withoutRowID)
                """,
                """
                INSERT INTO paid_months_by_person (person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen,
                    employer_transfer_fen, credited_on)
                SELECT person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen, employer_transfer_fen, credited_on
                FROM paid_months
                """,
                "DROP TABLE paid_months",
                "ALTER TABLE paid_months_by_person RENAME TO paid_months",
                "CREATE INDEX paid_months_employer ON paid_months (employer_id, period)",
            ]
        }
    }
}
