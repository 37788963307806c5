/// Where a land-requisitioned farmer falls on the requisition date (RULES.md §11).
public enum RequisitionGroup: String, Sendable, Codable, CaseIterable {
    /// Under 16: a one-off compensation, not enrolled.
    case child
    /// Enrolled with an account; benefits later.
    case workingAge = "working_age"
    /// Women 55 and over, men 60 and over: monthly benefits.
    case elderly
}

/// Basic living security for farmers whose land was requisitioned (Zhejiang; RULES.md §11,
/// provincial order effective 2010-01-01): the age group on the requisition date; a monthly
/// benefit not lower than the urban dibao standard, paid from the month after a woman turns 55 or
/// a man 60; the contribution split between government (≥ 30%), collective and individual, to the fen.
public enum LandRequisitionRule: PolicyRule {
    public static let id = "land-requisition"

    public struct Input: Codable, Sendable, Hashable {
        public var birthDate: LocalDate
        public var sex: Sex
        public var requisitionDate: LocalDate
        /// The monthly amount of the person's tier.
        public var tierAmount: Money?
        /// A contribution to split between the three payers.
        public var contribution: Money?

        public init(birthDate: LocalDate, sex: Sex, requisitionDate: LocalDate, tierAmount: Money? = nil, contribution: Money? = nil) {
            self.birthDate = birthDate
            self.sex = sex
            self.requisitionDate = requisitionDate
            self.tierAmount = tierAmount
            self.contribution = contribution
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var group: RequisitionGroup
        /// The first month paid (children: none).
        public var benefitStart: Period?
        public var monthlyBenefit: Money
        public var government: Money
        public var collective: Money
        public var individual: Money
    }

    public static func date(of input: Input) -> LocalDate { input.requisitionDate }
    public static let example = Input(birthDate: LocalDate(year: 1951, month: 3, day: 15)!, sex: .male, requisitionDate: LocalDate(year: 2010, month: 6, day: 1)!, tierAmount: .yuan(450), contribution: .yuan(30_000))
    public static let fields: [RuleField] = [
        RuleField("birthDate", .date), RuleField("sex", .choice(Sex.allCases.map(\.rawValue))), RuleField("requisitionDate", .date),
        RuleField("tierAmount", .money, optional: true), RuleField("contribution", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.requisitionDate)
        c.input("input.birthDate", input.birthDate.description)
        c.input("input.sex", input.sex.rawValue)
        c.input("input.requisitionDate", input.requisitionDate.description)
        let childAge = Int(try c.integer("land_requisition.child_age"))
        let elderlyAge = Int(try c.integer("land_requisition.elderly_age.\(input.sex.rawValue)"))
        let age = input.birthDate.age(on: input.requisitionDate)
        let group: RequisitionGroup = age < childAge ? .child : (age >= elderlyAge ? .elderly : .workingAge)
        c.step("explain.land.group", "\(age) (< \(childAge) · ≥ \(elderlyAge))", group.rawValue)
        var start: Period?
        var benefit = Money.zero
        if group != .child {
            // Paid from the month after the birthday that reaches the age; the already old, from the month after requisition.
            let birthday = Period(year: input.birthDate.year + elderlyAge, month: input.birthDate.month) ?? input.requisitionDate.period
            let reached = max(birthday, input.requisitionDate.period)
            let first = reached.next
            start = first
            c.step("explain.land.start", "\(reached) + 1", first.description)
            let tier = input.tierAmount ?? .zero
            if let given = input.tierAmount { c.input("input.tierAmount", given.x) }
            // The floor is the rule of the month paid, not of the requisition (浙江省政府令, from 2010-01-01):
            // a farmer requisitioned in 2009 whose first month is 2010-01 is paid at least that month's dibao.
            if try c.choice("land_requisition.minimum", on: first.firstDay) == "urban_dibao" {
                let dibao = try c.money("dibao.standard.street", on: first.firstDay)
                benefit = max(tier, dibao)
                c.step("explain.land.benefit", "max(\(tier.x), \(dibao.x)) (\(first))", benefit.x)
            } else {
                benefit = tier
                c.step("explain.land.benefit", "\(tier.x) (\(first))", benefit.x)
            }
        }
        var shares = [Money.zero, .zero, .zero]
        if let contribution = input.contribution {
            c.input("input.contribution", contribution.x)
            let weights = [Ratio(try c.rate("land_requisition.share.government")), Ratio(try c.rate("land_requisition.share.collective")),
                           Ratio(try c.rate("land_requisition.share.individual"))]
            shares = Allocation.split(contribution, weights: weights)
            c.step("explain.land.split", "\(contribution.x) → \(weights.map { $0.decimal(places: 4) }.joined(separator: " : "))", shares.map(\.x).joined(separator: " + "))
        }
        return c.result(Output(group: group, benefitStart: start, monthlyBenefit: benefit, government: shares[0], collective: shares[1], individual: shares[2]))
    }
}

extension LandRequisitionRule {
    /// The least a month's benefit may be: from 2010 the urban dibao standard of the month paid
    /// (浙江省政府令, from 2010-01-01: 不低于当地城镇最低生活保障标准), zero before. The payroll
    /// raises each tier to it month by month, so a later rise of the dibao reaches every farmer.
    public static func floor(in month: Period, book: ParameterBook, region: RegionCode) throws(RuleError) -> Money {
        let day = month.firstDay
        guard case .choice("urban_dibao") = try book.resolve("land_requisition.minimum", region: region, on: day).value else { return .zero }
        guard case .money(let dibao) = try book.resolve("dibao.standard.street", region: region, on: day).value else {
            throw .wrongKind(key: "dibao.standard.street", expected: "money")
        }
        return dibao
    }
}
