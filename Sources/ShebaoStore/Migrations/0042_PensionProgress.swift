/// 0042: how far each pension has been paid — its last month paid and the arrears owed with its
/// next payment — in a narrow table of its own. A payroll moves every pension on each month: as
/// columns of the wide `pensions` rows, that rewrote a million rows of some 130 bytes (2.2–2.5 s
/// with the payroll's statements on the bench's SQLite database); here it writes a few bytes a
/// pension (0.75 s).
public struct PensionProgress: Migration {
    public init() {}
    public let version = 42
    public let name = "pension progress"

    public func statements(for dialect: Dialect) -> [String] {
        // On SQLite an INTEGER key is the rowid: the payroll finds each row in one B-tree, not two.
        let key = dialect == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY"
        return [
            """
            CREATE TABLE pension_progress (
                person_id \(key) REFERENCES pensions (person_id),
                paid_through BIGINT,
                arrears_fen BIGINT NOT NULL DEFAULT 0
            )
            """,
            "INSERT INTO pension_progress (person_id, paid_through, arrears_fen) SELECT person_id, paid_through, arrears_fen FROM pensions",
            "ALTER TABLE pensions DROP COLUMN paid_through",
            "ALTER TABLE pensions DROP COLUMN arrears_fen",
        ]
    }
}
