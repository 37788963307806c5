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
        RuleField("injuryDate", .date), RuleField("grade", integer: 1...10), RuleField("ownWage", .money), RuleField("localAverageWage", .money, optional: true),
        RuleField("dependency", .choice(CareDependency.allCases.map(\.rawValue)), optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.injuryDate)
        c.input("input.grade", String(input.grade))
        c.input("input.ownWage", input.ownWage.x)
        guard (1...10).contains(input.grade) else { throw .invalidInput(field: "grade", code: "rule.out_of_range") }
        let average = try c.money("wage.local_average.monthly", unless: input.localAverageWage, input: "input.localAverageWage")
        let own = try WorkInjuryOwnWage.clamped(input.ownWage, average: average, &c)
        let months = try c.table("work_injury.lump_sum_months")
        guard let lumpMonths = months[Int64(input.grade)] else { throw .missingParameter(key: "work_injury.lump_sum_months", date: input.injuryDate) }
        let lump = try own.times(lumpMonths, step: "explain.injury.lump_sum")
        c.step("explain.injury.lump_sum", "\(lumpMonths) × \(own.x)", lump.x)
        var allowance = Money.zero
        var topUp = Money.zero
        var payer: String?
        if input.grade <= 6 {
            let percents = try c.table("work_injury.allowance_percent")
            let percent = percents[Int64(input.grade)] ?? 0
            allowance = try (Ratio(fen: own) * Ratio(Int128(percent), 100)).fen
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
            nursing = try (Ratio(fen: average) * Ratio(Int128(percent), 100)).fen
            c.step("explain.injury.nursing", "\(average.x) × \(percent)%", nursing.x)
        }
        return c.result(Output(ownWage: own, lumpSum: lump, monthlyAllowance: allowance, minimumWageTopUp: topUp, allowancePayer: payer, monthlyNursing: nursing))
    }
}

/// The own wage (本人工资) of the work-injury regulation (Art. 64; RULES.md §4.3): the average monthly
/// contribution wage of the twelve months before the injury, clamped to [60%, 300%] of the local
/// average monthly wage — for disability benefits and survivor pensions alike.
enum WorkInjuryOwnWage {
    static func clamped(_ wage: Money, average: Money, _ c: inout Calculation) throws(RuleError) -> Money {
        let floorShare = try c.rate("work_injury.own_wage.floor_share")
        let ceilingShare = try c.rate("work_injury.own_wage.ceiling_share")
        let own = try Ratio.min(Ratio.max(Ratio(fen: wage), Ratio(fen: average) * Ratio(floorShare)), Ratio(fen: average) * Ratio(ceilingShare))
            .fen(step: "explain.injury.own_wage")
        c.step("explain.injury.own_wage", "min(max(\(wage.x), \(average.x) × \(floorShare)), \(average.x) × \(ceilingShare))", own.x)
        return own
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
/// pensions of 40% (spouse) and 30% (others), +10% for a lone elderly person or an orphan, of the
/// deceased's own wage clamped to 60–300% of the local average (Art. 64), together no more than
/// that own wage — shared pro rata and to the fen when they would be.
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
        /// The deceased's own wage (clamped), of which the survivor pensions are shares.
        public var ownWage: Money
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
        RuleField("nationalDisposableIncome", .money, optional: true), RuleField("dependants", .list, bounds: .count(0...20), items: [
            RuleField("relation", .choice(SurvivorDependant.Relation.allCases.map(\.rawValue))), RuleField("loneElderlyOrOrphan", .bool, optional: true),
        ]),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.deathDate)
        c.input("input.deceasedWage", input.deceasedWage.x)
        c.input("input.dependants", String(input.dependants.count))
        let average = try c.money("wage.local_average.monthly", unless: input.localAverageWage, input: "input.localAverageWage")
        let funeralMonths = try c.integer("work_injury.funeral_months")
        let funeral = try average.times(funeralMonths, step: "explain.death.funeral")
        c.step("explain.death.funeral", "\(funeralMonths) × \(average.x)", funeral.x)
        let subsidy: Money
        if try c.choice("work_injury.death_subsidy.mode") == "national_income" {
            let income = try c.money("economy.national_urban_disposable_income", unless: input.nationalDisposableIncome, input: "input.nationalDisposableIncome")
            let multiple = try c.integer("work_injury.death_subsidy.income_multiple")
            subsidy = try income.times(multiple, step: "explain.death.subsidy")
            c.step("explain.death.subsidy", "\(multiple) × \(income.x)", subsidy.x)
        } else {
            let months = try c.integer("work_injury.death_subsidy.months")
            subsidy = try average.times(months, step: "explain.death.subsidy")
            c.step("explain.death.subsidy", "\(months) × \(average.x)", subsidy.x)
        }
        // Survivor pensions are shares of the own wage, not of the raw wage (Art. 39 with Art. 64).
        let own = try WorkInjuryOwnWage.clamped(input.deceasedWage, average: average, &c)
        let spouse = try c.integer("work_injury.survivor.spouse_percent")
        let other = try c.integer("work_injury.survivor.other_percent")
        let extra = try c.integer("work_injury.survivor.lone_extra_percent")
        let shares = input.dependants.map { dependant -> Ratio in
            let percent = (dependant.relation == .spouse ? spouse : other) + (dependant.loneElderlyOrOrphan == true ? extra : 0)
            return Ratio(fen: own) * Ratio(Int128(percent), 100)
        }
        let uncapped = shares.reduce(Ratio.zero, +)
        var pensions = try shares.map { share throws(RuleError) in try share.fen }
        var capped = false
        // Capped when the exact total exceeds the wage — or when rounding each share would.
        if Ratio(fen: own) < uncapped || own < pensions.reduce(Money.zero, +) {
            capped = true
            pensions = Allocation.split(own, weights: shares)
            try c.step("explain.death.survivors_capped", "\(uncapped.fen.x) > \(own.x)", pensions.map(\.x).joined(separator: " + "))
        } else {
            try c.step("explain.death.survivors", try shares.map { share throws(RuleError) in try share.fen.x }.joined(separator: " + "), uncapped.fen.x)
        }
        let total = pensions.reduce(Money.zero, +)
        return c.result(Output(funeralGrant: funeral, deathSubsidy: subsidy, ownWage: own, survivorPensions: pensions, survivorTotal: total, cappedAtWage: capped))
    }
}
