/// 0038: land requisitions and the farmers they affect (PROGRAMS.md §4.6; RULES.md §11). A
/// requisition records the land (village, area in hundredths of a mu), its compensation and the
/// land-sale income the government's share comes from, the monthly tier and the contribution
/// each enrolled farmer brings into the special account, split three ways. Each affected person
/// is a member with their age group on the day: children are recorded and not enrolled; the
/// others are paid monthly by the payroll from `monthly_from` (the month after 55 or 60), at
/// their tier raised to the month's floor. A person is affected by one requisition.
public struct CreateLandRequisitions: Migration {
    public init() {}
    public let version = 38
    public let name = "land requisitions and their farmers"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE land_requisitions (
                id \(dialect.bigIntPrimaryKey),
                region_code TEXT NOT NULL,
                village TEXT NOT NULL,
                area_centimu BIGINT NOT NULL CHECK (area_centimu > 0),
                compensation_fen BIGINT NOT NULL CHECK (compensation_fen >= 0),
                land_sale_income_fen BIGINT NOT NULL CHECK (land_sale_income_fen >= 0),
                requisitioned_on TEXT NOT NULL,
                tier_fen BIGINT NOT NULL CHECK (tier_fen >= 0),
                contribution_fen BIGINT NOT NULL CHECK (contribution_fen >= 0),
                government_fen BIGINT NOT NULL CHECK (government_fen >= 0),
                collective_fen BIGINT NOT NULL CHECK (collective_fen >= 0),
                individual_fen BIGINT NOT NULL CHECK (individual_fen >= 0),
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE land_members (
                case_id \(dialect.bigIntPrimaryKey),
                requisition_id BIGINT NOT NULL REFERENCES land_requisitions (id),
                person_id BIGINT NOT NULL UNIQUE REFERENCES persons (id),
                region_code TEXT NOT NULL,
                age_group TEXT NOT NULL CHECK (age_group IN ('child', 'working_age', 'elderly')),
                monthly_fen BIGINT NOT NULL CHECK (monthly_fen >= 0),
                monthly_from BIGINT,
                paid_through BIGINT,
                ends_from BIGINT,
                end_reason TEXT,
                payment_point_id BIGINT REFERENCES payment_points (id),
                bank_account TEXT,
                CHECK (age_group = 'child' OR (monthly_from IS NOT NULL AND payment_point_id IS NOT NULL AND bank_account IS NOT NULL))
            )
            """,
            "CREATE INDEX land_members_requisition ON land_members (requisition_id)",
        ]
    }
}
