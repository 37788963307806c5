public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A person's social insurance: what they are enrolled in and the bases they declared.
public struct InsuranceRecord: Sendable {
    public var enrolments: [Enrolment]
    public var bases: [(year: Int, declared: Money)]
}

/// A bill still open, with the late-payment surcharge it has run up to a day (RULES.md §6).
public struct Arrears: Sendable {
    public var bill: Bill
    public var asOf: LocalDate
    public var surcharge: RuleResult<LateSurchargeRule.Output>?
}

/// One page of bills with what all the bills listed add up to.
public struct BillList: Sendable {
    public var page: Page<Bill>
    public var summary: CollectionStore.BillSummary
}

/// One page of open bills with their surcharges, and what all of them add up to.
public struct ArrearsList: Sendable {
    public var page: Page<Arrears>
    public var outstanding: Money
    public var surcharge: Money
}

/// Persons dropping out beside the month's net new enrolment (边扩面、边脱保).
public struct DropOutReport: Sendable {
    public var period: Period
    public var persons: Page<DropOut>
    public var started: Int
    public var stopped: Int
    public var netNew: Int { started - stopped }
}

/// Social insurance (PROGRAMS.md §2.1–2.6, §3): enrolments and bases, the bills an approved
/// assessment sends out, the tax bureau's collections matched to them, arrears with their
/// surcharges, and the individual accounts the paid months fill.
public struct InsuranceService: Sendable {
    let context: ServiceContext
    let installation: InstallationService
    let policy: PolicyService

    /// Contributions for a month are due by its last day (征缴暂行条例 Art. 10, 按月缴纳); arrears
    /// start the day after, the first day the surcharge runs (RULES.md §6, day convention [A]).
    public static func firstDayLate(_ period: Period) -> LocalDate { period.lastDay.adding(days: 1) }

    /// A person's enrolments and bases, for whoever may read the person (staff in scope, the
    /// citizen themself).
    public func record(of person: Person, by principal: Principal) async throws(ServiceError) -> InsuranceRecord {
        try RegistryService.requireRead(person, principal)
        return try await context.read { db in
            InsuranceRecord(enrolments: try await InsuranceStore().enrolments(of: person.id, on: db), bases: try await InsuranceStore().bases(of: person.id, on: db))
        }
    }

    // MARK: Bills

    /// A month's bills in the reader's scope, or an employer agent's own unit's, a page at a time.
    public func bills(period: Period?, employer: Int64?, unpaidOnly: Bool = false, paging: Paging = Paging(perPage: Page<Int>.maximumPerPage),
                      by principal: Principal) async throws(ServiceError) -> BillList {
        let (scope, unit) = try await billScope(employer: employer, by: principal)
        let filter = CollectionStore.BillFilter(employer: unit, period: period, in: scope, unpaidOnly: unpaidOnly)
        return try await context.read { db in
            let summary = try await CollectionStore().summary(filter, on: db)
            let items = try await CollectionStore().bills(filter, limit: paging.perPage, offset: paging.offset, on: db)
            return BillList(page: Page(items: items, total: summary.count, page: paging.page, perPage: paging.perPage), summary: summary)
        }
    }

    /// The latest month billed that the reader may see; nil before the first bills went out.
    public func latestBilledPeriod(by principal: Principal) async throws(ServiceError) -> Period? {
        let (scope, unit) = try await billScope(employer: nil, by: principal)
        return try await context.read { db in try await CollectionStore().latestPeriod(in: scope, employer: unit, on: db) }
    }

    /// One unit's bill for a month: per scheme, each person's lines, and the lines collected.
    public func bill(employer: Int64, period: Period, by principal: Principal) async throws(ServiceError)
        -> (bills: [Bill], lines: [(personID: Int64, name: String, scheme: Scheme, line: AssessmentLine)], collections: [Collection]) {
        let (scope, unit) = try await billScope(employer: employer, by: principal)
        guard let unit else { throw .notFound }
        let result = try await context.read { db in
            (try await CollectionStore().bills(CollectionStore.BillFilter(employer: unit, period: period, in: scope), on: db),
             try await CollectionStore().billLines(employer: unit, period: period, on: db),
             try await CollectionStore().collections(employer: unit, period: period, on: db))
        }
        guard !result.0.isEmpty else { throw .notFound }
        return result
    }

    /// Staff read the bills of their scope; an employer agent only their own unit's, anywhere.
    private func billScope(employer: Int64?, by principal: Principal) async throws(ServiceError) -> (RegionCode, Int64?) {
        if principal.role == .employerAgent {
            guard let own = principal.employerID, employer == nil || employer == own else { throw .notFound }
            return (.nation, own)
        }
        try principal.require(.insuranceRead)
        return (principal.scope, employer)
    }

    // MARK: Figures

    public func rates(period: Period, by grouping: CollectionStore.RateGrouping, by principal: Principal) async throws(ServiceError) -> [CollectionRate] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await CollectionStore().rates(period: period, by: grouping, in: scope, on: db) }
    }

    public func headcountDifferences(period: Period, by principal: Principal) async throws(ServiceError) -> [HeadcountDifference] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await CollectionStore().headcountDifferences(period: period, in: scope, on: db) }
    }

    public func dropOuts(period: Period, paging: Paging = Paging(perPage: Page<Int>.maximumPerPage), by principal: Principal) async throws(ServiceError) -> DropOutReport {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in
            let changes = try await CollectionStore().enrolmentChanges(period: period, in: scope, on: db)
            let total = try await CollectionStore().dropOutCount(period: period, in: scope, on: db)
            let persons = try await CollectionStore().dropOuts(period: period, in: scope, limit: paging.perPage, offset: paging.offset, on: db)
            return DropOutReport(period: period, persons: Page(items: persons, total: total, page: paging.page, perPage: paging.perPage),
                                 started: changes.started, stopped: changes.stopped)
        }
    }

    /// Open bills in scope (or the agent's own), a page at a time, each with the surcharge run up
    /// to `asOf`; the totals are of every open bill (the surcharge rounded per bill, as each is
    /// charged).
    public func arrears(asOf: LocalDate? = nil, paging: Paging = Paging(perPage: Page<Int>.maximumPerPage),
                        by principal: Principal) async throws(ServiceError) -> ArrearsList {
        let (scope, unit) = try await billScope(employer: nil, by: principal)
        let day = asOf ?? context.today
        let filter = CollectionStore.BillFilter(employer: unit, in: scope, unpaidOnly: true)
        let (open, amounts) = try await context.read { db in
            (try await CollectionStore().bills(filter, limit: paging.perPage, offset: paging.offset, on: db),
             try await CollectionStore().outstanding(filter, on: db))
        }
        let book = try await policy.book()
        let region = try await installation.required().region
        let items = try open.map { (bill: Bill) throws(ServiceError) -> Arrears in
            Arrears(bill: bill, asOf: day, surcharge: try Self.surcharge(on: bill.outstanding, for: bill.period, paidOn: day, book: book, region: region))
        }
        var outstanding: Int64 = 0
        var surcharge: Int64 = 0
        for (period, amount) in amounts {
            outstanding += amount.fen
            surcharge += try Self.surcharge(on: amount, for: period, paidOn: day, book: book, region: region)?.output.surcharge.fen ?? 0
        }
        return ArrearsList(page: Page(items: items, total: amounts.count, page: paging.page, perPage: paging.perPage),
                           outstanding: Money(fen: outstanding), surcharge: Money(fen: surcharge))
    }

    /// What `amount` of `period`'s contributions paid on `paidOn` owes in surcharge; nil when on time.
    static func surcharge(on amount: Money, for period: Period, paidOn: LocalDate, book: ParameterBook,
                          region: RegionCode) throws(ServiceError) -> RuleResult<LateSurchargeRule.Output>? {
        let from = firstDayLate(period)
        guard amount.fen > 0, paidOn > from else { return nil }
        do {
            return try LateSurchargeRule.evaluate(LateSurchargeRule.Input(amount: amount, from: from, paidOn: paidOn), book: book, region: region)
        } catch {
            throw .rule(error)
        }
    }
}
