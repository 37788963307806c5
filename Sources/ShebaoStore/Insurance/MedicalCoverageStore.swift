public import SQLKit
public import ShebaoCore

/// Units' medical coverage changes (0032): proposals, decisions, and the units under inpatient
/// pooling only in a month, for the assessment.
public struct MedicalCoverageStore: Sendable {
    public init() {}

    public func propose(employer: Int64, coverage: MedicalCoverage, from: Period, funding: InpatientFunding?, note: String, by actor: AuditActor,
                        proposerID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO unit_medical_coverage (employer_id, coverage, from_period, funding, note, state, proposer_id, proposed_by, proposed_at)
            VALUES (\(bind: employer), \(bind: coverage.rawValue), \(bind: Int64(from.yyyymm)), \(bind: funding?.rawValue), \(bind: note), 'proposed',
                \(bind: proposerID), \(bind: actor.name), \(bind: now.iso8601))
            """)
    }

    /// Records the decision on a proposal; false when it was decided already.
    public func decide(_ id: Int64, _ state: ProposalStatus, note: String, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE unit_medical_coverage SET state = \(bind: state.rawValue), decided_by = \(bind: actor.name), decided_at = \(bind: now.iso8601),
                decision_note = \(bind: note)
            WHERE id = \(bind: id) AND state = 'proposed' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func change(_ id: Int64, on db: any SQLDatabase) async throws -> MedicalCoverageChange? {
        try await changes(where: "c.id = \(bind: id)", on: db).first
    }

    /// A unit's changes, the latest month first.
    public func changes(of employer: Int64, on db: any SQLDatabase) async throws -> [MedicalCoverageChange] {
        try await changes(where: "c.employer_id = \(bind: employer)", on: db)
    }

    /// Every unit in `scope` with a change waiting or approved, the latest month first.
    public func changes(in scope: RegionCode, on db: any SQLDatabase) async throws -> [MedicalCoverageChange] {
        try await changes(where: "c.state <> 'rejected' AND \(SQLPieces.scope(scope, column: "u.region_code"))", on: db)
    }

    /// The units in `scope` whose staff are insured for inpatient pooling only in `period`: each
    /// unit's latest approved change by then says so. Few units are, so the list is read whole.
    public func inpatientOnlyUnits(in period: Period, scope: RegionCode, on db: any SQLDatabase) async throws -> [Int64] {
        let approved = try await changes(where: """
            c.state = 'approved' AND c.from_period <= \(bind: Int64(period.yyyymm)) AND \(SQLPieces.scope(scope, column: "u.region_code"))
            """, on: db)
        return Dictionary(grouping: approved, by: \.employerID).compactMap { unit, changes in
            MedicalCoverage.inForce(changes, in: period)?.coverage == .inpatientOnly ? unit : nil
        }.sorted()
    }

    /// The latest month an assessment run holds (computed, approved or posted): a change from
    /// that month or before would alter what was billed, so none may start before the next.
    public func lastAssessedPeriod(on db: any SQLDatabase) async throws -> Period? {
        let row = try await db.raw(
            "SELECT MAX(period) AS period FROM batch_runs WHERE kind = 'insurance.assessment' AND state <> 'rejected'"
        ).first()
        return try row?.decode(column: "period", as: Int64?.self).flatMap { Period(yyyymm: Int($0)) }
    }

    private func changes(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [MedicalCoverageChange] {
        try await db.raw(
            """
            SELECT c.*, u.name AS employer_name, u.region_code FROM unit_medical_coverage c JOIN employers u ON u.id = c.employer_id
            WHERE \(condition) ORDER BY c.from_period DESC, c.id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "unit_medical_coverage")
            return MedicalCoverageChange(
                id: try reader.int("id"), employerID: try reader.int("employer_id"), employerName: try reader.string("employer_name"),
                region: try reader.region("region_code"), coverage: try reader.value("coverage", as: MedicalCoverage.self),
                from: try reader.period("from_period"), funding: try reader.optionalValue("funding", as: InpatientFunding.self),
                note: try reader.string("note"), state: try reader.value("state", as: ProposalStatus.self), proposerID: try reader.int("proposer_id"),
                proposedBy: try reader.string("proposed_by"), decidedBy: try reader.optionalString("decided_by"),
                decisionNote: try reader.optionalString("decision_note"))
        }
    }
}
