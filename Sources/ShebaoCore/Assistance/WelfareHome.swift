/// District subsidies for nursing and welfare homes (敬老院、福利院; PROGRAMS.md §4.2, the seed:
/// "對改造、擴建的，區財政按照1/3的標準予以補助。對經驗收達到每張牀位和公共用房面積人均不少於25平方米
/// 標準的，每新增一張牀位區財政將補助7000元"): a third of the cost of a renovation or extension, and
/// 7,000 for each new bed once the home passes inspection with at least 25 m² of bed and common
/// space per resident.
public enum WelfareHomeSubsidyRule: PolicyRule {
    public static let id = "welfare-home-subsidy"

    public struct Input: Codable, Sendable, Hashable {
        /// The date of the inspection (验收) or of the approved works.
        public var date: LocalDate
        /// The approved cost of renovation or extension.
        public var renovationCost: Money?
        public var newBeds: Int?
        /// Bed and common-room space of the home after the works, in whole square metres.
        public var floorArea: Int?
        public var residents: Int?

        public init(date: LocalDate, renovationCost: Money? = nil, newBeds: Int? = nil, floorArea: Int? = nil, residents: Int? = nil) {
            self.date = date
            self.renovationCost = renovationCost
            self.newBeds = newBeds
            self.floorArea = floorArea
            self.residents = residents
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var renovationSubsidy: Money
        /// The home meets the space standard per resident.
        public var spaceStandardMet: Bool
        public var bedSubsidy: Money
        public var total: Money
    }

    public static func date(of input: Input) -> LocalDate { input.date }
    public static let example = Input(date: LocalDate(year: 2004, month: 10, day: 1)!, renovationCost: .yuan(450_000), newBeds: 40, floorArea: 2_600, residents: 100)
    public static let refusals = ["rule.required"]
    public static let fields: [RuleField] = [
        RuleField("date", .date), RuleField("renovationCost", .money, optional: true), RuleField("newBeds", integer: 0...5_000, optional: true),
        RuleField("floorArea", integer: 0...1_000_000, optional: true), RuleField("residents", integer: 1...10_000, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.date)
        var renovation = Money.zero
        if let cost = input.renovationCost {
            c.input("input.renovationCost", cost.x)
            let divisor = try c.integer("welfare_home.renovation_divisor")
            guard divisor > 0 else { throw .wrongKind(key: "welfare_home.renovation_divisor", expected: "> 0") }
            renovation = cost.multiplied(by: 1, dividedBy: divisor)
            c.step("explain.welfare_home.renovation", "\(cost.x) ÷ \(divisor)", renovation.x)
        }
        var met = false
        var beds = Money.zero
        if let newBeds = input.newBeds, newBeds > 0 {
            c.input("input.newBeds", String(newBeds))
            guard let area = input.floorArea else { throw .invalidInput(field: "floorArea", code: "rule.required") }
            guard let residents = input.residents else { throw .invalidInput(field: "residents", code: "rule.required") }
            c.input("input.floorArea", String(area))
            c.input("input.residents", String(residents))
            let minimum = try c.integer("welfare_home.min_area_per_resident")
            // Compared in whole numbers: area ≥ minimum × residents, so 25.0 m² a resident counts.
            met = Ratio(Int128(minimum)) * Ratio(Int128(residents)) <= Ratio(Int128(area))
            c.step("explain.welfare_home.space", "\(area) ÷ \(residents) ≥ \(minimum)", met ? "✓" : "✗")
            if met {
                let perBed = try c.money("welfare_home.bed_subsidy")
                beds = try perBed.times(Int64(newBeds), step: "explain.welfare_home.beds")
                c.step("explain.welfare_home.beds", "\(perBed.x) × \(newBeds)", beds.x)
            }
        }
        let total = try renovation.plus(beds, step: "explain.welfare_home.total")
        c.step("explain.welfare_home.total", "\(renovation.x) + \(beds.x)", total.x)
        return c.result(Output(renovationSubsidy: renovation, spaceStandardMet: met, bedSubsidy: beds, total: total))
    }
}

/// A home's application for the district's construction subsidy as a benefit claim
/// (`assistance.home_subsidy`): the civil-affairs clerk enters the works — the approved cost of a
/// renovation or extension, the new beds, the space and residents after them, the day of the
/// inspection — with the audit of the cost and the inspection report on file; a reviewer who did
/// not check it approves it. Approved, the subsidy is owed to the home from the five-guarantees
/// fund (the district's welfare budget) and the home's beds and space are those after the works;
/// a fund accountant records the transfer.
public enum HomeSubsidy {
    public enum Document: String, Sendable, CaseIterable {
        /// 工程结算审计报告.
        case costAudit = "cost_audit"
        /// 竣工验收报告.
        case acceptanceReport = "acceptance_report"
    }

    public static let caseType = CaseType.benefitClaim("assistance.home_subsidy", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var institutionID: Int64
        public var institutionName: String
        public var input: WelfareHomeSubsidyRule.Input
        public var output: WelfareHomeSubsidyRule.Output

        public init(institutionID: Int64, institutionName: String, input: WelfareHomeSubsidyRule.Input, output: WelfareHomeSubsidyRule.Output) {
            self.institutionID = institutionID
            self.institutionName = institutionName
            self.input = input
            self.output = output
        }
    }
}
