/// 0036: approved claims on the rural cooperative medical scheme's catastrophic-illness pooling
/// (PROGRAMS.md §4.3): one row per approved claim with the stay, the scheme's share and the
/// medical assistance paid on what was left — the year's sums count against each cap.
public struct CreateNcmsClaims: Migration {
    public init() {}
    public let version = 36
    public let name = "rural cooperative medical claims"

    public func statements(for dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE ncms_claims (
                case_id BIGINT PRIMARY KEY REFERENCES cases (id),
                person_id BIGINT NOT NULL REFERENCES persons (id),
                region_code TEXT NOT NULL,
                year BIGINT NOT NULL,
                institution_id BIGINT NOT NULL REFERENCES medical_institutions (id),
                admitted_on TEXT NOT NULL,
                discharged_on TEXT NOT NULL,
                total_cost_fen BIGINT NOT NULL CHECK (total_cost_fen > 0),
                eligible_fen BIGINT NOT NULL CHECK (eligible_fen >= 0 AND eligible_fen <= total_cost_fen),
                reimbursed_fen BIGINT NOT NULL CHECK (reimbursed_fen >= 0),
                assistance_fen BIGINT NOT NULL CHECK (assistance_fen >= 0),
                handler TEXT NOT NULL CHECK (handler IN ('office', 'insurer')),
                approved_at TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                UNIQUE (person_id, institution_id, admitted_on)
            )
            """,
            "CREATE INDEX ncms_claims_year ON ncms_claims (person_id, year)",
        ]
    }
}
