/// Minimum living guarantee (最低生活保障; 城市居民最低生活保障条例 1999 Art. 2, 8; Zhejiang Social
/// Assistance Ordinance Art. 9, 12; RULES.md §7.2): a household is eligible when its per-capita
/// monthly income is *strictly* below the standard of its area type; the benefit is the standard ×
/// household size − total income, in integer fen (never per-capita rounding); "three withouts" get
/// the full standard; classified add-ons raise it for the old, the severely disabled, the seriously
/// ill and minors; a household up to 1.5 × the standard (and the minimum wage) is near-poor.
public enum DibaoBenefitRule: PolicyRule {
    public static let id = "dibao-benefit"

    public struct Input: Codable, Sendable, Hashable {
        public var period: Period
        public var areaType: AreaType
        public var householdSize: Int
        /// Total monthly income of the household members living together, after exclusions.
        public var monthlyIncome: Money
        /// No work capacity, no income, no legal supporter (三无): the full standard.
        public var threeWithouts: Bool?
        public var elderly: Int?
        public var severelyDisabled: Int?
        public var seriouslyIll: Int?
        public var minors: Int?

        public init(period: Period, areaType: AreaType, householdSize: Int, monthlyIncome: Money, threeWithouts: Bool? = nil,
                    elderly: Int? = nil, severelyDisabled: Int? = nil, seriouslyIll: Int? = nil, minors: Int? = nil) {
            self.period = period
            self.areaType = areaType
            self.householdSize = householdSize
            self.monthlyIncome = monthlyIncome
            self.threeWithouts = threeWithouts
            self.elderly = elderly
            self.severelyDisabled = severelyDisabled
            self.seriouslyIll = seriouslyIll
            self.minors = minors
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var standard: Money
        public var eligible: Bool
        /// Near-poor (低保边缘): not eligible, but within the marginal band.
        public var marginal: Bool
        public var benefit: Money
        public var addOns: Money
        public var total: Money
    }

    public static func date(of input: Input) -> LocalDate { input.period.firstDay }
    public static let example = Input(period: Period(year: 2004, month: 1)!, areaType: .street, householdSize: 3, monthlyIncome: .yuan(300))
    public static let fields: [RuleField] = [
        RuleField("period", .period), RuleField("areaType", .choice(AreaType.allCases.map(\.rawValue))), RuleField("householdSize", .integer),
        RuleField("monthlyIncome", .money), RuleField("threeWithouts", .bool, optional: true), RuleField("elderly", .integer, optional: true),
        RuleField("severelyDisabled", .integer, optional: true), RuleField("seriouslyIll", .integer, optional: true), RuleField("minors", .integer, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.period.firstDay)
        c.input("input.period", input.period.description)
        c.input("input.areaType", input.areaType.rawValue)
        c.input("input.householdSize", String(input.householdSize))
        c.input("input.monthlyIncome", input.monthlyIncome.x)
        guard input.householdSize >= 1 else { throw .invalidInput(field: "householdSize", code: "rule.out_of_range") }
        guard !input.monthlyIncome.isNegative else { throw .invalidInput(field: "monthlyIncome", code: "rule.negative") }
        let standard = try c.money("dibao.standard.\(input.areaType.rawValue)")
        let line = standard * Int64(input.householdSize)
        c.step("explain.dibao.line", "\(standard.x) × \(input.householdSize)", line.x)

        if input.threeWithouts == true {
            c.input("input.threeWithouts", "✓")
            c.step("explain.dibao.three_withouts", line.x, line.x)
            let addOns = try addOns(input, standard: standard, &c)
            return c.result(Output(standard: standard, eligible: true, marginal: false, benefit: line, addOns: addOns, total: line + addOns))
        }
        // Strictly below: equal to the line is not eligible (1999 Art. 2).
        guard input.monthlyIncome < line else {
            let multiplier = try c.rate("dibao.marginal_multiplier")
            let minimumWage = try c.money("wage.minimum.monthly")
            let band = Ratio.min(Ratio(fen: line) * Ratio(multiplier), Ratio(fen: minimumWage) * Ratio(input.householdSize))
            let marginal = Ratio(fen: input.monthlyIncome) <= band
            c.step("explain.dibao.not_eligible", "\(input.monthlyIncome.x) ≥ \(line.x)", "0.00")
            c.step("explain.dibao.marginal", "\(input.monthlyIncome.x) ≤ min(\(line.x) × \(multiplier), \(minimumWage.x) × \(input.householdSize))", marginal ? "✓" : "✗")
            return c.result(Output(standard: standard, eligible: false, marginal: marginal, benefit: .zero, addOns: .zero, total: .zero))
        }
        let benefit = line - input.monthlyIncome
        c.step("explain.dibao.benefit", "\(line.x) − \(input.monthlyIncome.x)", benefit.x)
        let addOns = try addOns(input, standard: standard, &c)
        return c.result(Output(standard: standard, eligible: true, marginal: false, benefit: benefit, addOns: addOns, total: benefit + addOns))
    }

    /// Classified add-ons (分类施保): a share of the standard per qualifying member.
    static func addOns(_ input: Input, standard: Money, _ c: inout Calculation) throws(RuleError) -> Money {
        var total = Money.zero
        for (key, count) in [("elderly", input.elderly), ("severely_disabled", input.severelyDisabled), ("seriously_ill", input.seriouslyIll), ("minors", input.minors)] {
            guard let count, count > 0 else { continue }
            let share = try c.rate("dibao.addon.\(key)")
            let amount = standard.multiplied(by: share) * Int64(count)
            c.step("explain.dibao.addon.\(key)", "\(standard.x) × \(share) × \(count)", amount.x)
            total += amount
        }
        return total
    }
}

/// Who a support standard is for.
public enum SupportKind: String, Sendable, Codable, CaseIterable {
    /// Rural five-guarantees support (农村五保供养).
    case fiveGuarantees = "five_guarantees"
    /// Urban "three withouts" persons (城镇三无人员).
    case threeWithouts = "three_withouts"
}

/// Support standards (RULES.md §8; PROGRAMS.md §4.2): five-guarantees not below 60% of the
/// previous year's rural per-capita net income plus a 500-yuan district subsidy (from 2016:
/// 1.3 × the rural dibao standard, 国发〔2016〕14号); three-withouts somewhat above the urban dibao.
public enum SupportStandardRule: PolicyRule {
    public static let id = "support-standard"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var kind: SupportKind
        /// The previous year's rural per-capita net income, when given instead of the parameter.
        public var ruralNetIncome: Money?

        public init(year: Int, kind: SupportKind, ruralNetIncome: Money? = nil) {
            self.year = year
            self.kind = kind
            self.ruralNetIncome = ruralNetIncome
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var yearlyStandard: Money
        public var monthlyStandard: Money
        public var districtSubsidy: Money
        public var yearlyTotal: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 1, day: 1)! }
    public static let example = Input(year: 2004, kind: .fiveGuarantees)
    public static let fields: [RuleField] = [RuleField("year", .integer), RuleField("kind", .choice(SupportKind.allCases.map(\.rawValue))), RuleField("ruralNetIncome", .money, optional: true)]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.year", String(input.year))
        c.input("input.kind", input.kind.rawValue)
        var yearly: Money
        var subsidy = Money.zero
        switch input.kind {
        case .fiveGuarantees:
            if try c.choice("five_guarantees.method") == "dibao_multiple" {
                let dibao = try c.money("dibao.standard.rural")
                let multiple = try c.rate("five_guarantees.dibao_multiple")
                let monthly = dibao.multiplied(by: multiple)
                yearly = monthly * 12
                c.step("explain.support.dibao_multiple", "\(dibao.x) × \(multiple) × 12", yearly.x)
            } else {
                let income = try c.money("economy.rural_net_income", unless: input.ruralNetIncome, input: "input.ruralNetIncome")
                let share = try c.rate("five_guarantees.floor_share")
                yearly = income.multiplied(by: share)
                c.step("explain.support.income_share", "\(income.x) × \(share)", yearly.x)
            }
            subsidy = try c.money("five_guarantees.district_subsidy")
            c.step("explain.support.subsidy", subsidy.x, subsidy.x)
        case .threeWithouts:
            let dibao = try c.money("dibao.standard.street")
            let multiple = try c.rate("three_withouts.dibao_multiple")
            let monthly = dibao.multiplied(by: multiple)
            yearly = monthly * 12
            c.step("explain.support.dibao_multiple", "\(dibao.x) × \(multiple) × 12", yearly.x)
        }
        let monthly = yearly.multiplied(by: 1, dividedBy: 12)
        c.step("explain.support.monthly", "\(yearly.x) ÷ 12", monthly.x)
        return c.result(Output(yearlyStandard: yearly, monthlyStandard: monthly, districtSubsidy: subsidy, yearlyTotal: yearly + subsidy))
    }
}
