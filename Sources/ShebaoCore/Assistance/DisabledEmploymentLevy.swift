/// The disabled persons' employment security levy (残疾人就业保障金; RULES.md §10) in the mode in
/// force for the year:
/// - `flat_per_head` — the seed's district rule: units below the 1.5% quota pay a flat amount per
///   head (150 for organs, organisations and public institutions, 100 for enterprises);
/// - `zhejiang_2009` — shortfall × the local average annual wage (Zhejiang 2009 ordinance Art. 20);
/// - `national_2015` — shortfall × the employer's own average wage (财税〔2015〕72号);
/// - `national_2020` — as 2015 with the wage capped at 2× the local average, units of 30 or fewer
///   staff exempt, and 50% / 90% to pay when the ratio is at least 1% / below 1% (公告2019年第98号).
/// One employee with a grade 1–2 disability counts as two.
public enum DisabledEmploymentLevyRule: PolicyRule {
    public static let id = "disabled-levy"

    public struct Input: Codable, Sendable, Hashable {
        /// The year the levy is for (staff and wages are of the year before).
        public var year: Int
        public var ownershipType: OwnershipType
        public var staff: Int
        public var disabledEmployees: Int
        /// Of those, with a grade 1 or 2 disability.
        public var severelyDisabledEmployees: Int?
        public var employerAverageAnnualWage: Money?
        /// The local average annual wage, when given instead of the parameter.
        public var localAverageAnnualWage: Money?

        public init(year: Int, ownershipType: OwnershipType, staff: Int, disabledEmployees: Int, severelyDisabledEmployees: Int? = nil,
                    employerAverageAnnualWage: Money? = nil, localAverageAnnualWage: Money? = nil) {
            self.year = year
            self.ownershipType = ownershipType
            self.staff = staff
            self.disabledEmployees = disabledEmployees
            self.severelyDisabledEmployees = severelyDisabledEmployees
            self.employerAverageAnnualWage = employerAverageAnnualWage
            self.localAverageAnnualWage = localAverageAnnualWage
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var mode: String
        /// Persons the quota asks for, to two decimals (e.g. "2.25").
        public var required: String
        public var shortfall: String
        public var exempt: Bool
        public var levy: Money
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 1, day: 1)! }
    public static let example = Input(year: 2024, ownershipType: .privateEnterprise, staff: 200, disabledEmployees: 1, employerAverageAnnualWage: .yuan(80_000), localAverageAnnualWage: .yuan(70_000))
    public static let refusals = ["rule.more_than_disabled", "rule.required"]
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("ownershipType", .choice(OwnershipType.allCases.map(\.rawValue))),
        RuleField("staff", integer: 0...1_000_000), RuleField("disabledEmployees", integer: 0...1_000_000),
        RuleField("severelyDisabledEmployees", integer: 0...1_000_000, optional: true),
        RuleField("employerAverageAnnualWage", .money, optional: true), RuleField("localAverageAnnualWage", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.staff", String(input.staff))
        c.input("input.disabledEmployees", String(input.disabledEmployees))
        guard (input.severelyDisabledEmployees ?? 0) <= input.disabledEmployees else {
            throw .invalidInput(field: "severelyDisabledEmployees", code: "rule.more_than_disabled")
        }
        let mode = try c.choice("disabled_levy.mode")
        let quota = try c.rate("disabled_levy.quota")
        // Fractional persons kept to two decimals (RULES.md §10 [A]).
        let required = Ratio(Int128((Ratio(Int128(input.staff)) * Ratio(quota) * Ratio(100)).roundedHalfUp), 100)
        let weight = try c.integer("disabled_levy.severe_weight")
        let employed = Ratio(Int128(input.disabledEmployees) + Int128(input.severelyDisabledEmployees ?? 0) * Int128(weight - 1))
        let shortfall = Ratio.max(.zero, required - employed)
        c.step("explain.levy.required", "\(input.staff) × \(quota)", required.fixed(2))
        c.step("explain.levy.shortfall", "max(0, \(required.fixed(2)) − \(employed.decimal(places: 0)))", shortfall.fixed(2))
        func output(_ levy: Money, exempt: Bool = false) -> RuleResult<Output> {
            c.result(Output(mode: mode, required: required.fixed(2), shortfall: shortfall.fixed(2), exempt: exempt, levy: levy))
        }
        guard shortfall > .zero else {
            c.step("explain.levy.quota_met", "", "0.00")
            return output(.zero)
        }
        switch mode {
        case "flat_per_head":
            let publicSector: Set<OwnershipType> = [.governmentOrgan, .publicInstitution, .socialOrganisation]
            let perHead = try c.money(publicSector.contains(input.ownershipType) ? "disabled_levy.flat.public_sector" : "disabled_levy.flat.enterprise")
            let levy = try perHead.times(Int64(input.staff), step: "explain.levy.flat")
            c.step("explain.levy.flat", "\(perHead.x) × \(input.staff)", levy.x)
            return output(levy)
        case "zhejiang_2009":
            let wage = try localWage(input, &c)
            let levy = try (shortfall * Ratio(fen: wage)).fen
            c.step("explain.levy.local_wage", "\(shortfall.decimal(places: 2)) × \(wage.x)", levy.x)
            return output(levy)
        case "national_2015", "national_2020":
            guard let own = input.employerAverageAnnualWage else { throw .invalidInput(field: "employerAverageAnnualWage", code: "rule.required") }
            c.input("input.employerAverageAnnualWage", own.x)
            var wage = Ratio(fen: own)
            var discount = Ratio.one
            if mode == "national_2020" {
                let exemptStaff = try c.integer("disabled_levy.exempt_staff")
                if Int64(input.staff) <= exemptStaff {
                    c.step("explain.levy.exempt", "\(input.staff) ≤ \(exemptStaff)", "0.00")
                    return output(.zero, exempt: true)
                }
                let local = try localWage(input, &c)
                let multiple = try c.rate("disabled_levy.wage_cap_multiple")
                wage = Ratio.min(wage, Ratio(fen: local) * Ratio(multiple))
                c.step("explain.levy.wage_cap", "min(\(own.x), \(local.x) × \(multiple))", (wage / Ratio(100)).decimal(places: 2))
                let ratio = employed / Ratio(Int128(max(1, input.staff)))
                let low = try c.rate("disabled_levy.discount.below_one_percent")
                let mid = try c.rate("disabled_levy.discount.below_quota")
                discount = ratio < Ratio(1, 100) ? Ratio(low) : Ratio(mid)
                c.step("explain.levy.discount", "\((ratio * Ratio(100)).decimal(places: 2))%", discount.decimal(places: 2))
            }
            let levy = try (shortfall * wage * discount).fen
            c.step("explain.levy.total", "\(shortfall.decimal(places: 2)) × \((wage / Ratio(100)).decimal(places: 2)) × \(discount.decimal(places: 2))", levy.x)
            return output(levy)
        default:
            throw .wrongKind(key: "disabled_levy.mode", expected: "flat_per_head | zhejiang_2009 | national_2015 | national_2020")
        }
    }

    static func localWage(_ input: Input, _ c: inout Calculation) throws(RuleError) -> Money {
        try c.money("wage.local_average.annual", unless: input.localAverageAnnualWage, input: "input.localAverageAnnualWage")
    }
}
