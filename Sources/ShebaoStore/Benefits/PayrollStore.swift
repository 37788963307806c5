import Foundation
public import SQLKit
public import ShebaoCore

/// A bank the fund pays through.
public struct Bank: Sendable, Hashable {
    public var code: String
    public var name: String
    public var bic: String
    /// The fund's expenditure account at this bank: the debtor of its payroll files.
    public var fundAccount: String
    public var textEncoding: BankText.Encoding

    public init(code: String, name: String, bic: String, fundAccount: String, textEncoding: BankText.Encoding) {
        self.code = code
        self.name = name
        self.bic = bic
        self.fundAccount = fundAccount
        self.textEncoding = textEncoding
    }
}

/// A bank branch or post office where pensions are drawn (代发网点).
public struct PaymentPoint: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case bankBranch = "bank_branch"
        case postOffice = "post_office"
    }

    public var id: Int64
    public var bankCode: String
    public var name: String
    public var kind: Kind
    public var region: RegionCode
    public var address: String
    /// Pensions paid here.
    public var pensions: Int
}

extension PaymentPoint.Kind: Labelled { public static let labelPrefix = "payment_point_kind" }

/// A proposed change of the account a pension is paid into, decided by a second person.
public struct PensionAccountChange: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case proposed, approved, rejected
    }

    public var id: Int64
    public var personID: Int64
    public var personName: String
    public var region: RegionCode
    public var paymentPointID: Int64
    public var paymentPointName: String
    public var bankAccount: String
    public var reason: String
    public var status: Status
    public var proposedBy: String
    public var proposedByID: Int64
    public var proposedAt: String
    public var decidedBy: String?
    /// For a benefit owed once whose payment the bank refused: the payable and its kind; nil for the pension itself.
    public var payableID: Int64?
    public var payableKind: String?
}

extension PensionAccountChange.Status: Labelled { public static let labelPrefix = "account_change_status" }

/// One bank's share of a payroll run: the payments its files carry.
public struct PayrollBankShare: Sendable, Hashable {
    public var bank: Bank
    public var count: Int64
    public var amount: Money
}

/// The figures a run is reconciled by: what the payments say, what the ledger posted, what the bank returned.
public struct PayrollReconciliation: Sendable, Hashable {
    public struct Side: Sendable, Hashable {
        public var issued: Money
        public var issuedCount: Int64
        public var paid: Money
        public var paidCount: Int64
        public var failed: Money
        public var failedCount: Int64
        public var pending: Money { issued - paid - failed }
        public var pendingCount: Int64 { issuedCount - paidCount - failedCount }
    }

    public var business: Side
    /// Counts are the business side's: entries carry amounts only.
    public var ledger: Side
    /// The bank's side: `issued` is what the files carried (the business side's), paid and failed what it returned.
    public var bank: Side
    /// The run's live payments whose month another live attempt also pays: always 0, checked.
    public var paidTwice: Int64

    public var isReconciled: Bool {
        paidTwice == 0 && business.issued == ledger.issued && business.paid == ledger.paid && business.paid == bank.paid
            && business.failed == ledger.failed && business.failed == bank.failed && business.paidCount == bank.paidCount
            && business.failedCount == bank.failedCount
    }
}

/// A return file imported.
public struct BankReturnRecord: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var format: String
    public var messageID: String
    public var lineCount: Int64
    public var paidCount: Int64
    public var paid: Money
    public var failedCount: Int64
    public var failed: Money
    public var quarantinedCount: Int64
    public var importedAt: String
    public var importedBy: String
}

/// A line of a return that was not posted, and why.
public struct QuarantinedLine: Sendable, Hashable {
    public var returnID: Int64
    public var lineNumber: Int64
    public var endToEndID: String
    public var amount: Money
    public var reason: String
}

/// An overpayment a death found: months paid after the month of death, and what came back.
public struct Overpayment: Sendable, Hashable {
    public var id: Int64
    public var personID: Int64
    public var personName: String
    public var region: RegionCode
    public var diedOn: LocalDate
    public var first: Period
    public var last: Period
    public var amount: Money
    public var recovered: Money
    public var outstanding: Money { amount - recovered }
}

/// Payroll, payment points and returns in SQL, each inside the caller's transaction.
public struct PayrollStore: Sendable {
    public init() {}

    /// The payroll's kind of batch run (`batch_runs.kind`).
    public static let payrollKind = "benefits.payroll"

    /// A `yyyymm` column or value as a month count, so months subtract.
    static func monthIndex(_ expression: String) -> String { "((\(expression)) / 100 * 12 + (\(expression)) % 100)" }

    // MARK: Banks and payment points

    public func banks(on db: any SQLDatabase) async throws -> [Bank] {
        try await db.raw("SELECT * FROM banks ORDER BY code").all().map(Self.bank)
    }

    static func bank(_ row: any SQLRow) throws -> Bank {
        let reader = try RowReader(row, table: "banks", keyColumn: "code")
        return Bank(code: try reader.string("code"), name: try reader.string("name"), bic: try reader.string("bic"),
                    fundAccount: try reader.string("fund_account"), textEncoding: try reader.value("text_encoding", as: BankText.Encoding.self))
    }

    public func addBank(_ bank: Bank, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO banks (code, name, bic, fund_account, text_encoding)
            VALUES (\(bind: bank.code), \(bind: bank.name), \(bind: bank.bic), \(bind: bank.fundAccount), \(bind: bank.textEncoding.rawValue))
            """
        ).run()
    }

    public func addPaymentPoint(bank: String, name: String, kind: PaymentPoint.Kind, region: RegionCode, address: String,
                                on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO payment_points (bank_code, name, kind, region_code, address)
            VALUES (\(bind: bank), \(bind: name), \(bind: kind.rawValue), \(bind: region.value), \(bind: address))
            """)
    }

    /// The payment points in `scope` with how many pensions each pays (counted in one pass).
    public func paymentPoints(in scope: RegionCode, on db: any SQLDatabase) async throws -> [PaymentPoint] {
        try await paymentPoints(where: SQLPieces.scope(scope, column: "pp.region_code"), on: db)
    }

    /// One payment point, found by its key.
    public func paymentPoint(_ id: Int64, on db: any SQLDatabase) async throws -> PaymentPoint? {
        try await paymentPoints(where: "pp.id = \(bind: id)", on: db).first
    }

    private func paymentPoints(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [PaymentPoint] {
        try await db.raw(
            """
            SELECT pp.*, CAST(COALESCE(n.pensions, 0) AS BIGINT) AS pensions
            FROM payment_points pp LEFT JOIN (
                SELECT payment_point_id, COUNT(*) AS pensions FROM pensions WHERE payment_point_id IS NOT NULL GROUP BY payment_point_id
            ) n ON n.payment_point_id = pp.id
            WHERE \(condition) ORDER BY pp.region_code, pp.bank_code, pp.id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "payment_points")
            return PaymentPoint(id: try reader.int("id"), bankCode: try reader.string("bank_code"), name: try reader.string("name"),
                                kind: try reader.value("kind", as: PaymentPoint.Kind.self), region: try reader.region("region_code"),
                                address: try reader.string("address"), pensions: Int(try reader.int("pensions")))
        }
    }

    // MARK: Payment accounts

    public func proposeAccountChange(person: Int64, payable: Int64? = nil, paymentPoint: Int64, account: String, reason: String, by actor: AuditActor,
                                     proposerID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO pension_account_changes (person_id, payable_id, payment_point_id, bank_account, reason, status, proposed_by, proposed_by_id,
                proposed_at)
            VALUES (\(bind: person), \(bind: payable), \(bind: paymentPoint), \(bind: account), \(bind: reason), 'proposed', \(bind: actor.name),
                \(bind: proposerID), \(bind: now.iso8601))
            """)
    }

    public func accountChanges(status: PensionAccountChange.Status?, person: Int64? = nil, id: Int64? = nil, in scope: RegionCode, limit: Int = 200,
                               on db: any SQLDatabase) async throws -> [PensionAccountChange] {
        var condition: SQLQueryString = SQLPieces.scope(scope, column: "COALESCE(b.region_code, x.region_code, p.region_code)")
        if let status { condition = "\(condition) AND c.status = \(bind: status.rawValue)" }
        if let person { condition = "\(condition) AND c.person_id = \(bind: person)" }
        if let id { condition = "\(condition) AND c.id = \(bind: id)" }
        return try await db.raw(
            """
            SELECT c.*, p.name AS person_name, COALESCE(b.region_code, x.region_code, p.region_code) AS region_code, pp.name AS point_name,
                b.kind AS payable_kind
            FROM pension_account_changes c JOIN persons p ON p.id = c.person_id JOIN payment_points pp ON pp.id = c.payment_point_id
                LEFT JOIN pensions x ON x.person_id = c.person_id AND c.payable_id IS NULL LEFT JOIN benefit_payables b ON b.id = c.payable_id
            WHERE \(condition) ORDER BY c.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pension_account_changes")
            return PensionAccountChange(
                id: try reader.int("id"), personID: try reader.int("person_id"), personName: try reader.string("person_name"),
                region: try reader.region("region_code"), paymentPointID: try reader.int("payment_point_id"), paymentPointName: try reader.string("point_name"),
                bankAccount: try reader.string("bank_account"), reason: try reader.string("reason"),
                status: try reader.value("status", as: PensionAccountChange.Status.self), proposedBy: try reader.string("proposed_by"),
                proposedByID: try reader.int("proposed_by_id"), proposedAt: try reader.string("proposed_at"), decidedBy: try reader.optionalString("decided_by"),
                payableID: try reader.optionalInt("payable_id"), payableKind: try reader.optionalString("payable_kind"))
        }
    }

    /// One change, its row locked for the rest of the transaction.
    public func accountChange(_ id: Int64, on db: any SQLDatabase) async throws -> PensionAccountChange? {
        guard try await db.raw("SELECT id FROM pension_account_changes WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first() != nil else {
            return nil
        }
        return try await accountChanges(status: nil, id: id, in: .nation, limit: 1, on: db).first
    }

    /// Decides a proposed change; approved, the pension is paid into the new account from the next
    /// run, and its account's version moves on (so a payment that failed is reissued there).
    public func decideAccountChange(_ change: PensionAccountChange, approve: Bool, by actor: AuditActor, at now: Timestamp,
                                    on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE pension_account_changes SET status = \(bind: approve ? "approved" : "rejected"), decided_by = \(bind: actor.name),
                decided_at = \(bind: now.iso8601)
            WHERE id = \(bind: change.id) AND status = 'proposed'
            """
        ).run()
        guard approve else { return }
        if let payable = change.payableID {
            // Owed again, into the new account: the refused payment stays as the bank answered it.
            try await db.raw(
                """
                UPDATE benefit_payables SET state = 'owed', payment_id = NULL, payment_point_id = \(bind: change.paymentPointID),
                    bank_account = \(bind: change.bankAccount)
                WHERE id = \(bind: payable) AND state = 'issued'
                    AND EXISTS (SELECT 1 FROM pension_payments q WHERE q.id = benefit_payables.payment_id AND q.state = 'failed')
                """
            ).run()
            return
        }
        try await db.raw(
            """
            UPDATE pensions SET payment_point_id = \(bind: change.paymentPointID), bank_account = \(bind: change.bankAccount),
                account_version = account_version + 1
            WHERE person_id = \(bind: change.personID)
            """
        ).run()
    }

    /// A person's benefits owed once whose payment the bank refused, with no correction pending.
    public func refusedPayables(of person: Int64, on db: any SQLDatabase) async throws -> [(id: Int64, kind: String, amount: Money, period: Period)] {
        try await db.raw(
            """
            SELECT b.id, b.kind, b.amount_fen, q.period FROM benefit_payables b JOIN pension_payments q ON q.id = b.payment_id
            WHERE b.person_id = \(bind: person) AND b.state = 'issued' AND q.state = 'failed'
                AND NOT EXISTS (SELECT 1 FROM pension_account_changes c WHERE c.payable_id = b.id AND c.status = 'proposed')
            ORDER BY b.id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "benefit_payables")
            return (try reader.int("id"), try reader.string("kind"), Money(fen: try reader.int("amount_fen")), try reader.period("period"))
        }
    }

    // MARK: The payroll run

    /// The run's chunks: ranges of the person ids of everyone a run may pay (pensions, benefits
    /// owed, monthly work-injury benefits, dibao grants, five-guarantees support,
    /// land-requisitioned farmers), whatever its scope: each chunk's statements keep to the
    /// scope, and a town's persons lie all over the district's ids anyway. Narrowed to the scope,
    /// the ends took a look-up in `pensions` for each of its rows in the region (0.25–0.29 s for a
    /// district of a million pensions); unnarrowed they are the ends of each table's key.
    public func chunks(on db: any SQLDatabase) async throws -> [AssessmentChunk] {
        var low: Int64?
        var high: Int64?
        for table in ["pensions", "benefit_payables", "work_injury_awards", "work_injury_survivors", "dibao_grants", "support_grants", "land_members"] {
            // Apart, each end is one probe of the key; together SQLite reads the whole key.
            let row = try await db.raw(
                """
                SELECT (SELECT CAST(MIN(person_id) AS BIGINT) FROM \(ident: table)) AS low, (SELECT CAST(MAX(person_id) AS BIGINT) FROM \(ident: table)) AS high
                """
            ).first()
            if let value = try row?.decode(column: "low", as: Int64?.self) { low = min(low ?? value, value) }
            if let value = try row?.decode(column: "high", as: Int64?.self) { high = max(high ?? value, value) }
        }
        guard let low, let high else { return [] }
        return AssessmentChunk.covering(low, high)
    }

    /// Writes one chunk's payments for `period`, set-based, and moves each pension's last month
    /// paid on: first the failed payments whose account has since been corrected, reissued as the
    /// next attempt; then each pension being paid, for the months since its last month paid
    /// (back pay when it started or resumed after months unpaid), never past the month of death.
    public func pay(run: Int64, chunk: AssessmentChunk, period: Period, scope: RegionCode, fund: Fund,
                    on db: any SQLDatabase) async throws -> (rows: Int64, total: Int64) {
        let p = Int64(period.yyyymm)
        let persons: SQLQueryString = "BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)"
        // The chunk's rows are those above the highest id now (on PostgreSQL, among others' of
        // chunks computed at the same time): its totals read them alone, not the persons' history.
        let before = try await Self.lastPayment(on: db)
        try await db.raw(
            """
            INSERT INTO pension_payments (run_id, chunk, person_id, period, attempt, months, region_code, fund, amount_fen, payment_point_id,
                bank_code, bank_account, account_version, state, kind)
            SELECT \(bind: run), \(bind: chunk.key), f.person_id, f.period, f.attempt + 1, f.months, x.region_code, f.fund, f.amount_fen,
                x.payment_point_id, pp.bank_code, x.bank_account, x.account_version, 'pending', f.kind
            FROM pension_payments f JOIN pensions x ON x.person_id = f.person_id JOIN payment_points pp ON pp.id = x.payment_point_id
            WHERE f.person_id \(persons) AND f.state = 'failed' AND f.kind = 'pension' AND x.account_version > f.account_version
                AND x.bank_account IS NOT NULL AND \(SQLPieces.scope(scope, column: "x.region_code"))
                AND (x.stop_period IS NULL OR f.period < x.stop_period)
                AND NOT EXISTS (SELECT 1 FROM pension_payments g WHERE g.person_id = f.person_id AND g.period = f.period AND g.kind = f.kind
                    AND g.attempt > f.attempt)
            """
        ).run()
        let reissued = try await Self.lastPayment(on: db)
        let due = Self.monthIndex(String(p))
        let lastPaid = "COALESCE(\(Self.monthIndex("g.paid_through")), \(Self.monthIndex("x.start_period")) - 1)"
        try await db.raw(
            """
            INSERT INTO pension_payments (run_id, chunk, person_id, period, attempt, months, region_code, fund, amount_fen, payment_point_id,
                bank_code, bank_account, account_version, state, kind)
            SELECT \(bind: run), \(bind: chunk.key), x.person_id, \(bind: p), 1, \(unsafeRaw: due) - \(unsafeRaw: lastPaid), x.region_code,
                \(bind: fund.rawValue), x.monthly_fen * (\(unsafeRaw: due) - \(unsafeRaw: lastPaid)) + g.arrears_fen, x.payment_point_id, pp.bank_code,
                x.bank_account, x.account_version, 'pending', 'pension'
            FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id JOIN payment_points pp ON pp.id = x.payment_point_id
            WHERE x.person_id \(persons) AND \(Self.payable(p)) AND \(SQLPieces.scope(scope, column: "x.region_code"))
            """
        ).run()
        // The pensions the statement above just paid, found by their payments (the chunk's, above
        // `before`; `+ 0` keeps both planners on that id range, as for the totals below, rather
        // than on the key's month, which holds every chunk's): each moves on to this month, its
        // arrears paid with it. Every one has its progress (the payments joined it), so each
        // insert meets its row and updates it: one walk of the payments, each progress found by
        // its key as it comes. `UPDATE … WHERE person_id IN (…)` first gathered the persons in a
        // temporary index of their own (SQLite 3.54 with the payroll's statements, a million
        // pensions: 0.34–0.37 s this way against 0.66–0.72 s). A person is paid a month's
        // pension once (the payments' key), so no row is met twice, as PostgreSQL requires.
        try await db.raw(
            """
            INSERT INTO pension_progress (person_id, paid_through, arrears_fen)
            SELECT q.person_id, \(bind: p), 0 FROM pension_payments q
            WHERE q.id > \(bind: before) AND q.person_id + 0 \(persons) AND q.run_id + 0 = \(bind: run) AND q.period + 0 = \(bind: p)
                AND q.kind = 'pension' AND q.attempt = 1
            ON CONFLICT (person_id) DO UPDATE SET paid_through = excluded.paid_through, arrears_fen = 0
            """
        ).run()
        try await WorkInjuryStore().accrueMonthly(chunk: chunk, period: p, scope: scope, on: db)
        try await DibaoStore().accrueMonthly(chunk: chunk, period: p, scope: scope, on: db)
        try await SupportStore().accrueMonthly(chunk: chunk, period: p, scope: scope, on: db)
        try await LandStore().accrueMonthly(chunk: chunk, period: p, scope: scope, on: db)
        let pensionsPaid = try await Self.lastPayment(on: db)
        try await issuePayables(run: run, chunk: chunk, period: p, scope: scope, on: db)
        // The chunk's payments per fund, kept with them (`payroll_chunk_totals`, 0044): posting
        // the run then sums these, not the run's payments, and finds the run's payments between
        // its chunks' first and last. The pensions' payments are all of `fund` and are summed
        // as they lie; only the few reissued and owed ones are grouped by fund (grouping a
        // million sorted them all: 0.28–0.33 s of the payroll's statements, against 0.13–0.17 s
        // this way). `+ 0` keeps both planners on the id ranges (the key's month would have each
        // chunk read every payment of the month before it).
        let ofChunk: SQLQueryString = "person_id + 0 \(persons) AND run_id + 0 = \(bind: run)"
        try await db.raw(
            """
            INSERT INTO payroll_chunk_totals (run_id, chunk, fund, payments, total_fen, first_id, last_id)
            SELECT \(bind: run), \(bind: chunk.key), s.fund, SUM(s.payments), SUM(s.total_fen), MIN(s.first_id), MAX(s.last_id) FROM (
                SELECT fund, COUNT(*) AS payments, SUM(amount_fen) AS total_fen, MIN(id) AS first_id, MAX(id) AS last_id FROM pension_payments
                WHERE id > \(bind: before) AND id <= \(bind: reissued) AND \(ofChunk) GROUP BY fund
                UNION ALL
                SELECT \(bind: fund.rawValue), COUNT(*), SUM(amount_fen), MIN(id), MAX(id) FROM pension_payments
                WHERE id > \(bind: reissued) AND id <= \(bind: pensionsPaid) AND \(ofChunk)
                UNION ALL
                SELECT fund, COUNT(*), SUM(amount_fen), MIN(id), MAX(id) FROM pension_payments
                WHERE id > \(bind: pensionsPaid) AND \(ofChunk) GROUP BY fund
            ) s
            WHERE s.payments > 0 GROUP BY s.fund
            """
        ).run()
        let totals = try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(payments), 0) AS BIGINT) AS n, CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) AS total FROM payroll_chunk_totals
            WHERE run_id = \(bind: run) AND chunk = \(bind: chunk.key)
            """
        ).first()
        return (try totals?.decode(column: "n", as: Int64.self) ?? 0, try totals?.decode(column: "total", as: Int64.self) ?? 0)
    }

    /// The highest payment id now: the chunk's payments written after it lie above it.
    static func lastPayment(on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM pension_payments").first()?.decode(column: "n", as: Int64.self) ?? 0
    }

    /// Makes the months of a monthly benefit since the last one paid owed, for the chunk's persons
    /// up to `period`: one payable per entitlement (a row of `table`, keyed by its case) and run —
    /// source `<source>:<case>:<yyyymm>`, so a rerun makes nothing twice — paid from `fund`, and
    /// moves each one's last month paid on. `table` has the columns of the monthly entitlements
    /// (person, region, payment point, account, `monthly_from`, `paid_through`); `only` narrows it;
    /// `payeeName` names a payee who is not a person of the register (a home), NULL otherwise.
    /// `floor` raises each month's amount to at least that much (the land-requisitioned farmers'
    /// dibao floor).
    func accrue(table: String, source: String, kind: String, fund: Fund, amount column: String, floor: Money = .zero, payee: String,
                payeeName: String = "NULL", only: SQLQueryString, chunk: AssessmentChunk, period p: Int64, scope: RegionCode,
                on db: any SQLDatabase) async throws {
        let due = Self.monthIndex(String(p))
        let lastPaid = "COALESCE(\(Self.monthIndex("w.paid_through")), \(Self.monthIndex("w.monthly_from")) - 1)"
        let amount = floor.fen > 0 ? "(CASE WHEN w.\(column) > \(floor.fen) THEN w.\(column) ELSE \(floor.fen) END)" : "w.\(column)"
        let condition: SQLQueryString = """
            w.person_id BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson) AND \(unsafeRaw: amount) > 0
                AND w.monthly_from <= \(bind: p) AND COALESCE(w.paid_through, 0) < \(bind: p) AND \(SQLPieces.scope(scope, column: "w.region_code"))
                AND \(only)
            """
        try await db.raw(
            """
            INSERT INTO benefit_payables (source, kind, person_id, payee_person_id, payee_name, region_code, fund, amount_fen, payment_point_id, bank_account,
                state, created_at)
            SELECT \(bind: source + ":") || CAST(w.case_id AS TEXT) || ':' || \(bind: String(p)), \(bind: kind), w.person_id, \(unsafeRaw: payee),
                \(unsafeRaw: payeeName), w.region_code, \(bind: fund.rawValue), \(unsafeRaw: amount) * (\(unsafeRaw: due) - \(unsafeRaw: lastPaid)), w.payment_point_id, w.bank_account, 'owed',
                \(bind: Period(yyyymm: Int(p))?.firstDay.description ?? "")
            FROM \(unsafeRaw: table) w WHERE \(condition)
            """
        ).run()
        try await db.raw(
            "UPDATE \(unsafeRaw: table) SET paid_through = \(bind: p) WHERE case_id IN (SELECT w.case_id FROM \(unsafeRaw: table) w WHERE \(condition))"
        ).run()
    }

    /// The benefits owed once (a work-injury subsidy) of the chunk's persons join the run as
    /// payments of their kind and fund — one per person and kind a run, the oldest first — and
    /// are marked issued with the payment that carries them.
    func issuePayables(run: Int64, chunk: AssessmentChunk, period p: Int64, scope: RegionCode, on db: any SQLDatabase) async throws {
        let persons: SQLQueryString = "BETWEEN \(bind: chunk.firstPerson) AND \(bind: chunk.lastPerson)"
        let oldest: SQLQueryString = """
            b.state = 'owed' AND b.id = (SELECT MIN(o.id) FROM benefit_payables o WHERE o.person_id = b.person_id AND o.kind = b.kind AND o.state = 'owed')
            """
        try await db.raw(
            """
            INSERT INTO pension_payments (run_id, chunk, person_id, period, attempt, months, region_code, fund, amount_fen, payment_point_id,
                bank_code, bank_account, account_version, state, kind, payee_person_id, payee_name)
            SELECT \(bind: run), \(bind: chunk.key), b.person_id, \(bind: p), 1, 1, b.region_code, b.fund, b.amount_fen, b.payment_point_id, pp.bank_code,
                b.bank_account, 0, 'pending', b.kind, b.payee_person_id, b.payee_name
            FROM benefit_payables b JOIN payment_points pp ON pp.id = b.payment_point_id
            WHERE b.person_id \(persons) AND \(oldest) AND \(SQLPieces.scope(scope, column: "b.region_code"))
                AND NOT EXISTS (SELECT 1 FROM pension_payments q WHERE q.person_id = b.person_id AND q.period = \(bind: p) AND q.kind = b.kind)
            """
        ).run()
        try await db.raw(
            """
            UPDATE benefit_payables SET state = 'issued', payment_id = (SELECT q.id FROM pension_payments q WHERE q.person_id = benefit_payables.person_id
                AND q.period = \(bind: p) AND q.kind = benefit_payables.kind AND q.attempt = 1 AND q.run_id = \(bind: run))
            WHERE person_id \(persons) AND state = 'owed' AND EXISTS (SELECT 1 FROM pension_payments q WHERE q.person_id = benefit_payables.person_id
                AND q.period = \(bind: p) AND q.kind = benefit_payables.kind AND q.attempt = 1 AND q.run_id = \(bind: run)
                AND q.amount_fen = benefit_payables.amount_fen AND q.bank_account = benefit_payables.bank_account)
                AND id = (SELECT MIN(o.id) FROM benefit_payables o WHERE o.person_id = benefit_payables.person_id AND o.kind = benefit_payables.kind
                    AND o.state = 'owed')
            """
        ).run()
    }

    /// Records a benefit owed once, to be paid by the next payroll run; once per source.
    /// Makes a benefit owed once for `person`: paid by the next payroll run into `account`, in the
    /// name of `payee` when someone else receives it (the next of kin of a deceased retiree).
    public func owe(source: String, kind: String, person: Int64, payee: Int64? = nil, region: RegionCode, fund: Fund, amount: Money, paymentPoint: Int64,
                    account: String, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO benefit_payables (source, kind, person_id, payee_person_id, region_code, fund, amount_fen, payment_point_id, bank_account, state,
                created_at)
            VALUES (\(bind: source), \(bind: kind), \(bind: person), \(bind: payee), \(bind: region.value), \(bind: fund.rawValue), \(bind: amount.fen),
                \(bind: paymentPoint), \(bind: account), 'owed', \(bind: now.iso8601))
            """
        ).run()
    }

    /// Cancels what is still owed to a person of a kind (e.g. months of benefit after re-employment); how many.
    public func cancelOwed(person: Int64, kind: String, on db: any SQLDatabase) async throws -> Int {
        let count = try await owedCount(person: person, kind: kind, on: db)
        try await db.raw("UPDATE benefit_payables SET state = 'cancelled' WHERE person_id = \(bind: person) AND kind = \(bind: kind) AND state = 'owed'").run()
        return count
    }

    public func owedCount(person: Int64, kind: String, on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM benefit_payables WHERE person_id = \(bind: person) AND kind = \(bind: kind) AND state = 'owed'
            """)
    }

    /// What became of a benefit owed once: owed, or the payment that carries it and its state.
    public func payable(source: String, on db: any SQLDatabase) async throws -> (state: String, payment: String?)? {
        guard let row = try await db.raw(
            """
            SELECT b.state, q.state AS payment_state FROM benefit_payables b LEFT JOIN pension_payments q ON q.id = b.payment_id
            WHERE b.source = \(bind: source)
            """
        ).first() else { return nil }
        return (try row.decode(column: "state", as: String.self), try row.decode(column: "payment_state", as: String?.self))
    }

    /// A pension `x` (its progress `g`) paid in month `p`: being paid, with an account at a payment
    /// point, started, not paid for it yet, not stopped by death and not suspended for a missed
    /// certification by then.
    static func payable(_ p: Int64) -> SQLQueryString {
        """
        x.state = 'paying' AND x.bank_account IS NOT NULL AND x.payment_point_id IS NOT NULL AND x.start_period <= \(bind: p)
            AND COALESCE(g.paid_through, 0) < \(bind: p) AND (x.stop_period IS NULL OR x.stop_period > \(bind: p))
            AND (x.suspended_from IS NULL OR x.suspended_from > \(bind: p))
        """
    }

    /// A run's payments per fund: what its posting makes pending — as each chunk counted its own
    /// payments when it wrote them (`pay`).
    public func totalsByFund(run: Int64, on db: any SQLDatabase) async throws -> [Fund: Money] {
        var totals: [Fund: Money] = [:]
        for row in try await db.raw(
            "SELECT fund, CAST(SUM(total_fen) AS BIGINT) AS total FROM payroll_chunk_totals WHERE run_id = \(bind: run) GROUP BY fund"
        ).all() {
            if let fund = Fund(rawValue: try row.decode(column: "fund", as: String.self)) { totals[fund] = Money(fen: try row.decode(column: "total", as: Int64.self)) }
        }
        return totals
    }

    /// A run's payments per bank.
    public func shares(run: Int64, on db: any SQLDatabase) async throws -> [PayrollBankShare] {
        try await db.raw(
            """
            SELECT b.*, s.n, s.total FROM (
                SELECT q.bank_code, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(q.amount_fen) AS BIGINT) AS total FROM pension_payments q
                WHERE \(Self.ofRun(run)) GROUP BY q.bank_code
            ) s JOIN banks b ON b.code = s.bank_code ORDER BY b.code
            """
        ).all().map { row in
            PayrollBankShare(bank: try Self.bank(row), count: try row.decode(column: "n", as: Int64.self),
                             amount: Money(fen: try row.decode(column: "total", as: Int64.self)))
        }
    }

    /// The transfers of a run at one bank in payment order, `limit` after payment `after`: the
    /// files are written page by page, never holding a run in memory. The resident ID only for
    /// the text format (pain.001 carries none).
    public func transfers(run: Int64, bank: String, after: Int64, limit: Int, residentIDs: Bool = true,
                          on db: any SQLDatabase) async throws -> [BankTransfer] {
        try await db.rowsByPosition(
            """
            SELECT \(Self.transferSelect(residentIDs: residentIDs))
            FROM pension_payments q JOIN persons p ON p.id = COALESCE(q.payee_person_id, q.person_id)
            WHERE \(Self.ofRun(run)) AND q.id > \(bind: after) AND q.bank_code = \(bind: bank)
            ORDER BY q.id LIMIT \(literal: limit)
            """, columns: Self.transferColumns(residentIDs: residentIDs), orderedBy: "id"
        ).map { try Self.transfer($0).transfer }
    }

    /// The columns of a transfer read by position, as `transfer(_:)` takes them; the resident ID
    /// last, and only when the file carries it.
    static func transferColumns(residentIDs: Bool) -> [String] {
        ["id", "bank_code", "amount_fen", "bank_account", "kind", "name"] + (residentIDs ? ["resident_id"] : [])
    }

    /// `transferColumns` of a payment `q` joined to its person `p`. Each value read costs the
    /// database its text in the page (`SQLDatabase.rowsByPosition`), so what every transfer would
    /// repeat is left out: the kind is NULL for a pension, nearly all of them, and the resident ID
    /// is read only for the text format (pain.001 carries none). A million payments read so:
    /// 0.38–0.39 s against 0.44–0.49 s with both (SQLite 3.54.1, medians of three).
    static func transferSelect(residentIDs: Bool) -> SQLQueryString {
        "q.id, q.bank_code, q.amount_fen, q.bank_account, NULLIF(q.kind, 'pension') AS kind, \(payeeColumns(residentIDs: residentIDs))"
    }

    /// A transfer and its bank from a row of `transferColumns`.
    static func transfer(_ row: PositionalRow) throws -> (bank: String, transfer: BankTransfer) {
        let kind = try row.isNull(4) ? "pension" : row.string(4)
        let residentID = row.count > 6 ? try row.string(6) : ""
        return (try row.string(1), BankTransfer(number: try row.int(0), amount: Money(fen: try row.int(2)), name: try row.string(5),
                                                account: try row.string(3), residentID: residentID, kind: kind))
    }

    /// Who a transfer credits, as `name` and `resident_id` of a payment `q` joined to its person
    /// `p`: the payee, or the home a payment is made to (by name, with no resident ID); the
    /// resident ID only for the text format.
    static func payeeColumns(residentIDs: Bool) -> SQLQueryString {
        guard residentIDs else { return "COALESCE(q.payee_name, p.name) AS name" }
        return "COALESCE(q.payee_name, p.name) AS name, CASE WHEN q.payee_name IS NULL THEN p.resident_id ELSE '' END AS resident_id"
    }

    /// The first and last payment of a run: the range its payments lie in.
    public func paymentRange(run: Int64, on db: any SQLDatabase) async throws -> ClosedRange<Int64>? {
        let range = try await db.raw("SELECT \(Self.firstAndLast(run))").first()
        guard let low = try range?.decode(column: "low", as: Int64?.self), let high = try range?.decode(column: "high", as: Int64?.self) else { return nil }
        return low...high
    }

    /// The first (`low`) and last (`high`) payment of run `run`, as its chunks wrote them down.
    static func firstAndLast(_ run: Int64) -> SQLQueryString {
        "\(end(of: run, "MIN", "first_id")) AS low, \(end(of: run, "MAX", "last_id")) AS high"
    }

    /// The first or last payment of run `run`: of its chunks' first (`MIN` of `first_id`) or last
    /// (`MAX` of `last_id`), kept with their totals (0044).
    private static func end(of run: Int64, _ aggregate: String, _ column: String) -> SQLQueryString {
        "(SELECT CAST(\(unsafeRaw: aggregate)(e.\(unsafeRaw: column)) AS BIGINT) FROM payroll_chunk_totals e WHERE e.run_id = \(bind: run))"
    }

    /// The payments `q` of run `run`, read as the range of ids they lie in, first to last (other
    /// runs' payments may lie between them on PostgreSQL, where chunks of runs are computed at
    /// once). The payments have no index by run (0044): `+ 0` says the run is a filter here, not
    /// a way in; read by such an index each payment cost a look-up in the table besides (measured
    /// with a million: 0.59 s by range against 0.68 s by index).
    static func ofRun(_ run: Int64) -> SQLQueryString {
        "q.id >= \(end(of: run, "MIN", "first_id")) AND q.id <= \(end(of: run, "MAX", "last_id")) AND q.run_id + 0 = \(bind: run)"
    }

    /// The last payment of run `run` at bank `bank` before its `skipping`+1st: where a file of the
    /// bank's payments that skips so many starts (0 when it skips none).
    public func paymentBefore(run: Int64, bank: String, skipping: Int, on db: any SQLDatabase) async throws -> Int64 {
        guard skipping > 0 else { return 0 }
        return try await db.raw(
            """
            SELECT CAST(COALESCE(MAX(f.id), 0) AS BIGINT) AS n FROM (
                SELECT q.id FROM pension_payments q WHERE \(Self.ofRun(run)) AND q.bank_code = \(bind: bank) ORDER BY q.id LIMIT \(literal: skipping)
            ) f
            """
        ).first()?.decode(column: "n", as: Int64.self) ?? 0
    }

    /// The transfers of a whole run in payment order, `limit` after payment `after`, each with its
    /// bank: every bank's files are written in one pass over the run's payments, which lie in
    /// `range` (`+ 0`: the run is a filter here, as in `ofRun`).
    public func transfersInOrder(run: Int64, range: ClosedRange<Int64>, after: Int64, limit: Int, residentIDs: Bool,
                                 on db: any SQLDatabase) async throws -> [(bank: String, transfer: BankTransfer)] {
        try await db.rowsByPosition(
            """
            SELECT \(Self.transferSelect(residentIDs: residentIDs))
            FROM pension_payments q JOIN persons p ON p.id = COALESCE(q.payee_person_id, q.person_id)
            WHERE q.id > \(bind: max(after, range.lowerBound - 1)) AND q.id <= \(bind: range.upperBound) AND q.run_id + 0 = \(bind: run)
            ORDER BY q.id LIMIT \(literal: limit)
            """, columns: Self.transferColumns(residentIDs: residentIDs), orderedBy: "id"
        ).map(Self.transfer)
    }

    // MARK: Returns

    /// A payment as a return line finds it.
    public struct PaymentState: Sendable, Hashable {
        public var id: Int64
        public var runID: Int64
        public var fund: Fund
        public var amount: Money
        public var state: String
    }

    public func payments(ids: [Int64], on db: any SQLDatabase) async throws -> [Int64: PaymentState] {
        var found: [Int64: PaymentState] = [:]
        for chunk in Array(Set(ids)).chunked(into: 500) {
            for row in try await db.raw(
                "SELECT id, run_id, fund, amount_fen, state FROM pension_payments WHERE id IN (\(binds: Array(chunk)))\(unsafeRaw: Dialect(db).forUpdate)"
            ).all() {
                let reader = try RowReader(row, table: "pension_payments")
                let id = try reader.int("id")
                found[id] = PaymentState(id: id, runID: try reader.int("run_id"), fund: try reader.value("fund", as: Fund.self),
                                         amount: Money(fen: try reader.int("amount_fen")), state: try reader.string("state"))
            }
        }
        return found
    }

    /// The persons the payments `ids` pay.
    public func persons(ofPayments ids: [Int64], on db: any SQLDatabase) async throws -> [Int64] {
        var persons: [Int64] = []
        for chunk in ids.chunked(into: 500) {
            persons += try await db.raw("SELECT person_id FROM pension_payments WHERE id IN (\(binds: Array(chunk))) ORDER BY id").all()
                .map { try $0.decode(column: "person_id", as: Int64.self) }
        }
        return persons
    }

    public func knownReturn(sha256: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM bank_returns WHERE sha256 = \(bind: sha256)").first()?.decode(column: "id", as: Int64.self)
    }

    /// Records a return file with its lines as decided (posted, voided, quarantined), and settles
    /// each posted or voided payment — once: only a pending payment moves.
    public func recordReturn(fileName: String, sha256: String, format: String, messageID: String,
                             lines: [(line: BankReturnLine, outcome: String, reason: String, payment: PaymentState?)],
                             by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        let paid = lines.filter { $0.outcome == "paid" }
        let failed = lines.filter { $0.outcome == "failed" }
        let id = try await db.insertReturningID(
            """
            INSERT INTO bank_returns (file_name, sha256, format, message_id, line_count, paid_count, paid_fen, failed_count, failed_fen,
                quarantined_count, imported_at, imported_by)
            VALUES (\(bind: fileName), \(bind: sha256), \(bind: format), \(bind: messageID), \(bind: Int64(lines.count)), \(bind: Int64(paid.count)),
                \(bind: paid.reduce(Int64(0)) { $0 + ($1.payment?.amount.fen ?? 0) }), \(bind: Int64(failed.count)),
                \(bind: failed.reduce(Int64(0)) { $0 + ($1.payment?.amount.fen ?? 0) }), \(bind: Int64(lines.count - paid.count - failed.count)),
                \(bind: now.iso8601), \(bind: actor.name))
            """)
        for part in lines.chunked(into: 200) {
            let insert = db.insert(into: "bank_return_lines")
                .columns("return_id", "line_number", "end_to_end_id", "outcome", "amount_fen", "reason", "payment_id", "run_id")
            for entry in part {
                insert.values([SQLBind(id), SQLBind(Int64(entry.line.lineNumber)), SQLBind(entry.line.endToEndID), SQLBind(entry.outcome),
                               SQLBind(entry.payment?.amount.fen ?? entry.line.amount?.fen ?? 0), SQLBind(entry.reason),
                               SQLBind(entry.outcome == "quarantined" ? nil : entry.payment?.id), SQLBind(entry.outcome == "quarantined" ? nil : entry.payment?.runID)])
            }
            try await insert.run()
        }
        for (outcome, group) in [("paid", paid), ("failed", failed)] {
            for part in group.chunked(into: 500) {
                try await db.raw(
                    """
                    UPDATE pension_payments SET state = \(bind: outcome), return_id = \(bind: id),
                        reason = CASE WHEN state = 'pending' AND \(bind: outcome) = 'failed' THEN (SELECT l.reason FROM bank_return_lines l
                            WHERE l.return_id = \(bind: id) AND l.payment_id = pension_payments.id) END
                    WHERE id IN (\(binds: part.compactMap { $0.payment?.id })) AND state = 'pending'
                    """
                ).run()
            }
        }
        return id
    }

    public func returns(limit: Int, on db: any SQLDatabase) async throws -> [BankReturnRecord] {
        try await returns(where: "1 = 1", limit: limit, on: db)
    }

    public func bankReturn(_ id: Int64, on db: any SQLDatabase) async throws -> BankReturnRecord? {
        try await returns(where: "id = \(bind: id)", limit: 1, on: db).first
    }

    private func returns(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [BankReturnRecord] {
        try await db.raw("SELECT * FROM bank_returns WHERE \(condition) ORDER BY id DESC LIMIT \(literal: limit)").all().map { row in
            let reader = try RowReader(row, table: "bank_returns")
            return BankReturnRecord(
                id: try reader.int("id"), fileName: try reader.string("file_name"), format: try reader.string("format"),
                messageID: try reader.string("message_id"), lineCount: try reader.int("line_count"), paidCount: try reader.int("paid_count"),
                paid: Money(fen: try reader.int("paid_fen")), failedCount: try reader.int("failed_count"), failed: Money(fen: try reader.int("failed_fen")),
                quarantinedCount: try reader.int("quarantined_count"), importedAt: try reader.string("imported_at"), importedBy: try reader.string("imported_by"))
        }
    }

    /// The lines held back, newest return first; of one return when `returnID` is given.
    public func quarantined(of returnID: Int64? = nil, limit: Int, on db: any SQLDatabase) async throws -> [QuarantinedLine] {
        let condition: SQLQueryString = returnID.map { "AND return_id = \(bind: $0)" } ?? ""
        return try await db.raw(
            "SELECT * FROM bank_return_lines WHERE outcome = 'quarantined' \(condition) ORDER BY return_id DESC, line_number LIMIT \(literal: limit)"
        ).all().map { row in
            let reader = try RowReader(row, table: "bank_return_lines", keyColumn: "return_id")
            return QuarantinedLine(returnID: try reader.int("return_id"), lineNumber: try reader.int("line_number"), endToEndID: try reader.string("end_to_end_id"),
                                   amount: Money(fen: try reader.int("amount_fen")), reason: try reader.string("reason"))
        }
    }

    /// The three sides of a run: its payments by state, its ledger entries (source `payroll:<run>`)
    /// by account, and the bank's return lines that settled its payments.
    public func reconciliation(run: Int64, on db: any SQLDatabase) async throws -> PayrollReconciliation {
        var business = PayrollReconciliation.Side(issued: .zero, issuedCount: 0, paid: .zero, paidCount: 0, failed: .zero, failedCount: 0)
        for row in try await db.raw(
            "SELECT q.state, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(q.amount_fen) AS BIGINT) AS total FROM pension_payments q WHERE \(Self.ofRun(run)) GROUP BY q.state"
        ).all() {
            let n = try row.decode(column: "n", as: Int64.self)
            let total = Money(fen: try row.decode(column: "total", as: Int64.self))
            business.issued += total
            business.issuedCount += n
            switch try row.decode(column: "state", as: String.self) {
            case "paid": (business.paid, business.paidCount) = (total, n)
            case "failed": (business.failed, business.failedCount) = (total, n)
            default: break
            }
        }
        var ledger = PayrollReconciliation.Side(issued: .zero, issuedCount: business.issuedCount, paid: .zero, paidCount: business.paidCount,
                                                failed: .zero, failedCount: business.failedCount)
        for row in try await db.raw(
            """
            SELECT a.kind, CAST(COALESCE(SUM(l.debit_fen), 0) AS BIGINT) AS debits, CAST(COALESCE(SUM(l.credit_fen), 0) AS BIGINT) AS credits
            FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id
            WHERE e.source = \(bind: "payroll:\(run)") GROUP BY a.kind
            """
        ).all() {
            let credits = Money(fen: try row.decode(column: "credits", as: Int64.self))
            switch LedgerAccountKind(rawValue: try row.decode(column: "kind", as: String.self)) {
            case .payable: ledger.issued = credits
            case .expenditureDeposit: ledger.paid = credits
            case .benefitExpense: ledger.failed = credits
            default: break
            }
        }
        var bank = PayrollReconciliation.Side(issued: business.issued, issuedCount: business.issuedCount, paid: .zero, paidCount: 0, failed: .zero, failedCount: 0)
        for row in try await db.raw(
            """
            SELECT outcome, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(amount_fen) AS BIGINT) AS total FROM bank_return_lines
            WHERE run_id = \(bind: run) AND outcome IN ('paid', 'failed') GROUP BY outcome
            """
        ).all() {
            let n = try row.decode(column: "n", as: Int64.self)
            let total = Money(fen: try row.decode(column: "total", as: Int64.self))
            if try row.decode(column: "outcome", as: String.self) == "paid" { (bank.paid, bank.paidCount) = (total, n) } else { (bank.failed, bank.failedCount) = (total, n) }
        }
        let paidTwice = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pension_payments q WHERE \(Self.ofRun(run)) AND q.state <> 'failed' AND EXISTS (
                SELECT 1 FROM pension_payments o WHERE o.person_id = q.person_id AND o.period = q.period AND o.kind = q.kind AND o.attempt <> q.attempt
                    AND o.state <> 'failed')
            """
        ).first()?.decode(column: "n", as: Int64.self) ?? 0
        return PayrollReconciliation(business: business, ledger: ledger, bank: bank, paidTwice: paidTwice)
    }

    /// A person's payments, newest first.
    public struct PaymentRecord: Sendable, Hashable {
        public var id: Int64
        public var runID: Int64
        public var period: Period
        public var attempt: Int64
        public var months: Int64
        public var amount: Money
        public var bankCode: String
        public var state: String
        public var reason: String?
        public var kind: String
    }

    /// The payments are keyed month first (0043): the person's are found by one probe of the key
    /// for each month a payroll ran — every payment is of its run's month, or a reissue of an
    /// earlier run's.
    public func payments(of person: Int64, limit: Int, on db: any SQLDatabase) async throws -> [PaymentRecord] {
        try await db.raw(
            """
            SELECT * FROM pension_payments
            WHERE period IN (SELECT DISTINCT r.period FROM batch_runs r WHERE r.kind = \(bind: Self.payrollKind)) AND person_id = \(bind: person)
            ORDER BY period DESC, attempt DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "pension_payments")
            return PaymentRecord(id: try reader.int("id"), runID: try reader.int("run_id"), period: try reader.period("period"),
                                 attempt: try reader.int("attempt"), months: try reader.int("months"), amount: Money(fen: try reader.int("amount_fen")),
                                 bankCode: try reader.string("bank_code"), state: try reader.string("state"), reason: try reader.optionalString("reason"),
                                 kind: try reader.string("kind"))
        }
    }

    // MARK: Death

    /// Stops a pension from the month after death; returns the months paid after that month
    /// (through the last month paid) and what they cost, if any.
    public func stop(person: Int64, diedOn: LocalDate, on db: any SQLDatabase) async throws -> (first: Period, last: Period, amount: Money)? {
        guard let row = try await db.raw(
            """
            SELECT x.monthly_fen, g.paid_through, x.state FROM pensions x JOIN pension_progress g ON g.person_id = x.person_id
            WHERE x.person_id = \(bind: person)\(unsafeRaw: Dialect(db).forUpdate)
            """
        ).first() else { return nil }
        let monthly = try row.decode(column: "monthly_fen", as: Int64.self)
        let paidThrough = try row.decode(column: "paid_through", as: Int64?.self).flatMap { Period(yyyymm: Int($0)) }
        let stop = diedOn.period.next
        try await db.raw(
            """
            UPDATE pensions SET state = 'stopped', died_on = \(bind: diedOn.description), stop_period = \(bind: Int64(stop.yyyymm))
            WHERE person_id = \(bind: person)
            """
        ).run()
        guard let paidThrough, stop <= paidThrough else { return nil }
        let months = Int64(stop.distance(to: paidThrough) + 1)
        return (stop, paidThrough, Money(fen: monthly * months))
    }

    public func raiseOverpayment(person: Int64, region: RegionCode, diedOn: LocalDate, first: Period, last: Period, amount: Money, by actor: AuditActor,
                                 at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO overpayments (person_id, region_code, died_on, first_period, last_period, amount_fen, raised_at, raised_by)
            VALUES (\(bind: person), \(bind: region.value), \(bind: diedOn.description), \(bind: Int64(first.yyyymm)), \(bind: Int64(last.yyyymm)),
                \(bind: amount.fen), \(bind: now.iso8601), \(bind: actor.name))
            """)
    }

    public func overpayments(in scope: RegionCode, id: Int64? = nil, limit: Int = 200, on db: any SQLDatabase) async throws -> [Overpayment] {
        var condition = SQLPieces.scope(scope, column: "o.region_code")
        if let id { condition = "\(condition) AND o.id = \(bind: id)" }
        return try await db.raw(
            """
            SELECT o.*, p.name FROM overpayments o JOIN persons p ON p.id = o.person_id WHERE \(condition) ORDER BY o.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "overpayments")
            return Overpayment(id: try reader.int("id"), personID: try reader.int("person_id"), personName: try reader.string("name"),
                               region: try reader.region("region_code"), diedOn: try reader.date("died_on"), first: try reader.period("first_period"),
                               last: try reader.period("last_period"), amount: Money(fen: try reader.int("amount_fen")),
                               recovered: Money(fen: try reader.int("recovered_fen")))
        }
    }

    public func recordRecovery(_ overpayment: Int64, amount: Money, receivedOn: LocalDate, note: String, by actor: AuditActor, at now: Timestamp,
                               on db: any SQLDatabase) async throws -> Int64 {
        let id = try await db.insertReturningID(
            """
            INSERT INTO overpayment_recoveries (overpayment_id, amount_fen, received_on, note, recorded_at, recorded_by)
            VALUES (\(bind: overpayment), \(bind: amount.fen), \(bind: receivedOn.description), \(bind: note), \(bind: now.iso8601), \(bind: actor.name))
            """)
        try await db.raw("UPDATE overpayments SET recovered_fen = recovered_fen + \(bind: amount.fen) WHERE id = \(bind: overpayment)").run()
        return id
    }
}
