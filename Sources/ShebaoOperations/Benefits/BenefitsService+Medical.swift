public import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What an inpatient claim would pay: the rule's input and result, explained.
public struct InpatientDraft: Sendable {
    public var person: Person
    public var institution: MedicalInstitution
    public var request: InpatientClaim.Request
    public var result: RuleResult<MedicalReimbursementRule.Output>
}

/// A person's medical account and inpatient stays, for the person page.
public struct MedicalRecord: Sendable {
    public var credited: Money
    public var spent: Money
    public var purchases: [AccountPurchaseLine]
    public var stays: [InpatientStay]

    public var balance: Money { Money(fen: credited.fen - spent.fen) }
}

/// A pharmacy's purchase file taken in: every row recorded, or every issue and nothing written.
public struct PurchaseImportOutcome: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var recorded: Int
    public var amount: Money
}

/// A hospital stay as a claim enters it, checked: a designated hospital open to claims on the day
/// of admission, dates neither in the future nor out of order, the whole bill and its covered part.
public struct HospitalStay: Sendable {
    public var hospital: MedicalInstitution
    public var admitted: LocalDate
    public var discharged: LocalDate
    public var total: Money
    public var eligible: Money
}

extension ServiceContext {
    /// The stay typed into a claim's fields, each problem added to `issues` (nil then); a hospital
    /// suspended, exited or outside its agreement on the day of admission is refused.
    func hospitalStay(institution: String, admittedOn: String, dischargedOn: String, totalCost: String, eligibleCost: String,
                      issues: inout [FieldIssue]) async throws(ServiceError) -> HospitalStay? {
        let hospital = try await read { db in try await Int64(institution.trimmingUnicodeWhitespace()).asyncMap { try await MedicalStore().institution($0, on: db) } ?? nil }
        if hospital == nil || hospital?.kind != .hospital { issues.append(FieldIssue("institution", "field.not_in_list", ["value": institution])) }
        let admitted = LocalDate(iso: admittedOn.trimmingUnicodeWhitespace())
        let discharged = LocalDate(iso: dischargedOn.trimmingUnicodeWhitespace())
        if admitted == nil || admitted! > today || admitted!.year < 1998 { issues.append(FieldIssue("admittedOn", "medical.bad_date", ["value": admittedOn])) }
        if discharged == nil || discharged! > today || (admitted.map { discharged! < $0 } ?? false) {
            issues.append(FieldIssue("dischargedOn", "medical.bad_discharge", ["value": dischargedOn]))
        }
        let total = try? Money.parse(totalCost)
        if total == nil || total!.fen <= 0 || total! > Money.inputLimit { issues.append(FieldIssue("totalCost", "medical.bad_cost")) }
        let eligible = try? Money.parse(eligibleCost)
        if eligible == nil || eligible!.fen < 0 || eligible! > Money.inputLimit { issues.append(FieldIssue("eligibleCost", "medical.bad_cost")) }
        if let total, let eligible, eligible > total { issues.append(FieldIssue("eligibleCost", "medical.eligible_above_total")) }
        guard let hospital, let admitted, let discharged, let total, let eligible else { return nil }
        if let refusal = hospital.refusal(on: admitted) {
            throw .conflict(refusal, ["institution": hospital.name, "date": admitted.description, "since": hospital.statusSince.description])
        }
        return HospitalStay(hospital: hospital, admitted: admitted, discharged: discharged, total: total, eligible: eligible)
    }
}

extension BenefitsService {
    /// The case type with its effect: on approval the stay is recorded against the person's year
    /// and the fund's share is owed from the pooled fund, paid by the next payroll run. The year's
    /// figures must still be those the claim was computed with — another stay approved meanwhile
    /// changes the deductible left and the room under the cap, and the claim must be computed again.
    public static let inpatientCases = CaseHandler(
        type: InpatientClaim.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(InpatientClaim.Request.self, from: Data(step.record.payload.utf8))
            let year = try await MedicalStore().yearToDate(person: request.personID, year: request.admittedOn.year, on: step.db)
            guard year.deductible == (request.input.deductibleMet ?? .zero), year.paid == (request.input.paidThisYear ?? .zero) else {
                throw ServiceError.conflict("medical.year_changed")
            }
            try await MedicalStore().recordClaim(request, case: step.record.id, region: step.record.region, by: step.actor, at: step.now, on: step.db)
            if request.reimbursement.fundPays.fen > 0 {
                try await PayrollStore().owe(source: "medical:\(step.record.id)", kind: "medical", person: request.personID, region: step.record.region,
                                             fund: .medicalPooled, amount: request.reimbursement.fundPays, paymentPoint: request.paymentPointID,
                                             account: request.account, at: step.now, on: step.db)
            }
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "medical_claim", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "institution": String(request.institutionID),
                                   "fund_pays": request.reimbursement.fundPays.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(InpatientClaim.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "medical.admitted_on", value: request.admittedOn.description),
                CaseFact(labelKey: "medical.discharged_on", value: request.dischargedOn.description),
                CaseFact(labelKey: "medical.total_cost", value: request.totalCost.formatted),
                CaseFact(labelKey: "input.eligibleCost", value: request.input.eligibleCost.formatted),
                CaseFact(labelKey: "medical.deductible_borne", value: request.reimbursement.deductible.formatted),
                CaseFact(labelKey: "medical.fund_pays", value: request.reimbursement.fundPays.formatted),
                CaseFact(labelKey: "medical.patient_pays", value: request.reimbursement.patientPays.formatted),
            ]
        })

    /// The fund's share of `personID`'s stay at a designated hospital: insured in medical in the
    /// month of admission, the hospital under agreement and not suspended or exited that day; the
    /// year's earlier stays count against the deductible and the cap; a retiree's rate is higher.
    public func inpatientClaim(personID: Int64, institution: String, admittedOn: String, dischargedOn: String, totalCost: String, eligibleCost: String,
                               paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> InpatientDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        var issues: [FieldIssue] = []
        let stay = try await context.hospitalStay(institution: institution, admittedOn: admittedOn, dischargedOn: dischargedOn, totalCost: totalCost,
                                                  eligibleCost: eligibleCost, issues: &issues)
        let payee = try await payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let stay, let payee else { throw .invalid(issues) }
        let (hospital, admitted, discharged, total, eligible) = (stay.hospital, stay.admitted, stay.discharged, stay.total, stay.eligible)
        let (enrolments, pension, year, repeated) = try await context.read { db in
            // A claim still being decided holds the year's figures this one would be computed from.
            try await Self.requireNoOpenClaim(InpatientClaim.caseType, person: personID, busy: "medical.open", on: db)
            return (try await InsuranceStore().enrolments(of: personID, on: db), try await PensionStore().pension(of: personID, on: db),
             try await MedicalStore().yearToDate(person: personID, year: admitted.year, on: db),
             try await MedicalStore().stays(of: personID, on: db).contains { $0.admittedOn == admitted && $0.institutionID == hospital.id })
        }
        guard enrolments.contains(where: { $0.scheme == .medical && $0.start <= admitted.period && ($0.end.map { admitted.period <= $0 } ?? true) }) else {
            throw .conflict("medical.not_insured", ["month": admitted.period.description])
        }
        guard !repeated else { throw .conflict("medical.stay_claimed", ["date": admitted.description]) }
        let retired = pension.map { $0.start <= admitted.period } ?? false
        let input = MedicalReimbursementRule.Input(date: admitted, eligibleCost: eligible, deductibleMet: year.deductible, paidThisYear: year.paid,
                                                   hospitalLevel: hospital.level, retired: retired ? true : nil)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<MedicalReimbursementRule.Output>
        do {
            result = try MedicalReimbursementRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        let request = InpatientClaim.Request(personID: personID, institutionID: hospital.id, admittedOn: admitted, dischargedOn: discharged, totalCost: total,
                                             input: input, reimbursement: result.output, paymentPointID: payee.point.id, account: payee.account)
        return InpatientDraft(person: person, institution: hospital, request: request, result: result)
    }

    /// Opens the inpatient claim for the draft the same figures give; one open claim per person.
    public func openInpatientClaim(personID: Int64, institution: String, admittedOn: String, dischargedOn: String, totalCost: String, eligibleCost: String,
                                   paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await inpatientClaim(personID: personID, institution: institution, admittedOn: admittedOn, dischargedOn: dischargedOn,
                                             totalCost: totalCost, eligibleCost: eligibleCost, paymentPoint: paymentPoint, account: account, by: principal)
        return try await context.openClaim(InpatientClaim.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                   busy: "medical.open", by: principal)
    }

    /// The hospitals a claim may name: those in the reader's scope that are under agreement.
    public func claimableHospitals(by principal: Principal) async throws(ServiceError) -> [MedicalInstitution] {
        try await medicalInstitutions(by: principal).filter { $0.kind == .hospital && $0.status != .exited }
    }

    /// A person's medical account (credited by paid months, less purchases) and approved stays.
    public func medicalRecord(of personID: Int64, by principal: Principal) async throws(ServiceError) -> MedicalRecord {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(.insuranceRead, in: person.region)
        return try await context.read { db in
            let store = MedicalStore()
            let balance = try await store.accountBalances(of: [personID], on: db)[personID] ?? (.zero, .zero)
            return MedicalRecord(credited: balance.credited, spent: balance.spent, purchases: try await store.purchases(of: personID, on: db),
                                 stays: try await store.stays(of: personID, on: db))
        }
    }

    // MARK: Individual-account purchases

    /// Takes in a designated pharmacy's file of purchases paid from individual accounts. Every
    /// row must be clean, name a registered person, a receipt not reported before, a day the
    /// pharmacy was under agreement and not suspended, and fit the person's balance (the file's
    /// earlier rows counted); else the whole file is refused with each row's problem and nothing
    /// changes. Taken in, the purchases are owed to the pharmacy by the account fund (expense
    /// against a payable) until it is settled with.
    public func importPurchases(institution id: Int64, data: Data, fileName: String, by principal: Principal) async throws(ServiceError) -> PurchaseImportOutcome {
        let actor = AuditActor(principal)
        let now = context.now
        let checked = AccountPurchaseImporter(strings: context.strings).check(data, fileName: fileName, today: context.today)
        let memo = context.strings.text("ledger.memo.medical_purchases", .zhHans, ["file": fileName])
        let region = try await installation.required().region
        let outcome = try await context.write { db -> PurchaseImportOutcome in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            try principal.require(.medicalInstitutionManage, in: institution.region)
            var issues = checked.issues
            var purchases: [AccountPurchase] = []
            if issues.isEmpty {
                let store = MedicalStore()
                let persons = try await store.persons(ofResidentIDs: checked.purchases.map(\.residentID), on: db)
                let known = try await store.knownReceipts(institution: id, checked.purchases.map(\.receipt), on: db)
                var balances = try await store.accountBalances(of: persons.values.map(\.id), on: db).mapValues { $0.credited.fen - $0.spent.fen }
                for line in checked.purchases {
                    if known.contains(line.receipt) {
                        issues.append(checked.issue(row: line.row, field: "receipt", code: "purchase.known", arguments: ["receipt": line.receipt]))
                    }
                    if let refusal = institution.refusal(on: line.spentOn) {
                        issues.append(checked.issue(row: line.row, field: "spentOn", code: refusal,
                                                    arguments: ["institution": institution.name, "date": line.spentOn.description,
                                                                "since": institution.statusSince.description]))
                    }
                    guard let person = persons[line.residentID.value] else {
                        issues.append(checked.issue(row: line.row, field: "residentID", code: "purchase.unknown_person", arguments: ["id": line.residentID.masked]))
                        continue
                    }
                    let left = balances[person.id] ?? 0
                    if line.amount.fen > left {
                        issues.append(checked.issue(row: line.row, field: "amount", code: "purchase.balance",
                                                    arguments: ["amount": line.amount.yuanText, "balance": Money(fen: left).yuanText]))
                    }
                    balances[person.id] = left - line.amount.fen
                    purchases.append(AccountPurchase(institutionID: id, receipt: line.receipt, personID: person.id, region: person.region,
                                                     spentOn: line.spentOn, amount: line.amount))
                }
            }
            let total = Money(fen: purchases.reduce(0) { $0 + $1.amount.fen })
            guard issues.isEmpty, !purchases.isEmpty else {
                return PurchaseImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: issues, recorded: 0, amount: .zero)
            }
            try await MedicalStore().recordPurchases(purchases, fileName: fileName, by: actor, at: now, on: db)
            let draft = LedgerEntryDraft(fund: .medicalAccounts, occurredOn: now.dateInChina, memo: memo, source: "medical-purchases:\(id)",
                                         lines: [LedgerLine(.benefitExpense, debit: total), LedgerLine(.payable, credit: total)])
            _ = try await LedgerStore().post(draft, region: region, key: "medical-purchases:\(id):\(purchases[0].receipt)", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "medical_purchases", entityID: fileName, region: institution.region,
                                                after: ["institution": String(id), "rows": String(purchases.count), "amount": total.yuanText]), on: db, at: now)
            return PurchaseImportOutcome(fileName: fileName, rowCount: checked.rowCount, issues: [], recorded: purchases.count, amount: total)
        }
        if !outcome.issues.isEmpty {
            try await context.record(AuditEvent(actor: actor, action: .importCheck, entity: "medical_purchases", entityID: fileName, region: region,
                                                after: ["rows": String(outcome.rowCount), "issues": String(outcome.issues.count)]))
        }
        return outcome
    }

    /// The fund accountant settles with an institution for every purchase not yet settled, by a
    /// bank transfer with `reference`: the special account funds the expenditure account, and the
    /// payable is paid out of it. Nothing owed is refused.
    public func settleInstitution(_ id: Int64, reference: String, by principal: Principal) async throws(ServiceError) -> InstitutionAccount.Settlement {
        try principal.require(.ledgerPost)
        let reference = reference.trimmingUnicodeWhitespace()
        guard (1...60).contains(reference.count), !reference.hasControlOrFormatCharacters else { throw .invalid("reference", "settlement.bad_reference") }
        let actor = AuditActor(principal)
        let now = context.now
        let region = try await installation.required().region
        let memo = context.strings.text("ledger.memo.medical_settlement", .zhHans, ["reference": reference])
        return try await context.write { db in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            guard let settled = try await MedicalStore().settle(institution: id, reference: reference, by: actor, at: now, on: db) else {
                throw ServiceError.conflict("settlement.nothing_owed")
            }
            let source = "medical-settlement:\(settled.id)"
            let funding = LedgerEntryDraft(fund: .medicalAccounts, occurredOn: now.dateInChina, memo: memo, source: source,
                                           lines: [LedgerLine(.expenditureDeposit, debit: settled.amount), LedgerLine(.specialDeposit, credit: settled.amount)])
            _ = try await LedgerStore().post(funding, region: region, key: "\(source):funding", by: actor, at: now, on: db)
            let paid = LedgerEntryDraft(fund: .medicalAccounts, occurredOn: now.dateInChina, memo: memo, source: source,
                                        lines: [LedgerLine(.payable, debit: settled.amount), LedgerLine(.expenditureDeposit, credit: settled.amount)])
            _ = try await LedgerStore().post(paid, region: region, key: "\(source):paid", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "medical_settlement", entityID: String(settled.id), region: institution.region,
                                                after: ["institution": String(id), "purchases": String(settled.purchases), "amount": settled.amount.yuanText]),
                                     on: db, at: now)
            return InstitutionAccount.Settlement(id: settled.id, purchases: settled.purchases, amount: settled.amount, reference: reference,
                                                 settledBy: actor.name, settledAt: now.iso8601)
        }
    }
}
