/// The retirement-age category of a person (国发〔1978〕104号).
public enum RetirementCategory: String, Sendable, Codable, CaseIterable {
    /// Men: 60.
    case male
    /// Women cadres (女干部): 55.
    case femaleCadre = "female_cadre"
    /// Women workers (女工人): 50.
    case femaleWorker = "female_worker"
}

/// The contribution months a monthly pension needs (RULES.md §1.3): 10 years under the 1978 rule,
/// 15 from 1998 (国发〔1997〕26号), rising by 6 months a year from 2030 to 20 (2025 reform); but a
/// person who started work before 1998 and retires between 1998 and 2010 needs only 10 years in
/// Zhejiang, deemed years included (Zhejiang 2008 Art. 31).
enum MinimumContribution {
    static func months(retiring retirement: Period, startedBefore1998: Bool, _ c: inout Calculation) throws(RuleError) -> Int {
        let day = retirement.firstDay
        let table = try c.table("retirement.min_contribution_months", on: day)
        let years = table.keys.sorted()
        let applicable = years.last { $0 <= Int64(retirement.year) } ?? years.first ?? 0
        var months = Int(table[applicable] ?? 180)
        c.step("explain.retirement.minimum", "\(retirement.year)", String(months))
        if startedBefore1998 {
            let transition = Int(try c.integer("pension.transition_min_months", on: day))
            if transition < months {
                months = transition
                c.step("explain.retirement.zhejiang_transition", "\(retirement)", String(months))
            }
        }
        return months
    }
}

/// Statutory retirement under the 2025 reform (NPC Standing Committee decision of 2024-09-13;
/// RULES.md §1.3): men and 55-type women retire one month later for every four months of their
/// original retirement date from January 2025 (up to 63 / 58), 50-type women one month for every
/// two (up to 55). Under the reform a person who has the minimum contributions may retire up to
/// three years early, never before the original age, or defer up to three years with the
/// employer's agreement; a person who has lost the capacity to work retires at 50 (men) or 45
/// (women) (国发〔1978〕104号). The minimum contributions follow the retirement year, with the
/// Zhejiang 10-year transition for people who started work before 1998.
public enum RetirementAgeRule: PolicyRule {
    public static let id = "retirement-age"

    public struct Input: Codable, Sendable, Hashable {
        public var birth: Period
        public var category: RetirementCategory
        /// Started work before 1998 (the Zhejiang transition for retirements in 1998–2010).
        public var startedWorkBefore1998: Bool?
        /// Certified as having completely lost the capacity to work (完全丧失劳动能力).
        public var disabled: Bool?

        public init(birth: Period, category: RetirementCategory, startedWorkBefore1998: Bool? = nil, disabled: Bool? = nil) {
            self.birth = birth
            self.category = category
            self.startedWorkBefore1998 = startedWorkBefore1998
            self.disabled = disabled
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var originalRetirement: Period
        public var delayMonths: Int
        public var retirement: Period
        public var ageYears: Int
        public var ageMonths: Int
        /// Contribution months needed for a monthly pension in the retirement year.
        public var minimumContributionMonths: Int
        /// Under the 2025 reform, with the minimum contributions: the earliest month one may choose.
        public var earliestFlexible: Period?
        /// Under the 2025 reform, with the employer's agreement: the latest month.
        public var latestDeferred: Period?
        /// Early retirement for a person who has lost the capacity to work.
        public var disabilityRetirement: Period?
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: 2025, month: 1, day: 1)! }
    public static let example = Input(birth: Period(year: 1971, month: 4)!, category: .femaleCadre)
    public static let fields: [RuleField] = [
        RuleField("birth", .period), RuleField("category", .choice(RetirementCategory.allCases.map(\.rawValue))),
        RuleField("startedWorkBefore1998", .bool, optional: true), RuleField("disabled", .bool, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.birth", input.birth.description)
        c.input("input.category", input.category.rawValue)
        let suffix = input.category.rawValue
        let age = Int(try c.integer("retirement.age.\(suffix)"))
        let start = Period(yyyymm: Int(try c.integer("retirement.reform_start"))) ?? Period(year: 2025, month: 1)!
        let step = Int(try c.integer("retirement.delay_step.\(suffix)"))
        let maximum = Int(try c.integer("retirement.max_delay.\(suffix)"))
        let original = try input.birth.advanced(by: age * 12, step: "explain.retirement.original")
        c.step("explain.retirement.original", "\(input.birth) + \(age)", original.description)
        var delay = 0
        var earliest: Period?
        var latest: Period?
        if original >= start {
            let k = start.distance(to: original)
            delay = min(k / step + 1, maximum)
            c.step("explain.retirement.delay", "min(\(k) ÷ \(step) + 1, \(maximum))", String(delay))
        }
        let retirement = try original.advanced(by: delay, step: "explain.retirement.month")
        c.step("explain.retirement.month", "\(original) + \(delay)", retirement.description)
        if retirement >= start {
            // Flexible retirement: up to N months early, never before the original age; up to M months later.
            let early = Int(try c.integer("retirement.flexible_early_months"))
            let later = Int(try c.integer("retirement.flexible_defer_months"))
            let first = max(original, try retirement.advanced(by: -early, step: "explain.retirement.flexible"))
            let last = try retirement.advanced(by: later, step: "explain.retirement.flexible")
            earliest = first
            latest = last
            c.step("explain.retirement.flexible", "max(\(original), \(retirement) − \(early)) … \(retirement) + \(later)", "\(first) … \(last)")
        }
        var disability: Period?
        if input.disabled == true {
            c.input("input.disabled", "✓")
            let sex = input.category == .male ? "male" : "female"
            let disabledAge = Int(try c.integer("retirement.disability_age.\(sex)"))
            let month = try input.birth.advanced(by: disabledAge * 12, step: "explain.retirement.disability")
            disability = month
            c.step("explain.retirement.disability", "\(input.birth) + \(disabledAge)", month.description)
        }
        let startedBefore1998 = input.startedWorkBefore1998 == true
        if startedBefore1998 { c.input("input.startedWorkBefore1998", "✓") }
        let months = try MinimumContribution.months(retiring: retirement, startedBefore1998: startedBefore1998, &c)
        return c.result(Output(originalRetirement: original, delayMonths: delay, retirement: retirement, ageYears: age + delay / 12,
                               ageMonths: delay % 12, minimumContributionMonths: months, earliestFlexible: earliest, latestDeferred: latest,
                               disabilityRetirement: disability))
    }
}

/// The first monthly pension (RULES.md §1.4–1.5; 国发〔2005〕38号; Zhejiang 2008 Art. 32–33, 37):
/// basic = (reference wage + indexed wage) ÷ 2 × years × 1%; account = balance ÷ payout months;
/// transitional = indexed wage × years before 1998 × coefficient; each rounded once. Before the
/// 2005 formula took effect: 20% of the reference wage plus balance ÷ 120.
public enum PensionAwardRule: PolicyRule {
    public static let id = "pension-award"

    public struct Input: Codable, Sendable, Hashable {
        public var retirementDate: LocalDate
        /// Whole years of age in the month the retirement is approved.
        public var ageAtRetirement: Int
        /// The average contribution wage index (平均缴费工资指数), e.g. "0.85".
        public var averageIndex: DecimalText
        public var contributionMonths: Int
        /// Deemed contribution months (视同缴费年限) before the account existed.
        public var deemedMonths: Int?
        /// Months (contributed or deemed) before 1998, for the transitional pension.
        public var monthsBefore1998: Int?
        public var accountBalance: Money
        /// The previous-year average monthly wage (计发基数), when given instead of the parameter.
        public var referenceWage: Money?
        /// The transitional coefficient, when given instead of the parameter, e.g. "0.012".
        public var transitionCoefficient: DecimalText?
        /// Contributed fully and on time: entitled to the Zhejiang 60% floor (Art. 37).
        public var fullAndOnTime: Bool?
        /// The local previous-year average basic pension, for the floor.
        public var localAveragePension: Money?

        public init(retirementDate: LocalDate, ageAtRetirement: Int, averageIndex: DecimalText, contributionMonths: Int, deemedMonths: Int? = nil,
                    monthsBefore1998: Int? = nil, accountBalance: Money, referenceWage: Money? = nil, transitionCoefficient: DecimalText? = nil,
                    fullAndOnTime: Bool? = nil, localAveragePension: Money? = nil) {
            self.retirementDate = retirementDate
            self.ageAtRetirement = ageAtRetirement
            self.averageIndex = averageIndex
            self.contributionMonths = contributionMonths
            self.deemedMonths = deemedMonths
            self.monthsBefore1998 = monthsBefore1998
            self.accountBalance = accountBalance
            self.referenceWage = referenceWage
            self.transitionCoefficient = transitionCoefficient
            self.fullAndOnTime = fullAndOnTime
            self.localAveragePension = localAveragePension
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        /// Enough contribution months (deemed included) for a monthly pension.
        public var eligible: Bool
        public var minimumContributionMonths: Int
        /// When not eligible, what the rules offer instead (string-table keys).
        public var alternatives: [String]
        /// When not eligible: the lump sum paid if the person does not continue contributing — the
        /// account balance, and before 2011 in Zhejiang one month of the indexed wage per full year.
        public var lumpSumRefund: Money
        public var formula: String
        public var basic: Money
        public var account: Money
        public var transitional: Money
        /// The top-up to the Zhejiang floor, when there is one.
        public var floorTopUp: Money
        public var total: Money
    }

    public static func date(of input: Input) -> LocalDate { input.retirementDate }

    /// RULES.md §1.4 example 3.
    public static let example = Input(
        retirementDate: LocalDate(year: 2024, month: 7, day: 1)!, ageAtRetirement: 60, averageIndex: DecimalText("0.85"), contributionMonths: 329,
        monthsBefore1998: 150, accountBalance: Money(fen: 8_654_321), referenceWage: .yuan(7_500), transitionCoefficient: DecimalText("0.012"))

    public static let fields: [RuleField] = [
        RuleField("retirementDate", .date), RuleField("ageAtRetirement", integer: 16...100), RuleField("averageIndex", .decimal, bounds: .decimal(lower: "0", upper: "10")),
        RuleField("contributionMonths", integer: 0...1_200), RuleField("deemedMonths", integer: 0...1_200, optional: true),
        RuleField("monthsBefore1998", integer: 0...1_200, optional: true),
        RuleField("accountBalance", .money), RuleField("referenceWage", .money, optional: true), RuleField("transitionCoefficient", .decimal, optional: true, bounds: .decimal(lower: "0", upper: "0.1")),
        RuleField("fullAndOnTime", .bool, optional: true), RuleField("localAveragePension", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.retirementDate)
        c.input("input.retirementDate", input.retirementDate.description)
        c.input("input.ageAtRetirement", String(input.ageAtRetirement))
        c.input("input.accountBalance", input.accountBalance.x)
        let reference = try c.money("wage.reference.monthly", unless: input.referenceWage, input: "input.referenceWage")
        let formula = try c.choice("pension.formula")
        c.input("input.contributionMonths", String(input.contributionMonths))
        if let deemed = input.deemedMonths { c.input("input.deemedMonths", String(deemed)) }
        if let before = input.monthsBefore1998 { c.input("input.monthsBefore1998", String(before)) }
        let months = input.contributionMonths + (input.deemedMonths ?? 0)
        let minimum = try MinimumContribution.months(retiring: input.retirementDate.period, startedBefore1998: (input.monthsBefore1998 ?? 0) > 0, &c)
        guard months >= minimum else {
            // Computed before `c.result` is called, so the result carries the steps it adds.
            let refusal = try shortService(input, months: months, minimum: minimum, reference: reference, formula: formula, &c)
            return c.result(refusal)
        }
        if formula == "1997" {
            // 国发〔1997〕26号: 20% of the local average wage, and the account over 120 months.
            let share = try c.rate("pension.old.basic_share")
            let payout = try c.integer("pension.old.payout_months")
            let basic = reference.multiplied(by: share)
            let account = try (Ratio(fen: input.accountBalance) / Ratio(Int(payout))).fen
            c.step("explain.pension.old_basic", "\(reference.x) × \(share)", basic.x)
            c.step("explain.pension.account", "\(input.accountBalance.x) ÷ \(payout)", account.x)
            c.step("explain.pension.total", "\(basic.x) + \(account.x)", (basic + account).x)
            return c.result(Output(eligible: true, minimumContributionMonths: minimum, alternatives: [], lumpSumRefund: .zero, formula: formula, basic: basic,
                                   account: account, transitional: .zero, floorTopUp: .zero, total: basic + account))
        }

        c.input("input.averageIndex", input.averageIndex.text)
        let lowest = Ratio(try c.rate("pension.index_floor"))
        let highest = Ratio(try c.rate("pension.index_ceiling"))
        let index = Ratio.min(Ratio.max(input.averageIndex.ratio, lowest), highest)
        let indexed = Ratio(fen: reference) * index
        c.step("explain.pension.indexed_wage", "\(reference.x) × \(index.decimal(places: 4))", (indexed / Ratio(100)).decimal(places: 4))
        let totalMonths = input.contributionMonths + (input.deemedMonths ?? 0)
        let mode = try c.choice("pension.years_mode")
        let years = mode == "full_years" ? Ratio(totalMonths / 12) : Ratio(Int128(totalMonths), 12)
        c.step("explain.pension.years", mode == "full_years" ? "⌊\(totalMonths) ÷ 12⌋" : "\(totalMonths) ÷ 12", years.decimal(places: 5))
        let basic = try ((Ratio(fen: reference) + indexed) / Ratio(2) * years * Ratio(1, 100)).fen
        c.step("explain.pension.basic", "(\(reference.x) + \((indexed / Ratio(100)).decimal(places: 2))) ÷ 2 × \(years.decimal(places: 5)) × 1%", basic.x)

        let table = try c.table("pension.payout_months")
        let ages = table.keys.sorted()
        let age = Int64(min(max(input.ageAtRetirement, Int(ages.first ?? 40)), Int(ages.last ?? 70)))
        guard let payout = table[age] else { throw .missingParameter(key: "pension.payout_months", date: input.retirementDate) }
        let account = try (Ratio(fen: input.accountBalance) / Ratio(Int(payout))).fen
        c.step("explain.pension.account", "\(input.accountBalance.x) ÷ \(payout)", account.x)

        var transitional = Money.zero
        let before1998 = input.monthsBefore1998 ?? 0
        if before1998 > 0 {
            let coefficient: Ratio
            if let given = input.transitionCoefficient {
                coefficient = given.ratio
                c.input("input.transitionCoefficient", given.text)
            } else {
                coefficient = Ratio(try c.rate("pension.transition_coefficient"))
            }
            transitional = try (indexed * Ratio(Int128(before1998), 12) * coefficient).fen
            c.step("explain.pension.transitional", "\((indexed / Ratio(100)).decimal(places: 2)) × \(Ratio(Int128(before1998), 12).decimal(places: 4)) × \(coefficient.decimal(places: 6))", transitional.x)
        }
        var total = basic + account + transitional
        c.step("explain.pension.total", "\(basic.x) + \(account.x) + \(transitional.x)", total.x)

        var topUp = Money.zero
        if input.fullAndOnTime == true, let average = input.localAveragePension {
            c.input("input.localAveragePension", average.x)
            let share = try c.rate("pension.minimum_share")
            let floor = average.multiplied(by: share)
            if total < floor {
                topUp = floor - total
                total = floor
            }
            c.step("explain.pension.floor", "max(\((total - topUp).x), \(average.x) × \(share))", total.x)
        }
        return c.result(Output(eligible: true, minimumContributionMonths: minimum, alternatives: [], lumpSumRefund: .zero, formula: formula, basic: basic,
                               account: account, transitional: transitional, floorTopUp: topUp, total: total))
    }

    /// Fewer months than the minimum give no monthly pension (RULES.md §1.3): the person may go on
    /// contributing to the minimum; otherwise the account is refunded in one sum — before 2011 in
    /// Zhejiang with one month of the indexed wage per full year (Art. 34) — and since 2011 they may
    /// also move to the residents' scheme.
    static func shortService(_ input: Input, months: Int, minimum: Int, reference: Money, formula: String,
                             _ c: inout Calculation) throws(RuleError) -> Output {
        var output = Output(eligible: false, minimumContributionMonths: minimum, alternatives: [], lumpSumRefund: .zero, formula: formula, basic: .zero,
                            account: .zero, transitional: .zero, floorTopUp: .zero, total: .zero)
        c.step("explain.pension.not_eligible", "\(months) < \(minimum)", "0.00")
        output.alternatives = ["pension.alternative.continue", "pension.alternative.refund"]
        var lump = input.accountBalance
        if try c.choice("pension.short_service.lump_sum", on: input.retirementDate) == "balance_and_months" {
            let index = Ratio.min(Ratio.max(input.averageIndex.ratio, Ratio(try c.rate("pension.index_floor"))), Ratio(try c.rate("pension.index_ceiling")))
            let indexed = try (Ratio(fen: reference) * index).fen(step: "explain.pension.refund")
            let fullYears = Int64(months / 12)
            lump = try lump.plus(try indexed.times(fullYears, step: "explain.pension.refund"), step: "explain.pension.refund")
            c.step("explain.pension.refund", "\(input.accountBalance.x) + \(indexed.x) × \(fullYears)", lump.x)
        } else {
            c.step("explain.pension.refund", input.accountBalance.x, lump.x)
            output.alternatives.append("pension.alternative.residents_scheme")
        }
        output.lumpSumRefund = lump
        return output
    }
}

/// The yearly pension increase (RULES.md §1.6): a flat amount, an amount per contribution year,
/// a percentage of the current pension, and extra amounts for the oldest; each term rounded.
public enum PensionAdjustmentRule: PolicyRule {
    public static let id = "pension-adjustment"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var currentPension: Money
        public var contributionYears: Int
        public var age: Int

        public init(year: Int, currentPension: Money, contributionYears: Int, age: Int) {
            self.year = year
            self.currentPension = currentPension
            self.contributionYears = contributionYears
            self.age = age
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var flat: Money
        public var byYears: Money
        public var byPension: Money
        public var ageSupplement: Money
        public var increase: Money
        public var newPension: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 1, day: 1)! }
    public static let example = Input(year: 2024, currentPension: .yuan(3_000), contributionYears: 30, age: 72)
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("currentPension", .money), RuleField("contributionYears", integer: 0...80),
        RuleField("age", integer: 16...130),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.currentPension", input.currentPension.x)
        c.input("input.contributionYears", String(input.contributionYears))
        c.input("input.age", String(input.age))
        let flat = try c.money("pension.adjustment.flat")
        let perYear = try c.money("pension.adjustment.per_year")
        let percent = try c.rate("pension.adjustment.percent")
        let supplements = try c.table("pension.adjustment.age_supplement")
        let byYears = try perYear.times(Int64(input.contributionYears), step: "explain.adjustment.years")
        let byPension = input.currentPension.multiplied(by: percent)
        let threshold = supplements.keys.sorted().last { $0 <= Int64(input.age) }
        let supplement = Money(fen: threshold.flatMap { supplements[$0] } ?? 0)
        c.step("explain.adjustment.flat", flat.x, flat.x)
        c.step("explain.adjustment.years", "\(perYear.x) × \(input.contributionYears)", byYears.x)
        c.step("explain.adjustment.percent", "\(input.currentPension.x) × \(percent)", byPension.x)
        c.step("explain.adjustment.age", threshold.map { "≥ \($0)" } ?? "—", supplement.x)
        let increase = try [flat, byYears, byPension, supplement].total(step: "explain.adjustment.new")
        c.step("explain.adjustment.new", "\(input.currentPension.x) + \(increase.x)", (input.currentPension + increase).x)
        return c.result(Output(flat: flat, byYears: byYears, byPension: byPension, ageSupplement: supplement, increase: increase,
                               newPension: try input.currentPension.plus(increase, step: "explain.adjustment.new")))
    }
}
