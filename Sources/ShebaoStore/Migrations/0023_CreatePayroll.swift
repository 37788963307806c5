/// 0023: pensions paid through banks (PROGRAMS.md §2.7: 100% socialised since 1999, 100+ payment
/// points). The banks with the fund's expenditure account at each, their payment points, each
/// pension's payment account (changed only by two people), the payroll's payments — one per
/// pension and month, reissued only after it failed — the banks' returns line by line, and the
/// overpayments a death found after payment raised.
public struct CreatePayroll: Migration {
    public init() {}
    public let version = 23
    public let name = "payroll, bank returns and overpayments"

    public func statements(for dialect: Dialect) -> [String] {
        [
            // A bank the fund pays through: its BIC for pain.001 and the fund's expenditure account
            // held there (the debtor of every transfer in its files).
            """
            CREATE TABLE banks (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                bic TEXT NOT NULL,
                fund_account TEXT NOT NULL,
                text_encoding TEXT NOT NULL
            )
            """,
            // A branch of a bank or a post office where retirees draw their pensions (代发网点).
            """
            CREATE TABLE payment_points (
                id \(dialect.bigIntPrimaryKey),
                bank_code TEXT NOT NULL REFERENCES banks (code),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                region_code TEXT NOT NULL,
                address TEXT NOT NULL
            )
            """,
            "CREATE INDEX payment_points_region ON payment_points (region_code)",
            // Where the pension is paid, the last month paid (or in the bank's hands), the account's
            // version (a failed payment is reissued once the account changed) and the death that stopped it.
            "ALTER TABLE pensions ADD COLUMN payment_point_id BIGINT REFERENCES payment_points (id)",
            "ALTER TABLE pensions ADD COLUMN bank_account TEXT",
            "ALTER TABLE pensions ADD COLUMN account_version BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE pensions ADD COLUMN paid_through BIGINT",
            "ALTER TABLE pensions ADD COLUMN died_on TEXT",
            "ALTER TABLE pensions ADD COLUMN stop_period BIGINT",
            """
            CREATE TABLE pension_account_changes (
                id \(dialect.bigIntPrimaryKey),
                person_id BIGINT NOT NULL REFERENCES pensions (person_id),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                proposed_by TEXT NOT NULL,
                proposed_by_id BIGINT NOT NULL,
                proposed_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT
            )
            """,
            "CREATE INDEX pension_account_changes_person ON pension_account_changes (person_id, status)",
            // One row per pension (or other benefit: `kind`), month and attempt. `months` > 1 is back pay (a pension started
            // or resumed after months unpaid). Pending until the bank's return posts or voids it.
            // Nothing is paid twice: the key allows one first attempt per month, and a run makes
            // attempt n + 1 only of an attempt n that failed and has no successor (in the same
            // statement); a return moves only pending payments. (A partial unique index on the
            // month's live attempt said the same again and made each month's insert a fifth slower.)
            """
            CREATE TABLE pension_payments (
                id \(dialect.bigIntPrimaryKey),
                run_id BIGINT NOT NULL REFERENCES batch_runs (id),
                chunk TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                period BIGINT NOT NULL,
                attempt BIGINT NOT NULL,
                months BIGINT NOT NULL CHECK (months >= 1),
                region_code TEXT NOT NULL,
                fund TEXT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                payment_point_id BIGINT NOT NULL,
                bank_code TEXT NOT NULL,
                bank_account TEXT NOT NULL,
                account_version BIGINT NOT NULL,
                state TEXT NOT NULL,
                return_id BIGINT,
                reason TEXT,
                kind TEXT NOT NULL,
                UNIQUE (person_id, period, kind, attempt)
            )
            """,
            "CREATE INDEX pension_payments_run ON pension_payments (run_id, bank_code, id)",
            // The failed payments a run reissues, found without reading every payment of its chunk.
            "CREATE INDEX pension_payments_failed ON pension_payments (person_id) WHERE state = 'failed'",
            """
            CREATE TABLE bank_returns (
                id \(dialect.bigIntPrimaryKey),
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                format TEXT NOT NULL,
                message_id TEXT NOT NULL,
                line_count BIGINT NOT NULL,
                paid_count BIGINT NOT NULL,
                paid_fen BIGINT NOT NULL,
                failed_count BIGINT NOT NULL,
                failed_fen BIGINT NOT NULL,
                quarantined_count BIGINT NOT NULL,
                imported_at TEXT NOT NULL,
                imported_by TEXT NOT NULL
            )
            """,
            // Every line of a return as the bank sent it: posted, voided, or quarantined with why.
            """
            CREATE TABLE bank_return_lines (
                return_id BIGINT NOT NULL REFERENCES bank_returns (id),
                line_number BIGINT NOT NULL,
                end_to_end_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                reason TEXT NOT NULL,
                payment_id BIGINT,
                run_id BIGINT,
                PRIMARY KEY (return_id, line_number)
            )
            """,
            "CREATE INDEX bank_return_lines_run ON bank_return_lines (run_id, outcome)",
            // Paid for months after the month of death (RULES.md §1.7): a receivable until recovered.
            """
            CREATE TABLE overpayments (
                id \(dialect.bigIntPrimaryKey),
                person_id BIGINT NOT NULL UNIQUE REFERENCES pensions (person_id),
                region_code TEXT NOT NULL,
                died_on TEXT NOT NULL,
                first_period BIGINT NOT NULL,
                last_period BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                recovered_fen BIGINT NOT NULL DEFAULT 0,
                raised_at TEXT NOT NULL,
                raised_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE overpayment_recoveries (
                id \(dialect.bigIntPrimaryKey),
                overpayment_id BIGINT NOT NULL REFERENCES overpayments (id),
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                received_on TEXT NOT NULL,
                note TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
        ]
    }
}
