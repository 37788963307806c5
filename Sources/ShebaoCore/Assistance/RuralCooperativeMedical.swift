/// Financing of the new rural cooperative medical scheme for one year (PROGRAMS.md §4.3): per
/// person 40 from village and participant, 10 from the town or street, 20 from the district, plus
/// the city; for dibao and five-guarantees members the own part is paid half by the district and
/// half by the town. Parts add up to the total exactly.
public enum RuralMedicalFinancingRule: PolicyRule {
    public static let id = "ncms-financing"

    public struct Input: Codable, Sendable, Hashable {
        public var year: Int
        public var participants: Int
        /// Of the participants, dibao and five-guarantees members.
        public var assisted: Int

        public init(year: Int, participants: Int, assisted: Int) {
            self.year = year
            self.participants = participants
            self.assisted = assisted
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var perPerson: Money
        public var participantsPay: Money
        public var town: Money
        public var district: Money
        public var city: Money
        public var total: Money

        public init(perPerson: Money, participantsPay: Money, town: Money, district: Money, city: Money, total: Money) {
            self.perPerson = perPerson
            self.participantsPay = participantsPay
            self.town = town
            self.district = district
            self.city = city
            self.total = total
        }
    }

    public static func date(of input: Input) -> LocalDate { LocalDate(year: max(1, min(9999, input.year)), month: 1, day: 1)! }
    public static let example = Input(year: 2004, participants: 200_000, assisted: 3_800)
    public static let refusals = ["rule.more_than_participants"]
    public static let fields: [RuleField] = [
        RuleField("year", integer: RuleField.years), RuleField("participants", integer: 0...10_000_000), RuleField("assisted", integer: 0...10_000_000),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.participants", String(input.participants))
        c.input("input.assisted", String(input.assisted))
        guard input.assisted <= input.participants else { throw .invalidInput(field: "assisted", code: "rule.more_than_participants") }
        let own = try c.money("ncms.share.participant")
        let town = try c.money("ncms.share.town")
        let district = try c.money("ncms.share.district")
        let city = try c.money("ncms.share.city")
        let districtPartOfAssisted = try c.rate("ncms.assisted_district_share")
        guard districtPartOfAssisted <= Rate.one else { throw .wrongKind(key: "ncms.assisted_district_share", expected: "0–100%") }
        let step = "explain.ncms.total"
        let perPerson = try [own, town, district, city].total(step: "explain.ncms.per_person")
        c.step("explain.ncms.per_person", "\(own.x) + \(town.x) + \(district.x) + \(city.x)", perPerson.x)
        let n = Int64(input.participants)
        let assisted = Int64(input.assisted)
        let assistedOwn = try own.times(assisted, step: step)
        let split = Allocation.split(assistedOwn, weights: [Ratio(districtPartOfAssisted), Ratio.one - Ratio(districtPartOfAssisted)])
        let participantsPay = try own.times(n - assisted, step: "explain.ncms.participants")
        let districtTotal = try district.times(n, step: "explain.ncms.district").plus(split[0], step: "explain.ncms.district")
        let townTotal = try town.times(n, step: "explain.ncms.town").plus(split[1], step: "explain.ncms.town")
        let cityTotal = try city.times(n, step: "explain.ncms.city")
        c.step("explain.ncms.participants", "\(own.x) × \(n - Int64(input.assisted))", participantsPay.x)
        c.step("explain.ncms.district", "\(district.x) × \(n) + \(split[0].x)", districtTotal.x)
        c.step("explain.ncms.town", "\(town.x) × \(n) + \(split[1].x)", townTotal.x)
        c.step("explain.ncms.city", "\(city.x) × \(n)", cityTotal.x)
        let total = try [participantsPay, districtTotal, townTotal, cityTotal].total(step: step)
        c.step("explain.ncms.total", "\(perPerson.x) × \(n)", total.x)
        return c.result(Output(perPerson: perPerson, participantsPay: participantsPay, town: townTotal, district: districtTotal, city: cityTotal, total: total))
    }
}

/// Which payer a reimbursement follows.
public enum ReimbursementScheme: String, Sendable, Codable, CaseIterable {
    /// The rural cooperative medical scheme (RULES.md §9).
    case ruralCooperative = "rural_cooperative"
    /// Medical assistance after insurance (医疗救助).
    case medicalAssistance = "medical_assistance"
}

/// Reimbursement by the rural cooperative scheme or by medical assistance (RULES.md §9):
/// `min(cap remaining, max(0, cost − deductible) × rate)`.
public enum RuralMedicalReimbursementRule: PolicyRule {
    public static let id = "ncms-reimbursement"

    public struct Input: Codable, Sendable, Hashable {
        public var date: LocalDate
        public var scheme: ReimbursementScheme
        /// Eligible cost (for assistance: what is left to pay after insurance).
        public var cost: Money
        /// Already reimbursed this year.
        public var paidThisYear: Money?
        /// The hospital's level: the rural scheme pays its rate (`ncms.rate.<level>`), else `ncms.rate`.
        public var hospitalLevel: InstitutionLevel?

        public init(date: LocalDate, scheme: ReimbursementScheme, cost: Money, paidThisYear: Money? = nil, hospitalLevel: InstitutionLevel? = nil) {
            self.date = date
            self.scheme = scheme
            self.cost = cost
            self.paidThisYear = paidThisYear
            self.hospitalLevel = hospitalLevel
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var reimbursement: Money
        public var remainingCap: Money
    }

    public static func date(of input: Input) -> LocalDate { input.date }
    public static let example = Input(date: LocalDate(year: 2004, month: 6, day: 1)!, scheme: .ruralCooperative, cost: .yuan(10_000))
    public static let fields: [RuleField] = [
        RuleField("date", .date), RuleField("scheme", .choice(ReimbursementScheme.allCases.map(\.rawValue))), RuleField("cost", .money),
        RuleField("paidThisYear", .money, optional: true),
        RuleField("hospitalLevel", .choice(InstitutionLevel.allCases.map(\.rawValue)), optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.date)
        c.input("input.scheme", input.scheme.rawValue)
        c.input("input.cost", input.cost.x)
        let prefix = input.scheme == .ruralCooperative ? "ncms" : "medical_assistance"
        let deductible = try c.money("\(prefix).deductible")
        // The rural scheme's rate by the hospital's level (RULES.md §9: "often by hospital level").
        var rateKey = "\(prefix).rate"
        if input.scheme == .ruralCooperative, let level = input.hospitalLevel {
            c.input("input.hospitalLevel", level.rawValue)
            rateKey = "ncms.rate.\(level.rawValue)"
        }
        let rate = try c.rate(rateKey)
        let cap = try c.money("\(prefix).cap")
        let computed = try (Ratio(fen: Money(fen: max(0, input.cost.fen - deductible.fen))) * Ratio(rate)).fen
        c.step("explain.reimbursement.computed", "max(0, \(input.cost.x) − \(deductible.x)) × \(rate)", computed.x)
        let room = Money(fen: max(0, cap.fen - (input.paidThisYear?.fen ?? 0)))
        let paid = min(computed, room)
        c.step("explain.reimbursement.capped", "min(\(computed.x), \(room.x))", paid.x)
        return c.result(Output(reimbursement: paid, remainingCap: room - paid))
    }
}
