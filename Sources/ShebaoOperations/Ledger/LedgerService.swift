public import ShebaoCore
public import ShebaoStore

/// A journal entry as a form or the API sends it, before it is checked.
public struct LedgerEntryInput: Sendable {
    public struct Line: Sendable {
        public var account: String
        public var debit: String?
        public var credit: String?

        public init(account: String, debit: String?, credit: String?) {
            self.account = account
            self.debit = debit
            self.credit = credit
        }
    }

    public var fund: String
    public var occurredOn: String
    public var memo: String
    /// Chosen by the client and kept for retries (TigerBeetle's rule): the same key posts once.
    public var idempotencyKey: String
    public var lines: [Line]

    public init(fund: String, occurredOn: String, memo: String, idempotencyKey: String, lines: [Line]) {
        self.fund = fund
        self.occurredOn = occurredOn
        self.memo = memo
        self.idempotencyKey = idempotencyKey
        self.lines = lines
    }
}

/// The fund ledger (DESIGN.md §6): funds and their positions, entries posted and reversed by a
/// fund accountant, and the check that recomputes everything.
public struct LedgerService: Sendable {
    let context: ServiceContext
    let installation: InstallationService

    // MARK: Reading

    /// Each fund's balance on `date` and its payment capacity: the balance over the average
    /// monthly expenditure of the twelve months to `date`.
    public func positions(on date: LocalDate, by principal: Principal) async throws(ServiceError) -> [FundPosition] {
        try principal.require(.ledgerRead)
        let scope = principal.scope
        // The twelve months to `date`: from the day after the same date a year earlier.
        let yearEarlier = LocalDate(year: date.year - 1, month: date.month, day: min(date.day, LocalDate.daysIn(month: date.month, year: date.year - 1)))!
        let start = yearEarlier.adding(days: 1)
        let (balances, spent) = try await context.read { db in
            (try await LedgerStore().balances(in: scope, through: date, on: db),
             try await LedgerStore().expenditure(in: scope, from: start, through: date, on: db))
        }
        return Fund.allCases.map { fund in
            let accounts = balances.filter { $0.fund == fund }
            let held = accounts.filter(\.account.isAsset).reduce(Int64(0)) { $0 + $1.balance.fen }
                - accounts.filter { $0.account == .payable }.reduce(Int64(0)) { $0 + $1.balance.fen }
            let average = Money(fen: ((spent[fund]?.fen ?? 0) * 2 + 12) / 24)
            return FundPosition(fund: fund, balance: Money(fen: held), averageMonthlyExpenditure: average,
                                paymentCapacityTenths: FundPosition.capacityTenths(balance: Money(fen: held), averageMonthlyExpenditure: average))
        }
    }

    /// The accounts of `fund` with what came in and went out from `start` through `end`, and
    /// their balances on `end`.
    public func accounts(of fund: Fund, from start: LocalDate, through end: LocalDate,
                         by principal: Principal) async throws(ServiceError) -> (period: [LedgerBalance], closing: [LedgerBalance]) {
        try principal.require(.ledgerRead)
        let scope = principal.scope
        return try await context.read { db in
            (try await LedgerStore().balances(in: scope, from: start, through: end, on: db).filter { $0.fund == fund },
             try await LedgerStore().balances(in: scope, through: end, on: db).filter { $0.fund == fund })
        }
    }

    public func entries(of fund: Fund, before: Int64?, limit: Int = 50, by principal: Principal) async throws(ServiceError) -> [LedgerEntry] {
        try principal.require(.ledgerRead)
        let scope = principal.scope
        return try await context.read { db in try await LedgerStore().entries(fund: fund, in: scope, before: before, limit: limit, on: db) }
    }

    public func entry(_ id: Int64, by principal: Principal) async throws(ServiceError) -> LedgerEntry {
        try principal.require(.ledgerRead)
        guard let entry = try await context.read({ db in try await LedgerStore().entry(id: id, on: db) }), principal.scope.contains(entry.region) else {
            throw ServiceError.notFound
        }
        return entry
    }

    // MARK: Posting

    /// Posts an entry in the installation's district. A retry with the same key returns the entry
    /// already posted (`created` false); the same key with anything different is refused.
    public func post(_ input: LedgerEntryInput, by principal: Principal) async throws(ServiceError) -> (entry: LedgerEntry, created: Bool) {
        try principal.require(.ledgerPost)
        let draft = try Self.draft(input)
        let region = try await district(of: principal)
        return try await write(draft, region: region, key: input.idempotencyKey, actor: AuditActor(principal))
    }

    /// Reverses entry `id` with a new entry that swaps every line, once; the reason is its memo.
    public func reverse(_ id: Int64, reason: String, idempotencyKey: String, by principal: Principal) async throws(ServiceError) -> LedgerEntry {
        try principal.require(.ledgerPost)
        let reason = reason.trimmingUnicodeWhitespace()
        guard !reason.isEmpty else { throw .invalid("reason", "field.required") }
        guard Self.validKey(idempotencyKey) else { throw .invalid("idempotencyKey", "ledger.bad_key") }
        let actor = AuditActor(principal)
        let now = context.now
        let scope = principal.scope
        return try await context.write { db in
            guard let original = try await LedgerStore().entry(id: id, on: db), scope.contains(original.region) else { throw ServiceError.notFound }
            guard original.reverses == nil else { throw ServiceError.conflict("ledger.reversal_of_reversal") }
            let outcome = try await LedgerStore().reverse(id, key: idempotencyKey, by: actor, at: now, on: db)
            if case .created(let reversal) = outcome {
                try await context.append(AuditEvent(actor: actor, action: .create, entity: "ledger_entry", entityID: String(reversal), region: original.region,
                                                    after: ["reverses": String(id), "reason": reason]), on: db, at: now)
            }
            guard let entry = try await LedgerStore().entry(id: outcome.id, on: db) else { throw ServiceError.notFound }
            return entry
        }
    }

    /// An opening balance entered at the command line for a fund that starts on this system.
    public func postOpening(fund: Fund, amount: Money, on date: LocalDate, memo: String) async throws(ServiceError) -> (entry: LedgerEntry, created: Bool) {
        guard amount.fen > 0 else { throw .invalid("amount", "ledger.amount_positive") }
        let memo = memo.collapsingWhitespace
        guard !memo.hasControlOrFormatCharacters else { throw .invalid("memo", "field.control_characters") }
        let region = try await installation.required().region
        return try await write(.opening(fund, amount: amount, on: date, memo: memo), region: region,
                               key: LedgerStore.openingKey(region: region, fund: fund), actor: .system("cli"))
    }

    private func write(_ draft: LedgerEntryDraft, region: RegionCode, key: String, actor: AuditActor) async throws(ServiceError) -> (entry: LedgerEntry, created: Bool) {
        let now = context.now
        return try await context.write { db in
            let outcome = try await LedgerStore().post(draft, region: region, key: key, by: actor, at: now, on: db)
            if case .created(let id) = outcome {
                try await context.append(AuditEvent(actor: actor, action: .create, entity: "ledger_entry", entityID: String(id), region: region,
                                                    after: ["fund": draft.fund.rawValue, "lines": draft.canonicalLines]), on: db, at: now)
            }
            guard let entry = try await LedgerStore().entry(id: outcome.id, on: db) else { throw ServiceError.notFound }
            if case .created = outcome { return (entry, true) }
            return (entry, false)
        }
    }

    /// The monthly sweep (DESIGN.md §6): what each fund's income deposit holds at the month's
    /// end moves to the fiscal special account, once per fund and month. A sweep already made
    /// comes back as it was; a month not yet over is refused.
    public func sweep(period: Period, by principal: Principal?) async throws(ServiceError) -> [LedgerEntry] {
        if let principal { try principal.require(.ledgerPost) }
        guard period.lastDay < context.today else { throw .invalid("period", "ledger.sweep_month_open", ["period": period.description]) }
        let region = try await installation.required().region
        let actor = principal.map(AuditActor.init) ?? .system("cli")
        let memo = context.strings.text("ledger.memo.sweep", .zhHans, ["period": period.description])
        let now = context.now
        return try await context.write { db in
            let store = LedgerStore()
            let held = try await store.balances(in: region, through: period.lastDay, on: db).filter { $0.account == .incomeDeposit }
            var entries: [LedgerEntry] = []
            for fund in Fund.allCases {
                let key = LedgerStore.sweepKey(region: region, fund: fund, period: period)
                var id = try await store.entryID(key: key, on: db)
                if id == nil, let amount = held.first(where: { $0.fund == fund })?.balance, amount.fen > 0 {
                    let draft = LedgerEntryDraft(fund: fund, occurredOn: period.lastDay, memo: memo, source: "sweep:\(period)",
                                                 lines: [LedgerLine(.specialDeposit, debit: amount), LedgerLine(.incomeDeposit, credit: amount)])
                    let outcome = try await store.post(draft, region: region, key: key, by: actor, at: now, on: db)
                    try await context.append(AuditEvent(actor: actor, action: .create, entity: "ledger_entry", entityID: String(outcome.id), region: region,
                                                        after: ["fund": fund.rawValue, "lines": draft.canonicalLines]), on: db, at: now)
                    id = outcome.id
                }
                if let id, let entry = try await store.entry(id: id, on: db) { entries.append(entry) }
            }
            return entries
        }
    }

    // MARK: Verifying

    /// Recomputes every entry and balance. `principal` nil: the operator at the command line.
    public func verify(by principal: Principal?) async throws(ServiceError) -> LedgerVerification {
        if let principal { try principal.require(.ledgerRead) }
        return try await context.read { db in try await LedgerStore().verify(on: db) }
    }

    // MARK: Helpers

    /// The district the installation serves, which must lie in the poster's scope.
    private func district(of principal: Principal) async throws(ServiceError) -> RegionCode {
        let region = try await installation.required().region
        guard principal.scope.contains(region) else { throw ServiceError.forbidden }
        return region
    }

    static func validKey(_ key: String) -> Bool {
        (8...100).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// The input as a checked draft, every problem named by its field.
    static func draft(_ input: LedgerEntryInput) throws(ServiceError) -> LedgerEntryDraft {
        var issues: [FieldIssue] = []
        let fund = Fund(rawValue: input.fund)
        if fund == nil { issues.append(FieldIssue("fund", "ledger.bad_fund")) }
        let date = LocalDate(iso: input.occurredOn)
        if date == nil { issues.append(FieldIssue("occurredOn", "ledger.bad_date", ["date": input.occurredOn])) }
        if !validKey(input.idempotencyKey) { issues.append(FieldIssue("idempotencyKey", "ledger.bad_key")) }
        let memo = input.memo.collapsingWhitespace
        if memo.hasControlOrFormatCharacters { issues.append(FieldIssue("memo", "field.control_characters")) }
        var lines: [LedgerLine] = []
        for (index, line) in input.lines.enumerated() {
            let blank = { (text: String?) in (text ?? "").trimmingUnicodeWhitespace().isEmpty }
            if line.account.isEmpty && blank(line.debit) && blank(line.credit) { continue }
            let field = "lines[\(index)]"
            guard let account = LedgerAccountKind(rawValue: line.account) else {
                issues.append(FieldIssue(field + ".account", "ledger.bad_account"))
                continue
            }
            func amount(_ text: String?, _ name: String) -> Money? {
                guard let text, !text.trimmingUnicodeWhitespace().isEmpty else { return .zero }
                do { return try Money.parse(text.trimmingUnicodeWhitespace()) } catch {
                    issues.append(FieldIssue(field + "." + name, error.code))
                    return nil
                }
            }
            guard let debit = amount(line.debit, "debit"), let credit = amount(line.credit, "credit") else { continue }
            lines.append(LedgerLine(account, debit: debit, credit: credit))
        }
        guard issues.isEmpty, let fund, let date else { throw .invalid(issues) }
        let draft = LedgerEntryDraft(fund: fund, occurredOn: date, memo: memo, source: "manual", lines: lines)
        if let refusal = draft.refusal() { throw ServiceError(.invalid, refusal.code, refusal.arguments) }
        return draft
    }
}
