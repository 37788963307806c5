/// How much daily care an injured worker needs (生活自理障碍程度).
public enum CareDependency: String, Sendable, Codable, CaseIterable {
    case none, partial, major, full
}

/// Work-injury benefits for a disability (工伤保险条例 Art. 35–37, 64; RULES.md §4.3–4.5): the own
/// wage clamped to [60%, 300%] of the local average; a lump sum of months by grade, from the table
/// in force on the injury date; a monthly allowance for grades 1–6 topped up to the minimum wage;
/// nursing by dependency.
public enum WorkInjuryDisabilityRule: PolicyRule {
    public static let id = "work-injury-disability"

    public struct Input: Codable, Sendable, Hashable {
        public var injuryDate: LocalDate
        /// 1 (most severe) … 10.
        public var grade: Int
        /// Average monthly contribution wage of the 12 months before the injury.
        public var ownWage: Money
        /// The local average monthly wage, when given instead of the parameter.
        public var localAverageWage: Money?
        public var dependency: CareDependency?

        public init(injuryDate: LocalDate, grade: Int, ownWage: Money, localAverageWage: Money? = nil, dependency: CareDependency? = nil) {
            self.injuryDate = injuryDate
            self.grade = grade
            self.ownWage = ownWage
            self.localAverageWage = localAverageWage
            self.dependency = dependency
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var ownWage: Money
        public var lumpSum: Money
        public var monthlyAllowance: Money
        public var minimumWageTopUp: Money
        /// Who pays the allowance: the fund (grades 1–4) or the employer (5–6).
        public var allowancePayer: String?
        public var monthlyNursing: Money
    }

    public static func date(of input: Input) -> LocalDate { input.injuryDate }
    public static let example = Input(injuryDate: LocalDate(year: 2012, month: 5, day: 10)!, grade: 3, ownWage: .yuan(2_000), localAverageWage: .yuan(6_000))
    public static let fields: [RuleField] = [
        RuleField("injuryDate", .date), RuleField("grade", .integer), RuleField("ownWage", .money), RuleField("localAverageWage", .money, optional: true),
        RuleField("dependency", .choice(CareDependency.allCases.map(\.rawValue)), optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.injuryDate)
        c.input("input.grade", String(input.grade))
        c.input("input.ownWage", input.ownWage.x)
        guard (1...10).contains(input.grade) else { throw .invalidInput(field: "grade", code: "rule.out_of_range") }
        let average = try c.money("wage.local_average.monthly", unless: input.localAverageWage, input: "input.localAverageWage")
        let floorShare = try c.rate("work_injury.own_wage.floor_share")
        let ceilingShare = try c.rate("work_injury.own_wage.ceiling_share")
        let own = Ratio.min(Ratio.max(Ratio(fen: input.ownWage), Ratio(fen: average) * Ratio(floorShare)), Ratio(fen: average) * Ratio(ceilingShare)).fen
        c.step("explain.injury.own_wage", "min(max(\(input.ownWage.x), \(average.x) × \(floorShare)), \(average.x) × \(ceilingShare))", own.x)
        let months = try c.table("work_injury.lump_sum_months")
        guard let lumpMonths = months[Int64(input.grade)] else { throw .missingParameter(key: "work_injury.lump_sum_months", date: input.injuryDate) }
        let lump = own * lumpMonths
        c.step("explain.injury.lump_sum", "\(lumpMonths) × \(own.x)", lump.x)
        var allowance = Money.zero
        var topUp = Money.zero
        var payer: String?
        if input.grade <= 6 {
            let percents = try c.table("work_injury.allowance_percent")
            let percent = percents[Int64(input.grade)] ?? 0
            allowance = (Ratio(fen: own) * Ratio(Int128(percent), 100)).fen
            c.step("explain.injury.allowance", "\(own.x) × \(percent)%", allowance.x)
            let minimumWage = try c.money("wage.minimum.monthly")
            if allowance < minimumWage {
                topUp = minimumWage - allowance
                c.step("explain.injury.top_up", "\(minimumWage.x) − \(allowance.x)", topUp.x)
            }
            payer = input.grade <= 4 ? "fund" : "employer"
        }
        var nursing = Money.zero
        if let dependency = input.dependency, dependency != .none {
            let percents = try c.table("work_injury.nursing_percent")
            let level: Int64 = dependency == .full ? 3 : dependency == .major ? 2 : 1
            let percent = percents[level] ?? 0
            nursing = (Ratio(fen: average) * Ratio(Int128(percent), 100)).fen
            c.step("explain.injury.nursing", "\(average.x) × \(percent)%", nursing.x)
        }
        return c.result(Output(ownWage: own, lumpSum: lump, monthlyAllowance: allowance, minimumWageTopUp: topUp, allowancePayer: payer, monthlyNursing: nursing))
    }
}

/// A dependant of a worker who died of a work injury.
public struct SurvivorDependant: Codable, Sendable, Hashable {
    public enum Relation: String, Codable, Sendable, CaseIterable { case spouse, other }
    public var relation: Relation
    /// A lone elderly person or an orphan: 10% more (Art. 39).
    public var loneElderlyOrOrphan: Bool?

    public init(relation: Relation, loneElderlyOrOrphan: Bool? = nil) {
        self.relation = relation
        self.loneElderlyOrOrphan = loneElderlyOrOrphan
    }
}

/// Death from a work injury (工伤保险条例 Art. 39; RULES.md §4.6): the funeral grant (6 months of
/// the local average wage); the one-time death subsidy (48–60 months of the local wage under the
/// 2003 text; 20 × the previous year's national urban disposable income from 2011); survivor
/// pensions of 40% (spouse) and 30% (others), +10% for a lone elderly person or an orphan, together
/// no more than the deceased's wage — shared pro rata and to the fen when they would be.
public enum WorkInjuryDeathRule: PolicyRule {
    public static let id = "work-injury-death"

    public struct Input: Codable, Sendable, Hashable {
        public var deathDate: LocalDate
        public var deceasedWage: Money
        public var localAverageWage: Money?
        /// The previous year's national urban per-capita disposable income, when given instead of the parameter.
        public var nationalDisposableIncome: Money?
        public var dependants: [SurvivorDependant]

        public init(deathDate: LocalDate, deceasedWage: Money, localAverageWage: Money? = nil, nationalDisposableIncome: Money? = nil, dependants: [SurvivorDependant]) {
            self.deathDate = deathDate
            self.deceasedWage = deceasedWage
            self.localAverageWage = localAverageWage
            self.nationalDisposableIncome = nationalDisposableIncome
            self.dependants = dependants
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var funeralGrant: Money
        public var deathSubsidy: Money
        public var survivorPensions: [Money]
        public var survivorTotal: Money
        public var cappedAtWage: Bool
    }

    public static func date(of input: Input) -> LocalDate { input.deathDate }
    public static let example = Input(
        deathDate: LocalDate(year: 2024, month: 3, day: 1)!, deceasedWage: .yuan(5_000), localAverageWage: .yuan(6_000),
        dependants: [SurvivorDependant(relation: .spouse), SurvivorDependant(relation: .other, loneElderlyOrOrphan: true), SurvivorDependant(relation: .other, loneElderlyOrOrphan: true)])
    public static let fields: [RuleField] = [
        RuleField("deathDate", .date), RuleField("deceasedWage", .money), RuleField("localAverageWage", .money, optional: true),
        RuleField("nationalDisposableIncome", .money, optional: true), RuleField("dependants", .list),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.deathDate)
        c.input("input.deceasedWage", input.deceasedWage.x)
        c.input("input.dependants", String(input.dependants.count))
        let average = try c.money("wage.local_average.monthly", unless: input.localAverageWage, input: "input.localAverageWage")
        let funeralMonths = try c.integer("work_injury.funeral_months")
        let funeral = average * funeralMonths
        c.step("explain.death.funeral", "\(funeralMonths) × \(average.x)", funeral.x)
        let subsidy: Money
        if try c.choice("work_injury.death_subsidy.mode") == "national_income" {
            let income = try c.money("economy.national_urban_disposable_income", unless: input.nationalDisposableIncome, input: "input.nationalDisposableIncome")
            let multiple = try c.integer("work_injury.death_subsidy.income_multiple")
            subsidy = income * multiple
            c.step("explain.death.subsidy", "\(multiple) × \(income.x)", subsidy.x)
        } else {
            let months = try c.integer("work_injury.death_subsidy.months")
            subsidy = average * months
            c.step("explain.death.subsidy", "\(months) × \(average.x)", subsidy.x)
        }
        let spouse = try c.integer("work_injury.survivor.spouse_percent")
        let other = try c.integer("work_injury.survivor.other_percent")
        let extra = try c.integer("work_injury.survivor.lone_extra_percent")
        let shares = input.dependants.map { dependant -> Ratio in
            let percent = (dependant.relation == .spouse ? spouse : other) + (dependant.loneElderlyOrOrphan == true ? extra : 0)
            return Ratio(fen: input.deceasedWage) * Ratio(Int128(percent), 100)
        }
        let uncapped = shares.reduce(Ratio.zero, +)
        var pensions = shares.map(\.fen)
        var capped = false
        // Capped when the exact total exceeds the wage — or when rounding each share would.
        if Ratio(fen: input.deceasedWage) < uncapped || input.deceasedWage < pensions.reduce(Money.zero, +) {
            capped = true
            pensions = Allocation.split(input.deceasedWage, weights: shares)
            c.step("explain.death.survivors_capped", "\(uncapped.fen.x) > \(input.deceasedWage.x)", pensions.map(\.x).joined(separator: " + "))
        } else {
            c.step("explain.death.survivors", shares.map { $0.fen.x }.joined(separator: " + "), uncapped.fen.x)
        }
        let total = pensions.reduce(Money.zero, +)
        return c.result(Output(funeralGrant: funeral, deathSubsidy: subsidy, survivorPensions: pensions, survivorTotal: total, cappedAtWage: capped))
    }
}
