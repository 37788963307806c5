public import SQLKit
public import ShebaoCore

/// A person's enrolment in one scheme.
public struct Enrolment: Sendable, Hashable {
    public var id: Int64
    public var personID: Int64
    public var employerID: Int64?
    public var employerName: String?
    public var scheme: Scheme
    public var payer: PayerType
    public var start: Period
    /// The last month covered; nil while it runs.
    public var end: Period?
    public var endReason: String?
}

/// A person's declared base for a year as their unit sees it, with the wage the unit reported.
public struct UnitBase: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var residentID: ResidentID
    public var declared: Money?
    public var wage: Money?
}

/// One scheme's figures in an assessment run.
public struct AssessmentTotal: Sendable, Hashable {
    public var scheme: Scheme
    public var lines: Int64
    public var base: Money
    public var individual: Money
    public var employer: Money
    public var accountCredit: Money

    public init(scheme: Scheme, lines: Int64, base: Money, individual: Money, employer: Money, accountCredit: Money) {
        self.scheme = scheme
        self.lines = lines
        self.base = base
        self.individual = individual
        self.employer = employer
        self.accountCredit = accountCredit
    }
}

/// A chunk of an assessment run: the persons with ids in a range (read in id order, so their
/// bases are looked up in key order), written down as `persons:first-last`.
public struct AssessmentChunk: Sendable, Hashable {
    public var firstPerson: Int64
    public var lastPerson: Int64

    public init(firstPerson: Int64, lastPerson: Int64) {
        self.firstPerson = firstPerson
        self.lastPerson = lastPerson
    }

    public var key: String { "persons:\(firstPerson)-\(lastPerson)" }

    public init?(key: String) {
        guard key.hasPrefix("persons:") else { return nil }
        let bounds = key.dropFirst("persons:".count).split(separator: "-")
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last else { return nil }
        self.init(firstPerson: first, lastPerson: last)
    }

    /// The most persons' ids one chunk spans: a chunk is one transaction of a few seconds at most.
    public static let maximumSpan: Int64 = 100_000

    /// Chunks covering `low…high`: at least eight when the range allows chunks of a hundred ids
    /// (so a small district still shows progress and resumes part-way), never more than
    /// ``maximumSpan`` ids each.
    public static func covering(_ low: Int64, _ high: Int64) -> [AssessmentChunk] {
        guard low <= high else { return [] }
        let span = min(maximumSpan, max(100, (high - low + 8) / 8))
        return stride(from: low, through: high, by: Int(span)).map { AssessmentChunk(firstPerson: $0, lastPerson: min(high, $0 + span - 1)) }
    }
}

/// One line of an assessment, in fen.
public struct AssessmentLine: Sendable, Hashable {
    public var base: Int64
    public var individual: Int64
    public var employer: Int64
    public var accountCredit: Int64
    public var employerTransfer: Int64

    public init(base: Int64, individual: Int64, employer: Int64, accountCredit: Int64, employerTransfer: Int64) {
        self.base = base
        self.individual = individual
        self.employer = employer
        self.accountCredit = accountCredit
        self.employerTransfer = employerTransfer
    }
}

/// Enrolments, contribution bases and the monthly assessment, each inside the caller's transaction.
public struct InsuranceStore: Sendable {
    public init() {}

    // MARK: Enrolments and bases

    public func enrol(person: Int64, employer: Int64?, scheme: Scheme, payer: PayerType, region: RegionCode, from start: Period,
                      by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
            VALUES (\(bind: person), \(bind: employer), \(bind: scheme.rawValue), \(bind: payer.rawValue), \(bind: region.value),
                \(bind: Int64(start.yyyymm)), \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()
        return try row!.decode(column: "id", as: Int64.self)
    }

    public func enrolments(of person: Int64, on db: any SQLDatabase) async throws -> [Enrolment] {
        try await enrolments(where: "e.person_id = \(bind: person)", on: db)
    }

    /// How many persons a unit has enrolled in each scheme in `period`.
    public func headcount(of employer: Int64, in period: Period, on db: any SQLDatabase) async throws -> [Scheme: Int] {
        var counts: [Scheme: Int] = [:]
        for row in try await db.raw(
            """
            SELECT scheme, CAST(COUNT(DISTINCT person_id) AS BIGINT) AS n FROM enrolments
            WHERE employer_id = \(bind: employer) AND start_period <= \(bind: Int64(period.yyyymm))
                AND (end_period IS NULL OR end_period >= \(bind: Int64(period.yyyymm)))
            GROUP BY scheme
            """
        ).all() {
            if let scheme = Scheme(rawValue: try row.decode(column: "scheme", as: String.self)) { counts[scheme] = Int(try row.decode(column: "n", as: Int64.self)) }
        }
        return counts
    }

    /// The declared base of `person` for `year` (one base for pension, medical and unemployment),
    /// with the wage the unit reported when it gave one; a later declaration replaces it.
    public func setBase(person: Int64, year: Int, declared: Money, wage: Money? = nil, by actor: AuditActor? = nil, at now: Timestamp,
                        on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM contribution_bases WHERE person_id = \(bind: person) AND year = \(bind: Int64(year))").run()
        try await db.raw(
            """
            INSERT INTO contribution_bases (person_id, year, declared_fen, declared_at, wage_fen, declared_by)
            VALUES (\(bind: person), \(bind: Int64(year)), \(bind: declared.fen), \(bind: now.iso8601), \(bind: wage?.fen), \(bind: actor?.name))
            """
        ).run()
    }

    /// Whether a posted run of `kind` assessed one of `enrolments` (all of one person) in a month
    /// of `year`. Read by key: each run's chunks are fixed, so the chunk that holds the person
    /// names the lines to look at.
    public func postedLine(person: Int64, enrolments: [Enrolment], year: Int, kind: String, on db: any SQLDatabase) async throws -> Bool {
        guard !enrolments.isEmpty else { return false }
        let runs = try await db.raw(
            """
            SELECT id, chunk_keys FROM batch_runs
            WHERE kind = \(bind: kind) AND state = 'posted' AND period BETWEEN \(bind: Int64(year * 100 + 1)) AND \(bind: Int64(year * 100 + 12))
            """
        ).all()
        for row in runs {
            let reader = try RowReader(row, table: "batch_runs")
            let chunk = try reader.json("chunk_keys", as: [String].self).compactMap(AssessmentChunk.init(key:))
                .first { $0.firstPerson <= person && person <= $0.lastPerson }
            guard let chunk else { continue }
            for enrolment in enrolments {
                let line = try await db.raw(
                    """
                    SELECT 1 AS found FROM assessment_lines
                    WHERE run_id = \(bind: try reader.int("id")) AND chunk = \(bind: chunk.key) AND scheme = \(bind: enrolment.scheme.rawValue)
                        AND enrolment_id = \(bind: enrolment.id)
                    """
                ).first()
                if line != nil { return true }
            }
        }
        return false
    }

    /// One enrolment, by id.
    public func enrolment(_ id: Int64, on db: any SQLDatabase) async throws -> Enrolment? {
        try await enrolments(where: "e.id = \(bind: id)", on: db).first
    }

    /// A person's enrolments still running (no end) in `scheme`, or in any scheme.
    public func openEnrolments(of person: Int64, scheme: Scheme? = nil, on db: any SQLDatabase) async throws -> [Enrolment] {
        let schemeCondition: SQLQueryString = scheme.map { "AND e.scheme = \(bind: $0.rawValue)" } ?? ""
        return try await enrolments(where: "e.person_id = \(bind: person) AND e.end_period IS NULL \(schemeCondition)", on: db)
    }

    /// Whether the person has an enrolment in `scheme` covering `start` or later (a new one from
    /// `start` would overlap it).
    public func overlaps(person: Int64, scheme: Scheme, from start: Period, on db: any SQLDatabase) async throws -> Bool {
        try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM enrolments WHERE person_id = \(bind: person) AND scheme = \(bind: scheme.rawValue)
                AND (end_period IS NULL OR end_period >= \(bind: Int64(start.yyyymm)))
            """) > 0
    }

    /// Ends an enrolment with its last month covered and the reason (interrupted, left, retired …).
    public func end(_ id: Int64, last: Period, reason: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE enrolments SET end_period = \(bind: Int64(last.yyyymm)), end_reason = \(bind: reason) WHERE id = \(bind: id) AND end_period IS NULL"
        ).run()
    }

    /// The last month billed for an enrolment (an approved assessment posted), if any.
    public func lastBilledPeriod(of enrolment: Int64, on db: any SQLDatabase) async throws -> Period? {
        try await db.raw(
            """
            SELECT MAX(l.period) AS p FROM assessment_lines l
            JOIN bills b ON b.run_id = l.run_id AND b.employer_id = l.employer_id AND b.scheme = l.scheme AND b.period = l.period
            WHERE l.enrolment_id = \(bind: enrolment)
            """
        ).first()?.decode(column: "p", as: Int64?.self).flatMap { Period(yyyymm: Int($0)) }
    }

    /// The schemes a unit is insured in.
    public func schemes(of employer: Int64, on db: any SQLDatabase) async throws -> Set<Scheme> {
        Set(try await db.raw("SELECT scheme FROM employer_schemes WHERE employer_id = \(bind: employer)").all().compactMap {
            Scheme(rawValue: try $0.decode(column: "scheme", as: String.self))
        })
    }

    /// A unit's enrolments running in `period`, by person.
    public func enrolled(with employer: Int64, in period: Period, on db: any SQLDatabase) async throws -> [Enrolment] {
        let month = Int64(period.yyyymm)
        return try await enrolments(where: """
            e.employer_id = \(bind: employer) AND e.start_period <= \(bind: month) AND (e.end_period IS NULL OR e.end_period >= \(bind: month))
            """, on: db)
    }

    private func enrolments(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [Enrolment] {
        try await db.raw(
            """
            SELECT e.id, e.person_id, e.employer_id, u.name AS employer_name, e.scheme, e.payer_type, e.start_period, e.end_period, e.end_reason
            FROM enrolments e LEFT JOIN employers u ON u.id = e.employer_id
            WHERE \(condition) ORDER BY e.person_id, e.start_period, e.scheme LIMIT 20000
            """
        ).all().map(Self.enrolment)
    }

    static func enrolment(_ row: any SQLRow) throws -> Enrolment {
        let reader = try RowReader(row, table: "enrolments")
        return Enrolment(
            id: try reader.int("id"), personID: try reader.int("person_id"), employerID: try reader.optionalInt("employer_id"),
            employerName: try reader.optionalString("employer_name"), scheme: try reader.value("scheme", as: Scheme.self),
            payer: try reader.value("payer_type", as: PayerType.self), start: try reader.period("start_period"),
            end: try reader.optionalInt("end_period").flatMap { Period(yyyymm: Int($0)) }, endReason: try reader.optionalString("end_reason"))
    }

    /// The declared bases of a unit's staff (enrolled in any month of `year`) with the wage reported.
    public func unitBases(of employer: Int64, year: Int, on db: any SQLDatabase) async throws -> [UnitBase] {
        try await db.raw(
            """
            SELECT p.id, p.name, p.resident_id, b.declared_fen, b.wage_fen
            FROM persons p LEFT JOIN contribution_bases b ON b.person_id = p.id AND b.year = \(bind: Int64(year))
            WHERE p.id IN (SELECT e.person_id FROM enrolments e WHERE e.employer_id = \(bind: employer)
                AND e.start_period <= \(bind: Int64(year * 100 + 12)) AND (e.end_period IS NULL OR e.end_period >= \(bind: Int64(year * 100 + 1))))
            ORDER BY p.name, p.id LIMIT 5000
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "contribution_bases")
            return UnitBase(personID: try reader.int("id"), name: try reader.string("name"), residentID: try reader.residentID("resident_id"),
                            declared: try reader.optionalInt("declared_fen").map(Money.init(fen:)), wage: try reader.optionalInt("wage_fen").map(Money.init(fen:)))
        }
    }

    /// The declared bases of a person, by year.
    public func bases(of person: Int64, on db: any SQLDatabase) async throws -> [(year: Int, declared: Money)] {
        try await db.raw("SELECT year, declared_fen FROM contribution_bases WHERE person_id = \(bind: person) ORDER BY year").all().map {
            (Int(try $0.decode(column: "year", as: Int64.self)), Money(fen: try $0.decode(column: "declared_fen", as: Int64.self)))
        }
    }

    // MARK: The monthly assessment

    /// Writes the assessment lines of one chunk of persons for `period`, set-based: one
    /// `INSERT … SELECT` per scheme and payer type, each clamping the declared base and applying
    /// the rates with half-up rounding in integer SQL, the same arithmetic as
    /// ``ContributionColumns``, which a property test holds it to. Work injury is one statement
    /// for all risk classes, the rate picked by the unit's class. (One statement for all groups
    /// with `CASE`s measured 1.7 times slower: SQLite flattens the subquery and evaluates the
    /// group's `CASE` again in every column; one statement per risk class read every work-injury
    /// enrolment once per class, 3.4 times slower than one `CASE` on the class.) Enrolments
    /// without a declared base for the year, or whose unit's risk class the table in force does
    /// not know, are not assessed. Employees of the units in `inpatientOnlyUnits` (struggling
    /// enterprises, 0032) are assessed in medical by the inpatient-only rates and no others; the
    /// list is short and bound whole.
    public func assess(runID: Int64, chunk: AssessmentChunk, scope: RegionCode, period: Period, rates: [(ContributionRates, riskClass: Int?)],
                       inpatientOnlyUnits: [Int64] = [], on db: any SQLDatabase) async throws -> (lines: Int64, total: Int64) {
        // One statement per scheme and payer type, the schemes in key order so each statement
        // appends its lines (0019).
        var statements: [(rates: ContributionRates, riskClasses: [(Int, ContributionRates)])] = []
        for (rate, riskClass) in rates.sorted(by: { $0.0.scheme.rawValue < $1.0.scheme.rawValue }) {
            if let riskClass, let last = statements.last, last.rates.scheme == rate.scheme, last.rates.payer == rate.payer,
               !last.riskClasses.isEmpty, (last.rates.floor, last.rates.ceiling) == (rate.floor, rate.ceiling) {
                statements[statements.count - 1].riskClasses.append((riskClass, rate))
            } else {
                statements.append((rate, riskClass.map { [($0, rate)] } ?? []))
            }
        }
        for statement in statements where !(statement.rates.inpatientOnly && inpatientOnlyUnits.isEmpty) {
            try await db.raw(Self.assessment(runID: runID, chunk: chunk, scope: scope, period: period, rates: statement.rates,
                                             riskClasses: statement.riskClasses, inpatientOnlyUnits: inpatientOnlyUnits)).run()
        }
        // The chunk's share of each unit's bill, scheme by scheme while its lines are fresh: a
        // range of the key grouped by unit alone. A person is in one chunk only and has one line
        // per scheme and unit in a month (enrolments in a scheme never overlap), so counting lines
        // counts persons and the chunks' headcounts add up.
        var schemes: [Scheme] = []
        for statement in statements where schemes.last != statement.rates.scheme { schemes.append(statement.rates.scheme) }
        for scheme in schemes {
            try await db.raw(
                """
                INSERT INTO bill_parts (run_id, chunk, employer_id, period, scheme, headcount, base_fen, individual_fen, employer_fen)
                SELECT \(bind: runID), \(bind: chunk.key), employer_id, \(bind: Int64(period.yyyymm)), \(bind: scheme.rawValue), CAST(COUNT(*) AS BIGINT),
                    CAST(SUM(base_fen) AS BIGINT), CAST(SUM(individual_fen) AS BIGINT), CAST(SUM(employer_fen) AS BIGINT)
                FROM assessment_lines
                WHERE run_id = \(bind: runID) AND chunk = \(bind: chunk.key) AND scheme = \(bind: scheme.rawValue) AND employer_id IS NOT NULL
                GROUP BY employer_id
                """
            ).run()
        }
        // The chunk's lines and total without reading them again: the units' shares just summed,
        // and the few lines of persons on their own account, found through their enrolments.
        let units = try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(headcount), 0) AS BIGINT) AS n, CAST(COALESCE(SUM(individual_fen + employer_fen), 0) AS BIGINT) AS total
            FROM bill_parts WHERE run_id = \(bind: runID) AND chunk = \(bind: chunk.key)
            """
        ).first()
        var own: [any SQLRow] = []
        for statement in statements where statement.rates.payer == .selfEmployed {
            // By the covering index's prefix (scheme, payer type, persons): the persons on their own account are few.
            if let row = try await db.raw(
                """
                SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(l.individual_fen + l.employer_fen), 0) AS BIGINT) AS total
                FROM \(Self.ownAccountLines(run: runID, chunk: chunk, scheme: statement.rates.scheme))
                """
            ).first() { own.append(row) }
        }
        func figure(_ column: String) throws -> Int64 {
            try ([units].compactMap { $0 } + own).reduce(0) { $0 + (try $1.decode(column: column, as: Int64.self)) }
        }
        return (try figure("n"), try figure("total"))
    }

    /// The lines of a chunk's persons on their own account in `scheme`, for a `FROM`: found
    /// through the enrolments' covering index (scheme, payer type, range of persons) and read by
    /// key. `CROSS JOIN` keeps SQLite from going the other way round — every line of the chunk's
    /// scheme probed against enrolments, 20 ms per scheme and 100,000 persons where this takes
    /// none; PostgreSQL plans it as the inner join it is.
    public static func ownAccountLines(run runID: Int64, chunk: AssessmentChunk, scheme: Scheme) -> SQLQueryString {
        """
        enrolments e CROSS JOIN assessment_lines l
        WHERE e.scheme = \(bind: scheme.rawValue) AND e.payer_type = 'self_employed'
            AND e.person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
            AND l.run_id = \(bind: runID) AND l.chunk = \(bind: chunk.key) AND l.scheme = e.scheme AND l.enrolment_id = e.id
        """
    }

    /// The statement for one scheme and payer type: the clamped base (and, for work injury, the
    /// rate of the unit's risk class) in a subquery, then the lines.
    static func assessment(runID: Int64, chunk: AssessmentChunk, scope: RegionCode, period: Period, rates r: ContributionRates,
                           riskClasses: [(Int, ContributionRates)], inpatientOnlyUnits: [Int64]) -> SQLQueryString {
        let giga: Int64 = 1_000_000_000
        // value × nanos / 10⁹, half-up (value ≤ 3 × the reference wage, so the product fits).
        func times(_ nanos: Int64) -> String { "((x.base * \(nanos) + \(giga / 2)) / \(giga))" }
        // value × R / 10^(9+k), half-up, with R split as R₁·10⁹ + R₀ so no product leaves 64 bits:
        // ⌊(v·R₁·10⁹ + v·R₀ + h) / 10^(9+k)⌋ = ⌊(v·R₁ + ⌊(v·R₀ + h) / 10⁹⌋) / 10^k⌋.
        func wide(high: String, low: String, scale: Int64) -> String {
            "((x.base * \(high) + (x.base * \(low) + \(giga * scale / 2)) / \(giga)) / \(scale))"
        }
        func wide(_ rate: Int64, scale: Int64) -> String { wide(high: String(rate / giga), low: String(rate % giga), scale: scale) }
        var individual = "0"
        var employer = "0"
        var credit = "0"
        var transfer = "0"
        var riskRate = ""
        switch r.scheme {
        case .pension:
            individual = times(r.individualNanos)
            employer = times(r.employerNanos)
            credit = times(r.accountCreditNanos)
            transfer = "(CASE WHEN \(times(r.individualNanos)) < \(times(r.accountCreditNanos)) THEN \(times(r.accountCreditNanos)) - \(times(r.individualNanos)) ELSE 0 END)"
        case .medical:
            individual = times(r.individualNanos)
            employer = times(r.employerNanos)
            transfer = wide(r.medicalTransferAttos, scale: giga)
            credit = "(\(times(r.accountCreditNanos)) + \(transfer))"
        case .unemployment:
            individual = times(r.individualNanos)
            employer = times(r.employerNanos)
        case .workInjury where riskClasses.isEmpty:
            employer = wide(r.workInjuryRate, scale: 10_000)
        case .workInjury:
            // The class's rate, split as above, picked once per line in the subquery.
            func pick(_ part: (Int64) -> Int64) -> String {
                "CASE u.risk_class " + riskClasses.map { "WHEN \($0.0) THEN \(part($0.1.workInjuryRate))" }.joined(separator: " ") + " END"
            }
            riskRate = ", \(pick { $0 / giga }) AS rate_high, \(pick { $0 % giga }) AS rate_low"
            employer = wide(high: "x.rate_high", low: "x.rate_low", scale: 10_000)
        case .maternity:
            employer = times(r.employerNanos)
        }
        let yyyymm = Int64(period.yyyymm)
        let riskJoin = riskClasses.isEmpty ? ""
            : "JOIN employers u ON u.id = e.employer_id AND u.risk_class IN (\(riskClasses.map { String($0.0) }.joined(separator: ", ")))"
        // Medical employees: a struggling enterprise's staff by its rates alone, everyone else's by the others.
        var units: SQLQueryString = ""
        if r.scheme == .medical && r.payer == .employee && (r.inpatientOnly || !inpatientOnlyUnits.isEmpty) {
            units = "AND e.employer_id \(unsafeRaw: r.inpatientOnly ? "IN" : "NOT IN") (\(binds: inpatientOnlyUnits))"
        }
        return """
            INSERT INTO assessment_lines (run_id, enrolment_id, period, person_id, employer_id, scheme, chunk, base_fen, individual_fen, employer_fen,
                account_credit_fen, employer_transfer_fen)
            SELECT \(bind: runID), x.id, \(bind: yyyymm), x.person_id, x.employer_id, \(bind: r.scheme.rawValue), \(bind: chunk.key), x.base,
                \(unsafeRaw: individual), \(unsafeRaw: employer), \(unsafeRaw: credit), \(unsafeRaw: transfer)
            FROM (
                SELECT e.id, e.person_id, e.employer_id\(unsafeRaw: riskRate),
                    CASE WHEN b.declared_fen < \(bind: r.floor) THEN \(bind: r.floor) WHEN b.declared_fen > \(bind: r.ceiling) THEN \(bind: r.ceiling)
                        ELSE b.declared_fen END AS base
                FROM enrolments e JOIN contribution_bases b ON b.person_id = e.person_id AND b.year = \(bind: Int64(period.year))
                    AND b.person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
                \(unsafeRaw: riskJoin)
                WHERE e.scheme = \(bind: r.scheme.rawValue) AND e.payer_type = \(bind: r.payer.rawValue)
                    AND e.person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
                    AND \(SQLPieces.scope(scope, column: "e.region_code"))
                    AND e.start_period <= \(bind: yyyymm) AND (e.end_period IS NULL OR e.end_period >= \(bind: yyyymm))
                    \(units)
            ) x
            """
    }

    /// The chunks of an assessment of `scope`: ranges of person ids covering every enrolled person
    /// in it. The bounds are read from each end of `enrolments_assessment` per scheme and payer
    /// type, stopping at the first enrolment in scope (a minimum over the whole table read every
    /// enrolment of a province once the by-person index no longer serves ranges, 0020).
    public func chunks(in scope: RegionCode, on db: any SQLDatabase) async throws -> [AssessmentChunk] {
        var low: Int64?
        var high: Int64?
        for scheme in Scheme.allCases {
            for payer in PayerType.allCases {
                for direction in ["ASC", "DESC"] {
                    let row = try await db.raw(
                        """
                        SELECT person_id FROM enrolments
                        WHERE scheme = \(bind: scheme.rawValue) AND payer_type = \(bind: payer.rawValue) AND \(SQLPieces.scope(scope, column: "region_code"))
                        ORDER BY scheme, payer_type, person_id \(unsafeRaw: direction) LIMIT 1
                        """
                    ).first()
                    guard let person = try row?.decode(column: "person_id", as: Int64.self) else { continue }
                    low = min(low ?? person, person)
                    high = max(high ?? person, person)
                }
            }
        }
        guard let low, let high else { return [] }
        return AssessmentChunk.covering(low, high)
    }

    /// A run's figures per scheme.
    public func totals(of runID: Int64, on db: any SQLDatabase) async throws -> [AssessmentTotal] {
        try await db.raw(
            """
            SELECT scheme, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(base_fen) AS BIGINT) AS base, CAST(SUM(individual_fen) AS BIGINT) AS individual,
                CAST(SUM(employer_fen) AS BIGINT) AS employer, CAST(SUM(account_credit_fen) AS BIGINT) AS credit
            FROM assessment_lines WHERE run_id = \(bind: runID) GROUP BY scheme ORDER BY scheme
            """
        ).all().compactMap { row in
            guard let scheme = Scheme(rawValue: try row.decode(column: "scheme", as: String.self)) else { return nil }
            return AssessmentTotal(
                scheme: scheme, lines: try row.decode(column: "n", as: Int64.self), base: Money(fen: try row.decode(column: "base", as: Int64.self)),
                individual: Money(fen: try row.decode(column: "individual", as: Int64.self)), employer: Money(fen: try row.decode(column: "employer", as: Int64.self)),
                accountCredit: Money(fen: try row.decode(column: "credit", as: Int64.self)))
        }
    }

    /// The lines of one enrolment's assessment in `runID` (for tests and one person's explanation).
    public func line(run runID: Int64, enrolment: Int64, on db: any SQLDatabase) async throws -> AssessmentLine? {
        try await db.raw(
            """
            SELECT base_fen, individual_fen, employer_fen, account_credit_fen, employer_transfer_fen FROM assessment_lines
            WHERE run_id = \(bind: runID) AND enrolment_id = \(bind: enrolment)
            """
        ).first().map { row in
            AssessmentLine(
                base: try row.decode(column: "base_fen", as: Int64.self), individual: try row.decode(column: "individual_fen", as: Int64.self),
                employer: try row.decode(column: "employer_fen", as: Int64.self), accountCredit: try row.decode(column: "account_credit_fen", as: Int64.self),
                employerTransfer: try row.decode(column: "employer_transfer_fen", as: Int64.self))
        }
    }
}
