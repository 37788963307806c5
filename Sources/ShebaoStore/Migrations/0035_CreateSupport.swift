/// 0035: five-guarantees and three-withouts support (PROGRAMS.md §4.2): the nursing and welfare
/// homes with their beds, floor space and the account their residents' support is paid into;
/// and the support each approved application grants — one row per application with the monthly
/// standard the rule gave, paid by the payroll from the month after approval until it ends. A
/// payment made to a home rather than to the person names the home (`payee_name`), on the
/// benefit owed and on the payment.
public struct CreateSupport: Migration {
    public init() {}
    public let version = 35
    public let name = "five-guarantees support and welfare homes"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE welfare_institutions (
                id \(dialect.bigIntPrimaryKey),
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('nursing_home', 'welfare_home')),
                region_code TEXT NOT NULL,
                beds BIGINT NOT NULL CHECK (beds >= 0),
                floor_area BIGINT NOT NULL CHECK (floor_area >= 0),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                added_at TEXT NOT NULL,
                added_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX welfare_institutions_region ON welfare_institutions (region_code)",
            """
            CREATE TABLE support_grants (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('five_guarantees', 'three_withouts')),
                form TEXT NOT NULL CHECK (form IN ('centralised', 'dispersed')),
                arrangement TEXT NOT NULL CHECK (arrangement IN ('institution', 'foster_agreement', 'pairing')),
                institution_id BIGINT REFERENCES welfare_institutions (id),
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen > 0),
                district_yearly_fen BIGINT NOT NULL CHECK (district_yearly_fen >= 0),
                payment_point_id BIGINT NOT NULL REFERENCES payment_points (id),
                bank_account TEXT NOT NULL,
                payee_name TEXT,
                certificate TEXT NOT NULL UNIQUE,
                monthly_from BIGINT NOT NULL,
                paid_through BIGINT,
                ends_from BIGINT,
                end_reason TEXT,
                granted_at TEXT NOT NULL,
                CHECK ((form = 'centralised') = (institution_id IS NOT NULL))
            )
            """,
            "CREATE INDEX support_grants_person ON support_grants (person_id)",
            "CREATE INDEX support_grants_region ON support_grants (region_code)",
            "CREATE INDEX support_grants_institution ON support_grants (institution_id)",
            "ALTER TABLE benefit_payables ADD COLUMN payee_name TEXT",
            "ALTER TABLE pension_payments ADD COLUMN payee_name TEXT",
        ]
    }
}
