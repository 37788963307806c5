import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The monthly assessment (issue 10): the set-based SQL of every scheme, payer type and risk class
/// agrees with the Swift rules to the fen for random bases — below the floor, above the ceiling,
/// zero — on both databases; a rerun changes nothing.
@Suite("Monthly assessment")
struct AssessmentTests {
    @Test(arguments: TestDatabaseKind.available)
    func theAssessmentInSQLMatchesTheRulesToTheFen(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind, clock: TestClock()) { operations in
            let database = operations.database
            let now = operations.clock.now()
            var random = DeterministicRandom(seed: 2026)
            // Random 2026 bases for everyone enrolled, and some persons on their own account.
            let enrolled = try await database.read { db in
                try await db.raw("SELECT DISTINCT person_id FROM enrolments ORDER BY person_id").all().map { try $0.decode(column: "person_id", as: Int64.self) }
            }
            #expect(enrolled.count > 20)
            let others = try await database.read { db in
                try await db.raw("SELECT id, region_code FROM persons WHERE id NOT IN (SELECT person_id FROM enrolments) ORDER BY id LIMIT 40").all().map {
                    (try $0.decode(column: "id", as: Int64.self), RegionCode(trusted: try $0.decode(column: "region_code", as: String.self)))
                }
            }
            let bases: [(Int64, Int64)] = (enrolled + others.map(\.0)).map { person in
                let draw = random.next() % 10
                return (person, draw == 0 ? 0 : draw == 1 ? Int64(random.next() % 100_000_000) : Int64(random.next() % 3_000_000))
            }
            try await database.write { db in
                for (person, base) in bases {
                    try await InsuranceStore().setBase(person: person, year: 2026, declared: Money(fen: base), at: now, on: db)
                }
                for (person, region) in others {
                    for scheme in [Scheme.pension, .medical] {
                        _ = try await InsuranceStore().enrol(person: person, employer: nil, scheme: scheme, payer: .selfEmployed, region: region,
                                                             from: Period(year: 2025, month: 1)!, by: .system("test"), at: now, on: db)
                    }
                }
            }
            let clerk = try await operations.access.principal(named: "district")
            // One unit's staff insured for inpatient pooling only from the month (a struggling enterprise).
            let struggling = try #require(try await database.read { db in
                try await db.raw("SELECT MIN(employer_id) AS id FROM enrolments WHERE scheme = 'medical' AND employer_id IS NOT NULL").first()?
                    .decode(column: "id", as: Int64?.self)
            })
            let reviewer = try await operations.access.principal(named: "reviewer")
            let change = try await operations.insurance.proposeMedicalCoverage(employer: struggling, coverage: "inpatient_only", from: "2026-07",
                                                                               funding: "asset_disposal", note: "停产", by: clerk)
            _ = try await operations.insurance.decideMedicalCoverage(change.id, approve: true, note: "", by: reviewer)
            let run = try await operations.batches.start(kind: "insurance.assessment", period: "2026-07", by: clerk)
            #expect(run.state == .computed && run.rowCount > 0)

            let book = try await operations.policy.book()
            let period = Period(year: 2026, month: 7)!
            let rows = try await database.read { db in
                try await db.raw(
                    """
                    SELECT e.id, e.scheme, e.payer_type, e.region_code, e.employer_id, b.declared_fen, u.risk_class
                    FROM enrolments e JOIN contribution_bases b ON b.person_id = e.person_id AND b.year = 2026
                    LEFT JOIN employers u ON u.id = e.employer_id
                    WHERE e.start_period <= 202607 AND (e.end_period IS NULL OR e.end_period >= 202607)
                    """
                ).all()
            }
            #expect(Int64(rows.count) == run.rowCount)
            var checked = 0
            for row in rows {
                let scheme = try #require(Scheme(rawValue: try row.decode(column: "scheme", as: String.self)))
                let payer = try #require(PayerType(rawValue: try row.decode(column: "payer_type", as: String.self)))
                let risk = try row.decode(column: "risk_class", as: Int64?.self).map(Int.init)
                let unit = try row.decode(column: "employer_id", as: Int64?.self)
                let columns = try ContributionColumns(scheme: scheme, payer: payer, period: period, book: book,
                                                      region: RegionCode(trusted: try row.decode(column: "region_code", as: String.self)),
                                                      riskClass: scheme == .workInjury ? risk : nil,
                                                      inpatientOnly: scheme == .medical && unit == struggling)
                var output = ContributionColumns.Output()
                try columns.evaluate(wages: [try row.decode(column: "declared_fen", as: Int64.self)], into: &output)
                let id = try row.decode(column: "id", as: Int64.self)
                let line = try #require(try await database.read { db in try await InsuranceStore().line(run: run.id, enrolment: id, on: db) })
                let expected = AssessmentLine(base: output.base[0], individual: output.individual[0], employer: output.employer[0],
                                              accountCredit: output.accountCredit[0], employerTransfer: output.employerTransferToAccount[0])
                #expect(line == expected, "\(scheme) \(payer) enrolment \(id)")
                checked += 1
            }
            #expect(checked == rows.count)
            // The struggling unit's medical lines bill the unit's pooled part alone.
            let pooled = try await database.read { db in
                try await db.raw(
                    """
                    SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(individual_fen + account_credit_fen) AS BIGINT) AS own, CAST(SUM(employer_fen) AS BIGINT) AS unit
                    FROM assessment_lines WHERE run_id = \(bind: run.id) AND scheme = 'medical' AND employer_id = \(bind: struggling)
                    """
                ).first()
            }
            #expect(try pooled?.decode(column: "n", as: Int64.self) ?? 0 > 0)
            #expect(try pooled?.decode(column: "own", as: Int64.self) == 0)
            #expect(try pooled?.decode(column: "unit", as: Int64.self) ?? 0 > 0)

            // Starting it again finds the same run; nothing is written twice.
            let again = try await operations.batches.start(kind: "insurance.assessment", period: "2026-07", by: clerk)
            #expect(again.id == run.id && again.rowCount == run.rowCount && again.total == run.total)
            let output = try await operations.batches.output(of: run, by: clerk)
            #expect(output.rows.map { $0[0] }.contains("scheme.pension") && output.labelColumns == [0])
        }
    }
}
