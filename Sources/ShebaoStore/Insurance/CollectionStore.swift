public import SQLKit
public import ShebaoCore

/// A unit's bill for one month and scheme, with what the tax bureau has collected against it.
public struct Bill: Sendable, Hashable {
    public var employerID: Int64
    public var employerName: String
    public var creditCode: String
    public var region: RegionCode
    public var period: Period
    public var scheme: Scheme
    public var runID: Int64
    public var headcount: Int64
    public var base: Money
    public var individual: Money
    public var employer: Money
    public var collected: Money
    public var surcharge: Money

    /// What the unit owes for the month: the individuals' and the unit's parts.
    public var assessed: Money { Money(fen: individual.fen + employer.fen) }
    public var outstanding: Money { Money(fen: max(0, assessed.fen - collected.fen)) }
    public var state: BillState { BillState(assessed: assessed, collected: collected) }
}

/// How far a bill is paid.
public enum BillState: String, Sendable, Hashable, CaseIterable {
    case unpaid
    case partlyPaid = "partly_paid"
    case paid
    case overpaid

    public init(assessed: Money, collected: Money) {
        if collected.fen == 0 && assessed.fen > 0 {
            self = .unpaid
        } else if collected.fen < assessed.fen {
            self = .partlyPaid
        } else if collected.fen == assessed.fen {
            self = .paid
        } else {
            self = .overpaid
        }
    }
}

extension BillState: Labelled { public static let labelPrefix = "bill_state" }

/// Whose bill a payment meets: a unit's, or a person's insured on their own account.
public enum BillHolder: Sendable, Hashable {
    case unit(Int64)
    case person(Int64)

    public var employerID: Int64? {
        if case .unit(let id) = self { id } else { nil }
    }

    public var personID: Int64? {
        if case .person(let id) = self { id } else { nil }
    }
}

/// A person's bill for one month and scheme on their own account (个体工商户、灵活就业人员):
/// their assessment line as approved, with what the tax bureau has collected against it.
public struct OwnBill: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var residentID: ResidentID
    public var region: RegionCode
    public var period: Period
    public var scheme: Scheme
    public var runID: Int64
    public var base: Money
    public var individual: Money
    public var employer: Money
    public var collected: Money
    public var surcharge: Money

    /// Both parts are the person's to pay: the individual's and the one a unit would pay.
    public var assessed: Money { Money(fen: individual.fen + employer.fen) }
    public var outstanding: Money { Money(fen: max(0, assessed.fen - collected.fen)) }
    public var state: BillState { BillState(assessed: assessed, collected: collected) }
}

/// A line of a tax-bureau collection file as stored.
public struct Collection: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case matched
        /// Waiting in the queue: an unknown credit code or resident ID, or no bill for the payer's
        /// month and scheme.
        case unmatched
        /// Sent back to the tax bureau from the queue.
        case returned
    }

    public var id: Int64
    public var fileID: Int64
    public var row: Int64
    public var voucher: String
    public var payer: CollectionPayer
    /// The unit or the person (on their own account) it was matched to.
    public var employerID: Int64?
    public var employerName: String?
    public var personID: Int64?
    public var personName: String?
    public var period: Period
    public var scheme: Scheme
    public var amount: Money
    public var paidOn: LocalDate
    public var headcount: Int64?
    public var state: State
    public var surcharge: Money
    /// Why it waits in the queue, or how it was resolved (a string-table key).
    public var note: String?
    /// The fund its cash came into (nil: a line imported before 0021).
    public var receivedFund: Fund?
}

extension Collection.State: Labelled { public static let labelPrefix = "collection_state" }

/// A collection file as imported.
public struct CollectionFile: Sendable, Hashable {
    public var id: Int64
    public var fileName: String
    public var rowCount: Int64
    public var amount: Money
    public var importedAt: String
    public var importedBy: String
    public var unmatched: Int64
}

/// One group's collection rate: what was collected of what was billed (overpayments not counted).
public struct CollectionRate: Sendable, Hashable {
    /// A scheme, a township code or a unit's id, by the grouping asked for.
    public var key: String
    public var name: String
    public var assessed: Money
    public var collected: Money

    /// Tenths of a per cent, rounded half-up; nil when nothing was billed.
    public var perMille: Int64? {
        guard assessed.fen > 0 else { return nil }
        return (collected.fen * 2000 + assessed.fen) / (assessed.fen * 2)
    }
}

/// A unit whose tax-bureau headcount differs from its enrolled headcount.
public struct HeadcountDifference: Sendable, Hashable {
    public var employerID: Int64
    public var employerName: String
    public var period: Period
    public var scheme: Scheme
    public var taxHeadcount: Int64
    public var enrolled: Int64
}

/// A person enrolled through a unit whose unit has not paid for them for some months.
public struct DropOut: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var employerID: Int64?
    public var employerName: String?
    /// The last month paid; nil: never.
    public var lastPaid: Period?
}

/// Bills, collections and paid months, each inside the caller's transaction.
public struct CollectionStore: Sendable {
    public init() {}

    // MARK: Bills

    /// Writes the bills of an approved assessment run from its chunks' shares: one per unit,
    /// month and scheme (the self-employed pay on their own and are not billed to a unit). A bill
    /// that exists already is kept.
    public func writeBills(run runID: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO bills (employer_id, period, scheme, run_id, region_code, headcount, base_fen, individual_fen, employer_fen)
            SELECT p.employer_id, p.period, p.scheme, \(bind: runID), u.region_code, CAST(SUM(p.headcount) AS BIGINT),
                CAST(SUM(p.base_fen) AS BIGINT), CAST(SUM(p.individual_fen) AS BIGINT), CAST(SUM(p.employer_fen) AS BIGINT)
            FROM bill_parts p JOIN employers u ON u.id = p.employer_id
            WHERE p.run_id = \(bind: runID)
            GROUP BY p.employer_id, p.period, p.scheme, u.region_code
            ON CONFLICT (employer_id, period, scheme) DO NOTHING
            """
        ).run()
    }

    /// Writes the own-account bills of an approved assessment run: each line of a person insured
    /// on their own account, found chunk by chunk through the enrolments' covering index (the
    /// persons on their own account are few; the run's lines are read by key, never scanned). A
    /// bill that exists already is kept.
    public func writeOwnBills(run runID: Int64, chunks: [AssessmentChunk], on db: any SQLDatabase) async throws {
        for chunk in chunks {
            for scheme in Scheme.allCases {
                try await db.raw(
                    """
                    INSERT INTO own_bills (person_id, period, scheme, run_id, region_code, base_fen, individual_fen, employer_fen, account_credit_fen,
                        employer_transfer_fen)
                    SELECT l.person_id, l.period, l.scheme, \(bind: runID), e.region_code, l.base_fen, l.individual_fen, l.employer_fen,
                        l.account_credit_fen, l.employer_transfer_fen
                    FROM \(InsuranceStore.ownAccountLines(run: runID, chunk: chunk, scheme: scheme))
                    ON CONFLICT (person_id, period, scheme) DO NOTHING
                    """
                ).run()
            }
        }
    }

    /// A run's bills per fund (pension by the unit's ownership; a person on their own account
    /// pays into the enterprise employees' fund), for its ledger entry.
    public func billedByFund(run runID: Int64, on db: any SQLDatabase) async throws -> [Fund: Money] {
        var totals: [Fund: Money] = [:]
        for row in try await db.raw(
            """
            SELECT b.scheme, u.ownership_type, CAST(SUM(b.individual_fen + b.employer_fen) AS BIGINT) AS amount
            FROM bills b JOIN employers u ON u.id = b.employer_id WHERE b.run_id = \(bind: runID) GROUP BY b.scheme, u.ownership_type
            """
        ).all() {
            let reader = try RowReader(row, table: "bills")
            let fund = Fund.collecting(try reader.value("scheme", as: Scheme.self), ownership: OwnershipType(rawValue: try reader.string("ownership_type")))
            totals[fund, default: .zero] = Money(fen: totals[fund, default: .zero].fen + (try reader.int("amount")))
        }
        for row in try await db.raw(
            "SELECT scheme, CAST(SUM(individual_fen + employer_fen) AS BIGINT) AS amount FROM own_bills WHERE run_id = \(bind: runID) GROUP BY scheme"
        ).all() {
            let reader = try RowReader(row, table: "own_bills")
            let fund = Fund.collecting(try reader.value("scheme", as: Scheme.self), ownership: nil)
            totals[fund, default: .zero] = Money(fen: totals[fund, default: .zero].fen + (try reader.int("amount")))
        }
        return totals
    }

    /// Which bills a list shows: of one unit (any months), or of a month in a scope; all, or only
    /// those not paid in full.
    public struct BillFilter: Sendable, Hashable {
        public var employer: Int64?
        public var period: Period?
        public var scheme: Scheme?
        public var scope: RegionCode
        public var unpaidOnly: Bool

        public init(employer: Int64? = nil, period: Period? = nil, scheme: Scheme? = nil, in scope: RegionCode, unpaidOnly: Bool = false) {
            self.employer = employer
            self.period = period
            self.scheme = scheme
            self.scope = scope
            self.unpaidOnly = unpaidOnly
        }
    }

    /// What the bills a filter selects add up to, for a list's foot and its pager.
    public struct BillSummary: Sendable, Hashable {
        public var count: Int
        public var assessed: Money
        public var collected: Money
        public var outstanding: Money
    }

    /// Bills with what was collected against them, newest month first, `limit` from `offset`.
    public func bills(_ filter: BillFilter, limit: Int = 500, offset: Int = 0, on db: any SQLDatabase) async throws -> [Bill] {
        try await db.raw(
            """
            SELECT * FROM (\(Self.collected(filter))) x \(Self.outstanding(filter))
            ORDER BY x.period DESC, x.name, x.employer_id, x.scheme LIMIT \(literal: limit) OFFSET \(literal: offset)
            """
        ).all().map(Self.bill)
    }

    /// How many bills a filter selects and what they add up to (collections over a bill count
    /// up to the bill: overpayment is not collection of another bill).
    public func summary(_ filter: BillFilter, on db: any SQLDatabase) async throws -> BillSummary {
        let row = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(x.individual_fen + x.employer_fen), 0) AS BIGINT) AS assessed,
                CAST(COALESCE(SUM(x.collected), 0) AS BIGINT) AS collected,
                CAST(COALESCE(SUM(CASE WHEN x.individual_fen + x.employer_fen > x.collected THEN x.individual_fen + x.employer_fen - x.collected
                    ELSE 0 END), 0) AS BIGINT) AS outstanding
            FROM (\(Self.collected(filter))) x \(Self.outstanding(filter))
            """
        ).first()
        guard let row else { return BillSummary(count: 0, assessed: .zero, collected: .zero, outstanding: .zero) }
        let reader = try RowReader(row, table: "bills")
        return BillSummary(count: Int(try reader.int("n")), assessed: Money(fen: try reader.int("assessed")),
                           collected: Money(fen: try reader.int("collected")), outstanding: Money(fen: try reader.int("outstanding")))
    }

    /// The bills a filter selects, each with what was collected against it and the surcharge paid.
    static func collected(_ filter: BillFilter) -> SQLQueryString {
        var conditions: [SQLQueryString] = [SQLPieces.scope(filter.scope, column: "b.region_code")]
        if let employer = filter.employer { conditions.append("b.employer_id = \(bind: employer)") }
        if let period = filter.period { conditions.append("b.period = \(bind: Int64(period.yyyymm))") }
        if let scheme = filter.scheme { conditions.append("b.scheme = \(bind: scheme.rawValue)") }
        return """
            SELECT b.employer_id, u.name, u.credit_code, b.region_code, b.period, b.scheme, b.run_id, b.headcount, b.base_fen, b.individual_fen,
                b.employer_fen,
                CAST(COALESCE((SELECT SUM(c.amount_fen) FROM collections c WHERE c.employer_id = b.employer_id AND c.period = b.period
                    AND c.scheme = b.scheme AND c.state = 'matched'), 0) AS BIGINT) AS collected,
                CAST(COALESCE((SELECT SUM(c.surcharge_fen) FROM collections c WHERE c.employer_id = b.employer_id AND c.period = b.period
                    AND c.scheme = b.scheme AND c.state = 'matched'), 0) AS BIGINT) AS surcharge
            FROM bills b JOIN employers u ON u.id = b.employer_id
            WHERE \(conditions.joined(separator: " AND "))
            """
    }

    /// The month and the amount outstanding of every open bill a filter selects (for the
    /// surcharge owed on all of them, which is rounded bill by bill).
    public func outstanding(_ filter: BillFilter, on db: any SQLDatabase) async throws -> [(period: Period, amount: Money)] {
        var open = filter
        open.unpaidOnly = true
        return try await db.raw(
            """
            SELECT x.period, CAST(x.individual_fen + x.employer_fen - x.collected AS BIGINT) AS outstanding
            FROM (\(Self.collected(open))) x \(Self.outstanding(open))
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "bills")
            return (try reader.period("period"), Money(fen: try reader.int("outstanding")))
        }
    }

    static func outstanding(_ filter: BillFilter) -> SQLQueryString {
        filter.unpaidOnly ? "WHERE x.individual_fen + x.employer_fen > x.collected" : ""
    }

    /// The latest month billed in `scope` (of one unit when given).
    public func latestPeriod(in scope: RegionCode, employer: Int64? = nil, on db: any SQLDatabase) async throws -> Period? {
        let unit: SQLQueryString = employer.map { "AND employer_id = \(bind: $0)" } ?? ""
        let row = try await db.raw("SELECT MAX(period) AS p FROM bills WHERE \(SQLPieces.scope(scope, column: "region_code")) \(unit)").first()
        return try row?.decode(column: "p", as: Int64?.self).flatMap { Period(yyyymm: Int($0)) }
    }

    public func bill(employer: Int64, period: Period, scheme: Scheme, on db: any SQLDatabase) async throws -> Bill? {
        try await bills(BillFilter(employer: employer, period: period, scheme: scheme, in: .nation), limit: 1, on: db).first
    }

    static func bill(_ row: any SQLRow) throws -> Bill {
        let reader = try RowReader(row, table: "bills")
        return Bill(
            employerID: try reader.int("employer_id"), employerName: try reader.string("name"), creditCode: try reader.string("credit_code"),
            region: try reader.region("region_code"), period: try reader.period("period"), scheme: try reader.value("scheme", as: Scheme.self),
            runID: try reader.int("run_id"), headcount: try reader.int("headcount"), base: Money(fen: try reader.int("base_fen")),
            individual: Money(fen: try reader.int("individual_fen")), employer: Money(fen: try reader.int("employer_fen")),
            collected: Money(fen: try reader.int("collected")), surcharge: Money(fen: try reader.int("surcharge")))
    }

    /// The persons of a unit's month as assessed (for the bill page), in fen per scheme.
    public func billLines(employer: Int64, period: Period, on db: any SQLDatabase) async throws -> [(personID: Int64, name: String, scheme: Scheme, line: AssessmentLine)] {
        try await db.raw(
            """
            SELECT l.person_id, p.name, l.scheme, l.base_fen, l.individual_fen, l.employer_fen, l.account_credit_fen, l.employer_transfer_fen
            FROM bills b JOIN assessment_lines l ON l.run_id = b.run_id AND l.employer_id = b.employer_id AND l.scheme = b.scheme
                JOIN persons p ON p.id = l.person_id
            WHERE b.employer_id = \(bind: employer) AND b.period = \(bind: Int64(period.yyyymm))
            ORDER BY p.name, l.person_id, l.scheme
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "assessment_lines")
            return (try reader.int("person_id"), try reader.string("name"), try reader.value("scheme", as: Scheme.self),
                    AssessmentLine(base: try reader.int("base_fen"), individual: try reader.int("individual_fen"), employer: try reader.int("employer_fen"),
                                   accountCredit: try reader.int("account_credit_fen"), employerTransfer: try reader.int("employer_transfer_fen")))
        }
    }

    // MARK: Own-account bills

    /// A person's own-account bills, newest month first; of one month and scheme when given.
    public func ownBills(person: Int64, period: Period? = nil, scheme: Scheme? = nil, limit: Int = 240, on db: any SQLDatabase) async throws -> [OwnBill] {
        var conditions: [SQLQueryString] = ["o.person_id = \(bind: person)"]
        if let period { conditions.append("o.period = \(bind: Int64(period.yyyymm))") }
        if let scheme { conditions.append("o.scheme = \(bind: scheme.rawValue)") }
        return try await ownBills(where: conditions.joined(separator: " AND "), limit: limit, on: db)
    }

    /// Every own-account bill of a month in `scope` (the demo's tax bureau reads them).
    public func ownBills(period: Period, in scope: RegionCode, on db: any SQLDatabase) async throws -> [OwnBill] {
        try await ownBills(where: "o.period = \(bind: Int64(period.yyyymm)) AND \(SQLPieces.scope(scope, column: "o.region_code"))", limit: 10_000_000, on: db)
    }

    private func ownBills(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [OwnBill] {
        try await db.raw(
            """
            SELECT o.person_id, p.name, p.resident_id, o.region_code, o.period, o.scheme, o.run_id, o.base_fen, o.individual_fen, o.employer_fen,
                CAST(COALESCE((SELECT SUM(c.amount_fen) FROM collections c WHERE c.person_id = o.person_id AND c.period = o.period
                    AND c.scheme = o.scheme AND c.state = 'matched'), 0) AS BIGINT) AS collected,
                CAST(COALESCE((SELECT SUM(c.surcharge_fen) FROM collections c WHERE c.person_id = o.person_id AND c.period = o.period
                    AND c.scheme = o.scheme AND c.state = 'matched'), 0) AS BIGINT) AS surcharge
            FROM own_bills o JOIN persons p ON p.id = o.person_id
            WHERE \(condition) ORDER BY o.period DESC, o.person_id, o.scheme LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "own_bills")
            return OwnBill(
                personID: try reader.int("person_id"), name: try reader.string("name"), residentID: try reader.residentID("resident_id"),
                region: try reader.region("region_code"), period: try reader.period("period"), scheme: try reader.value("scheme", as: Scheme.self),
                runID: try reader.int("run_id"), base: Money(fen: try reader.int("base_fen")), individual: Money(fen: try reader.int("individual_fen")),
                employer: Money(fen: try reader.int("employer_fen")), collected: Money(fen: try reader.int("collected")),
                surcharge: Money(fen: try reader.int("surcharge")))
        }
    }

    /// What `holder` still owes for a month and scheme; nil when nothing was billed.
    public func owed(by holder: BillHolder, period: Period, scheme: Scheme, on db: any SQLDatabase) async throws -> Money? {
        switch holder {
        case .unit(let id): try await bill(employer: id, period: period, scheme: scheme, on: db)?.outstanding
        case .person(let id): try await ownBills(person: id, period: period, scheme: scheme, limit: 1, on: db).first?.outstanding
        }
    }

    // MARK: Collections

    /// The ids of the units with these credit codes.
    public func employers(withCodes codes: [String], on db: any SQLDatabase) async throws -> [String: (id: Int64, ownership: OwnershipType?)] {
        var found: [String: (id: Int64, ownership: OwnershipType?)] = [:]
        for part in Array(Set(codes)).chunked(into: 500) {
            for row in try await db.raw("SELECT id, credit_code, ownership_type FROM employers WHERE credit_code IN (\(binds: Array(part)))").all() {
                let reader = try RowReader(row, table: "employers")
                found[try reader.string("credit_code")] = (try reader.int("id"), OwnershipType(rawValue: try reader.string("ownership_type")))
            }
        }
        return found
    }

    /// Vouchers among `vouchers` imported before.
    public func knownVouchers(_ vouchers: [String], on db: any SQLDatabase) async throws -> Set<String> {
        var known: Set<String> = []
        for part in vouchers.chunked(into: 500) {
            for row in try await db.raw("SELECT voucher FROM collections WHERE voucher IN (\(binds: Array(part)))").all() {
                known.insert(try row.decode(column: "voucher", as: String.self))
            }
        }
        return known
    }

    /// The file imported earlier with the same content, if any.
    public func file(sha256: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM collection_files WHERE sha256 = \(bind: sha256)").first()?.decode(column: "id", as: Int64.self)
    }

    public func createFile(name: String, sha256: String, region: RegionCode, rows: Int, amount: Money, by actor: AuditActor, at now: Timestamp,
                           on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO collection_files (file_name, sha256, region_code, row_count, amount_fen, imported_at, imported_by)
            VALUES (\(bind: name), \(bind: sha256), \(bind: region.value), \(bind: Int64(rows)), \(bind: amount.fen), \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("collection_files") }
        return id
    }

    /// Stores one line as matched to `holder`'s bill or waiting (no holder), its cash received
    /// into `fund`; returns its id.
    public func insert(_ line: CollectionLine, file: Int64, holder: BillHolder?, fund: Fund, state: Collection.State, surcharge: Money, note: String?,
                       on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            INSERT INTO collections (file_id, row_number, voucher, credit_code, resident_id, employer_id, person_id, period, scheme, amount_fen,
                paid_on, headcount, state, surcharge_fen, note, received_fund)
            VALUES (\(bind: file), \(bind: Int64(line.row)), \(bind: line.voucher), \(bind: line.payer.creditCode), \(bind: line.payer.residentID?.value),
                \(bind: holder?.employerID), \(bind: holder?.personID), \(bind: Int64(line.period.yyyymm)), \(bind: line.scheme.rawValue),
                \(bind: line.amount.fen), \(bind: line.paidOn.description), \(bind: line.headcount), \(bind: state.rawValue), \(bind: surcharge.fen),
                \(bind: note), \(bind: fund.rawValue))
            RETURNING id
            """
        ).first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound("collections") }
        return id
    }

    /// Settles a waiting line: matched to a bill's holder (with its surcharge), or returned (no holder).
    public func resolve(_ id: Int64, holder: BillHolder?, state: Collection.State, surcharge: Money, note: String, by actor: AuditActor,
                        at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE collections SET employer_id = \(bind: holder?.employerID), person_id = \(bind: holder?.personID), state = \(bind: state.rawValue),
                surcharge_fen = \(bind: surcharge.fen), note = \(bind: note), resolved_by = \(bind: actor.name), resolved_at = \(bind: now.iso8601)
            WHERE id = \(bind: id) AND state = 'unmatched'
            """
        ).run()
    }

    /// One line; with `dialect`, its row locked for the rest of the transaction first (the lock
    /// is taken alone: PostgreSQL does not lock through the outer join that names the unit).
    public func collection(_ id: Int64, lockingFor dialect: Dialect? = nil, on db: any SQLDatabase) async throws -> Collection? {
        if let dialect { try await db.raw("SELECT id FROM collections WHERE id = \(bind: id) \(unsafeRaw: dialect.forUpdate)").run() }
        return try await collections(where: "c.id = \(bind: id)", limit: 1, on: db).first
    }

    /// The queue: lines waiting, oldest first.
    public func unmatched(limit: Int = 200, on db: any SQLDatabase) async throws -> [Collection] {
        try await collections(where: "c.state = 'unmatched'", limit: limit, on: db)
    }

    public func collections(ofFile file: Int64, on db: any SQLDatabase) async throws -> [Collection] {
        try await collections(where: "c.file_id = \(bind: file)", limit: 100_000, on: db)
    }

    public func collections(employer: Int64, period: Period, on db: any SQLDatabase) async throws -> [Collection] {
        try await collections(where: "c.employer_id = \(bind: employer) AND c.period = \(bind: Int64(period.yyyymm))", limit: 1_000, on: db)
    }

    private func collections(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [Collection] {
        try await db.raw(
            """
            SELECT c.id, c.file_id, c.row_number, c.voucher, c.credit_code, c.resident_id, c.employer_id, u.name AS employer_name, c.person_id,
                p.name AS person_name, c.period, c.scheme, c.amount_fen, c.paid_on, c.headcount, c.state, c.surcharge_fen, c.note, c.received_fund
            FROM collections c LEFT JOIN employers u ON u.id = c.employer_id LEFT JOIN persons p ON p.id = c.person_id
            WHERE \(condition) ORDER BY c.id LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "collections")
            let payer: CollectionPayer
            if let code = try reader.optionalString("credit_code") {
                payer = .unit(creditCode: code)
            } else {
                payer = .person(try reader.residentID("resident_id"))
            }
            return Collection(
                id: try reader.int("id"), fileID: try reader.int("file_id"), row: try reader.int("row_number"), voucher: try reader.string("voucher"),
                payer: payer, employerID: try reader.optionalInt("employer_id"), employerName: try reader.optionalString("employer_name"),
                personID: try reader.optionalInt("person_id"), personName: try reader.optionalString("person_name"), period: try reader.period("period"),
                scheme: try reader.value("scheme", as: Scheme.self), amount: Money(fen: try reader.int("amount_fen")), paidOn: try reader.date("paid_on"),
                headcount: try reader.optionalInt("headcount"), state: try reader.value("state", as: Collection.State.self),
                surcharge: Money(fen: try reader.int("surcharge_fen")), note: try reader.optionalString("note"),
                receivedFund: try reader.optionalString("received_fund").flatMap(Fund.init(rawValue:)))
        }
    }

    public func files(limit: Int = 20, in scope: RegionCode, on db: any SQLDatabase) async throws -> [CollectionFile] {
        try await db.raw(
            """
            SELECT f.id, f.file_name, f.row_count, f.amount_fen, f.imported_at, f.imported_by,
                CAST((SELECT COUNT(*) FROM collections c WHERE c.file_id = f.id AND c.state = 'unmatched') AS BIGINT) AS unmatched
            FROM collection_files f WHERE \(SQLPieces.scope(scope, column: "f.region_code")) ORDER BY f.id DESC LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "collection_files")
            return CollectionFile(id: try reader.int("id"), fileName: try reader.string("file_name"), rowCount: try reader.int("row_count"),
                                  amount: Money(fen: try reader.int("amount_fen")), importedAt: try reader.string("imported_at"),
                                  importedBy: try reader.string("imported_by"), unmatched: try reader.int("unmatched"))
        }
    }

    // MARK: Paid months

    /// Credits the months of a bill paid in full: each assessed person's contribution month and
    /// account credit, on `creditedOn`. A month credited before is kept (a rerun adds nothing).
    public func creditPaidMonths(_ holder: BillHolder, period: Period, scheme: Scheme, creditedOn: LocalDate, on db: any SQLDatabase) async throws {
        let source: SQLQueryString
        switch holder {
        case .unit(let id):
            source = """
                SELECT l.person_id, l.scheme, l.period, l.employer_id, l.base_fen, l.individual_fen, l.account_credit_fen, l.employer_transfer_fen
                FROM bills b JOIN assessment_lines l ON l.run_id = b.run_id AND l.employer_id = b.employer_id AND l.scheme = b.scheme
                WHERE b.employer_id = \(bind: id) AND b.period = \(bind: Int64(period.yyyymm)) AND b.scheme = \(bind: scheme.rawValue)
                """
        case .person(let id):
            source = """
                SELECT person_id, scheme, period, CAST(NULL AS BIGINT), base_fen, individual_fen, account_credit_fen, employer_transfer_fen FROM own_bills
                WHERE person_id = \(bind: id) AND period = \(bind: Int64(period.yyyymm)) AND scheme = \(bind: scheme.rawValue)
                """
        }
        try await db.raw(
            """
            INSERT INTO paid_months (person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen, employer_transfer_fen, credited_on)
            SELECT x.*, \(bind: creditedOn.description) FROM (\(source)) x WHERE 1 = 1
            ON CONFLICT (person_id, scheme, period) DO NOTHING
            """
        ).run()
    }

    /// The medical account credits of a holder's month (what moves to the account fund when it is paid).
    public func accountCredits(_ holder: BillHolder, period: Period, scheme: Scheme, on db: any SQLDatabase) async throws -> Money {
        let whose: SQLQueryString = switch holder {
        case .unit(let id): "employer_id = \(bind: id)"
        case .person(let id): "person_id = \(bind: id) AND employer_id IS NULL"
        }
        return Money(fen: try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(account_credit_fen), 0) AS BIGINT) AS n FROM paid_months
            WHERE \(whose) AND period = \(bind: Int64(period.yyyymm)) AND scheme = \(bind: scheme.rawValue)
            """
        ).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    // MARK: Figures

    public enum RateGrouping: String, Sendable, CaseIterable {
        case scheme, township, unit
    }

    /// Collected of billed for `period` in `scope`, grouped; a unit's overpayment does not raise the
    /// rate. By scheme and township the persons on their own account count too; by unit, not.
    public func rates(period: Period, by grouping: RateGrouping, in scope: RegionCode, limit: Int = 200, on db: any SQLDatabase) async throws -> [CollectionRate] {
        let key: String
        let name: String
        switch grouping {
        case .scheme: (key, name) = ("x.scheme", "x.scheme")
        // A unit's code is its village's or community's; its township is the first nine digits.
        case .township: (key, name) = ("x.township", "x.township")
        case .unit: (key, name) = ("CAST(x.employer_id AS TEXT)", "MAX(x.name)")
        }
        return try await db.raw(
            """
            SELECT \(unsafeRaw: key) AS k, \(unsafeRaw: name) AS label, CAST(SUM(x.assessed) AS BIGINT) AS assessed,
                CAST(SUM(CASE WHEN x.collected > x.assessed THEN x.assessed ELSE x.collected END) AS BIGINT) AS collected
            FROM (
                SELECT b.employer_id, u.name, substr(b.region_code, 1, 9) || '000' AS township, b.scheme, b.individual_fen + b.employer_fen AS assessed,
                    COALESCE((SELECT SUM(c.amount_fen) FROM collections c WHERE c.employer_id = b.employer_id AND c.period = b.period
                        AND c.scheme = b.scheme AND c.state = 'matched'), 0) AS collected
                FROM bills b JOIN employers u ON u.id = b.employer_id
                WHERE b.period = \(bind: Int64(period.yyyymm)) AND \(SQLPieces.scope(scope, column: "b.region_code"))
                \(grouping == .unit ? "" : Self.ownBillRates(period: period, in: scope))
            ) x
            GROUP BY \(unsafeRaw: key)
            ORDER BY \(unsafeRaw: grouping == .unit ? "SUM(CASE WHEN x.collected > x.assessed THEN x.assessed ELSE x.collected END) * 1.0 / NULLIF(SUM(x.assessed), 0), MAX(x.name)" : "k")
            LIMIT \(literal: limit)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "bills")
            return CollectionRate(key: try reader.string("k"), name: try reader.string("label"), assessed: Money(fen: try reader.int("assessed")),
                                  collected: Money(fen: try reader.int("collected")))
        }
    }

    /// The own-account bills of a month as rows of the rates' subquery: a scheme's and a
    /// township's rate count the persons who pay for themselves too.
    static func ownBillRates(period: Period, in scope: RegionCode) -> SQLQueryString {
        """
        UNION ALL
        SELECT CAST(NULL AS BIGINT), p.name, substr(o.region_code, 1, 9) || '000', o.scheme, o.individual_fen + o.employer_fen,
            COALESCE((SELECT SUM(c.amount_fen) FROM collections c WHERE c.person_id = o.person_id AND c.period = o.period
                AND c.scheme = o.scheme AND c.state = 'matched'), 0)
        FROM own_bills o JOIN persons p ON p.id = o.person_id
        WHERE o.period = \(bind: Int64(period.yyyymm)) AND \(SQLPieces.scope(scope, column: "o.region_code"))
        """
    }

    /// Units whose tax-bureau headcount (the latest line that gave one) differs from the persons
    /// enrolled with them in that month and scheme.
    public func headcountDifferences(period: Period, in scope: RegionCode, on db: any SQLDatabase) async throws -> [HeadcountDifference] {
        let month = Int64(period.yyyymm)
        return try await db.raw(
            """
            SELECT * FROM (
                SELECT t.employer_id, u.name, t.scheme, t.headcount AS tax,
                    CAST((SELECT COUNT(DISTINCT e.person_id) FROM enrolments e WHERE e.employer_id = t.employer_id AND e.scheme = t.scheme
                        AND e.start_period <= \(bind: month) AND (e.end_period IS NULL OR e.end_period >= \(bind: month))) AS BIGINT) AS enrolled
                FROM collections t JOIN employers u ON u.id = t.employer_id
                WHERE t.period = \(bind: month) AND t.headcount IS NOT NULL AND t.state = 'matched'
                    AND \(SQLPieces.scope(scope, column: "u.region_code"))
                    AND t.id = (SELECT MAX(c.id) FROM collections c WHERE c.employer_id = t.employer_id AND c.period = t.period
                        AND c.scheme = t.scheme AND c.headcount IS NOT NULL AND c.state = 'matched')
            ) x WHERE x.tax <> x.enrolled ORDER BY x.name, x.scheme LIMIT 500
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "collections")
            return HeadcountDifference(employerID: try reader.int("employer_id"), employerName: try reader.string("name"), period: period,
                                       scheme: try reader.value("scheme", as: Scheme.self), taxHeadcount: try reader.int("tax"), enrolled: try reader.int("enrolled"))
        }
    }

    /// Persons enrolled through a unit in pension in `period` (for three months at least) whose
    /// last paid pension month is before `period` − 2: the "边扩面、边脱保" list, `limit` from `offset`.
    public func dropOuts(period: Period, months: Int = 3, in scope: RegionCode, limit: Int = 500, offset: Int = 0,
                         on db: any SQLDatabase) async throws -> [DropOut] {
        try await db.raw(
            """
            SELECT e.person_id, p.name, e.employer_id, u.name AS employer_name,
                (SELECT MAX(m.period) FROM paid_months m WHERE m.person_id = e.person_id AND m.scheme = 'pension') AS last_paid
            FROM enrolments e JOIN persons p ON p.id = e.person_id LEFT JOIN employers u ON u.id = e.employer_id
            WHERE \(Self.droppingOut(period: period, months: months, in: scope))
            ORDER BY u.name, p.name, e.person_id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "enrolments")
            return DropOut(personID: try reader.int("person_id"), name: try reader.string("name"), employerID: try reader.optionalInt("employer_id"),
                           employerName: try reader.optionalString("employer_name"),
                           lastPaid: try reader.optionalInt("last_paid").flatMap { Period(yyyymm: Int($0)) })
        }
    }

    /// How many persons the drop-out list of `period` holds.
    public func dropOutCount(period: Period, months: Int = 3, in scope: RegionCode, on db: any SQLDatabase) async throws -> Int {
        try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM enrolments e WHERE \(Self.droppingOut(period: period, months: months, in: scope))")
    }

    static func droppingOut(period: Period, months: Int, in scope: RegionCode) -> SQLQueryString {
        let month = Int64(period.yyyymm)
        let since = Int64(period.advanced(by: -(months - 1)).yyyymm)
        return """
            e.scheme = 'pension' AND e.payer_type = 'employee' AND \(SQLPieces.scope(scope, column: "e.region_code"))
                AND e.start_period <= \(bind: since) AND (e.end_period IS NULL OR e.end_period >= \(bind: month))
                AND NOT EXISTS (SELECT 1 FROM paid_months m WHERE m.person_id = e.person_id AND m.scheme = 'pension'
                    AND m.period BETWEEN \(bind: since) AND \(bind: month))
            """
    }

    /// Pension enrolments started and stopped in `period` in `scope`.
    public func enrolmentChanges(period: Period, in scope: RegionCode, on db: any SQLDatabase) async throws -> (started: Int, stopped: Int) {
        let month = Int64(period.yyyymm)
        let started = try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM enrolments
            WHERE scheme = 'pension' AND start_period = \(bind: month) AND \(SQLPieces.scope(scope, column: "region_code"))
            """)
        let stopped = try await SQLPieces.count(db, """
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM enrolments
            WHERE scheme = 'pension' AND end_period = \(bind: month) AND \(SQLPieces.scope(scope, column: "region_code"))
            """)
        return (started, stopped)
    }
}

extension Fund {
    /// The fund a scheme's contributions go to: pension by the unit's kind (institutions have
    /// their own pension fund), medical to the pooled fund (the account part moves on when paid).
    public static func collecting(_ scheme: Scheme, ownership: OwnershipType?) -> Fund {
        switch scheme {
        case .pension: ownership == .publicInstitution ? .institutionPension : .enterprisePension
        case .medical: .medicalPooled
        case .unemployment: .unemployment
        case .workInjury: .workInjury
        case .maternity: .maternity
        }
    }
}
