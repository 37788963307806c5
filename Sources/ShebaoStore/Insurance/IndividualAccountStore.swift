public import SQLKit
public import ShebaoCore

/// A pension account's year: opening, credits, interest and closing, per part.
public struct AccountYear: Sendable, Hashable, Codable {
    public var year: Int
    public var rate: Rate
    public var openingOwn: Money
    public var openingTransfer: Money
    public var creditedOwn: Money
    public var creditedTransfer: Money
    public var closingOwn: Money
    public var closingTransfer: Money

    public var opening: Money { Money(fen: openingOwn.fen + openingTransfer.fen) }
    public var credited: Money { Money(fen: creditedOwn.fen + creditedTransfer.fen) }
    public var closing: Money { Money(fen: closingOwn.fen + closingTransfer.fen) }
    public var interest: Money { Money(fen: closing.fen - opening.fen - credited.fen) }
}

/// A scheme's paid months for one person.
public struct PaidMonths: Sendable, Hashable, Codable {
    public var scheme: Scheme
    public var months: Int
    public var first: Period?
    public var last: Period?
    /// The account credits of those months (pension and medical), and the part transferred from the unit.
    public var accountCredit: Money
    public var employerTransfer: Money
    /// Credits after the last yearly interest (not yet in a closing balance).
    public var creditedSinceInterest: Money
    public var transferSinceInterest: Money
}

/// Individual accounts: months paid, the yearly interest run, and printed statements.
/// (SQLite reads `ON CONFLICT` after an `INSERT … SELECT` as a join constraint unless the SELECT
/// has a WHERE clause, hence the `WHERE 1 = 1` below.)
public struct IndividualAccountStore: Sendable {
    public init() {}

    // MARK: The yearly interest run

    /// Chunks of the interest run: ranges of person ids with a pension credit or account.
    public func interestChunks(on db: any SQLDatabase) async throws -> [AssessmentChunk] {
        let row = try await db.raw(
            "SELECT CAST(MIN(person_id) AS BIGINT) AS low, CAST(MAX(person_id) AS BIGINT) AS high FROM paid_months WHERE scheme = 'pension'"
        ).first()
        guard let low = try row?.decode(column: "low", as: Int64?.self), let high = try row?.decode(column: "high", as: Int64?.self) else { return [] }
        return AssessmentChunk.covering(low, high)
    }

    /// Whether a year before `year` has credits but no interest run (its closing would be missing).
    public func missingEarlierYear(before year: Int, on db: any SQLDatabase) async throws -> Int? {
        let row = try await db.raw(
            """
            SELECT MIN(credited_on) AS first FROM paid_months WHERE scheme = 'pension' AND credited_on < \(bind: "\(year)-01-01")
            """
        ).first()
        guard let first = try row?.decode(column: "first", as: String?.self), let firstYear = Int(first.prefix(4)) else { return nil }
        let done = Set(try await db.raw("SELECT DISTINCT year FROM account_years WHERE year < \(bind: Int64(year))").all().map {
            Int(try $0.decode(column: "year", as: Int64.self))
        })
        return (firstYear..<year).first { !done.contains($0) }
    }

    /// Closes `year` for the persons of `chunk`, set-based: each part's closing balance is its
    /// opening (last year's closing) grown by the rate plus the year's credits grown by
    /// rate × 13/24 (RULES.md §1.2), rounded half-up once — ``AccountInterestRule`` in integer SQL,
    /// which a test holds it to. The product is split so no intermediate leaves 64 bits for
    /// balances up to 30,000,000.00 and rates up to 100%. A person closed already is kept.
    public func closeYear(_ year: Int, rate: Rate, runID: Int64, chunk: AssessmentChunk, on db: any SQLDatabase) async throws -> (rows: Int64, interest: Int64) {
        precondition((0...1_000_000_000).contains(rate.nanos))
        let high = rate.nanos / 10_000
        let low = rate.nanos % 10_000
        // ⌊(N·r + 12·10⁹) / (24·10⁹)⌋ with r = high·10⁴ + low, N = 24·opening + 13·credited.
        func closing(_ opening: String, _ credited: String) -> String {
            let n = "(24 * \(opening) + 13 * \(credited))"
            return "(\(opening) + \(credited) + (\(n) * \(high) + (\(n) * \(low) + 12000000000) / 10000) / 2400000)"
        }
        try await db.raw(
            """
            INSERT INTO account_years (person_id, year, run_id, rate_nanos, opening_own_fen, opening_transfer_fen, credited_own_fen, credited_transfer_fen,
                closing_own_fen, closing_transfer_fen)
            SELECT x.person_id, \(bind: Int64(year)), \(bind: runID), \(bind: rate.nanos), x.oo, x.ot, x.co, x.ct,
                \(unsafeRaw: closing("x.oo", "x.co")), \(unsafeRaw: closing("x.ot", "x.ct"))
            FROM (
                SELECT y.person_id, CAST(SUM(y.oo) AS BIGINT) AS oo, CAST(SUM(y.ot) AS BIGINT) AS ot, CAST(SUM(y.co) AS BIGINT) AS co,
                    CAST(SUM(y.ct) AS BIGINT) AS ct
                FROM (
                    SELECT person_id, closing_own_fen AS oo, closing_transfer_fen AS ot, 0 AS co, 0 AS ct FROM account_years
                    WHERE year = \(bind: Int64(year - 1)) AND person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
                    UNION ALL
                    SELECT person_id, 0, 0, account_credit_fen - employer_transfer_fen, employer_transfer_fen FROM paid_months
                    WHERE scheme = 'pension' AND credited_on BETWEEN \(bind: "\(year)-01-01") AND \(bind: "\(year)-12-31")
                        AND person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
                ) y GROUP BY y.person_id
            ) x
            WHERE 1 = 1
            ON CONFLICT (person_id, year) DO NOTHING
            """
        ).run()
        let row = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n,
                CAST(COALESCE(SUM(closing_own_fen + closing_transfer_fen - opening_own_fen - opening_transfer_fen - credited_own_fen - credited_transfer_fen), 0) AS BIGINT) AS interest
            FROM account_years WHERE run_id = \(bind: runID) AND person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)
            """
        ).first()
        return (try row?.decode(column: "n", as: Int64.self) ?? 0, try row?.decode(column: "interest", as: Int64.self) ?? 0)
    }

    /// A run's figures: accounts closed, opening, credited, interest, closing.
    public func yearTotals(run runID: Int64, on db: any SQLDatabase) async throws -> (accounts: Int64, opening: Money, credited: Money, closing: Money) {
        let row = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(opening_own_fen + opening_transfer_fen), 0) AS BIGINT) AS opening,
                CAST(COALESCE(SUM(credited_own_fen + credited_transfer_fen), 0) AS BIGINT) AS credited,
                CAST(COALESCE(SUM(closing_own_fen + closing_transfer_fen), 0) AS BIGINT) AS closing
            FROM account_years WHERE run_id = \(bind: runID)
            """
        ).first()
        return (try row?.decode(column: "n", as: Int64.self) ?? 0, Money(fen: try row?.decode(column: "opening", as: Int64.self) ?? 0),
                Money(fen: try row?.decode(column: "credited", as: Int64.self) ?? 0), Money(fen: try row?.decode(column: "closing", as: Int64.self) ?? 0))
    }

    // MARK: One person

    public func years(of person: Int64, on db: any SQLDatabase) async throws -> [AccountYear] {
        try await db.raw(
            """
            SELECT year, rate_nanos, opening_own_fen, opening_transfer_fen, credited_own_fen, credited_transfer_fen, closing_own_fen, closing_transfer_fen
            FROM account_years WHERE person_id = \(bind: person) ORDER BY year
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "account_years")
            return AccountYear(
                year: Int(try reader.int("year")), rate: Rate(nanos: try reader.int("rate_nanos")),
                openingOwn: Money(fen: try reader.int("opening_own_fen")), openingTransfer: Money(fen: try reader.int("opening_transfer_fen")),
                creditedOwn: Money(fen: try reader.int("credited_own_fen")), creditedTransfer: Money(fen: try reader.int("credited_transfer_fen")),
                closingOwn: Money(fen: try reader.int("closing_own_fen")), closingTransfer: Money(fen: try reader.int("closing_transfer_fen")))
        }
    }

    /// Months paid per scheme, with the account credits since the last closed year (`closedThrough`).
    public func paidMonths(of person: Int64, closedThrough: Int?, on db: any SQLDatabase) async throws -> [PaidMonths] {
        let since = "\((closedThrough ?? 0) + 1)-01-01"
        return try await db.raw(
            """
            SELECT scheme, CAST(COUNT(DISTINCT period) AS BIGINT) AS months, MIN(period) AS first, MAX(period) AS last,
                CAST(SUM(account_credit_fen) AS BIGINT) AS credit, CAST(SUM(employer_transfer_fen) AS BIGINT) AS transfer,
                CAST(SUM(CASE WHEN credited_on >= \(bind: since) THEN account_credit_fen ELSE 0 END) AS BIGINT) AS recent,
                CAST(SUM(CASE WHEN credited_on >= \(bind: since) THEN employer_transfer_fen ELSE 0 END) AS BIGINT) AS recent_transfer
            FROM paid_months WHERE person_id = \(bind: person) GROUP BY scheme ORDER BY scheme
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "paid_months")
            return PaidMonths(
                scheme: try reader.value("scheme", as: Scheme.self), months: Int(try reader.int("months")),
                first: try reader.optionalInt("first").flatMap { Period(yyyymm: Int($0)) }, last: try reader.optionalInt("last").flatMap { Period(yyyymm: Int($0)) },
                accountCredit: Money(fen: try reader.int("credit")), employerTransfer: Money(fen: try reader.int("transfer")),
                creditedSinceInterest: Money(fen: try reader.int("recent")), transferSinceInterest: Money(fen: try reader.int("recent_transfer")))
        }
    }

    /// Months of a person billed but not paid (arrears): billed to their unit, or to them on
    /// their own account.
    public func unpaidMonths(of person: Int64, on db: any SQLDatabase) async throws -> [(scheme: Scheme, period: Period, amount: Money)] {
        try await db.raw(
            """
            SELECT x.scheme, x.period, x.amount FROM (
                SELECT l.scheme, l.period, l.individual_fen + l.employer_fen AS amount
                FROM bills b JOIN assessment_lines l ON l.run_id = b.run_id AND l.employer_id = b.employer_id AND l.scheme = b.scheme
                WHERE l.person_id = \(bind: person)
                UNION ALL
                SELECT o.scheme, o.period, o.individual_fen + o.employer_fen FROM own_bills o WHERE o.person_id = \(bind: person)
            ) x
            WHERE NOT EXISTS (SELECT 1 FROM paid_months m WHERE m.person_id = \(bind: person) AND m.scheme = x.scheme AND m.period = x.period)
            ORDER BY x.period, x.scheme LIMIT 240
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "assessment_lines")
            return (try reader.value("scheme", as: Scheme.self), try reader.period("period"), Money(fen: try reader.int("amount")))
        }
    }

    // MARK: Statements

    public func saveStatement(code: String, person: Int64, content: String, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO statements (code, person_id, issued_at, issued_by, content)
            VALUES (\(bind: code), \(bind: person), \(bind: now.iso8601), \(bind: actor.name), \(bind: content))
            """
        ).run()
    }

    public func statement(code: String, on db: any SQLDatabase) async throws -> (person: Int64, issuedAt: String, content: String)? {
        guard let row = try await db.raw("SELECT person_id, issued_at, content FROM statements WHERE code = \(bind: code)").first() else { return nil }
        let reader = try RowReader(row, table: "statements")
        return (try reader.int("person_id"), try reader.string("issued_at"), try reader.string("content"))
    }
}
