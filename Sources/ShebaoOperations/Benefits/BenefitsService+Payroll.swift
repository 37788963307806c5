public import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// One bank file of a payroll run: which bank, which part, what it carries.
public struct PayrollFile: Sendable, Hashable {
    public enum Format: String, Sendable, CaseIterable {
        case pain001 = "pain.001"
        case text
    }

    public var bank: Bank
    public var part: Int
    public var count: Int64
    public var amount: Money
    public var format: Format

    /// `SB<run>-<bank>-<part>`: the pain.001 message id, and what the bank's return names.
    public static func messageID(run: Int64, bank: String, part: Int) -> String { "SB\(run)-\(bank)-\(part)" }

    public func name(run: Int64) -> String {
        "\(Self.messageID(run: run, bank: bank.code, part: part))\(format == .pain001 ? ".xml" : ".txt")"
    }
}

/// What importing a bank's return did.
public struct BankReturnOutcome: Sendable {
    public var record: BankReturnRecord
    public var quarantined: [QuarantinedLine]
    /// The same file was imported before: nothing new was posted.
    public var repeated: Bool
}

/// What importing the death register did: rejected with every issue, or the pensions it stopped
/// and the overpayments it raised.
public struct DeathImportOutcome: Sendable {
    public struct Stopped: Sendable, Hashable {
        public var personID: Int64
        public var name: String
        public var diedOn: LocalDate
        public var overpayment: Money?
    }

    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var stopped: [Stopped]
    /// Deaths of persons drawing no pension here (nothing to stop), or already stopped.
    public var unaffected: Int
}

extension BenefitsService {
    /// The most transfers one file may carry; a bank's own limit is usually lower.
    public static let transfersPerFileLimit = 100_000

    // MARK: Banks and payment points

    public func banks(by principal: Principal) async throws(ServiceError) -> [Bank] {
        try principal.require(.insuranceRead)
        return try await context.read { db in try await PayrollStore().banks(on: db) }
    }

    public func paymentPoints(by principal: Principal) async throws(ServiceError) -> [PaymentPoint] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await PayrollStore().paymentPoints(in: scope, on: db) }
    }

    /// Records a payment point: a branch of a bank the fund pays through, or a post office.
    public func addPaymentPoint(bank: String, name: String, kind: String, region regionText: String, address: String,
                                by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.payrollManage)
        var issues: [FieldIssue] = []
        let banks = try await context.read { db in try await PayrollStore().banks(on: db) }
        if !banks.contains(where: { $0.code == bank }) { issues.append(FieldIssue("bank", "field.not_in_list", ["value": bank])) }
        let name = name.trimmingUnicodeWhitespace()
        if name.isEmpty || name.count > 60 || name.hasControlOrFormatCharacters { issues.append(FieldIssue("name", "field.required")) }
        let kind = PaymentPoint.Kind(rawValue: kind)
        if kind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": ""])) }
        let region = try? RegionCode(regionText.trimmingUnicodeWhitespace())
        let known: Bool
        if let region { known = (try? await context.regions.contains(region)) ?? false } else { known = false }
        if region == nil || !known {
            issues.append(FieldIssue("region", "region_code.unknown", ["code": regionText]))
        } else if !principal.scope.contains(region!) {
            throw .notFound
        }
        let address = address.trimmingUnicodeWhitespace()
        if address.count > 120 || address.hasControlOrFormatCharacters { issues.append(FieldIssue("address", "field.control_characters")) }
        guard issues.isEmpty, let kind, let region else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            let id = try await PayrollStore().addPaymentPoint(bank: bank, name: name, kind: kind, region: region, address: address, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "payment_point", entityID: String(id), region: region,
                                                after: ["bank": bank, "name": name]), on: db, at: now)
            return id
        }
    }

    // MARK: The account a pension is paid into

    /// Proposes the account a pension is paid into; a reviewer decides (maker–checker). The account
    /// is digits only (a Chinese bank card or passbook, 12–30 digits).
    public func proposeAccount(personID: Int64, paymentPoint: String, account: String, reason: String,
                               by principal: Principal) async throws(ServiceError) -> Int64 {
        guard let pension = try await context.read({ db in try await PensionStore().pension(of: personID, on: db) }) else { throw .notFound }
        try principal.require(.pensionAccountPropose, in: pension.region)
        var issues: [FieldIssue] = []
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        let reason = reason.trimmingUnicodeWhitespace()
        if reason.isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        if reason.count > 200 || reason.hasControlOrFormatCharacters { issues.append(FieldIssue("reason", "field.control_characters")) }
        guard issues.isEmpty, let payee else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            let open = try await PayrollStore().accountChanges(status: .proposed, person: personID, in: .nation, on: db).filter { $0.payableID == nil }
            guard open.isEmpty else { throw ServiceError.conflict("pension_account.open", ["change": String(open[0].id)]) }
            let id = try await PayrollStore().proposeAccountChange(person: personID, paymentPoint: payee.point.id, account: payee.account, reason: reason, by: actor,
                                                                   proposerID: principal.userID, at: now, on: db)
            // The account itself is sensitive: the audit keeps its last digits only.
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "pension_account_change", entityID: String(id), region: pension.region,
                                                after: ["person": String(personID), "point": String(payee.point.id), "account": "…" + payee.account.suffix(4)]),
                                     on: db, at: now)
            return id
        }
    }

    /// Proposes the account a benefit owed once is paid into after the bank refused its payment (a
    /// closed account, a wrong number); a reviewer who is not the proposer decides, and the
    /// approved payable is owed again and paid by the next run into the new account.
    public func proposePayableAccount(_ payableID: Int64, personID: Int64, paymentPoint: String, account: String, reason: String,
                                      by principal: Principal) async throws(ServiceError) -> Int64 {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.pensionAccountPropose, in: person.region)
        var issues: [FieldIssue] = []
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        let reason = reason.trimmingUnicodeWhitespace()
        if reason.isEmpty { issues.append(FieldIssue("reason", "field.required")) }
        if reason.count > 200 || reason.hasControlOrFormatCharacters { issues.append(FieldIssue("reason", "field.control_characters")) }
        guard issues.isEmpty, let payee else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard try await PayrollStore().refusedPayables(of: personID, on: db).contains(where: { $0.id == payableID }) else {
                throw ServiceError.conflict("pension_account.not_refused")
            }
            let id = try await PayrollStore().proposeAccountChange(person: personID, payable: payableID, paymentPoint: payee.point.id, account: payee.account,
                                                                   reason: reason, by: actor, proposerID: principal.userID, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "pension_account_change", entityID: String(id), region: person.region,
                                                after: ["person": String(personID), "payable": String(payableID), "account": "…" + payee.account.suffix(4)]),
                                     on: db, at: now)
            return id
        }
    }

    /// A person's benefits owed once whose payment the bank refused and that wait for a new account.
    public func refusedPayables(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [(id: Int64, kind: String, amount: Money, period: Period)] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await PayrollStore().refusedPayables(of: personID, on: db) }
    }

    /// The account changes in the reader's scope. A reviewer is shown the proposed accounts in full
    /// (to compare with the retiree's card): that reading is audited.
    public func accountChanges(proposedOnly: Bool, by principal: Principal) async throws(ServiceError) -> [PensionAccountChange] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        let changes = try await context.read { db in try await PayrollStore().accountChanges(status: proposedOnly ? .proposed : nil, in: scope, on: db) }
        let shown = changes.filter { $0.status == .proposed }
        if principal.role == .reviewer, !shown.isEmpty {
            try await context.record(AuditEvent(actor: AuditActor(principal), action: .read, entity: "pension_account_change",
                                                entityID: shown.map { String($0.id) }.joined(separator: ","), region: scope))
        }
        return changes
    }

    /// Approves or rejects a proposed account; never by its proposer.
    public func decideAccount(_ id: Int64, approve: Bool, by principal: Principal) async throws(ServiceError) {
        guard principal.role == .reviewer else { throw .forbidden }
        let actor = AuditActor(principal)
        let now = context.now
        try await context.write { db in
            guard let change = try await PayrollStore().accountChange(id, on: db), principal.may(.insuranceRead, in: change.region) else {
                throw ServiceError.notFound
            }
            guard change.status == .proposed else { throw ServiceError.conflict("maker_checker.not_pending") }
            guard change.proposedByID != principal.userID else { throw ServiceError(.forbidden, "maker_checker.own_proposal") }
            try await PayrollStore().decideAccountChange(change, approve: approve, by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "pension_account_change", entityID: String(id), region: change.region,
                                                before: ["status": "proposed"], after: ["status": approve ? "approved" : "rejected"]),
                                     on: db, at: now)
        }
    }

    // MARK: Payroll files

    /// The files a posted run's payments go out in: per bank, `perFile` transfers at most each.
    public func payrollFiles(run runID: Int64, perFile: Int, format: PayrollFile.Format, by principal: Principal) async throws(ServiceError) -> [PayrollFile] {
        let run = try await postedPayroll(runID, by: principal)
        try Self.checkTransfersPerFile(perFile)
        let shares = try await context.read { db in try await PayrollStore().shares(run: run.id, on: db) }
        return shares.flatMap { share -> [PayrollFile] in
            let parts = Int((share.count + Int64(perFile) - 1) / Int64(perFile))
            return (1...max(1, parts)).map { part in
                let count = min(Int64(perFile), share.count - Int64(part - 1) * Int64(perFile))
                return PayrollFile(bank: share.bank, part: part, count: count, amount: .zero, format: format)
            }
        }
    }

    private static func checkTransfersPerFile(_ perFile: Int) throws(ServiceError) {
        guard (1...transfersPerFileLimit).contains(perFile) else {
            throw .invalid("perFile", "field.out_of_range", ["min": "1", "max": String(transfersPerFileLimit)])
        }
    }

    /// The ids of payments read in one page when the files are written.
    static let paymentsPerPage: Int64 = 10_000

    /// Files made at once while the run is read on: each bank's file fills at about the same
    /// page (its share of every page is about the same), so several are ready together. Four (two
    /// before) came with the windowed reading and was not measured apart from it; a file and its
    /// transfers are some 8 MB for 10,000, and three rounds peak at 170–225 MB.
    static let filesMadeAtOnce = 4

    /// Writes every file of a posted run, handing each to `write` (a folder on the command line),
    /// `filesMadeAtOnce` files at a time at most: `write` must take that many at once. Only an
    /// approved and posted run's payments leave.
    public func writePayrollFiles(run runID: Int64, perFile: Int, format: PayrollFile.Format, by principal: Principal,
                                  write: @Sendable (PayrollFile, Data) async throws -> Void) async throws(ServiceError) -> [PayrollFile] {
        let run = try await postedPayroll(runID, by: principal)
        try Self.checkTransfersPerFile(perFile)
        // One pass over the run's payments in order, each bank's transfers gathered until a file
        // is full: the same files as `payrollFiles` lists, bank by bank in payment order, for one
        // read of the run instead of one per bank (measured: a third less time for a million
        // payments) and none to count them first (0.6 s for a million). What was written must
        // then be the run: its count and total, as computed.
        let banks = try await context.read { db in try await PayrollStore().banks(on: db) }
        let bankByCode = Dictionary(banks.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var parts: [String: Int] = [:]
        var gathered: [String: [BankTransfer]] = [:]
        func take(_ bank: String) throws(ServiceError) -> (PayrollFile, [BankTransfer]) {
            guard let transfers = gathered.removeValue(forKey: bank), !transfers.isEmpty, let info = bankByCode[bank] else {
                throw ServiceError(.failure, "payroll.files_changed", ["run": String(run.id)])
            }
            let part = parts[bank, default: 0] + 1
            parts[bank] = part
            return (PayrollFile(bank: info, part: part, count: Int64(transfers.count), amount: transfers.reduce(Money.zero) { $0 + $1.amount },
                                format: format), transfers)
        }
        let range = try await context.read { db in try await PayrollStore().paymentRange(run: run.id, on: db) }
        let context = self.context
        let residentIDs = format == .text
        var written: [PayrollFile] = []
        do {
            // Three things at once on the machine's cores: the next pages are read (`readInOrder`)
            // while this one is gathered, and full files are made and written (`filesMadeAtOnce`
            // at most, so memory stays bounded) while the gathering goes on.
            try await withoutActuallyEscaping(write) { write in
                try await withThrowingTaskGroup(of: PayrollFile.self) { group in
                    var writing = 0
                    func start(_ full: [(PayrollFile, [BankTransfer])]) async throws {
                        for (file, transfers) in full {
                            if writing == Self.filesMadeAtOnce, let done = try await group.next() {
                                written.append(done)
                                writing -= 1
                            }
                            group.addTask {
                                try await write(file, try await self.document(for: file, run: run, transfers: transfers))
                                return file
                            }
                            writing += 1
                        }
                    }
                    if let range {
                        // Pages are windows of the run's id range, known before any is read, so
                        // three are read at once (a cursor's next page waits for the last to be
                        // read and parsed). Three rather than two once the files cost less to make
                        // than the pages to read: `shebao payroll files` of a million payments,
                        // alternated, 0.94 and 0.98 s against 1.01 and 1.02 s (medians of 6 and 8).
                        let last = range.upperBound
                        let windows = stride(from: range.lowerBound, through: last, by: Int(Self.paymentsPerPage)).map {
                            $0...($0 > last - Self.paymentsPerPage ? last : $0 + Self.paymentsPerPage - 1)
                        }
                        try await readInOrder(windows, ahead: 3, read: { window in
                            try await context.read { db in
                                try await PayrollStore().transfersInOrder(run: run.id, range: window, after: window.lowerBound - 1,
                                                                          limit: Int(Self.paymentsPerPage), residentIDs: residentIDs, on: db)
                            }
                        }, each: { page in
                            var full: [(PayrollFile, [BankTransfer])] = []
                            for (bank, transfer) in page {
                                gathered[bank, default: []].append(transfer)
                                if gathered[bank]?.count == perFile { full.append(try take(bank)) }
                            }
                            try await start(full)
                        })
                    }
                    try await start(try gathered.keys.sorted().map { bank throws(ServiceError) in try take(bank) })
                    while let done = try await group.next() { written.append(done) }
                }
            }
        } catch {
            throw ServiceError.from(error)
        }
        guard written.reduce(0, { $0 + $1.count }) == run.rowCount, written.reduce(Money.zero, { $0 + $1.amount }) == Money(fen: run.total) else {
            throw ServiceError(.failure, "payroll.files_changed", ["run": String(run.id)])
        }
        written.sort { ($0.bank.code, $0.part) < ($1.bank.code, $1.part) }
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .export, entity: "payroll_files", entityID: String(run.id), region: run.key.scope,
                                            after: ["files": String(written.count), "format": format.rawValue]))
        return written
    }

    /// One file of a posted run, for a download.
    public func payrollFile(run runID: Int64, bank: String, part: Int, perFile: Int, format: PayrollFile.Format,
                            by principal: Principal) async throws(ServiceError) -> (PayrollFile, Data) {
        let files = try await payrollFiles(run: runID, perFile: perFile, format: format, by: principal)
        guard var file = files.first(where: { $0.bank.code == bank && $0.part == part }) else { throw .notFound }
        let run = try await postedPayroll(runID, by: principal)
        // The part's first payment: the payments before it, in payment order, skipped by count.
        let transfers = try await context.read { db in
            let before = try await PayrollStore().paymentBefore(run: run.id, bank: bank, skipping: (part - 1) * perFile, on: db)
            return try await PayrollStore().transfers(run: run.id, bank: bank, after: before, limit: perFile, residentIDs: format == .text, on: db)
        }
        file.amount = transfers.reduce(Money.zero) { $0 + $1.amount }
        let data = try await document(for: file, run: run, transfers: transfers)
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .export, entity: "payroll_file", entityID: file.name(run: run.id),
                                            region: run.key.scope, after: ["transfers": String(transfers.count)]))
        return (file, data)
    }

    private func document(for file: PayrollFile, run: BatchRun, transfers: [BankTransfer]) async throws(ServiceError) -> Data {
        let installation = try await installation.required()
        // Pensions are paid on the 10th of the month (or the day the run was posted, if later).
        let tenth = run.key.period.firstDay.adding(days: 9)
        let posted = run.postedAt.flatMap(Timestamp.init(iso8601:)) ?? context.now
        let header = BankFileHeader(
            messageID: PayrollFile.messageID(run: run.id, bank: file.bank.code, part: file.part), created: posted,
            execution: max(tenth, posted.dateInChina), debtorName: context.strings.text("payroll.debtor", .zhHans, ["district": installation.name]),
            debtorAccount: file.bank.fundAccount, bic: file.bank.bic,
            remittance: Dictionary(uniqueKeysWithValues: Self.paymentKinds.map { ($0, context.strings.text("payroll.remittance.\($0)", .zhHans)) })
                .merging(["pension": context.strings.text("payroll.remittance", .zhHans, ["period": run.key.period.description])]) { _, pension in pension })
        switch file.format {
        case .pain001: return Pain001.document(header, transfers: transfers)
        case .text:
            do {
                return try BankText.document(header, transfers: transfers, encoding: file.bank.textEncoding)
            } catch {
                throw .refused(error.code, error.arguments)
            }
        }
    }

    /// The kinds of payment benefits owed once (or month by month) go out as, beside pensions:
    /// each says what it pays in the bank's remittance (`payroll.remittance.<kind>`).
    static let paymentKinds = ["work_injury", "work_injury_monthly", "maternity", "unemployment", "medical", "training_subsidy", "placement_subsidy", "survivor",
                               "work_injury_death", "work_injury_survivor", "dibao", "education_aid", "support", "ncms", "medical_assistance", "land", "relief"]

    private func postedPayroll(_ runID: Int64, by principal: Principal) async throws(ServiceError) -> BatchRun {
        try principal.require(.payrollManage)
        guard let run = try await context.read({ db in try await BatchStore().find(id: runID, on: db) }), run.key.kind == PensionPayroll.kind.id,
              principal.scope.contains(run.key.scope) || run.key.scope.contains(principal.scope) else { throw .notFound }
        guard run.state == .posted else { throw .conflict("payroll.not_posted", labels: ["state": run.state.labelKey]) }
        return run
    }

    // MARK: Returns

    /// Imports a bank's return (pain.002 or the text return): each line posts or voids its pending
    /// payment once, matched by end-to-end id; an unknown id, a line repeating one already in the
    /// file, a payment already settled, a stated amount that differs, or a status that is not final
    /// is quarantined and posts nothing. The ledger's second phase follows per run and fund. The
    /// same file again changes nothing.
    public func importReturn(_ data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> BankReturnOutcome {
        try principal.require(.payrollManage)
        let region = try await installation.required().region
        guard principal.scope.contains(region) else { throw .forbidden }
        let sha = data.sha256Hex
        if let earlier = try await context.read({ db in try await PayrollStore().knownReturn(sha256: sha, on: db) }) {
            let record = try await context.read { db in try await PayrollStore().bankReturn(earlier, on: db) }
            guard let record else { throw .notFound }
            return BankReturnOutcome(record: record, quarantined: [], repeated: true)
        }
        let file: BankReturnFile
        do {
            file = try BankReturnReader.read(data)
        } catch {
            throw .invalid("file", error.code, error.arguments)
        }
        let actor = AuditActor(principal)
        let now = context.now
        let memo = context.strings.text("ledger.memo.bank_return", .zhHans, ["file": fileName])
        let id = try await context.write { db in
            let payments = try await PayrollStore().payments(ids: file.lines.compactMap { BankTransfer.number(inEndToEndID: $0.endToEndID) }, on: db)
            var seen: Set<String> = []
            var decided: [(line: BankReturnLine, outcome: String, reason: String, payment: PayrollStore.PaymentState?)] = []
            for line in file.lines {
                let payment = BankTransfer.number(inEndToEndID: line.endToEndID).flatMap { payments[$0] }
                let first = seen.insert(line.endToEndID).inserted
                let quarantine: String? = if payment == nil {
                    "unknown"
                } else if !first {
                    "duplicate"
                } else if payment!.state != "pending" {
                    "already_settled"
                } else if let amount = line.amount, amount != payment!.amount {
                    "amount_differs"
                } else if line.outcome == .notFinal {
                    "not_final"
                } else {
                    nil
                }
                if let quarantine {
                    decided.append((line, "quarantined", quarantine, payment))
                } else {
                    decided.append((line, line.outcome.rawValue, line.reason, payment))
                }
            }
            let id = try await PayrollStore().recordReturn(fileName: fileName, sha256: sha, format: file.format.rawValue, messageID: file.messageID,
                                                           lines: decided, by: actor, at: now, on: db)
            // The second phase, per run and fund: paid lines leave the expenditure account,
            // failed ones void their share of the pending expense.
            var sums: [String: (run: Int64, fund: Fund, paid: Money, failed: Money)] = [:]
            for entry in decided where entry.outcome != "quarantined" {
                guard let payment = entry.payment else { continue }
                let key = "\(payment.runID):\(payment.fund.rawValue)"
                var sum = sums[key] ?? (payment.runID, payment.fund, .zero, .zero)
                if entry.outcome == "paid" { sum.paid += payment.amount } else { sum.failed += payment.amount }
                sums[key] = sum
            }
            for (_, sum) in sums.sorted(by: { $0.key < $1.key }) {
                let source = "payroll:\(sum.run)"
                if sum.paid.fen > 0 {
                    let draft = LedgerEntryDraft(fund: sum.fund, occurredOn: now.dateInChina, memo: memo, source: source,
                                                 lines: [LedgerLine(.payable, debit: sum.paid), LedgerLine(.expenditureDeposit, credit: sum.paid)])
                    _ = try await LedgerStore().post(draft, region: region, key: "return:\(id):\(sum.run):\(sum.fund.rawValue):paid", by: actor, at: now, on: db)
                }
                if sum.failed.fen > 0 {
                    let draft = LedgerEntryDraft(fund: sum.fund, occurredOn: now.dateInChina, memo: memo, source: source,
                                                 lines: [LedgerLine(.payable, debit: sum.failed), LedgerLine(.benefitExpense, credit: sum.failed)])
                    _ = try await LedgerStore().post(draft, region: region, key: "return:\(id):\(sum.run):\(sum.fund.rawValue):void", by: actor, at: now, on: db)
                }
            }
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "bank_return", entityID: String(id), region: region,
                                                after: ["file": fileName, "lines": String(file.lines.count)]),
                                     on: db, at: now)
            return id
        }
        return try await context.read { db in
            let store = PayrollStore()
            guard let record = try await store.bankReturn(id, on: db) else { throw ServiceError.notFound }
            return BankReturnOutcome(record: record, quarantined: try await store.quarantined(of: id, limit: 10_000, on: db), repeated: false)
        }
    }

    public func bankReturns(by principal: Principal) async throws(ServiceError) -> (returns: [BankReturnRecord], quarantined: [QuarantinedLine]) {
        try principal.require(.payrollManage)
        return try await context.read { db in
            (try await PayrollStore().returns(limit: 100, on: db), try await PayrollStore().quarantined(limit: 200, on: db))
        }
    }

    /// A payroll run's three sides: its payments, its ledger entries and the bank's returns.
    public func reconciliation(run runID: Int64, by principal: Principal) async throws(ServiceError) -> PayrollReconciliation {
        try principal.require(.batchRead)
        guard let run = try await context.read({ db in try await BatchStore().find(id: runID, on: db) }), run.key.kind == PensionPayroll.kind.id,
              principal.may(.batchRead, in: run.key.scope) else { throw .notFound }
        return try await context.read { db in try await PayrollStore().reconciliation(run: run.id, on: db) }
    }

    /// A person's pension payments, newest first.
    public func payments(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [PayrollStore.PaymentRecord] {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in try await PayrollStore().payments(of: personID, limit: 24, on: db) }
    }

    // MARK: Death

    /// Imports the death register: each pension of a person who died stops from the month after
    /// death; months already paid after it raise an overpayment, a receivable in the fund until
    /// recovered (RULES.md §1.7). A bad row rejects the whole file and nothing changes.
    public func importDeaths(_ data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> DeathImportOutcome {
        try principal.require(.payrollManage)
        let region = try await installation.required().region
        guard principal.scope.contains(region) else { throw .forbidden }
        let checked = DeathRegisterImporter(strings: context.strings).check(data, fileName: fileName, today: context.today)
        let actor = AuditActor(principal)
        guard checked.issues.isEmpty else {
            try await context.record(AuditEvent(actor: actor, action: .importCheck, entity: "death_register", entityID: fileName, region: region,
                                                after: ["rows": String(checked.rowCount), "issues": String(checked.issues.count)]))
            return DeathImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, stopped: [], unaffected: 0)
        }
        let now = context.now
        let memo = context.strings.text("ledger.memo.overpayment", .zhHans, ["file": fileName])
        return try await context.write { db in
            let persons = try await PersonStore().ids(ofResidentIDs: checked.deaths.map(\.residentID), on: db)
            var stopped: [DeathImportOutcome.Stopped] = []
            for death in checked.deaths {
                guard let personID = persons[death.residentID.value], let pension = try await PensionStore().pension(of: personID, on: db),
                      pension.state == .paying else { continue }
                let over = try await PayrollStore().stop(person: personID, diedOn: death.diedOn, on: db)
                try await context.append(AuditEvent(actor: actor, action: .update, entity: "pension", entityID: String(personID), region: pension.region,
                                                    before: ["state": pension.state.rawValue], after: ["state": "stopped", "died_on": death.diedOn.description]),
                                         on: db, at: now)
                if let over {
                    let id = try await PayrollStore().raiseOverpayment(person: personID, region: pension.region, diedOn: death.diedOn, first: over.first,
                                                                        last: over.last, amount: over.amount, by: actor, at: now, on: db)
                    let draft = LedgerEntryDraft(fund: PensionPayroll.fund, occurredOn: now.dateInChina, memo: memo, source: "overpayment:\(id)",
                                                 lines: [LedgerLine(.receivable, debit: over.amount), LedgerLine(.benefitExpense, credit: over.amount)])
                    _ = try await LedgerStore().post(draft, region: region, key: "overpayment:\(id)", by: actor, at: now, on: db)
                }
                stopped.append(.init(personID: personID, name: pension.name, diedOn: death.diedOn, overpayment: over?.amount))
            }
            return DeathImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: [], stopped: stopped,
                                      unaffected: checked.deaths.count - stopped.count)
        }
    }

    public func overpayments(by principal: Principal) async throws(ServiceError) -> [Overpayment] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await PayrollStore().overpayments(in: scope, on: db) }
    }

    /// Records money recovered against an overpayment (from the next of kin or the bank): never
    /// more than is outstanding. The receivable falls by as much.
    public func recordRecovery(_ id: Int64, amount text: String, receivedOn dateText: String, note: String,
                               by principal: Principal) async throws(ServiceError) -> Overpayment {
        try principal.require(.payrollManage)
        let region = try await installation.required().region
        guard let overpayment = try await context.read({ db in try await PayrollStore().overpayments(in: .nation, id: id, on: db).first }),
              principal.may(.payrollManage, in: overpayment.region) else { throw .notFound }
        var issues: [FieldIssue] = []
        let amount = try? Money.parse(text)
        if amount == nil || amount!.fen <= 0 || amount! > overpayment.outstanding {
            issues.append(FieldIssue("amount", "overpayment.bad_amount", ["max": overpayment.outstanding.yuanText]))
        }
        let receivedOn = LocalDate(iso: dateText.trimmingUnicodeWhitespace())
        if receivedOn == nil || receivedOn! > context.today || receivedOn! < overpayment.diedOn {
            issues.append(FieldIssue("receivedOn", "overpayment.bad_date", ["value": dateText]))
        }
        let note = note.trimmingUnicodeWhitespace()
        if note.isEmpty { issues.append(FieldIssue("note", "field.required")) }
        if note.count > 200 || note.hasControlOrFormatCharacters { issues.append(FieldIssue("note", "field.control_characters")) }
        guard issues.isEmpty, let amount, let receivedOn else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        let memo = context.strings.text("ledger.memo.recovery", .zhHans, ["person": overpayment.personName])
        return try await context.write { db in
            // Locked and re-read: two clerks recording at once cannot recover more than is owed.
            _ = try await db.raw("SELECT id FROM overpayments WHERE id = \(bind: id)\(unsafeRaw: Dialect(db).forUpdate)").first()
            guard let current = try await PayrollStore().overpayments(in: .nation, id: id, on: db).first, amount <= current.outstanding else {
                throw ServiceError.invalid("amount", "overpayment.bad_amount", ["max": overpayment.outstanding.yuanText])
            }
            let recovery = try await PayrollStore().recordRecovery(id, amount: amount, receivedOn: receivedOn, note: note, by: actor, at: now, on: db)
            let draft = LedgerEntryDraft(fund: PensionPayroll.fund, occurredOn: receivedOn, memo: memo, source: "overpayment:\(id)",
                                         lines: [LedgerLine(.incomeDeposit, debit: amount), LedgerLine(.receivable, credit: amount)])
            _ = try await LedgerStore().post(draft, region: region, key: "recovery:\(recovery)", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "overpayment_recovery", entityID: String(recovery),
                                                region: current.region, after: ["overpayment": String(id), "amount": amount.yuanText]),
                                     on: db, at: now)
            guard let updated = try await PayrollStore().overpayments(in: .nation, id: id, on: db).first else { throw ServiceError.notFound }
            return updated
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
