import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The struggling-enterprise inpatient-only mode (issue 11 item 8; PROGRAMS.md §2.8): a unit's
/// staff insured for inpatient pooling only from a month, proposed by a clerk and approved by a
/// reviewer, never from a month an assessment holds; the assessment bills the unit's pooled part
/// alone and credits no account, and full coverage resumes from a later month.
@Suite("Medical coverage of struggling enterprises")
struct MedicalCoverageTests {
    @Test(arguments: TestDatabaseKind.available)
    func aStrugglingEnterprisesStaffAreBilledForInpatientPoolingOnly(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind, clock: TestClock()) { operations in
            let insurance = operations.insurance
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let unit = try #require(try await operations.database.read { db in
                try await db.raw("SELECT MIN(employer_id) AS id FROM enrolments WHERE scheme = 'medical' AND employer_id IS NOT NULL").first()?
                    .decode(column: "id", as: Int64?.self)
            })
            // Bad input is named and nothing is stored.
            await #expect(throws: ServiceError.invalid([FieldIssue("funding", "medical_coverage.funding_required")])) {
                _ = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "inpatient_only", from: "2026-08", funding: "", note: "停产", by: clerk)
            }
            await #expect(throws: ServiceError.conflict("medical_coverage.unchanged", labels: ["coverage": "medical_coverage.full"])) {
                _ = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "full", from: "2026-08", funding: "", note: "x", by: clerk)
            }
            // Not before this month (the clock's July 2026).
            await #expect(throws: ServiceError.invalid("from", "medical_coverage.too_early", ["earliest": "2026-07"])) {
                _ = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "inpatient_only", from: "2026-06", funding: "asset_disposal",
                                                               note: "停产", by: clerk)
            }
            // Only a district clerk proposes; a town clerk elsewhere does not see the unit.
            await #expect(throws: ServiceError.forbidden) {
                _ = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "inpatient_only", from: "2026-08", funding: "asset_disposal",
                                                               note: "停产", by: reviewer)
            }
            #expect(try await insurance.medicalCoverage(of: unit, by: clerk).changes.isEmpty)

            let proposed = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "inpatient_only", from: "2026-08",
                                                                      funding: "supervising_department", note: "主管部门承担", by: clerk)
            #expect(proposed.state == .proposed && proposed.funding == .supervisingDepartment)
            await #expect(throws: ServiceError.conflict("medical_coverage.pending")) {
                _ = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "inpatient_only", from: "2026-09", funding: "asset_disposal",
                                                               note: "再报", by: clerk)
            }
            // The proposer cannot decide it; a rejection says why.
            await #expect(throws: ServiceError.forbidden) { _ = try await insurance.decideMedicalCoverage(proposed.id, approve: true, note: "", by: clerk) }
            await #expect(throws: ServiceError.invalid("note", "medical_coverage.note_required")) {
                _ = try await insurance.decideMedicalCoverage(proposed.id, approve: false, note: "", by: reviewer)
            }
            let approved = try await insurance.decideMedicalCoverage(proposed.id, approve: true, note: "批复齐全", by: reviewer)
            #expect(approved.state == .approved && approved.decidedBy != nil)
            await #expect(throws: ServiceError.conflict("maker_checker.not_pending")) {
                _ = try await insurance.decideMedicalCoverage(proposed.id, approve: true, note: "", by: reviewer)
            }
            #expect(try await insurance.medicalCoverage(of: unit, by: clerk).inForce == nil)   // July: still full
            let listed = try await insurance.medicalCoverageChanges(by: clerk)
            #expect(listed.map(\.id) == [proposed.id])
            let elsewhere = try await operations.access.principal(named: "xinqiao")
            let unitRegion = try #require(try await operations.database.read { db in try await EmployerStore().find(id: unit, on: db) }).region
            if !elsewhere.scope.contains(unitRegion) {
                await #expect(throws: ServiceError.notFound) { _ = try await insurance.medicalCoverage(of: unit, by: elsewhere) }
            }

            // Back to full coverage from October: August and September are inpatient only.
            let back = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "full", from: "2026-10", funding: "", note: "恢复生产", by: clerk)
            try await operations.database.write { db in
                try await db.raw(
                    """
                    INSERT INTO contribution_bases (person_id, year, declared_fen, declared_at)
                    SELECT DISTINCT person_id, 2026, 400000, '2026-07-01T00:00:00Z' FROM enrolments
                    WHERE person_id NOT IN (SELECT person_id FROM contribution_bases WHERE year = 2026)
                    """).run()
            }
            var lines: [Period: (own: Int64, unit: Int64, count: Int64)] = [:]
            for month in ["2026-08", "2026-09"] {
                let run = try await operations.batches.start(kind: "insurance.assessment", period: month, by: clerk)
                lines[Period(month)!] = try await Self.medicalLines(of: unit, run: run.id, operations)
            }
            #expect(lines.values.allSatisfy { $0.count > 0 && $0.own == 0 && $0.unit > 0 })
            // October is assessed before the reviewer decides: the change can no longer start there.
            _ = try await operations.batches.start(kind: "insurance.assessment", period: "2026-10", by: clerk)
            await #expect(throws: ServiceError.conflict("medical_coverage.assessed", ["earliest": "2026-11"])) {
                _ = try await insurance.decideMedicalCoverage(back.id, approve: true, note: "", by: reviewer)
            }
            _ = try await insurance.decideMedicalCoverage(back.id, approve: false, note: "十月已核定，改从十一月起", by: reviewer)
            let again = try await insurance.proposeMedicalCoverage(employer: unit, coverage: "full", from: "2026-11", funding: "", note: "恢复生产", by: clerk)
            _ = try await insurance.decideMedicalCoverage(again.id, approve: true, note: "", by: reviewer)
            let november = try await operations.batches.start(kind: "insurance.assessment", period: "2026-11", by: clerk)
            let full = try await Self.medicalLines(of: unit, run: november.id, operations)
            #expect(full.count > 0 && full.own > 0)
            let history = try await insurance.medicalCoverage(of: unit, by: clerk)
            #expect(history.changes.map(\.state) == [.approved, .rejected, .approved])
            #expect(history.earliestFrom == Period(year: 2026, month: 12)!)
        }
    }

    /// A unit's medical lines in a run: what the staff pay and are credited, what the unit pays.
    static func medicalLines(of unit: Int64, run: Int64, _ operations: Operations) async throws -> (own: Int64, unit: Int64, count: Int64) {
        let row = try #require(try await operations.database.read { db in
            try await db.raw(
                """
                SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(individual_fen + account_credit_fen), 0) AS BIGINT) AS own,
                    CAST(COALESCE(SUM(employer_fen), 0) AS BIGINT) AS unit
                FROM assessment_lines WHERE run_id = \(bind: run) AND scheme = 'medical' AND employer_id = \(bind: unit)
                """
            ).first()
        })
        return (try row.decode(column: "own", as: Int64.self), try row.decode(column: "unit", as: Int64.self), try row.decode(column: "n", as: Int64.self))
    }
}
