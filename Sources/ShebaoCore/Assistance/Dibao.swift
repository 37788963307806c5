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
    public static let refusals = ["rule.more_than_household"]
    public static let fields: [RuleField] = [
        RuleField("period", .period), RuleField("areaType", .choice(AreaType.allCases.map(\.rawValue))), RuleField("householdSize", integer: 1...30),
        RuleField("monthlyIncome", .money), RuleField("threeWithouts", .bool, optional: true), RuleField("elderly", integer: 0...30, optional: true),
        RuleField("severelyDisabled", integer: 0...30, optional: true), RuleField("seriouslyIll", integer: 0...30, optional: true),
        RuleField("minors", integer: 0...30, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.period.firstDay)
        c.input("input.period", input.period.description)
        c.input("input.areaType", input.areaType.rawValue)
        c.input("input.householdSize", String(input.householdSize))
        c.input("input.monthlyIncome", input.monthlyIncome.x)
        // Members counted for an add-on are members of the household: a count above its size is a typing error.
        for (field, count) in [("elderly", input.elderly), ("severelyDisabled", input.severelyDisabled), ("seriouslyIll", input.seriouslyIll), ("minors", input.minors)] {
            if let count, count > input.householdSize { throw .invalidInput(field: field, code: "rule.more_than_household") }
        }
        let standard = try c.money("dibao.standard.\(input.areaType.rawValue)")
        let line = try standard.times(Int64(input.householdSize), step: "explain.dibao.line")
        c.step("explain.dibao.line", "\(standard.x) × \(input.householdSize)", line.x)

        if input.threeWithouts == true {
            c.input("input.threeWithouts", "✓")
            c.step("explain.dibao.three_withouts", line.x, line.x)
            let addOns = try addOns(input, standard: standard, &c)
            return c.result(Output(standard: standard, eligible: true, marginal: false, benefit: line, addOns: addOns,
                                   total: try line.plus(addOns, step: "explain.dibao.total")))
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
        return c.result(Output(standard: standard, eligible: true, marginal: false, benefit: benefit, addOns: addOns,
                               total: try benefit.plus(addOns, step: "explain.dibao.total")))
    }

    /// Classified add-ons (分类施保): a share of the standard per qualifying member.
    static func addOns(_ input: Input, standard: Money, _ c: inout Calculation) throws(RuleError) -> Money {
        var total = Money.zero
        for (key, count) in [("elderly", input.elderly), ("severely_disabled", input.severelyDisabled), ("seriously_ill", input.seriouslyIll), ("minors", input.minors)] {
            guard let count, count > 0 else { continue }
            let share = try c.rate("dibao.addon.\(key)")
            let amount = try standard.multiplied(by: share).times(Int64(count), step: "explain.dibao.addon.\(key)")
            c.step("explain.dibao.addon.\(key)", "\(standard.x) × \(share) × \(count)", amount.x)
            total = try total.plus(amount, step: "explain.dibao.addon.\(key)")
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

/// How a supported person lives (农村五保供养工作条例 Art. 12; PROGRAMS.md §4.2).
public enum SupportForm: String, Sendable, Codable, CaseIterable {
    /// In a nursing or welfare home (集中供养, 敬老院/福利院); the standard is paid to the home.
    case centralised
    /// At home, under a foster agreement or a home–institution pairing (分散供养).
    case dispersed
}

/// Support standards (RULES.md §8; PROGRAMS.md §4.2).
///
/// Five guarantees: not below 60% of the previous year's rural per-capita net income (from 2016
/// the extremely-poor standard, at least 1.3 × the rural dibao standard, 国发〔2016〕14号); the
/// district's own standard for the form of support applies when it is higher. The standard is
/// funded mainly by villages and towns, of which the district pays 500 a person-year — a share
/// of the standard, not an addition to it ("經費由村、鎮負擔為主，區財政每年每人補助500元").
/// Three withouts: somewhat above the urban dibao standard (1.2×; 1.3× from 2016), paid by the district.
public enum SupportStandardRule: PolicyRule {
    public static let id = "support-standard"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var kind: SupportKind
        /// Centralised or dispersed (default: dispersed).
        public var form: SupportForm?
        /// The previous year's rural per-capita net income, when given instead of the parameter.
        public var ruralNetIncome: Money?

        public init(year: Int, kind: SupportKind, form: SupportForm? = nil, ruralNetIncome: Money? = nil) {
            self.year = year
            self.kind = kind
            self.form = form
            self.ruralNetIncome = ruralNetIncome
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        /// The floor the law sets (60% of rural net income, or a multiple of the dibao standard), per year.
        public var floor: Money
        /// The standard paid per person-year: the floor, or the district's standard for the form when higher.
        public var yearlyStandard: Money
        public var monthlyStandard: Money
        /// What the district pays of it per person-year.
        public var districtShare: Money
        /// What villages and towns pay of it per person-year.
        public var villagesAndTownsShare: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: input.year, month: 1, day: 1) ?? LocalDate(year: 2000, month: 1, day: 1)! }
    public static let example = Input(year: 2004, kind: .fiveGuarantees, form: .centralised)
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("kind", .choice(SupportKind.allCases.map(\.rawValue))),
        RuleField("form", .choice(SupportForm.allCases.map(\.rawValue)), optional: true), RuleField("ruralNetIncome", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.year", String(input.year))
        c.input("input.kind", input.kind.rawValue)
        let form = input.form ?? .dispersed
        c.input("input.form", form.rawValue)
        switch input.kind {
        case .fiveGuarantees:
            let floor: Money
            if try c.choice("five_guarantees.method") == "dibao_multiple" {
                let dibao = try c.money("dibao.standard.rural")
                let multiple = try c.rate("five_guarantees.dibao_multiple")
                floor = try dibao.multiplied(by: multiple).times(12, step: "explain.support.dibao_multiple")
                c.step("explain.support.dibao_multiple", "\(dibao.x) × \(multiple) × 12", floor.x)
            } else {
                let income = try c.money("economy.rural_net_income", unless: input.ruralNetIncome, input: "input.ruralNetIncome")
                let share = try c.rate("five_guarantees.floor_share")
                floor = income.multiplied(by: share)
                c.step("explain.support.income_share", "\(income.x) × \(share)", floor.x)
            }
            let own = try c.money("five_guarantees.standard.\(form.rawValue)")
            let yearly = max(floor, own)
            c.step("explain.support.standard", "max(\(floor.x), \(own.x))", yearly.x)
            // The district's 500 is a share of the standard, never more than the standard itself.
            let district = min(try c.money("five_guarantees.district_subsidy"), yearly)
            let villagesAndTowns = yearly - district
            c.step("explain.support.split", "\(yearly.x) = \(district.x) + \(villagesAndTowns.x)", villagesAndTowns.x)
            let answer = output(floor: floor, yearly: yearly, district: district, villagesAndTowns: villagesAndTowns, &c)
            return c.result(answer)
        case .threeWithouts:
            let dibao = try c.money("dibao.standard.street")
            let multiple = try c.rate("three_withouts.dibao_multiple")
            let yearly = try dibao.multiplied(by: multiple).times(12, step: "explain.support.dibao_multiple")
            c.step("explain.support.dibao_multiple", "\(dibao.x) × \(multiple) × 12", yearly.x)
            c.step("explain.support.district_pays", yearly.x, yearly.x)
            let answer = output(floor: yearly, yearly: yearly, district: yearly, villagesAndTowns: .zero, &c)
            return c.result(answer)
        }
    }

    static func output(floor: Money, yearly: Money, district: Money, villagesAndTowns: Money, _ c: inout Calculation) -> Output {
        let monthly = yearly.multiplied(by: 1, dividedBy: 12)
        c.step("explain.support.monthly", "\(yearly.x) ÷ 12", monthly.x)
        return Output(floor: floor, yearlyStandard: yearly, monthlyStandard: monthly, districtShare: district, villagesAndTownsShare: villagesAndTowns)
    }
}
