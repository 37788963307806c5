/// 0026: employees' medical insurance at the point of care (PROGRAMS.md §2.7; RULES.md §2). The
/// designated hospitals and pharmacies with their agreement and status; inspections, whose
/// measure takes effect when a second person confirms it; inpatient claims as approved (the year's
/// stays count against the deductible and the cap); what insured persons spent from their
/// individual accounts at a pharmacy, owed to it until the fund settles with it.
public struct CreateMedical: Migration {
    public init() {}
    public let version = 26
    public let name = "medical institutions, inspections, claims and account spending"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE medical_institutions (
                id \(dialect.bigIntPrimaryKey),
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('hospital', 'pharmacy')),
                level TEXT CHECK (level IN ('community', 'district', 'city')),
                region_code TEXT NOT NULL,
                agreement_from TEXT NOT NULL,
                agreement_to TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'exited')),
                status_since TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at TEXT NOT NULL,
                CHECK ((kind = 'hospital') = (level IS NOT NULL)),
                CHECK (agreement_from <= agreement_to)
            )
            """,
            "CREATE INDEX medical_institutions_region ON medical_institutions (region_code, kind)",
            """
            CREATE TABLE medical_inspections (
                id \(dialect.bigIntPrimaryKey),
                institution_id BIGINT NOT NULL REFERENCES medical_institutions (id),
                kind TEXT NOT NULL,
                inspected_on TEXT NOT NULL,
                findings TEXT NOT NULL,
                measure TEXT NOT NULL,
                fine_fen BIGINT NOT NULL CHECK (fine_fen >= 0),
                state TEXT NOT NULL,
                inspector TEXT NOT NULL,
                inspector_id BIGINT NOT NULL,
                recorded_at TEXT NOT NULL,
                decided_by TEXT,
                decided_at TEXT,
                decision_note TEXT
            )
            """,
            "CREATE INDEX medical_inspections_institution ON medical_inspections (institution_id, id)",
            """
            CREATE TABLE medical_claims (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                institution_id BIGINT NOT NULL REFERENCES medical_institutions (id),
                admitted_on TEXT NOT NULL,
                discharged_on TEXT NOT NULL,
                year BIGINT NOT NULL,
                total_cost_fen BIGINT NOT NULL,
                eligible_cost_fen BIGINT NOT NULL CHECK (eligible_cost_fen <= total_cost_fen),
                deductible_fen BIGINT NOT NULL CHECK (deductible_fen >= 0),
                fund_pays_fen BIGINT NOT NULL CHECK (fund_pays_fen >= 0),
                approved_at TEXT NOT NULL,
                approved_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX medical_claims_person ON medical_claims (person_id, year)",
            """
            CREATE TABLE medical_settlements (
                id \(dialect.bigIntPrimaryKey),
                institution_id BIGINT NOT NULL REFERENCES medical_institutions (id),
                purchases BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
                reference TEXT NOT NULL,
                settled_by TEXT NOT NULL,
                settled_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE medical_account_spending (
                id \(dialect.bigIntPrimaryKey),
                institution_id BIGINT NOT NULL REFERENCES medical_institutions (id),
                receipt TEXT NOT NULL,
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                spent_on TEXT NOT NULL,
                amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                file_name TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                settlement_id BIGINT REFERENCES medical_settlements (id),
                UNIQUE (institution_id, receipt)
            )
            """,
            "CREATE INDEX medical_account_spending_person ON medical_account_spending (person_id)",
            "CREATE INDEX medical_account_spending_open ON medical_account_spending (institution_id, settlement_id)",
        ]
    }
}
