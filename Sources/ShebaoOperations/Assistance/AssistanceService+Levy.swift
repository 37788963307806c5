import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What issuing a year's levy bills did.
public struct LevyIssue: Sendable {
    public var year: Int
    /// Units with staff counted.
    public var units: Int
    /// Bills issued now.
    public var issued: Int
    /// Units below the quota billed before for the year (not billed again).
    public var billedBefore: Int
    /// Units that met the quota or were exempt.
    public var nothingDue: Int
    public var total: Money
}

extension AssistanceService {
    /// Issues the disabled-employment levy for `year` (PROGRAMS.md §4.5; RULES.md §10) to every
    /// unit in the reader's scope: staff and disabled employees counted in December of the year
    /// before, the unit's average declared wage of that year, the mode in force by the rule. A unit
    /// below its quota is billed once a year, due by the end of the `disabled_levy.due_month`
    /// month; each bill is receivable in the disabled-employment fund. Rerunning bills only the
    /// units not billed yet.
    public func issueLevyBills(year text: String, by principal: Principal) async throws(ServiceError) -> LevyIssue {
        try principal.require(.assistanceManage)
        guard principal.role == .districtClerk || principal.role == .admin else { throw .forbidden }
        guard let year = Int(text.trimmingUnicodeWhitespace()), (2003...context.today.year).contains(year) else {
            throw .invalid("year", "field.out_of_range", ["min": "2003", "max": String(context.today.year)])
        }
        let scope = principal.scope
        let book = try await policy.book()
        let district = try await installation.required().region
        guard case .integer(let month)? = try? book.resolve("disabled_levy.due_month", region: district, on: LocalDate(year: year, month: 1, day: 1)!).value,
              let duePeriod = Period(year: year, month: Int(month)) else { throw .conflict("levy.no_due_month") }
        let dueOn = duePeriod.lastDay
        let units = try await context.read { db in try await LevyStore().staff(forYear: year, in: scope, on: db) }
        var computed: [(LevyStaff, DisabledEmploymentLevyRule.Output)] = []
        for unit in units {
            let input = DisabledEmploymentLevyRule.Input(year: year, ownershipType: unit.ownershipType, staff: unit.staff, disabledEmployees: unit.disabled,
                                                         severelyDisabledEmployees: unit.severelyDisabled, employerAverageAnnualWage: unit.averageAnnualWage)
            do {
                computed.append((unit, try DisabledEmploymentLevyRule.evaluate(input, book: book, region: district).output))
            } catch {
                throw .conflict("levy.unit_failed", ["unit": unit.employerName, "reason": context.strings.text("error." + error.code, .zhHans, error.arguments)])
            }
        }
        let due = computed.filter { $0.1.levy.fen > 0 }
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        let context = self.context
        let memo = context.strings.text("ledger.memo.levy", .zhHans, ["year": String(year)])
        let issued = try await context.write { db -> [Money] in
            var amounts: [Money] = []
            let billed = try await LevyStore().billedUnits(year: year, on: db)
            for (unit, output) in due where !billed.contains(unit.employerID) {
                let id = try await LevyStore().issue(unit, year: year, output: output, dueOn: dueOn, by: actor, at: now, on: db)
                let draft = LedgerEntryDraft(fund: .disabledEmployment, occurredOn: today, memo: memo, source: "levy:\(id)",
                                             lines: [LedgerLine(.receivable, debit: output.levy), LedgerLine(.contributionIncome, credit: output.levy)])
                _ = try await LedgerStore().post(draft, region: district, key: "levy:\(id)", by: actor, at: now, on: db)
                amounts.append(output.levy)
            }
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "levy_bills", entityID: String(year), region: scope,
                                                after: ["issued": String(amounts.count)]), on: db, at: now)
            return amounts
        }
        return LevyIssue(year: year, units: units.count, issued: issued.count, billedBefore: due.count - issued.count, nothingDue: computed.count - due.count,
                         total: issued.reduce(Money.zero, +))
    }

    /// The year's bills in the reader's scope.
    public func levyBills(year: Int, by principal: Principal) async throws(ServiceError) -> [LevyBill] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await LevyStore().bills(year: year, in: scope, on: db) }
    }

    /// What paying a bill on `day` costs: the levy, and after the due day the surcharge of
    /// `disabled_levy.late_daily_rate` a day (残疾人就业条例 Art. 27) by ``LateSurchargeRule``.
    public func levyDue(_ bill: LevyBill, paidOn day: LocalDate) async throws(ServiceError) -> RuleResult<LateSurchargeRule.Output>? {
        try Self.surcharge(of: bill, paidOn: day, book: try await policy.book(), region: try await installation.required().region)
    }

    /// What each bill still issued would owe if paid on `day`, the levy and its surcharge, by id:
    /// the parameters read once for the whole list.
    public func levyOwed(_ bills: [LevyBill], paidOn day: LocalDate) async throws(ServiceError) -> [Int64: Money] {
        let book = try await policy.book()
        let district = try await installation.required().region
        var owed: [Int64: Money] = [:]
        for bill in bills where bill.state == .issued {
            owed[bill.id] = bill.levy + (try Self.surcharge(of: bill, paidOn: day, book: book, region: district)?.output.surcharge ?? .zero)
        }
        return owed
    }

    static func surcharge(of bill: LevyBill, paidOn day: LocalDate, book: ParameterBook, region: RegionCode)
        throws(ServiceError) -> RuleResult<LateSurchargeRule.Output>? {
        guard day > bill.dueOn else { return nil }
        do {
            return try LateSurchargeRule.evaluate(.init(amount: bill.levy, from: bill.dueOn.adding(days: 1), paidOn: day, kind: .disabledLevy),
                                                  book: book, region: region)
        } catch {
            throw .rule(error)
        }
    }

    /// Records a unit's payment of its bill on `paidOn`: the whole levy and any surcharge, no
    /// more and no less; the levy settles the receivable and the surcharge is other income of the
    /// fund. A bill is paid once.
    public func payLevy(_ id: Int64, amount text: String, paidOn dayText: String, by principal: Principal) async throws(ServiceError) -> LevyBill {
        try principal.require(.ledgerPost)
        var issues: [FieldIssue] = []
        let amount = try? Money.parse(text.trimmingUnicodeWhitespace())
        if amount == nil || amount!.fen <= 0 || amount! > Money.inputLimit { issues.append(FieldIssue("amount", "levy.bad_amount")) }
        let day = LocalDate(iso: dayText.trimmingUnicodeWhitespace())
        if day == nil || day! > context.today { issues.append(FieldIssue("paidOn", "levy.bad_date", ["value": dayText])) }
        guard issues.isEmpty, let amount, let day else { throw .invalid(issues) }
        guard let bill = try await context.read({ db in try await LevyStore().bill(id, on: db) }), principal.may(.insuranceRead, in: bill.region) else {
            throw .notFound
        }
        guard bill.state == .issued else { throw .conflict("levy.paid_already") }
        let surcharge = try await levyDue(bill, paidOn: day)?.output.surcharge ?? .zero
        let owed = bill.levy + surcharge
        guard amount == owed else { throw .invalid("amount", "levy.amount_differs", ["owed": owed.yuanText, "surcharge": surcharge.yuanText]) }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        let district = try await installation.required().region
        let memo = context.strings.text("ledger.memo.levy_paid", .zhHans, ["year": String(bill.year), "unit": bill.employerName])
        return try await context.write { db in
            guard try await LevyStore().pay(id, on: day, surcharge: surcharge, by: actor, on: db) else { throw ServiceError.conflict("levy.paid_already") }
            var lines = [LedgerLine(.incomeDeposit, debit: owed), LedgerLine(.receivable, credit: bill.levy)]
            if surcharge.fen > 0 { lines.append(LedgerLine(.otherIncome, credit: surcharge)) }
            let draft = LedgerEntryDraft(fund: .disabledEmployment, occurredOn: day, memo: memo, source: "levy:\(id)", lines: lines)
            _ = try await LedgerStore().post(draft, region: district, key: "levy:\(id):paid", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "levy_bill", entityID: String(id), region: bill.region,
                                                after: ["paid_on": day.description, "surcharge": surcharge.yuanText]), on: db, at: now)
            guard let paid = try await LevyStore().bill(id, on: db) else { throw ServiceError.notFound }
            return paid
        }
    }
}
