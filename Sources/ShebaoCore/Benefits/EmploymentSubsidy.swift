/// What a re-employment subsidy pays for (失业保险条例 Art. 10(4); PROGRAMS.md §2.9).
public enum SubsidyKind: String, Sendable, Codable, CaseIterable {
    /// 职业培训补贴: a course (order-based or entrepreneurship training) for a registered unemployed person.
    case training
    /// 职业介绍补贴: a job found for them by a placement agency.
    case placement
}

/// The unemployment fund's training and placement subsidies: a share of what the course or the
/// placement cost, never more than the province's cap per person and event (Art. 10(4) leaves
/// both to the province: [A]).
public enum EmploymentSubsidyRule: PolicyRule {
    public static let id = "employment-subsidy"

    public struct Input: Codable, Sendable, Hashable {
        public var date: LocalDate
        public var kind: SubsidyKind
        /// What the course or the placement cost, as invoiced.
        public var cost: Money

        public init(date: LocalDate, kind: SubsidyKind, cost: Money) {
            self.date = date
            self.kind = kind
            self.cost = cost
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var subsidy: Money
    }

    public static func date(of input: Input) -> LocalDate { input.date }
    public static let example = Input(date: LocalDate(year: 2004, month: 6, day: 1)!, kind: .training, cost: .yuan(800))
    public static let fields: [RuleField] = [
        RuleField("date", .date), RuleField("kind", .choice(SubsidyKind.allCases.map(\.rawValue))), RuleField("cost", .money),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.date)
        c.input("input.kind", input.kind.rawValue)
        c.input("input.cost", input.cost.x)
        guard !input.cost.isNegative else { throw .invalidInput(field: "cost", code: "rule.negative") }
        let share = try c.rate("unemployment.subsidy.\(input.kind.rawValue).share")
        let cap = try c.money("unemployment.subsidy.\(input.kind.rawValue).cap")
        let shared = input.cost.multiplied(by: share)
        c.step("explain.subsidy.share", "\(input.cost.x) × \(share)", shared.x)
        let subsidy = min(shared, cap)
        c.step("explain.subsidy.capped", "min(\(shared.x), \(cap.x))", subsidy.x)
        return c.result(Output(subsidy: subsidy))
    }
}

/// A training or placement subsidy as a case: a clerk opens it for a person registered unemployed,
/// with the provider, the invoiced cost and the account it is paid to (the provider's or the
/// person's); the subsidy is computed by ``EmploymentSubsidyRule``; a clerk checks the invoice and
/// the certificate (course completed, or the labour contract the placement led to); a reviewer
/// who neither opened nor checked it approves, and the next payroll run pays it from the
/// unemployment fund.
public enum EmploymentSubsidy {
    public enum Document: String, Sendable, CaseIterable {
        /// 发票.
        case invoice
        /// 培训合格证书 or 劳动合同.
        case certificate
    }

    public static let caseType = CaseType.benefitClaim("benefits.employment_subsidy", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var provider: String
        public var input: EmploymentSubsidyRule.Input
        public var subsidy: EmploymentSubsidyRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, provider: String, input: EmploymentSubsidyRule.Input, subsidy: EmploymentSubsidyRule.Output, paymentPointID: Int64,
                    account: String) {
            self.personID = personID
            self.provider = provider
            self.input = input
            self.subsidy = subsidy
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
