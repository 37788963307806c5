/// Unemployment benefit (失业保险条例 1999, Art. 14, 17, 18; RULES.md §3): at least a year of
/// contributions, an involuntary loss of the job and registration; 12, 18 or 24 months by
/// contribution years, plus months left from an earlier spell, never more than 24 in all; the
/// monthly amount a share of the minimum wage, which must lie above the dibao standard and below
/// the minimum wage.
public enum UnemploymentBenefitRule: PolicyRule {
    public static let id = "unemployment-benefit"

    public struct Input: Codable, Sendable, Hashable {
        public var registeredOn: LocalDate
        public var contributionMonths: Int
        /// Unused months from the previous spell (counted afresh, Art. 17).
        public var carriedOverMonths: Int?
        public var involuntary: Bool
        public var registered: Bool

        public init(registeredOn: LocalDate, contributionMonths: Int, carriedOverMonths: Int? = nil, involuntary: Bool = true, registered: Bool = true) {
            self.registeredOn = registeredOn
            self.contributionMonths = contributionMonths
            self.carriedOverMonths = carriedOverMonths
            self.involuntary = involuntary
            self.registered = registered
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var eligible: Bool
        /// Why not, when not eligible (a string-table key).
        public var refusal: String?
        public var months: Int
        public var monthlyAmount: Money
        /// The amount lies above the dibao standard and below the minimum wage (Art. 18); nil when
        /// the region has no dibao standard on the date, so the lower bound could not be checked.
        public var withinStatutoryBounds: Bool?
    }

    public static func date(of input: Input) -> LocalDate { input.registeredOn }
    public static let example = Input(registeredOn: LocalDate(year: 2024, month: 3, day: 1)!, contributionMonths: 84)
    public static let fields: [RuleField] = [
        RuleField("registeredOn", .date), RuleField("contributionMonths", integer: 0...1_200), RuleField("carriedOverMonths", integer: 0...24, optional: true),
        RuleField("involuntary", .bool), RuleField("registered", .bool),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.registeredOn)
        c.input("input.contributionMonths", String(input.contributionMonths))
        c.input("input.carriedOverMonths", String(input.carriedOverMonths ?? 0))
        let minimumMonths = Int(try c.integer("unemployment.min_contribution_months"))
        func refuse(_ reason: String) -> RuleResult<Output> {
            c.step("explain.unemployment.refused", reason, "0")
            return c.result(Output(eligible: false, refusal: reason, months: 0, monthlyAmount: .zero, withinStatutoryBounds: true))
        }
        if !input.involuntary { return refuse("explain.unemployment.not_involuntary") }
        if !input.registered { return refuse("explain.unemployment.not_registered") }
        if input.contributionMonths < minimumMonths { return refuse("explain.unemployment.too_short") }
        let table = try c.table("unemployment.duration_months")
        let entitled = Int(table.keys.sorted().last { $0 <= Int64(input.contributionMonths) }.flatMap { table[$0] } ?? 0)
        c.step("explain.unemployment.entitled", "\(input.contributionMonths)", String(entitled))
        let cap = Int(try c.integer("unemployment.max_months"))
        let months = min(cap, entitled + (input.carriedOverMonths ?? 0))
        c.step("explain.unemployment.months", "min(\(cap), \(entitled) + \(input.carriedOverMonths ?? 0))", String(months))
        let minimumWage = try c.money("wage.minimum.monthly")
        let share = try c.rate("unemployment.benefit_share")
        let amount = minimumWage.multiplied(by: share)
        c.step("explain.unemployment.amount", "\(minimumWage.x) × \(share)", amount.x)
        // The bounds only flag the amount; a region without a dibao standard still gets its amount,
        // with the check it could not make said.
        guard let dibao = try c.moneyInForce("dibao.standard.street") else {
            c.step("explain.unemployment.bounds_unchecked", "\(amount.x) < \(minimumWage.x)", amount < minimumWage ? "✓" : "✗")
            return c.result(Output(eligible: true, refusal: nil, months: months, monthlyAmount: amount, withinStatutoryBounds: nil))
        }
        let within = dibao < amount && amount < minimumWage
        c.step("explain.unemployment.bounds", "\(dibao.x) < \(amount.x) < \(minimumWage.x)", within ? "✓" : "✗")
        return c.result(Output(eligible: true, refusal: nil, months: months, monthlyAmount: amount, withinStatutoryBounds: within))
    }
}
