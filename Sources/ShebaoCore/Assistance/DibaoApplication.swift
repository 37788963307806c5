/// A household's application for the minimum living guarantee as a case (PROGRAMS.md §4.1;
/// RULES.md §7.3; 浙江省社会救助条例 Art. 11): the town's clerk opens it with the household's
/// declared income and the account to pay, and ``DibaoBenefitRule`` gives the amount; the clerk
/// surveys the household's real income and assets within 15 working days (入户调查, the survey on
/// file), the community or village appraises it in a meeting (民主评议, its record on file, the
/// outcome noted), the town reviews it, and a district reviewer — never the one who opened or
/// surveyed it — approves it. Approved, it is posted in the community for 7 days (公示); an
/// objection raised meanwhile must be settled before anything is paid. When the notice has run,
/// a clerk grants it and the household is paid every month by the payroll from the month after,
/// until the benefit is ended. Any step may refuse it, in writing with the reasons.
public enum DibaoApplication {
    public enum Document: String, Sendable, CaseIterable {
        /// 入户调查表: the survey of income and assets.
        case incomeSurvey = "income_survey"
        /// 民主评议记录: the community or village meeting's record.
        case appraisalRecord = "appraisal_record"
    }

    /// The public notice's length in calendar days (浙江省社会救助条例 Art. 11).
    public static let noticeDays = 7

    public static let caseType = CaseType(
        id: "assistance.dibao",
        states: [
            CaseState("applied", deadline: 15),
            CaseState("surveyed", deadline: 10),
            CaseState("appraised", deadline: 5),
            CaseState("reviewed", deadline: 5),
            CaseState("notice", noticeDays: noticeDays),
            CaseState("granted", isFinal: true),
            CaseState("refused", isFinal: true),
            CaseState("withdrawn", isFinal: true),
        ],
        initial: "applied",
        openRoles: [.townClerk, .districtClerk],
        transitions: [
            CaseTransition("survey", from: ["applied"], to: "surveyed", roles: [.townClerk, .districtClerk], requires: [Document.incomeSurvey.rawValue]),
            CaseTransition("appraise", from: ["surveyed"], to: "appraised", roles: [.townClerk, .districtClerk], requires: [Document.appraisalRecord.rawValue],
                           needsNote: true),
            CaseTransition("review", from: ["appraised"], to: "reviewed", roles: [.townClerk, .districtClerk]),
            CaseTransition("approve", from: ["reviewed"], to: "notice", roles: [.reviewer], separateFrom: [CaseType.openTransition, "survey"]),
            CaseTransition("grant", from: ["notice"], to: "granted", roles: [.townClerk, .districtClerk]),
            CaseTransition("refuse", from: ["applied", "surveyed", "appraised", "reviewed", "notice"], to: "refused",
                           roles: [.townClerk, .districtClerk, .reviewer], needsNote: true),
            CaseTransition("withdraw", from: ["applied", "surveyed"], to: "withdrawn", roles: [.townClerk, .districtClerk], needsNote: true),
        ],
        attachmentKinds: Document.allCases.map(\.rawValue))

    /// What the application says and the rule gave, kept with the case.
    public struct Request: Sendable, Codable, Hashable {
        public var householdID: Int64
        /// The household head, who applies and is paid.
        public var personID: Int64
        public var input: DibaoBenefitRule.Input
        public var benefit: DibaoBenefitRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(householdID: Int64, personID: Int64, input: DibaoBenefitRule.Input, benefit: DibaoBenefitRule.Output, paymentPointID: Int64,
                    account: String) {
            self.householdID = householdID
            self.personID = personID
            self.input = input
            self.benefit = benefit
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}

/// A name as a public notice shows it (张*明): the first and last characters, the rest masked; a
/// two-character name keeps its first (张*). Never the whole name of anyone.
public func maskedName(_ name: String) -> String {
    let characters = Array(name)
    switch characters.count {
    case 0: return ""
    case 1: return "*"
    case 2: return String(characters[0]) + "*"
    default: return String(characters[0]) + String(repeating: "*", count: characters.count - 2) + String(characters[characters.count - 1])
    }
}

/// How often a household's dibao is reviewed (城市居民最低生活保障条例 Art. 10; RULES.md §7.3 [A]):
/// households that cannot change much — three withouts, or everyone old or severely disabled —
/// yearly; households with members who may work, more often. The months are parameters
/// (`dibao.review_months.<category>`).
public enum DibaoReviewCategory: String, Sendable, Codable, CaseIterable {
    case stable
    case working
}

extension DibaoReviewCategory: Labelled { public static let labelPrefix = "dibao_category" }

/// What a periodic review found.
public enum DibaoReviewOutcome: String, Sendable, Codable, CaseIterable {
    /// Still eligible at the same amount: reviewed again after the category's months.
    case continued
    /// No longer eligible: the benefit ends from a month not yet paid.
    case ended
}

extension DibaoReviewOutcome: Labelled { public static let labelPrefix = "dibao_review" }

extension DibaoApplication.Request {
    /// The household's review category from what the application says.
    public var reviewCategory: DibaoReviewCategory {
        if input.threeWithouts == true { return .stable }
        let unable = (input.elderly ?? 0) + (input.severelyDisabled ?? 0)
        return unable >= input.householdSize ? .stable : .working
    }
}

extension DibaoReviewCategory {
    /// The day a household reviewed (or granted) on `day` is reviewed next: the category's months
    /// later, by the parameter in force on `day`.
    public func nextReview(after day: LocalDate, book: ParameterBook, region: RegionCode) throws(RuleError) -> LocalDate {
        let key = "dibao.review_months.\(rawValue)"
        guard case .integer(let months) = try book.resolve(key, region: region, on: day).value, (1...60).contains(months),
              let next = day.addingMonths(Int(months)) else { throw .outOfRange(field: key, lower: "1", upper: "60") }
        return next
    }
}
