/// Why a household needs temporary relief (临时救助, PROGRAMS.md §4.7).
public enum ReliefReason: String, Sendable, Codable, CaseIterable {
    /// 重大疾病.
    case illness
    /// 自然灾害.
    case disaster
    /// 意外事故.
    case accident
    /// 其他突发性、临时性生活困难.
    case hardship
}

extension ReliefReason: Labelled { public static let labelPrefix = "relief_reason" }

/// Temporary relief: what a person asks for, granted up to what is left of the year's cap per
/// person (`relief.temporary.yearly_cap`, the district's rule; the figure is a placeholder). A
/// grant is never more than asked and never negative.
public enum TemporaryReliefRule: PolicyRule {
    public static let id = "temporary-relief"

    public struct Input: Codable, Sendable, Hashable {
        public var date: LocalDate
        public var requested: Money
        /// Relief granted to the person earlier in the same year.
        public var grantedThisYear: Money?

        public init(date: LocalDate, requested: Money, grantedThisYear: Money? = nil) {
            self.date = date
            self.requested = requested
            self.grantedThisYear = grantedThisYear
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var granted: Money
        /// What is left of the year's cap after this grant.
        public var roomAfter: Money
    }

    public static func date(of input: Input) -> LocalDate { input.date }
    public static let example = Input(date: LocalDate(year: 2005, month: 6, day: 1)!, requested: .yuan(2_000), grantedThisYear: .yuan(1_500))
    public static let fields: [RuleField] = [
        RuleField("date", .date), RuleField("requested", .money), RuleField("grantedThisYear", .money, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.date)
        c.input("input.requested", input.requested.x)
        let earlier = input.grantedThisYear ?? .zero
        c.input("input.grantedThisYear", earlier.x)
        guard input.requested.fen >= 0, earlier.fen >= 0 else { throw .invalidInput(field: "requested", code: "rule.negative") }
        let cap = try c.money("relief.temporary.yearly_cap")
        let room = Money(fen: max(0, cap.fen - earlier.fen))
        c.step("explain.relief.room", "max(0, \(cap.x) − \(earlier.x))", room.x)
        let granted = min(input.requested, room)
        c.step("explain.relief.granted", "min(\(input.requested.x), \(room.x))", granted.x)
        return c.result(Output(granted: granted, roomAfter: room - granted))
    }
}

/// A temporary-relief application as a benefit claim (`assistance.relief`): the town's clerk
/// enters the reason and the amount asked with the account to pay; a reviewer who did not check
/// it approves it; the grant is owed from the charity fund and paid by the next payroll run.
public enum TemporaryRelief {
    public enum Document: String, Sendable, CaseIterable {
        /// 申请书.
        case application
        /// 困难证明（诊断书、灾情证明等）.
        case proof
    }

    public static let caseType = CaseType.benefitClaim("assistance.relief", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var reason: ReliefReason
        public var note: String
        public var input: TemporaryReliefRule.Input
        public var output: TemporaryReliefRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, reason: ReliefReason, note: String, input: TemporaryReliefRule.Input, output: TemporaryReliefRule.Output,
                    paymentPointID: Int64, account: String) {
            self.personID = personID
            self.reason = reason
            self.note = note
            self.input = input
            self.output = output
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}

/// Who helps a household under paired help (结对帮扶).
public enum HelperKind: String, Sendable, Codable, CaseIterable {
    /// A unit: an organ, enterprise or institution.
    case unit
    /// A cadre, in person.
    case cadre
}

extension HelperKind: Labelled { public static let labelPrefix = "helper_kind" }

/// The fund a donation goes into: the charity fund, or the poor-students' education-aid fund.
public enum DonationFund: String, Sendable, Codable, CaseIterable {
    case charity
    case educationAid = "education_aid"

    public var fund: Fund {
        switch self {
        case .charity: .charity
        case .educationAid: .educationAid
        }
    }
}

/// What a special-hardship family (特困家庭, PROGRAMS.md §4.7) is helped with: finding work,
/// keeping its children at school, its living.
public enum HardshipNeed: String, Sendable, Codable, CaseIterable {
    case employment
    case schooling
    case living
}

extension HardshipNeed: Labelled { public static let labelPrefix = "hardship_need" }
