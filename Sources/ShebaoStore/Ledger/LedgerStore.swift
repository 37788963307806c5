public import SQLKit
public import ShebaoCore

/// A posted entry with its lines.
public struct LedgerEntry: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var region: RegionCode
    public var fund: Fund
    public var occurredOn: LocalDate
    public var memo: String
    public var source: String
    /// The entry this one reverses.
    public var reverses: Int64?
    /// The entry that reversed this one.
    public var reversedBy: Int64?
    public var recordedAt: String
    public var recordedBy: String
    public var lines: [LedgerLine]

    /// What the entry moves: its debits (equal to its credits).
    public var amount: Money { Money(fen: lines.reduce(Int64(0)) { $0 + $1.debit.fen }) }
}

/// One account's position.
public struct LedgerBalance: Sendable, Hashable {
    public var fund: Fund
    public var account: LedgerAccountKind
    public var debits: Money
    public var credits: Money

    /// Debits less credits for debit-normal accounts, the other way round for the rest.
    public var balance: Money {
        Money(fen: account.isDebitNormal ? debits.fen - credits.fen : credits.fen - debits.fen)
    }
}

/// What `shebao ledger verify` found.
public struct LedgerVerification: Sendable {
    public var entries: Int
    public var lines: Int
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}

/// The fund ledger in SQL: accounts, entries and lines, each inside the caller's transaction.
public struct LedgerStore: Sendable {
    public init() {}

    /// Entries: an append-only table with idempotency keys and single reversals. The lines'
    /// canonical text is one of its values, so a key reused with other lines is refused.
    public static let entries = AppendOnlyTable(name: "ledger_entries", columns: [
        .init("region_code", "TEXT NOT NULL"),
        .init("fund", "TEXT NOT NULL"),
        .init("occurred_on", "TEXT NOT NULL"),
        .init("memo", "TEXT NOT NULL"),
        .init("source", "TEXT NOT NULL"),
        .init("lines", "TEXT NOT NULL"),
    ])

    /// The idempotency key of a fund's opening balance: one per fund and region, however entered.
    public static func openingKey(region: RegionCode, fund: Fund) -> String { "opening:\(region.value):\(fund.rawValue)" }

    // MARK: Accounts

    /// Creates the accounts of every fund for `region` that do not exist yet.
    public func openAccounts(for region: RegionCode, on db: any SQLDatabase) async throws {
        let existing = Set(try await db.raw("SELECT fund, kind FROM ledger_accounts WHERE region_code = \(bind: region.value)").all().map {
            "\(try $0.decode(column: "fund", as: String.self))/\(try $0.decode(column: "kind", as: String.self))"
        })
        let missing = Fund.allCases.flatMap { fund in LedgerAccountKind.allCases.map { (fund, $0) } }.filter { !existing.contains("\($0.0.rawValue)/\($0.1.rawValue)") }
        guard !missing.isEmpty else { return }
        let insert = db.insert(into: "ledger_accounts").columns("region_code", "fund", "kind")
        for (fund, kind) in missing { insert.values([SQLBind(region.value), SQLBind(fund.rawValue), SQLBind(kind.rawValue)]) }
        try await insert.run()
    }

    private func accountIDs(region: RegionCode, fund: Fund, on db: any SQLDatabase) async throws -> [LedgerAccountKind: Int64] {
        var ids: [LedgerAccountKind: Int64] = [:]
        for row in try await db.raw(
            "SELECT id, kind FROM ledger_accounts WHERE region_code = \(bind: region.value) AND fund = \(bind: fund.rawValue)"
        ).all() {
            if let kind = LedgerAccountKind(rawValue: try row.decode(column: "kind", as: String.self)) { ids[kind] = try row.decode(column: "id", as: Int64.self) }
        }
        return ids
    }

    // MARK: Posting

    /// Posts a checked draft under `key`: the same key with the same entry returns the original;
    /// with anything different it is refused (``AppendOnlyTable/Refusal/keyReused(_:)``).
    public func post(_ draft: LedgerEntryDraft, region: RegionCode, key: String, by actor: AuditActor, at now: Timestamp,
                     on db: any SQLDatabase) async throws -> AppendOnlyTable.Outcome {
        if let refusal = draft.refusal() { throw refusal }
        let outcome = try await Self.entries.append(key: key, values: [
            "region_code": .text(region.value), "fund": .text(draft.fund.rawValue), "occurred_on": .text(draft.occurredOn.description),
            "memo": .text(draft.memo), "source": .text(draft.source), "lines": .text(draft.canonicalLines),
        ], by: actor, at: now, on: db)
        if case .created(let id) = outcome { try await insertLines(draft.lines, entry: id, region: region, fund: draft.fund, on: db) }
        return outcome
    }

    /// Reverses entry `id` under `key`: a new entry with every line's debit and credit swapped,
    /// pointing at the original. Once per entry; a retry with the same key returns the reversal.
    public func reverse(_ id: Int64, key: String, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> AppendOnlyTable.Outcome {
        guard let original = try await entry(id: id, on: db) else { throw AppendOnlyTable.Refusal.notFound(id) }
        let outcome = try await Self.entries.reverse(id, key: key, by: actor, at: now, on: db)
        if case .created(let reversal) = outcome {
            let swapped = original.lines.map { LedgerLine($0.account, debit: $0.credit, credit: $0.debit) }
            try await insertLines(swapped, entry: reversal, region: original.region, fund: original.fund, on: db)
        }
        return outcome
    }

    private func insertLines(_ lines: [LedgerLine], entry: Int64, region: RegionCode, fund: Fund, on db: any SQLDatabase) async throws {
        var ids = try await accountIDs(region: region, fund: fund, on: db)
        if ids.count < LedgerAccountKind.allCases.count {
            try await openAccounts(for: region, on: db)
            ids = try await accountIDs(region: region, fund: fund, on: db)
        }
        let insert = db.insert(into: "ledger_lines").columns("entry_id", "account_id", "debit_fen", "credit_fen")
        for line in lines {
            guard let account = ids[line.account] else { throw AppendOnlyTable.Refusal.notFound(0) }
            insert.values([SQLBind(entry), SQLBind(account), SQLBind(line.debit.fen), SQLBind(line.credit.fen)])
        }
        try await insert.run()
    }

    // MARK: Reading

    /// The entry posted under `key`, if any.
    public func entryID(key: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM ledger_entries WHERE idempotency_key = \(bind: key)").first()?.decode(column: "id", as: Int64.self)
    }

    /// The monthly sweep's key for a fund (one per month).
    public static func sweepKey(region: RegionCode, fund: Fund, period: Period) -> String { "sweep:\(region.value):\(fund.rawValue):\(period)" }

    public func entry(id: Int64, on db: any SQLDatabase) async throws -> LedgerEntry? {
        try await entries(where: "e.id = \(bind: id)", limit: 1, on: db).first
    }

    /// The newest entries of `fund` in `scope` (before entry `before`, for paging).
    public func entries(fund: Fund, in scope: RegionCode, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [LedgerEntry] {
        var condition: SQLQueryString = "\(SQLPieces.scope(scope, column: "e.region_code")) AND e.fund = \(bind: fund.rawValue)"
        if let before { condition = "\(condition) AND e.id < \(bind: before)" }
        return try await entries(where: condition, limit: limit, on: db)
    }

    private func entries(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [LedgerEntry] {
        let rows = try await db.raw(
            """
            SELECT e.id, e.idempotency_key, e.region_code, e.fund, e.occurred_on, e.memo, e.source, e.reverses, e.recorded_at, e.recorded_by,
                r.id AS reversed_by
            FROM ledger_entries e LEFT JOIN ledger_entries r ON r.reverses = e.id
            WHERE \(condition) ORDER BY e.id DESC LIMIT \(literal: limit)
            """
        ).all()
        guard !rows.isEmpty else { return [] }
        var entries: [LedgerEntry] = []
        for row in rows {
            let reader = try RowReader(row, table: "ledger_entries")
            entries.append(LedgerEntry(
                id: try reader.int("id"), key: try reader.string("idempotency_key"), region: try reader.region("region_code"),
                fund: try reader.value("fund", as: Fund.self), occurredOn: try reader.date("occurred_on"), memo: try reader.string("memo"),
                source: try reader.string("source"), reverses: try reader.optionalInt("reverses"), reversedBy: try reader.optionalInt("reversed_by"),
                recordedAt: try reader.string("recorded_at"), recordedBy: try reader.string("recorded_by"), lines: []))
        }
        let lines = try await db.raw(
            """
            SELECT l.entry_id, a.kind, l.debit_fen, l.credit_fen FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
            WHERE l.entry_id IN (\(binds: entries.map(\.id))) ORDER BY l.id
            """
        ).all()
        var byEntry: [Int64: [LedgerLine]] = [:]
        for row in lines {
            let reader = try RowReader(row, table: "ledger_lines", keyColumn: "entry_id")
            byEntry[try reader.int("entry_id"), default: []].append(LedgerLine(
                try reader.value("kind", as: LedgerAccountKind.self), debit: Money(fen: try reader.int("debit_fen")), credit: Money(fen: try reader.int("credit_fen"))))
        }
        return entries.map { entry in
            var entry = entry
            entry.lines = byEntry[entry.id] ?? []
            return entry
        }
    }

    /// Every account's debits and credits in `scope` from `start` (the beginning when nil) through
    /// `date`, summed in the database.
    public func balances(in scope: RegionCode, from start: LocalDate? = nil, through date: LocalDate, on db: any SQLDatabase) async throws -> [LedgerBalance] {
        let from = start?.description ?? "0000-00-00"
        return try await db.raw(
            """
            SELECT a.fund, a.kind, CAST(COALESCE(SUM(l.debit_fen), 0) AS BIGINT) AS debits, CAST(COALESCE(SUM(l.credit_fen), 0) AS BIGINT) AS credits
            FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN ledger_entries e ON e.id = l.entry_id
            WHERE \(SQLPieces.scope(scope, column: "a.region_code")) AND e.occurred_on >= \(bind: from) AND e.occurred_on <= \(bind: date.description)
            GROUP BY a.fund, a.kind
            """
        ).all().compactMap { row in
            let reader = try RowReader(row, table: "ledger_accounts", keyColumn: "fund")
            guard let fund = Fund(rawValue: try reader.string("fund")), let kind = LedgerAccountKind(rawValue: try reader.string("kind")) else { return nil }
            return LedgerBalance(fund: fund, account: kind, debits: Money(fen: try reader.int("debits")), credits: Money(fen: try reader.int("credits")))
        }
    }

    /// Each fund's expenditure (debits less credits of the expense accounts) from `start` through `end`.
    public func expenditure(in scope: RegionCode, from start: LocalDate, through end: LocalDate, on db: any SQLDatabase) async throws -> [Fund: Money] {
        let expenses = LedgerAccountKind.allCases.filter(\.isExpense).map(\.rawValue)
        var result: [Fund: Money] = [:]
        for row in try await db.raw(
            """
            SELECT a.fund, CAST(COALESCE(SUM(l.debit_fen - l.credit_fen), 0) AS BIGINT) AS spent
            FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN ledger_entries e ON e.id = l.entry_id
            WHERE \(SQLPieces.scope(scope, column: "a.region_code")) AND a.kind IN (\(binds: expenses))
                AND e.occurred_on >= \(bind: start.description) AND e.occurred_on <= \(bind: end.description)
            GROUP BY a.fund
            """
        ).all() {
            if let fund = Fund(rawValue: try row.decode(column: "fund", as: String.self)) { result[fund] = Money(fen: try row.decode(column: "spent", as: Int64.self)) }
        }
        return result
    }

    // MARK: Verifying

    /// Recomputes every entry and balance and checks the invariants: each entry balances and has
    /// lines matching the text its key promised; each line is one-sided; a reversal mirrors its
    /// original; all debits equal all credits.
    public func verify(on db: any SQLDatabase) async throws -> LedgerVerification {
        var problems: [String] = []
        let unbalanced = try await db.raw(
            """
            SELECT e.id, CAST(COALESCE(SUM(l.debit_fen), 0) AS BIGINT) AS debits, CAST(COALESCE(SUM(l.credit_fen), 0) AS BIGINT) AS credits,
                CAST(COUNT(l.id) AS BIGINT) AS n
            FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
            GROUP BY e.id HAVING COALESCE(SUM(l.debit_fen), 0) <> COALESCE(SUM(l.credit_fen), 0) OR COUNT(l.id) < 2
            ORDER BY e.id
            """
        ).all()
        for row in unbalanced {
            problems.append("entry \(try row.decode(column: "id", as: Int64.self)): debits \(try row.decode(column: "debits", as: Int64.self)) fen, credits \(try row.decode(column: "credits", as: Int64.self)) fen, \(try row.decode(column: "n", as: Int64.self)) lines")
        }
        let oneSided = try await db.raw(
            "SELECT id, entry_id FROM ledger_lines WHERE debit_fen < 0 OR credit_fen < 0 OR (debit_fen = 0) = (credit_fen = 0)"
        ).all()
        for row in oneSided { problems.append("line \(try row.decode(column: "id", as: Int64.self)) of entry \(try row.decode(column: "entry_id", as: Int64.self)): not one positive side") }
        // Each entry's lines against the canonical text recorded with its key (a line changed or
        // added outside the ledger shows here), and each reversal against its original.
        var entries = 0
        var lines = 0
        var promised: [Int64: (String, Int64?)] = [:]
        for row in try await db.raw("SELECT id, lines, reverses FROM ledger_entries ORDER BY id").all() {
            promised[try row.decode(column: "id", as: Int64.self)] = (try row.decode(column: "lines", as: String.self), try row.decode(column: "reverses", as: Int64?.self))
            entries += 1
        }
        var actual: [Int64: [String]] = [:]
        for row in try await db.raw(
            "SELECT l.entry_id, a.kind, l.debit_fen, l.credit_fen FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id ORDER BY l.id"
        ).all() {
            actual[try row.decode(column: "entry_id", as: Int64.self), default: []].append(
                "\(try row.decode(column: "kind", as: String.self)):\(try row.decode(column: "debit_fen", as: Int64.self)):\(try row.decode(column: "credit_fen", as: Int64.self))")
            lines += 1
        }
        func swapped(_ text: String) -> String {
            text.split(separator: ";").map { part in
                let pieces = part.split(separator: ":")
                return pieces.count == 3 ? "\(pieces[0]):\(pieces[2]):\(pieces[1])" : String(part)
            }.joined(separator: ";")
        }
        for (id, (text, reverses)) in promised.sorted(by: { $0.key < $1.key }) {
            let found = (actual[id] ?? []).joined(separator: ";")
            let expected = reverses == nil ? text : swapped(text)
            if found != expected { problems.append("entry \(id): lines \(found.isEmpty ? "missing" : found) differ from those posted (\(expected))") }
            if let reverses, let original = promised[reverses], original.0 != text {
                problems.append("entry \(id) reverses entry \(reverses) but does not mirror it")
            }
        }
        for id in actual.keys where promised[id] == nil { problems.append("lines of entry \(id), which does not exist") }
        let totals = try await db.raw(
            "SELECT CAST(COALESCE(SUM(debit_fen), 0) AS BIGINT) AS debits, CAST(COALESCE(SUM(credit_fen), 0) AS BIGINT) AS credits FROM ledger_lines"
        ).first()
        let debits = try totals?.decode(column: "debits", as: Int64.self) ?? 0
        let credits = try totals?.decode(column: "credits", as: Int64.self) ?? 0
        if debits != credits { problems.append("all debits \(debits) fen, all credits \(credits) fen") }
        return LedgerVerification(entries: entries, lines: lines, problems: problems)
    }
}
