/// Who pays into the scheme.
public enum PayerType: String, Sendable, Codable, CaseIterable {
    /// An employee of a unit: the unit and the person pay.
    case employee
    /// An individual business owner or freelancer (灵活就业): the person pays everything.
    case selfEmployed = "self_employed"
}

/// Contributions for one person, one scheme, one month (RULES.md §1.1, §2, §3, §4.1, §5).
///
/// The base is the previous-year average monthly wage clamped to [60%, 300%] of the reference
/// average (Zhejiang 2008 Art. 9; 80% for the self-employed, Art. 11); each line is rounded once,
/// half-up to the fen; an employer's total is the sum of such lines, never a rounded aggregate.
public enum ContributionRule: PolicyRule {
    public static let id = "contribution"

    public struct Input: Codable, Sendable, Hashable {
        public var scheme: Scheme
        public var payer: PayerType
        /// The person's previous-year average monthly wage (the first month's wage for a new hire).
        public var wage: Money
        public var period: Period
        /// Work injury: the unit's risk class (1…8, or 1…3 before October 2015).
        public var riskClass: Int?
        /// Unemployment: rural contract workers pay no individual share (Regulations Art. 6).
        public var ruralContractWorker: Bool?
        /// Medical, an employee of a struggling enterprise: inpatient pooling only (PROGRAMS.md §2.8).
        public var inpatientOnly: Bool?

        public init(scheme: Scheme, payer: PayerType, wage: Money, period: Period, riskClass: Int? = nil, ruralContractWorker: Bool? = nil,
                    inpatientOnly: Bool? = nil) {
            self.scheme = scheme
            self.payer = payer
            self.wage = wage
            self.period = period
            self.riskClass = riskClass
            self.ruralContractWorker = ruralContractWorker
            self.inpatientOnly = inpatientOnly
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var base: Money
        public var individual: Money
        public var employer: Money
        /// What goes into the individual account this month (pension, medical).
        public var accountCredit: Money
        /// The part of the account credit taken from the employer's contribution (pension before 2006, medical).
        public var employerTransferToAccount: Money
    }

    public static func date(of input: Input) -> LocalDate { input.period.firstDay }

    public static let example = Input(scheme: .pension, payer: .employee, wage: .yuan(6000), period: Period(year: 2024, month: 7)!)

    public static let refusals = ["rule.inpatient_only_employees", "rule.required", "rule.out_of_range"]
    public static let fields: [RuleField] = [
        RuleField("scheme", .choice(Scheme.allCases.map(\.rawValue))), RuleField("payer", .choice(PayerType.allCases.map(\.rawValue))),
        RuleField("wage", .money), RuleField("period", .period), RuleField("riskClass", integer: 1...8, optional: true),
        RuleField("ruralContractWorker", .bool, optional: true), RuleField("inpatientOnly", .bool, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.scheme", input.scheme.rawValue)
        c.input("input.payer", input.payer.rawValue)
        c.input("input.wage", input.wage.x)
        c.input("input.period", input.period.description)
        guard !input.wage.isNegative else { throw .invalidInput(field: "wage", code: "rule.negative") }
        let inpatientOnly = input.inpatientOnly == true
        if inpatientOnly {
            guard input.scheme == .medical, input.payer == .employee else { throw .invalidInput(field: "inpatientOnly", code: "rule.inpatient_only_employees") }
            c.input("input.inpatientOnly", "true")
        }

        let reference = try c.money("wage.reference.monthly")
        let selfEmployedPension = input.payer == .selfEmployed && input.scheme == .pension
        let floorShare = try c.rate(selfEmployedPension ? "pension.self_employed.floor_share" : "contribution.base.floor_share")
        let ceilingShare = try c.rate("contribution.base.ceiling_share")
        let floor = Ratio(fen: reference) * Ratio(floorShare)
        let ceiling = Ratio(fen: reference) * Ratio(ceilingShare)
        let base = try Ratio.min(Ratio.max(Ratio(fen: input.wage), floor), ceiling).fen
        c.step("explain.contribution.base", "min(max(\(input.wage.x), \(reference.x) × \(floorShare)), \(reference.x) × \(ceilingShare))", base.x)

        var individual = Money.zero
        var employer = Money.zero
        var accountCredit = Money.zero
        var transfer = Money.zero
        switch input.scheme {
        case .pension:
            if input.payer == .selfEmployed {
                let rate = try c.rate("pension.rate.self_employed")
                individual = base.multiplied(by: rate)
                c.step("explain.contribution.self_employed", "\(base.x) × \(rate)", individual.x)
            } else {
                let individualRate = try c.rate("pension.rate.individual")
                let employerRate = try c.rate("pension.rate.employer")
                individual = base.multiplied(by: individualRate)
                employer = base.multiplied(by: employerRate)
                c.step("explain.contribution.individual", "\(base.x) × \(individualRate)", individual.x)
                c.step("explain.contribution.employer", "\(base.x) × \(employerRate)", employer.x)
            }
            // Before 2006 the account was credited 11% of the base, topped up from the employer's
            // part; from 2006 it is the individual's 8% (国发〔2005〕38号; Zhejiang 2008 Art. 24).
            let creditRate = try c.rate("pension.account_credit_rate")
            accountCredit = base.multiplied(by: creditRate)
            transfer = Money(fen: max(0, accountCredit.fen - min(individual.fen, accountCredit.fen)))
            c.step("explain.contribution.account_credit", "\(base.x) × \(creditRate)", accountCredit.x)
            if transfer.fen > 0 { c.step("explain.contribution.employer_transfer", "\(accountCredit.x) − \(individual.x)", transfer.x) }
        case .medical where inpatientOnly:
            // A struggling enterprise's staff: inpatient pooling first (住院医疗费统筹), the unit's
            // part only, paid from its asset disposal or by its supervising department; nothing
            // goes to an individual account (PROGRAMS.md §2.8).
            let employerRate = try c.rate("medical.inpatient_only.rate.employer")
            employer = base.multiplied(by: employerRate)
            c.step("explain.contribution.inpatient_only", "\(base.x) × \(employerRate)", employer.x)
        case .medical:
            let individualRate = try c.rate("medical.rate.individual")
            let employerRate = try c.rate("medical.rate.employer")
            let share = try c.rate("medical.account_share_of_employer")
            individual = base.multiplied(by: individualRate)
            employer = input.payer == .employee ? base.multiplied(by: employerRate) : .zero
            if input.payer == .selfEmployed {
                individual = base.multiplied(by: Rate(nanos: individualRate.nanos + employerRate.nanos))
            }
            transfer = try (Ratio(fen: base) * Ratio(employerRate) * Ratio(share)).fen
            accountCredit = base.multiplied(by: individualRate) + transfer
            c.step("explain.contribution.individual", "\(base.x) × \(individualRate)", individual.x)
            c.step("explain.contribution.employer", "\(base.x) × \(employerRate)", employer.x)
            c.step("explain.contribution.medical_account", "\(base.multiplied(by: individualRate).x) + \(base.x) × \(employerRate) × \(share)", accountCredit.x)
        case .unemployment:
            let individualRate = try c.rate("unemployment.rate.individual")
            let employerRate = try c.rate("unemployment.rate.employer")
            individual = input.ruralContractWorker == true ? .zero : base.multiplied(by: individualRate)
            employer = base.multiplied(by: employerRate)
            c.step("explain.contribution.individual", input.ruralContractWorker == true ? "0" : "\(base.x) × \(individualRate)", individual.x)
            c.step("explain.contribution.employer", "\(base.x) × \(employerRate)", employer.x)
        case .workInjury:
            guard let riskClass = input.riskClass else { throw .invalidInput(field: "riskClass", code: "rule.required") }
            let rates = try c.table("work_injury.base_rate_bp")
            guard let basisPoints = rates[Int64(riskClass)] else { throw .invalidInput(field: "riskClass", code: "rule.out_of_range") }
            let factor = try c.rate("work_injury.float_factor")
            employer = try (Ratio(fen: base) * Ratio(Int128(basisPoints), 10_000) * Ratio(factor)).fen
            c.step("explain.contribution.work_injury", "\(base.x) × \(Ratio(Int128(basisPoints), 100).decimal())% × \(factor)", employer.x)
        case .maternity:
            let employerRate = try c.rate("maternity.rate.employer")
            employer = base.multiplied(by: employerRate)
            c.step("explain.contribution.employer", "\(base.x) × \(employerRate)", employer.x)
        }
        return c.result(Output(base: base, individual: individual, employer: employer, accountCredit: accountCredit, employerTransferToAccount: transfer))
    }
}

/// Year-end interest on a pension individual account (RULES.md §1.2): the opening balance earns
/// a full year; the year's credits are treated as received evenly, earning `r × 13/24`
/// (劳办发〔1997〕116号). The closing balance is rounded to the fen once a year.
public enum AccountInterestRule: PolicyRule {
    public static let id = "account-interest"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var openingBalance: Money
        /// Sum of the year's credits.
        public var credited: Money
        /// The announced rate, when given instead of the parameter.
        public var rate: Rate?

        public init(year: Int, openingBalance: Money, credited: Money, rate: Rate? = nil) {
            self.year = year
            self.openingBalance = openingBalance
            self.credited = credited
            self.rate = rate
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var closingBalance: Money
        public var interest: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 12, day: 31)! }
    public static let example = Input(year: 2024, openingBalance: .yuan(50_000), credited: .yuan(9_600))
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("openingBalance", .money), RuleField("credited", .money),
        RuleField("rate", .rate, optional: true, bounds: .decimal(lower: "0", upper: "1")),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.year", String(input.year))
        c.input("input.openingBalance", input.openingBalance.x)
        c.input("input.credited", input.credited.x)
        let rate: Rate
        if let given = input.rate {
            rate = given
            c.input("input.rate", given.description)
        } else {
            rate = try c.rate("pension.account_interest_rate")
        }
        // Social Insurance Law Art. 14: never below the bank time-deposit rate, so never negative.
        guard rate.nanos >= 0 else { throw .invalidInput(field: "rate", code: "rule.negative") }
        let r = Ratio(rate)
        let closing = try (Ratio(fen: input.openingBalance) * (Ratio.one + r) + Ratio(fen: input.credited) * (Ratio.one + r * Ratio(13, 24))).fen
        c.step("explain.interest.closing", "\(input.openingBalance.x) × (1 + \(rate)) + \(input.credited.x) × (1 + \(rate) × 13/24)", closing.x)
        let interest = closing - input.openingBalance - input.credited
        c.step("explain.interest.interest", "\(closing.x) − \(input.openingBalance.x) − \(input.credited.x)", interest.x)
        c.rounding("explain.rounding.once_a_year")
        return c.result(Output(closingBalance: closing, interest: interest))
    }
}

/// What kind of debt is late.
public enum ArrearsKind: String, Sendable, Codable, CaseIterable {
    case socialInsurance = "social_insurance"
    case disabledLevy = "disabled_levy"
}

/// Late-payment surcharge (滞纳金, RULES.md §6): simple daily interest on the amount outstanding,
/// each day at the rate in force that day — 0.2% until 2011-06-30 (征缴暂行条例 Art. 13), 0.05%
/// from 2011-07-01 (Social Insurance Law Art. 86) — from the day arrears arise up to the day of
/// payment, exclusive; the total is rounded once.
public enum LateSurchargeRule: PolicyRule {
    public static let id = "late-surcharge"

    public struct Input: Codable, Sendable, Hashable {
        public var amount: Money
        /// The first day of arrears (the day after the due date).
        public var from: LocalDate
        /// The day paid; not itself charged.
        public var paidOn: LocalDate
        public var kind: ArrearsKind?

        public init(amount: Money, from: LocalDate, paidOn: LocalDate, kind: ArrearsKind? = nil) {
            self.amount = amount
            self.from = from
            self.paidOn = paidOn
            self.kind = kind
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var days: Int
        public var surcharge: Money
    }

    public static func date(of input: Input) -> LocalDate { input.from }
    public static let example = Input(amount: .yuan(10_000), from: LocalDate(year: 2011, month: 6, day: 21)!, paidOn: LocalDate(year: 2011, month: 7, day: 11)!)
    public static let refusals = ["rule.date_order"]
    public static let fields: [RuleField] = [
        RuleField("amount", .money), RuleField("from", .date), RuleField("paidOn", .date), RuleField("kind", .choice(ArrearsKind.allCases.map(\.rawValue)), optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.from)
        c.input("input.amount", input.amount.x)
        c.input("input.from", input.from.description)
        c.input("input.paidOn", input.paidOn.description)
        guard input.from <= input.paidOn else { throw .invalidInput(field: "paidOn", code: "rule.date_order") }
        guard !input.amount.isNegative else { throw .invalidInput(field: "amount", code: "rule.negative") }
        let key = input.kind == .disabledLevy ? "disabled_levy.late_daily_rate" : "late_surcharge.daily_rate"
        // The days split where the rate changes; each part at its own rate.
        let changes = book.history(key).map(\.validFrom).filter { input.from < $0 && $0 < input.paidOn }.sorted()
        var total = Ratio.zero
        var start = input.from
        for end in changes + [input.paidOn] {
            let days = start.days(until: end)
            if days > 0 {
                let rate = try c.rate(key, on: start)
                let part = Ratio(fen: input.amount) * Ratio(rate) * Ratio(days)
                total = total + part
                c.step("explain.surcharge.period", "\(input.amount.x) × \(rate) × \(days) (\(start) – \(end.adding(days: -1)))", (part / Ratio(100)).decimal(places: 4))
            }
            start = end
        }
        let surcharge = try total.fen
        c.step("explain.surcharge.total", (total / Ratio(100)).decimal(places: 6), surcharge.x)
        return c.result(Output(days: input.from.days(until: input.paidOn), surcharge: surcharge))
    }
}
