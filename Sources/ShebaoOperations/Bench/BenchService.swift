public import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// Durations in milliseconds and their percentiles.
public struct Timings: Sendable {
    public var samples: [Double]

    public init(_ samples: [Double]) { self.samples = samples }

    public func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    public var median: Double { percentile(0.5) }

    public var summary: String {
        String(format: "n=%d p50=%.2f ms p95=%.2f ms p99=%.2f ms max=%.2f ms", samples.count, percentile(0.50), percentile(0.95), percentile(0.99),
               samples.max() ?? 0)
    }

    public static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// The figures the programs promise, measured on this machine (`shebao bench …`).
public struct BenchService: Sendable {
    let context: ServiceContext

    /// One kind of search in one scope.
    public struct SearchResult: Sendable {
        public var kind: String
        public var scope: String
        public var timings: Timings
    }

    /// Name searches (first page of 50 with the total) for a sample of registered names: as typed,
    /// by surname and one character, and with one wrong character, in each of `scopes`.
    public func search(queries: Int, scopes: [(label: String, code: RegionCode)]) async throws(ServiceError) -> (persons: Int, results: [SearchResult]) {
        let store = PersonStore()
        let district = scopes.first?.code ?? .nation
        let persons = try await context.read { db in try await store.count(in: district, on: db) }
        let sample = try await context.read { db in try await store.sampleNames(limit: 5000, on: db) }
        guard !sample.isEmpty else { return (persons, []) }
        var random = DeterministicRandom(seed: 42)
        let names = (0..<queries).map { _ in sample[Int(random.next() % UInt64(sample.count))] }
        let kinds: [(String, @Sendable (String) -> String)] = [
            ("full name", { $0 }),
            ("surname + one character", { String($0.prefix(2)) }),
            ("one wrong character", { name in
                var characters = Array(name)
                if characters.count >= 2 { characters[characters.count - 1] = characters[characters.count - 1] == "明" ? "亮" : "明" }
                return String(characters)
            }),
        ]
        var results: [SearchResult] = []
        for (label, transform) in kinds {
            for scope in scopes {
                var samples: [Double] = []
                for name in names {
                    let query = PersonQuery(name: transform(name))
                    let start = ContinuousClock.now
                    _ = try await context.read { db in try await store.search(query, in: scope.code, paging: Paging(perPage: 50), on: db) }
                    samples.append(Timings.milliseconds(ContinuousClock.now - start))
                }
                results.append(SearchResult(kind: label, scope: scope.label, timings: Timings(samples)))
            }
        }
        return (persons, results)
    }

    /// What the import benchmark found.
    public struct ImportResult: Sendable {
        public var rows: Int
        public var rejectedSeconds: Double
        public var rejectedIssues: [ImportIssue]
        public var unchanged: Bool
        public var importedSeconds: Double
        public var imported: Int
    }

    /// Imports a generated persons CSV for `clerk`: first with one wrong check character at
    /// `badRow` (rejected whole, nothing written), then corrected.
    public func importPersons(rows: Int, badRow: Int, clerk: Principal, registry: RegistryService) async throws(ServiceError) -> ImportResult {
        let villages = try await context.perform { try await context.regions.all(in: clerk.scope).filter { $0.level == .village }.map(\.code.value) }
        guard !villages.isEmpty else { throw .conflict("installation.missing") }
        var lines = ["公民身份号码,姓名,户口性质,户籍地区划代码,地址,联系电话"]
        var badLines = lines
        for index in 0..<rows {
            let birth = LocalDate(daysSinceEpoch: -12_000 + index / 400)
            let id = ResidentID(areaCode: "330782", birthDate: birth, sequence: index % 400 + 500).value
            let line = "\(id),周\(Array("一二三四五六七八九十")[index % 10])\(Array("明亮华芳")[index % 4]),农业,\(villages[index % villages.count]),"
                + "测试路\(index)号,138\(String(format: "%08d", index))"
            lines.append(line)
            if index + 2 == badRow {
                let wrong = String(id.dropLast()) + (id.last == "0" ? "1" : "0")
                badLines.append(line.replacingOccurrences(of: id, with: wrong))
            } else {
                badLines.append(line)
            }
        }
        let good = Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
        let bad = Data((badLines.joined(separator: "\r\n") + "\r\n").utf8)
        let before = try await registry.personCount(by: clerk)
        var start = ContinuousClock.now
        let rejected = try await registry.importFile(.persons, data: bad, fileName: "persons-bad.csv", by: clerk)
        let rejectedSeconds = Timings.milliseconds(ContinuousClock.now - start) / 1000
        let unchanged = try await registry.personCount(by: clerk) == before
        start = ContinuousClock.now
        let imported = try await registry.importFile(.persons, data: good, fileName: "persons.csv", by: clerk)
        let seconds = Timings.milliseconds(ContinuousClock.now - start) / 1000
        return ImportResult(rows: rows, rejectedSeconds: rejectedSeconds, rejectedIssues: rejected.issues, unchanged: unchanged, importedSeconds: seconds,
                            imported: imported.imported)
    }

    /// What the rules benchmark found.
    public struct RulesResult: Sendable {
        public var persons: Int
        public var contribution: Timings
        public var dibao: Timings
        public var individualTotal: Money
        public var employerTotal: Money
        public var dibaoTotal: Money
        public var eligible: Int
        public var checked: Int
        public var mismatches: Int
    }

    /// Contribution and dibao over columns for a generated population on one core (the policy
    /// defaults, for `region`), then a deterministic sample against the scalar rules, to the fen.
    public static func rules(persons: Int, runs: Int, check: Int, period month: Period, region: RegionCode) throws -> RulesResult {
        let book = PolicyDefaults.book
        var random = DeterministicRandom(seed: 2004)
        // Wages from 0 to 60,000 yuan a month, so that floors and ceilings both bite.
        let wages = (0..<persons).map { _ in Int64(random.next() % 6_000_001) }
        var households = DibaoColumns.Input()
        for _ in 0..<persons {
            let size = Int(1 + random.next() % 6)
            let flags = random.next() % 100
            households.append(DibaoBenefitRule.Input(
                period: month, areaType: AreaType.allCases[Int(random.next() % 3)], householdSize: size,
                monthlyIncome: Money(fen: Int64(random.next() % UInt64(size * 120_000))), threeWithouts: flags == 0,
                elderly: Int(flags % 3 == 1 ? 1 : 0), minors: Int(flags % 5 == 2 ? 1 : 0)))
        }
        let contribution = try ContributionColumns(scheme: .pension, payer: .employee, period: month, book: book, region: region)
        let dibao = try DibaoColumns(period: month, book: book, region: region)
        var contributionOutput = ContributionColumns.Output()
        var dibaoOutput = DibaoColumns.Output()
        var contributionTimes: [Double] = []
        var dibaoTimes: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = ContinuousClock.now
            try contribution.evaluate(wages: wages, into: &contributionOutput)
            let middle = ContinuousClock.now
            try dibao.evaluate(households, into: &dibaoOutput)
            contributionTimes.append(Timings.milliseconds(middle - start))
            dibaoTimes.append(Timings.milliseconds(ContinuousClock.now - middle))
        }
        var mismatches = 0
        var checked = 0
        let step = max(1, persons / max(1, check))
        for row in stride(from: 0, to: persons, by: step) {
            checked += 1
            let scalar = try ContributionRule.run(.init(scheme: .pension, payer: .employee, wage: Money(fen: wages[row]), period: month), book: book, region: region)
            if scalar.output != contributionOutput[row] { mismatches += 1 }
            let household = DibaoBenefitRule.Input(
                period: month, areaType: AreaType.allCases[Int(households.area[row])], householdSize: Int(households.size[row]),
                monthlyIncome: Money(fen: households.monthlyIncome[row]), threeWithouts: households.threeWithouts[row],
                elderly: Int(households.elderly[row]), minors: Int(households.minors[row]))
            if try DibaoBenefitRule.run(household, book: book, region: region).output != dibaoOutput[row] { mismatches += 1 }
        }
        return RulesResult(
            persons: persons, contribution: Timings(contributionTimes), dibao: Timings(dibaoTimes),
            individualTotal: Money(fen: contributionOutput.individual.reduce(0, +)), employerTotal: Money(fen: contributionOutput.employer.reduce(0, +)),
            dibaoTotal: Money(fen: dibaoOutput.total.reduce(0, +)), eligible: dibaoOutput.eligible.filter { $0 }.count, checked: checked,
            mismatches: mismatches)
    }
}

extension BenchService {
    /// What the assessment benchmark found.
    public struct AssessmentResult: Sendable {
        public var insured: Int
        public var lines: Int64
        /// Seconds per round: the assessment run, and a plain `INSERT … SELECT` of as many rows
        /// into a table of the same shape, in the same round.
        public var assessment: [Double]
        public var baseline: [Double]
        /// Seconds per round to approve and post the run: its bills and its ledger entries.
        public var posting: [Double]
    }

    /// Adds synthetic insured persons until the register holds `count`, set-based in blocks of
    /// 500,000 (a generated number series, never a Swift array), spread over the district's
    /// villages: the benchmark's population costs the process no memory at any size.
    public func populate(insured count: Int, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws(ServiceError) -> Int {
        let now = context.now
        let present = try await context.read { db in try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons") }
        var made = present
        // The villages numbered once, in a keyed table, so each generated person finds theirs by
        // key (as a CTE, PostgreSQL joined every person with every village).
        try await context.write { db in
            try await db.raw("DROP TABLE IF EXISTS bench_villages").run()
            try await db.raw("CREATE TABLE bench_villages (i BIGINT PRIMARY KEY, code TEXT NOT NULL)").run()
            try await db.raw(
                "INSERT INTO bench_villages (i, code) SELECT ROW_NUMBER() OVER (ORDER BY code) - 1, code FROM regions WHERE level = 'village'"
            ).run()
        }
        let villages = try await context.read { db in try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM bench_villages") }
        while made < count {
            let block = min(500_000, count - made)
            let first = made
            try await context.write { db in
                try await db.raw(
                    """
                    WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < \(literal: block))
                    INSERT INTO persons (resident_id, name, sex, birth_date, hukou_type, region_code, created_at, updated_at)
                    SELECT '98' || CAST(1000000000000000 + \(literal: first) + s.n AS TEXT), '参保人', 'female', '1980-01-01', 'non_agricultural', v.code,
                        \(bind: now.iso8601), \(bind: now.iso8601)
                    FROM series s JOIN bench_villages v ON v.i = (\(literal: first) + s.n) % \(literal: max(1, villages))
                    """
                ).run()
            }
            made += block
            progress?("population", made, count)
        }
        return made
    }

    /// Enrols every person of the register in all five schemes (those without a unit get one, so
    /// work injury has a risk class) with a base for `year`, once; then, round by round, times the
    /// monthly assessment of a new period beside a plain `INSERT … SELECT` of the same rows.
    public func assessment(rounds: Int, year: Int, clerk: Principal, reviewer: Principal, accountant: Principal, batches: BatchService,
                           progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws(ServiceError) -> AssessmentResult {
        let now = context.now
        // In blocks of persons, like the population: the statements read the table they write, so
        // SQLite stages each block's rows before inserting them. (Each person's enrolments are
        // looked up by person within the block: the scheme's index would read the whole scheme per
        // person, and PostgreSQL's anti-join the whole table per block.)
        let highest = try await context.read { db in try await SQLPieces.count(db, "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM persons") }
        for first in stride(from: 1, through: max(1, highest), by: 100_000) {
            try await context.write { db in try await Self.enrol(persons: Int64(first)...Int64(first + 99_999), year: year, at: now, on: db) }
            progress?("enrolment", min(highest, first + 99_999), highest)
        }
        let insured = try await context.write { db in
            // Statistics for the planner after a bulk load, as autovacuum would gather them.
            try await db.raw("ANALYZE").run()
            return Int(try await SQLPieces.count(db, "SELECT CAST(COUNT(DISTINCT person_id) AS BIGINT) AS n FROM enrolments"))
        }
        var assessment: [Double] = []
        var baseline: [Double] = []
        var posting: [Double] = []
        var lines: Int64 = 0
        for round in 1...rounds {
            guard let period = Period(year: year, month: round) else { break }
            var start = ContinuousClock.now
            let run = try await batches.start(kind: InsuranceAssessment.kind.id, period: period.description, by: clerk,
                                              progress: progress.map { report in { @Sendable done, total in report("assessment \(period)", done, total) } })
            assessment.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            lines = run.rowCount
            start = ContinuousClock.now
            _ = try await batches.decide(run.id, approve: true, note: "bench", by: reviewer)
            _ = try await batches.post(run.id, by: accountant)
            posting.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            start = ContinuousClock.now
            let copied = try await context.write { db in try await Self.plainCopy(period: period, on: db) }
            baseline.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            guard copied == run.rowCount else { throw ServiceError(.failure, "bench.row_counts", ["run": String(run.rowCount), "copy": String(copied)]) }
            // The scratch database keeps one month of lines at a time: at a province's size three
            // months of lines and the copies need more disk than the bench machine has.
            try await context.write { db in
                for table in ["assessment_lines", "bill_parts", "bench_assessment_copy"] { try await db.raw(SQLQueryString(Dialect(db).emptyTable(table))).run() }
            }
        }
        return AssessmentResult(insured: insured, lines: lines, assessment: assessment, baseline: baseline, posting: posting)
    }

    /// Enrols the persons of one block of ids in all five schemes, with a base for `year`, once.
    static func enrol(persons: ClosedRange<Int64>, year: Int, at now: Timestamp, on db: any SQLDatabase) async throws {
        let units = try await db.raw("SELECT CAST(MIN(id) AS BIGINT) AS low, CAST(MAX(id) AS BIGINT) AS high FROM employers").first()
        let low = try units?.decode(column: "low", as: Int64?.self) ?? 1
        let span = max(1, (try units?.decode(column: "high", as: Int64?.self) ?? 1) - low + 1)
        for scheme in Scheme.allCases {
            try await db.raw(
                """
                INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
                SELECT p.id, \(bind: low) + p.id % \(bind: span), \(bind: scheme.rawValue), 'employee', p.region_code, \(bind: Int64(year * 100 + 1)),
                    \(bind: now.iso8601), 'system:bench'
                FROM persons p
                WHERE p.id BETWEEN \(bind: persons.lowerBound) AND \(bind: persons.upperBound) AND p.merged_into IS NULL
                    AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id AND \(unsafeRaw: Dialect(db).notIndexed("e.scheme")) = \(bind: scheme.rawValue)
                        AND e.person_id BETWEEN \(bind: persons.lowerBound) AND \(bind: persons.upperBound))
                """
            ).run()
        }
        try await db.raw(
            """
            INSERT INTO contribution_bases (person_id, year, declared_fen, declared_at)
            SELECT p.id, \(bind: Int64(year)), 300000 + (p.id * 7919) % 1500000, \(bind: now.iso8601) FROM persons p
            WHERE p.id BETWEEN \(bind: persons.lowerBound) AND \(bind: persons.upperBound)
                AND NOT EXISTS (SELECT 1 FROM contribution_bases b WHERE b.person_id = p.id AND b.year = \(bind: Int64(year))
                    AND b.person_id BETWEEN \(bind: persons.lowerBound) AND \(bind: persons.upperBound))
            """
        ).run()
    }

    /// The baseline: the same rows copied with no arithmetic, no join, no clamping, appended in
    /// key order (one chunk value, as each assessment statement writes one).
    static func plainCopy(period: Period, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("DROP TABLE IF EXISTS bench_assessment_copy").run()
        try await db.raw(
            """
            CREATE TABLE bench_assessment_copy (
                run_id BIGINT NOT NULL, enrolment_id BIGINT NOT NULL, period BIGINT NOT NULL, person_id BIGINT NOT NULL, employer_id BIGINT,
                scheme TEXT NOT NULL, chunk TEXT NOT NULL, base_fen BIGINT NOT NULL, individual_fen BIGINT NOT NULL, employer_fen BIGINT NOT NULL,
                account_credit_fen BIGINT NOT NULL, employer_transfer_fen BIGINT NOT NULL, PRIMARY KEY (run_id, chunk, enrolment_id)
            )\(unsafeRaw: Dialect(db).withoutRowID)
            """
        ).run()
        let yyyymm = Int64(period.yyyymm)
        try await db.raw(
            """
            INSERT INTO bench_assessment_copy
            SELECT 0, e.id, \(bind: yyyymm), e.person_id, e.employer_id, e.scheme, 'all', 0, 0, 0, 0, 0
            FROM enrolments e WHERE e.start_period <= \(bind: yyyymm) AND (e.end_period IS NULL OR e.end_period >= \(bind: yyyymm))
            """
        ).run()
        return Int64(try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM bench_assessment_copy"))
    }
}

extension BenchService {
    /// What the payroll benchmark found.
    public struct PayrollResult: Sendable {
        public var retirees: Int
        public var payments: Int64
        public var fileCount: Int
        /// Seconds per round: compute, approve and post (the ledger's pending entries), then write
        /// every bank file; and a plain `INSERT … SELECT` of as many rows into a table of the same shape.
        public var compute: [Double]
        public var posting: [Double]
        public var files: [Double]
        public var baseline: [Double]

        public var payroll: [Double] { zip(zip(compute, posting), files).map { $0.0 + $0.1 + $1 } }
    }

    /// Gives every synthetic person of the register (those the populate step added) an awarded
    /// pension with an account at a payment point, paid through the month before `first`, once,
    /// set-based: a case per pension, then the pension.
    public func retire(first month: Period) async throws(ServiceError) -> Int {
        let now = context.now
        let highest = try await context.read { db in try await SQLPieces.count(db, "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM persons") }
        // In blocks of persons: a statement reading the table it writes is staged whole by SQLite.
        for first in stride(from: Int64(1), through: Int64(max(1, highest)), by: 100_000) {
            let block: SQLQueryString = "BETWEEN \(bind: first) AND \(bind: first + 99_999)"
            try await context.write { db in
                try await db.raw(
                    """
                    INSERT INTO cases (case_type, region_code, person_id, state, due_on, payload, opened_by, opened_at, updated_at, version)
                    SELECT \(bind: PensionAward.caseType.id), p.region_code, p.id, 'approved', NULL, '{}', NULL, \(bind: now.iso8601), \(bind: now.iso8601), 1
                    FROM persons p WHERE p.id \(block) AND p.name = '参保人' AND NOT EXISTS (SELECT 1 FROM pensions x WHERE x.person_id = p.id)
                        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.case_type = \(bind: PensionAward.caseType.id))
                    """
                ).run()
                let points = try await db.raw("SELECT id FROM payment_points ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
                guard let low = points.first else { throw ServiceError.conflict("bench.no_payment_points") }
                try await db.raw(
                    """
                    INSERT INTO pensions (person_id, case_id, region_code, retirement_date, start_period, monthly_fen, basic_fen, account_fen, transitional_fen,
                        top_up_fen, state, awarded_at, awarded_by, payment_point_id, bank_account, account_version)
                    SELECT c.person_id, c.id, c.region_code, '2020-01-01', 202002, 150000 + (c.person_id * 7919) % 300000, 100000, 50000, 0, 0, 'paying',
                        \(bind: now.iso8601), 'system:bench', \(bind: low) + c.person_id % \(bind: Int64(points.count)),
                        '62' || CAST(1000000000000000 + c.person_id AS TEXT), 1
                    FROM cases c WHERE c.person_id \(block) AND c.case_type = \(bind: PensionAward.caseType.id) AND c.payload = '{}'
                        AND NOT EXISTS (SELECT 1 FROM pensions x WHERE x.person_id = c.person_id)
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO pension_progress (person_id, paid_through, arrears_fen)
                    SELECT x.person_id, \(bind: Int64(month.previous.yyyymm)), 0 FROM pensions x
                    WHERE x.person_id \(block) AND NOT EXISTS (SELECT 1 FROM pension_progress g WHERE g.person_id = x.person_id)
                    """
                ).run()
            }
        }
        try await context.write { db in try await db.raw("ANALYZE").run() }
        return try await context.read { db in try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pensions WHERE state = 'paying'") }
    }

    /// Round by round, times a month's payroll — computed, approved, posted, its bank files
    /// written through `write` — beside a plain `INSERT … SELECT` of the same rows.
    public func payroll(rounds: Int, year: Int, perFile: Int, clerk: Principal, reviewer: Principal, accountant: Principal, batches: BatchService,
                        benefits: BenefitsService, write: @escaping @Sendable (PayrollFile, Int64, Data) async throws -> Void,
                        progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws(ServiceError) -> PayrollResult {
        guard let first = Period(year: year, month: 1) else { throw .invalid("year", "field.out_of_range") }
        let retirees = try await retire(first: first)
        // Each round pays its month to pensions paid through the month before.
        try await context.write { db in
            try await db.raw(
                """
                UPDATE pension_progress SET paid_through = \(bind: Int64(first.previous.yyyymm))
                WHERE person_id IN (SELECT person_id FROM pensions WHERE awarded_by = 'system:bench')
                """
            ).run()
        }
        var result = PayrollResult(retirees: retirees, payments: 0, fileCount: 0, compute: [], posting: [], files: [], baseline: [])
        for round in 1...rounds {
            guard let period = Period(year: year, month: round) else { break }
            var start = ContinuousClock.now
            let run = try await batches.start(kind: PensionPayroll.kind.id, period: period.description, by: clerk,
                                              progress: progress.map { report in { @Sendable done, total in report("payroll \(period)", done, total) } })
            result.compute.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            result.payments = run.rowCount
            start = ContinuousClock.now
            _ = try await batches.decide(run.id, approve: true, note: "bench", by: reviewer)
            _ = try await batches.post(run.id, by: accountant)
            result.posting.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            start = ContinuousClock.now
            let runID = run.id
            let files = try await benefits.writePayrollFiles(run: run.id, perFile: perFile, format: .pain001, by: accountant) { file, data in
                try await write(file, runID, data)
            }
            // Each timed part ends with its rows in the database file, not only in the log (the
            // payroll's were mostly copied while it ran, the copy's after it).
            try await context.checkpoint()
            result.files.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            result.fileCount = files.count
            try await context.write { db in try await Self.dropPlainPayrollCopy(on: db) }
            start = ContinuousClock.now
            let copied = try await context.write { db in try await Self.plainPayrollCopy(period: period, on: db) }
            try await context.checkpoint()
            result.baseline.append(Timings.milliseconds(ContinuousClock.now - start) / 1000)
            guard copied == run.rowCount else { throw ServiceError(.failure, "bench.row_counts", ["run": String(run.rowCount), "copy": String(copied)]) }
        }
        return result
    }

    /// Drops the last round's copy before the baseline is timed: the baseline is the copy alone.
    /// (Timed with it, the drop of a million rows took up to 1.9 s of some 3 s and about 125 MB of
    /// memory at its peak, because every connection runs with `secure_delete = ON`, which writes
    /// zeros over every page freed. The copy holds the bench's synthetic persons only, so here freed pages
    /// are left as they are (`FAST` still clears what shares a page with live rows), and only here:
    /// the register's own tables keep secure delete, RELIABILITY-SECURITY-ECOSYSTEM.md 8.1.4.10.)
    static func dropPlainPayrollCopy(on db: any SQLDatabase) async throws {
        guard Dialect(db) == .sqlite else {
            try await db.raw("DROP TABLE IF EXISTS bench_payroll_copy").run()
            return
        }
        try await db.raw("PRAGMA secure_delete = FAST").run()
        do {
            try await db.raw("DROP TABLE IF EXISTS bench_payroll_copy").run()
        } catch {
            try? await db.raw("PRAGMA secure_delete = ON").run()
            throw error
        }
        try await db.raw("PRAGMA secure_delete = ON").run()
    }

    /// The baseline: the pensions copied, one row each, into a new table shaped like the payments —
    /// the same columns, the same id and the same unique key (person, month, kind, attempt) — with no
    /// join, no condition and none of the payments' secondary indexes.
    static func plainPayrollCopy(period: Period, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            CREATE TABLE bench_payroll_copy (
                id \(unsafeRaw: Dialect(db).bigIntPrimaryKey), run_id BIGINT NOT NULL, chunk TEXT NOT NULL, person_id BIGINT NOT NULL, period BIGINT NOT NULL,
                attempt BIGINT NOT NULL, months BIGINT NOT NULL, region_code TEXT NOT NULL, fund TEXT NOT NULL, amount_fen BIGINT NOT NULL,
                payment_point_id BIGINT NOT NULL, bank_code TEXT NOT NULL, bank_account TEXT NOT NULL, account_version BIGINT NOT NULL, state TEXT NOT NULL,
                kind TEXT NOT NULL, UNIQUE (person_id, period, kind, attempt)
            )
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO bench_payroll_copy (run_id, chunk, person_id, period, attempt, months, region_code, fund, amount_fen, payment_point_id, bank_code,
                bank_account, account_version, state, kind)
            SELECT 0, 'all', x.person_id, \(bind: Int64(period.yyyymm)), 1, 1, x.region_code, 'enterprise_pension', x.monthly_fen, x.payment_point_id, 'X',
                x.bank_account, x.account_version, 'pending', 'pension'
            FROM pensions x WHERE x.state = 'paying'
            """
        ).run()
        return Int64(try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM bench_payroll_copy"))
    }
}
