/// The retirement-age category of a person (国发〔1978〕104号).
public enum RetirementCategory: String, Sendable, Codable, CaseIterable {
    /// Men: 60.
    case male
    /// Women cadres (女干部): 55.
    case femaleCadre = "female_cadre"
    /// Women workers (女工人): 50.
    case femaleWorker = "female_worker"
}

/// Statutory retirement under the 2025 reform (NPC Standing Committee decision of 2024-09-13;
/// RULES.md §1.3): men and 55-type women retire one month later for every four months of their
/// original retirement date from January 2025 (up to 63 / 58), 50-type women one month for every
/// two (up to 55).
public enum RetirementAgeRule: PolicyRule {
    public static let id = "retirement-age"

    public struct Input: Codable, Sendable, Hashable {
        public var birth: Period
        public var category: RetirementCategory

        public init(birth: Period, category: RetirementCategory) {
            self.birth = birth
            self.category = category
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
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: 2025, month: 1, day: 1)! }
    public static let example = Input(birth: Period(year: 1971, month: 4)!, category: .femaleCadre)
    public static let fields: [RuleField] = [RuleField("birth", .period), RuleField("category", .choice(RetirementCategory.allCases.map(\.rawValue)))]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.birth", input.birth.description)
        c.input("input.category", input.category.rawValue)
        let suffix = input.category.rawValue
        let age = Int(try c.integer("retirement.age.\(suffix)"))
        let start = Period(yyyymm: Int(try c.integer("retirement.reform_start"))) ?? Period(year: 2025, month: 1)!
        let step = Int(try c.integer("retirement.delay_step.\(suffix)"))
        let maximum = Int(try c.integer("retirement.max_delay.\(suffix)"))
        let original = input.birth.advanced(by: age * 12)
        c.step("explain.retirement.original", "\(input.birth) + \(age)", original.description)
        var delay = 0
        if original >= start {
            let k = start.distance(to: original)
            delay = min(k / step + 1, maximum)
            c.step("explain.retirement.delay", "min(\(k) ÷ \(step) + 1, \(maximum))", String(delay))
        }
        let retirement = original.advanced(by: delay)
        c.step("explain.retirement.month", "\(original) + \(delay)", retirement.description)
        let minimum = try c.table("retirement.min_contribution_months")
        let years = minimum.keys.sorted()
        let applicable = years.last { $0 <= Int64(retirement.year) } ?? years.first ?? 0
        let months = Int(minimum[applicable] ?? 180)
        c.step("explain.retirement.minimum", "\(retirement.year)", String(months))
        return c.result(Output(originalRetirement: original, delayMonths: delay, retirement: retirement, ageYears: age + delay / 12,
                               ageMonths: delay % 12, minimumContributionMonths: months))
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
        RuleField("retirementDate", .date), RuleField("ageAtRetirement", .integer), RuleField("averageIndex", .decimal),
        RuleField("contributionMonths", .integer), RuleField("deemedMonths", .integer, optional: true), RuleField("monthsBefore1998", .integer, optional: true),
        RuleField("accountBalance", .money), RuleField("referenceWage", .money, optional: true), RuleField("transitionCoefficient", .decimal, optional: true),
        RuleField("fullAndOnTime", .bool, optional: true), RuleField("localAveragePension", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.retirementDate)
        c.input("input.retirementDate", input.retirementDate.description)
        c.input("input.ageAtRetirement", String(input.ageAtRetirement))
        c.input("input.accountBalance", input.accountBalance.x)
        guard input.contributionMonths >= 0, (input.deemedMonths ?? 0) >= 0, (input.monthsBefore1998 ?? 0) >= 0 else {
            throw .invalidInput(field: "contributionMonths", code: "rule.negative")
        }
        let reference = try c.money("wage.reference.monthly", unless: input.referenceWage, input: "input.referenceWage")
        let formula = try c.choice("pension.formula")
        if formula == "1997" {
            // 国发〔1997〕26号: 20% of the local average wage, and the account over 120 months.
            let share = try c.rate("pension.old.basic_share")
            let months = try c.integer("pension.old.payout_months")
            let basic = reference.multiplied(by: share)
            let account = (Ratio(fen: input.accountBalance) / Ratio(Int(months))).fen
            c.step("explain.pension.old_basic", "\(reference.x) × \(share)", basic.x)
            c.step("explain.pension.account", "\(input.accountBalance.x) ÷ \(months)", account.x)
            c.step("explain.pension.total", "\(basic.x) + \(account.x)", (basic + account).x)
            return c.result(Output(formula: formula, basic: basic, account: account, transitional: .zero, floorTopUp: .zero, total: basic + account))
        }

        c.input("input.averageIndex", input.averageIndex.text)
        c.input("input.contributionMonths", String(input.contributionMonths))
        let lowest = Ratio(try c.rate("pension.index_floor"))
        let highest = Ratio(try c.rate("pension.index_ceiling"))
        let index = Ratio.min(Ratio.max(input.averageIndex.ratio, lowest), highest)
        let indexed = Ratio(fen: reference) * index
        c.step("explain.pension.indexed_wage", "\(reference.x) × \(index.decimal(places: 4))", (indexed / Ratio(100)).decimal(places: 4))
        let totalMonths = input.contributionMonths + (input.deemedMonths ?? 0)
        let mode = try c.choice("pension.years_mode")
        let years = mode == "full_years" ? Ratio(totalMonths / 12) : Ratio(Int128(totalMonths), 12)
        c.step("explain.pension.years", mode == "full_years" ? "⌊\(totalMonths) ÷ 12⌋" : "\(totalMonths) ÷ 12", years.decimal(places: 5))
        let basic = ((Ratio(fen: reference) + indexed) / Ratio(2) * years * Ratio(1, 100)).fen
        c.step("explain.pension.basic", "(\(reference.x) + \((indexed / Ratio(100)).decimal(places: 2))) ÷ 2 × \(years.decimal(places: 5)) × 1%", basic.x)

        let table = try c.table("pension.payout_months")
        let ages = table.keys.sorted()
        let age = Int64(min(max(input.ageAtRetirement, Int(ages.first ?? 40)), Int(ages.last ?? 70)))
        guard let payout = table[age] else { throw .missingParameter(key: "pension.payout_months", date: input.retirementDate) }
        let account = (Ratio(fen: input.accountBalance) / Ratio(Int(payout))).fen
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
            transitional = (indexed * Ratio(Int128(before1998), 12) * coefficient).fen
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
        return c.result(Output(formula: formula, basic: basic, account: account, transitional: transitional, floorTopUp: topUp, total: total))
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
    public static let fields: [RuleField] = [RuleField("year", .integer), RuleField("currentPension", .money), RuleField("contributionYears", .integer), RuleField("age", .integer)]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.currentPension", input.currentPension.x)
        c.input("input.contributionYears", String(input.contributionYears))
        c.input("input.age", String(input.age))
        let flat = try c.money("pension.adjustment.flat")
        let perYear = try c.money("pension.adjustment.per_year")
        let percent = try c.rate("pension.adjustment.percent")
        let supplements = try c.table("pension.adjustment.age_supplement")
        let byYears = perYear * Int64(input.contributionYears)
        let byPension = input.currentPension.multiplied(by: percent)
        let threshold = supplements.keys.sorted().last { $0 <= Int64(input.age) }
        let supplement = Money(fen: threshold.flatMap { supplements[$0] } ?? 0)
        c.step("explain.adjustment.flat", flat.x, flat.x)
        c.step("explain.adjustment.years", "\(perYear.x) × \(input.contributionYears)", byYears.x)
        c.step("explain.adjustment.percent", "\(input.currentPension.x) × \(percent)", byPension.x)
        c.step("explain.adjustment.age", threshold.map { "≥ \($0)" } ?? "—", supplement.x)
        let increase = flat + byYears + byPension + supplement
        c.step("explain.adjustment.new", "\(input.currentPension.x) + \(increase.x)", (input.currentPension + increase).x)
        return c.result(Output(flat: flat, byYears: byYears, byPension: byPension, ageSupplement: supplement, increase: increase,
                               newPension: input.currentPension + increase))
    }
}
