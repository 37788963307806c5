/// 0030: the account a benefit owed once is paid into may be corrected like a pension's (issue 11
/// item 3): a change names the payable whose payment the bank refused; approved by another
/// person, the payable is owed again, into the new account, and the next run pays it. The change's
/// person no longer has to draw a pension, so the key refers to persons (SQLite rebuilds the table
/// to change it; PostgreSQL swaps the constraint).
public struct AccountChangesForPayables: Migration {
    public init() {}
    public let version = 30
    public let name = "account changes for benefits owed once"

    public func statements(for dialect: Dialect) -> [String] {
        switch dialect {
        case .sqlite:
            [
                """
                CREATE TABLE pension_account_changes_0030 (
                    id INTEGER PRIMARY KEY,
                    person_id BIGINT NOT NULL REFERENCES persons (id),
                    payable_id BIGINT REFERENCES benefit_payables (id),
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
                """
                INSERT INTO pension_account_changes_0030 (id, person_id, payment_point_id, bank_account, reason, status, proposed_by, proposed_by_id,
                    proposed_at, decided_by, decided_at)
                SELECT id, person_id, payment_point_id, bank_account, reason, status, proposed_by, proposed_by_id, proposed_at, decided_by, decided_at
                FROM pension_account_changes
                """,
                "DROP TABLE pension_account_changes",
                "ALTER TABLE pension_account_changes_0030 RENAME TO pension_account_changes",
                "CREATE INDEX pension_account_changes_person ON pension_account_changes (person_id, status)",
            ]
        case .postgres:
            [
                "ALTER TABLE pension_account_changes DROP CONSTRAINT pension_account_changes_person_id_fkey",
                "ALTER TABLE pension_account_changes ADD CONSTRAINT pension_account_changes_person_id_fkey FOREIGN KEY (person_id) REFERENCES persons (id)",
                "ALTER TABLE pension_account_changes ADD COLUMN payable_id BIGINT REFERENCES benefit_payables (id)",
            ]
        }
    }
}
