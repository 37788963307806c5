public import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What importing a collection file did: rejected with every issue (nothing written), or
/// imported with how many lines matched a bill and how many wait in the queue.
public struct CollectionImportOutcome: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var fileID: Int64?
    public var matched: Int
    public var unmatched: Int
    /// The same file was imported before (nothing new written).
    public var repeated: Bool

    public var accepted: Bool { fileID != nil }
}

/// Collection with the tax bureau (先征后登): the tax bureau's file is matched to the bills, the
/// money is posted to the funds, months paid in full are credited to the persons' accounts, and
/// what does not match waits in a queue for a clerk.
extension InsuranceService {
    /// Checks a whole file; a clean one is written in one transaction — its lines matched or
    /// queued, the months it completes credited, its postings in the fund ledger. A file imported
    /// before comes back as it was (nothing doubles).
    public func importCollections(_ data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> CollectionImportOutcome {
        try principal.require(.collectionImport)
        let region = try await installation.required().region
        guard principal.scope.contains(region) else { throw .forbidden }
        let sha = data.sha256Hex
        let today = context.today
        let strings = context.strings
        if let earlier = try await context.read({ db in try await CollectionStore().file(sha256: sha, on: db) }) {
            let lines = try await context.read { db in try await CollectionStore().collections(ofFile: earlier, on: db) }
            return CollectionImportOutcome(fileName: fileName, rowCount: lines.count, issues: [], fileID: earlier,
                                           matched: lines.filter { $0.state == .matched }.count, unmatched: lines.filter { $0.state != .matched }.count,
                                           repeated: true)
        }
        let checked = try await context.read { db in try await CollectionImporter(strings: strings).check(data, fileName: fileName, today: today, on: db) }
        let actor = AuditActor(principal)
        guard checked.issues.isEmpty else {
            try await context.record(AuditEvent(actor: actor, action: .importCheck, entity: "collection_file", entityID: fileName, region: region,
                                                after: ["rows": String(checked.rowCount), "issues": String(checked.issues.count)]))
            return CollectionImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, fileID: nil, matched: 0, unmatched: 0,
                                           repeated: false)
        }
        let book = try await policy.book()
        let now = context.now
        let total = Money(fen: checked.lines.reduce(Int64(0)) { $0 + $1.amount.fen })
        return try await context.write { db in
            let store = CollectionStore()
            let fileID = try await store.createFile(name: fileName, sha256: sha, region: region, rows: checked.rowCount, amount: total, by: actor, at: now, on: db)
            let units = try await store.employers(withCodes: checked.lines.compactMap(\.payer.creditCode), on: db)
            let persons = try await PersonStore().ids(ofResidentIDs: checked.lines.compactMap(\.payer.residentID), on: db)
            var postings = CollectionPostings(memo: strings.text("ledger.memo.collection", .zhHans, ["file": fileName]), source: "collection:\(fileID)")
            var matched = 0
            // In the order paid, so each line meets what its payer still owed when it arrived.
            for line in checked.lines.sorted(by: { ($0.paidOn, $0.row) < ($1.paidOn, $1.row) }) {
                let holder: BillHolder?
                var fund = Fund.collecting(line.scheme, ownership: nil)
                switch line.payer {
                case .unit(let code):
                    let unit = units[code]
                    holder = unit.map { .unit($0.id) }
                    fund = Fund.collecting(line.scheme, ownership: unit?.ownership)
                case .person(let residentID):
                    holder = persons[residentID.value].map { .person($0) }
                }
                guard let holder, let owed = try await store.owed(by: holder, period: line.period, scheme: line.scheme, on: db) else {
                    let note = holder != nil ? "collection.no_bill" : line.payer.creditCode != nil ? "collection.unknown_unit" : "collection.unknown_person"
                    _ = try await store.insert(line, file: fileID, holder: nil, fund: fund, state: .unmatched, surcharge: .zero, note: note, on: db)
                    postings.received(line.amount, fund: fund, applied: .zero, on: line.paidOn)
                    continue
                }
                let settled = try Self.settle(line.amount, owed: owed, for: line.period, paidOn: line.paidOn, book: book, region: region)
                _ = try await store.insert(line, file: fileID, holder: holder, fund: fund, state: .matched, surcharge: settled.surcharge, note: nil, on: db)
                postings.received(line.amount, fund: fund, applied: settled.applied, on: line.paidOn)
                try await Self.follow(settled, of: holder, period: line.period, scheme: line.scheme, paidOn: line.paidOn, fund: fund, postings: &postings, on: db)
                matched += 1
            }
            for (draft, key) in postings.drafts(keyPrefix: "collection:\(fileID)") {
                try await Self.post(draft, key: key, region: region, actor: actor, now: now, context: context, on: db)
            }
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "collection_file", entityID: String(fileID), region: region,
                           after: ["file": fileName, "rows": String(checked.rowCount), "matched": String(matched), "amount": total.yuanText]),
                on: db, at: now)
            return CollectionImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: [], fileID: fileID, matched: matched,
                                           unmatched: checked.lines.count - matched, repeated: false)
        }
    }

    /// How a payment meets what its payer still owed for the month: the part that pays it (the
    /// rest is an overpayment held as payable), the surcharge that part owes when it came late,
    /// and whether it completes the bill.
    static func settle(_ amount: Money, owed: Money, for period: Period, paidOn: LocalDate, book: ParameterBook,
                       region: RegionCode) throws(ServiceError) -> Settlement {
        let applied = Money(fen: min(amount.fen, owed.fen))
        let surcharge = try surcharge(on: applied, for: period, paidOn: paidOn, book: book, region: region)?.output.surcharge ?? .zero
        return Settlement(applied: applied, surcharge: surcharge, completes: owed.fen > 0 && amount.fen >= owed.fen)
    }

    struct Settlement {
        var applied: Money
        var surcharge: Money
        var completes: Bool
    }

    /// What a payment matched to a bill does beyond its own line: its surcharge accrues to the
    /// fund; when it completes the bill, the months are credited to the persons it covers, and the
    /// medical account part of them moves to the account fund.
    static func follow(_ settled: Settlement, of holder: BillHolder, period: Period, scheme: Scheme, paidOn: LocalDate, fund: Fund,
                       postings: inout CollectionPostings, on db: any SQLDatabase) async throws {
        postings.surcharge(settled.surcharge, fund: fund)
        guard settled.completes else { return }
        try await CollectionStore().creditPaidMonths(holder, period: period, scheme: scheme, creditedOn: paidOn, on: db)
        if scheme == .medical {
            postings.medicalAccounts(try await CollectionStore().accountCredits(holder, period: period, scheme: .medical, on: db))
        }
    }

    /// The queue of lines that matched no bill, oldest first.
    public func unmatchedCollections(by principal: Principal) async throws(ServiceError) -> [Collection] {
        try principal.require(.collectionImport)
        return try await context.read { db in try await CollectionStore().unmatched(on: db) }
    }

    public func collectionFiles(by principal: Principal) async throws(ServiceError) -> [CollectionFile] {
        try principal.require(.collectionImport)
        let scope = principal.scope
        return try await context.read { db in try await CollectionStore().files(in: scope, on: db) }
    }

    /// How a clerk settles a line from the queue.
    public enum QueueDecision: Sendable, Hashable {
        /// Matched to the unit with this credit code, or to the person (on their own account) with
        /// this resident ID — one of the two; their bill for the line's month and scheme must exist.
        case match(creditCode: String?, residentID: String?)
        /// Sent back to the tax bureau.
        case returnToTaxBureau
    }

    /// Settles a line from the queue as `decision` says, with the clerk's note.
    public func resolveCollection(_ id: Int64, _ decision: QueueDecision, note: String, by principal: Principal) async throws(ServiceError) -> Collection {
        try principal.require(.collectionImport)
        let note = note.collapsingWhitespace
        guard !note.isEmpty else { throw .invalid("note", "field.required") }
        guard note.count <= 200, !note.hasControlOrFormatCharacters else { throw .invalid("note", "field.control_characters") }
        let payer = try payer(of: decision)
        let region = try await installation.required().region
        let book = try await policy.book()
        let actor = AuditActor(principal)
        let now = context.now
        let strings = context.strings
        let dialect = context.database.dialect
        return try await context.write { db in
            let store = CollectionStore()
            guard let line = try await store.collection(id, lockingFor: dialect, on: db) else { throw ServiceError.notFound }
            guard line.state == .unmatched else { throw ServiceError.conflict("collection.settled", labels: ["state": line.state.labelKey]) }
            var postings = CollectionPostings(memo: strings.text("ledger.memo.queue", .zhHans, ["voucher": line.voucher]), source: "collection-line:\(id)")
            // The fund the line's cash came into when it was imported (a unit unknown then: none's).
            let receivedIn = line.receivedFund ?? Fund.collecting(line.scheme, ownership: nil)
            var fund = receivedIn
            let holder: BillHolder?
            switch payer {
            case .unit(let code)?:
                guard let unit = try await store.employers(withCodes: [code], on: db)[code] else { throw ServiceError.invalid("creditCode", "collection.unknown_unit") }
                holder = .unit(unit.id)
                fund = Fund.collecting(line.scheme, ownership: unit.ownership)
            case .person(let residentID)?:
                guard let person = try await PersonStore().ids(ofResidentIDs: [residentID], on: db)[residentID.value] else {
                    throw ServiceError.invalid("residentID", "collection.unknown_person")
                }
                holder = .person(person)
                fund = Fund.collecting(line.scheme, ownership: nil)
            case nil:
                holder = nil
            }
            if let holder {
                guard let owed = try await store.owed(by: holder, period: line.period, scheme: line.scheme, on: db) else {
                    throw ServiceError.invalid(holder.personID != nil ? "residentID" : "creditCode", "collection.no_bill", ["period": line.period.description])
                }
                let settled = try Self.settle(line.amount, owed: owed, for: line.period, paidOn: line.paidOn, book: book, region: region)
                try await store.resolve(id, holder: holder, state: .matched, surcharge: settled.surcharge, note: note, by: actor, at: now, on: db)
                if fund == receivedIn {
                    postings.assigned(settled.applied, fund: fund, on: now.dateInChina)
                } else {
                    // The payer's fund is another (a public institution's pension): the cash moves there.
                    postings.returned(line.amount, fund: receivedIn, on: now.dateInChina)
                    postings.received(line.amount, fund: fund, applied: settled.applied, on: now.dateInChina)
                }
                try await Self.follow(settled, of: holder, period: line.period, scheme: line.scheme, paidOn: line.paidOn, fund: fund, postings: &postings, on: db)
            } else {
                try await store.resolve(id, holder: nil, state: .returned, surcharge: .zero, note: note, by: actor, at: now, on: db)
                postings.returned(line.amount, fund: receivedIn, on: now.dateInChina)
            }
            for (draft, key) in postings.drafts(keyPrefix: "collection-line:\(id)") {
                try await Self.post(draft, key: key, region: region, actor: actor, now: now, context: context, on: db)
            }
            // The audit names the unit by credit code and a person by id, never by resident ID.
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "collection", entityID: String(id), region: region,
                           before: ["state": line.state.rawValue],
                           after: ["state": holder == nil ? "returned" : "matched", "creditCode": payer?.creditCode ?? "",
                                   "person": holder?.personID.map(String.init) ?? "", "note": note]),
                on: db, at: now)
            guard let settled = try await store.collection(id, on: db) else { throw ServiceError.notFound }
            return settled
        }
    }

    /// The payer a decision names, checked; nil when the line goes back.
    private func payer(of decision: QueueDecision) throws(ServiceError) -> CollectionPayer? {
        guard case .match(let codeText, let idText) = decision else { return nil }
        let code = codeText?.trimmingUnicodeWhitespace().uppercased() ?? ""
        let id = idText?.trimmingUnicodeWhitespace().uppercased() ?? ""
        switch (code.isEmpty, id.isEmpty) {
        case (false, false):
            throw .invalid("residentID", "collection.two_payers")
        case (true, false):
            do {
                return .person(try ResidentID(id, today: context.today))
            } catch {
                throw .invalid("residentID", error.code, error.arguments)
            }
        default:
            do {
                return .unit(creditCode: try CreditCode(code).value)
            } catch {
                throw .invalid("creditCode", error.code, error.arguments)
            }
        }
    }

    /// Posts one entry and its audit row inside the caller's transaction.
    static func post(_ draft: LedgerEntryDraft, key: String, region: RegionCode, actor: AuditActor, now: Timestamp, context: ServiceContext,
                     on db: any SQLDatabase) async throws {
        let outcome = try await LedgerStore().post(draft, region: region, key: key, by: actor, at: now, on: db)
        if case .created(let id) = outcome {
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "ledger_entry", entityID: String(id), region: region,
                                                after: ["fund": draft.fund.rawValue, "lines": draft.canonicalLines]), on: db, at: now)
        }
    }
}

/// The ledger entries a file (or a settled line) makes, summed per fund (DESIGN.md §6): cash in
/// against what was receivable, the rest held as payable until a clerk settles it; surcharges
/// accrue to the fund (never to an account, 征缴暂行条例 Art. 13); the medical account part of
/// the months paid moves from the pooled fund to the account fund.
struct CollectionPostings {
    let memo: String
    let source: String
    private var cash: [Fund: (applied: Int64, held: Int64)] = [:]
    private var assigned: [Fund: Int64] = [:]
    private var returned: [Fund: Int64] = [:]
    private var surcharges: [Fund: Int64] = [:]
    private var toAccounts: Int64 = 0
    private var lastDay: LocalDate?

    init(memo: String, source: String) {
        self.memo = memo
        self.source = source
    }

    mutating func received(_ amount: Money, fund: Fund, applied: Money, on day: LocalDate) {
        cash[fund, default: (0, 0)].applied += applied.fen
        cash[fund, default: (0, 0)].held += amount.fen - applied.fen
        see(day)
    }

    /// A held line settled against a bill: what it pays leaves payable for receivable.
    mutating func assigned(_ applied: Money, fund: Fund, on day: LocalDate) {
        assigned[fund, default: 0] += applied.fen
        see(day)
    }

    mutating func returned(_ amount: Money, fund: Fund, on day: LocalDate) {
        returned[fund, default: 0] += amount.fen
        see(day)
    }

    mutating func surcharge(_ amount: Money, fund: Fund) { surcharges[fund, default: 0] += amount.fen }

    mutating func medicalAccounts(_ amount: Money) { toAccounts += amount.fen }

    private mutating func see(_ day: LocalDate) { lastDay = max(lastDay ?? day, day) }

    /// The entries with their idempotency keys, funds in a fixed order.
    func drafts(keyPrefix: String) -> [(LedgerEntryDraft, String)] {
        guard let day = lastDay else { return [] }
        var drafts: [(LedgerEntryDraft, String)] = []
        func add(_ fund: Fund, _ kind: String, _ lines: [LedgerLine]) {
            let lines = lines.filter { $0.debit.fen > 0 || $0.credit.fen > 0 }
            guard !lines.isEmpty else { return }
            drafts.append((LedgerEntryDraft(fund: fund, occurredOn: day, memo: memo, source: source, lines: lines), "\(keyPrefix):\(kind):\(fund.rawValue)"))
        }
        for fund in Fund.allCases {
            if let (applied, held) = cash[fund] {
                add(fund, "cash", [LedgerLine(.incomeDeposit, debit: Money(fen: applied + held)), LedgerLine(.receivable, credit: Money(fen: applied)),
                                   LedgerLine(.payable, credit: Money(fen: held))])
            }
            if let amount = assigned[fund] {
                add(fund, "assigned", [LedgerLine(.payable, debit: Money(fen: amount)), LedgerLine(.receivable, credit: Money(fen: amount))])
            }
            if let amount = returned[fund] {
                add(fund, "returned", [LedgerLine(.payable, debit: Money(fen: amount)), LedgerLine(.incomeDeposit, credit: Money(fen: amount))])
            }
            if let amount = surcharges[fund] {
                add(fund, "surcharge", [LedgerLine(.receivable, debit: Money(fen: amount)), LedgerLine(.otherIncome, credit: Money(fen: amount))])
            }
        }
        if toAccounts > 0 {
            let amount = Money(fen: toAccounts)
            add(.medicalPooled, "to-accounts", [LedgerLine(.otherExpense, debit: amount), LedgerLine(.incomeDeposit, credit: amount)])
            add(.medicalAccounts, "from-pooled", [LedgerLine(.incomeDeposit, debit: amount), LedgerLine(.contributionIncome, credit: amount)])
        }
        return drafts
    }
}
