/// An application for five-guarantees support (农村五保供养) or as an urban three-withouts
/// person (城镇三无人员) as a case (RULES.md §8; 农村五保供养工作条例 2006 Art. 7; PROGRAMS.md §4.2):
/// the town's clerk opens it for the person with the ground that qualifies them and how they
/// will be supported — in a nursing or welfare home (centralised), or at home under a foster
/// agreement or a home–institution pairing (dispersed); ``SupportStandardRule`` gives the
/// standard. The village or community appraises it (its record on file), it is posted for 7
/// days, the town reviews it within 20 days and a district reviewer who neither opened nor
/// reviewed it approves it within 20 more: the support certificate (供养证书) is issued and the
/// standard is paid every month by the payroll from the month after — to the home for
/// centralised support, to the person otherwise — until support ends.
public enum SupportApplication {
    public enum Document: String, Sendable, CaseIterable {
        /// 民主评议记录: the village or community meeting's record.
        case appraisalRecord = "appraisal_record"
        /// 寄养协议 / 户院挂钩协议, or the home's admission: how the person will be supported.
        case supportAgreement = "support_agreement"
    }

    public static let noticeDays = 7

    public static let caseType = CaseType(
        id: "assistance.support",
        states: [
            CaseState("applied", deadline: 10),
            // The town reviews within 20 days (Art. 7), the notice's 7 among them.
            CaseState("notice", deadline: 20, noticeDays: noticeDays),
            // The district approves within 20 days (Art. 7).
            CaseState("reviewed", deadline: 20),
            CaseState("approved", isFinal: true),
            CaseState("refused", isFinal: true),
            CaseState("withdrawn", isFinal: true),
        ],
        initial: "applied",
        openRoles: [.townClerk, .districtClerk],
        transitions: [
            CaseTransition("appraise", from: ["applied"], to: "notice", roles: [.townClerk, .districtClerk],
                           requires: Document.allCases.map(\.rawValue), needsNote: true),
            CaseTransition("review", from: ["notice"], to: "reviewed", roles: [.townClerk, .districtClerk]),
            CaseTransition("approve", from: ["reviewed"], to: "approved", roles: [.reviewer], separateFrom: [CaseType.openTransition, "review"]),
            CaseTransition("refuse", from: ["applied", "notice", "reviewed"], to: "refused", roles: [.townClerk, .districtClerk, .reviewer], needsNote: true),
            CaseTransition("withdraw", from: ["applied"], to: "withdrawn", roles: [.townClerk, .districtClerk], needsNote: true),
        ],
        attachmentKinds: Document.allCases.map(\.rawValue))

    /// What the application says and the rule gave, kept with the case.
    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var ground: SupportGround
        public var arrangement: SupportArrangement
        /// The home that takes the person in (centralised support).
        public var institutionID: Int64?
        public var input: SupportStandardRule.Input
        public var standard: SupportStandardRule.Output
        /// Where the money goes: the home's account (centralised) or the person's.
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, ground: SupportGround, arrangement: SupportArrangement, institutionID: Int64?, input: SupportStandardRule.Input,
                    standard: SupportStandardRule.Output, paymentPointID: Int64, account: String) {
            self.personID = personID
            self.ground = ground
            self.arrangement = arrangement
            self.institutionID = institutionID
            self.input = input
            self.standard = standard
            self.paymentPointID = paymentPointID
            self.account = account
        }

        public var form: SupportForm { arrangement.form }
    }
}

/// Why a person qualifies (Art. 6): old, disabled or under 16 — and with no work capacity, no
/// income and no one bound or able to support them, which the appraisal establishes.
public enum SupportGround: String, Sendable, Codable, CaseIterable {
    case elderly
    case disabled
    case minor

    /// The ages the register must bear out: 60 or over for the elderly, under 16 for a minor.
    public static let elderlyAge = 60
    public static let minorAge = 16

    /// Whether a person of `age` may claim this ground (disability is proved by its certificate).
    public func fits(age: Int) -> Bool {
        switch self {
        case .elderly: age >= Self.elderlyAge
        case .minor: age < Self.minorAge
        case .disabled: true
        }
    }
}

extension SupportGround: Labelled { public static let labelPrefix = "support_ground" }

/// How a supported person lives (Art. 12; PROGRAMS.md §4.2): in a home, or at home under a
/// foster agreement (寄养协议) or a home–institution pairing (户院挂钩).
public enum SupportArrangement: String, Sendable, Codable, CaseIterable {
    case institution
    case fosterAgreement = "foster_agreement"
    case pairing

    public var form: SupportForm { self == .institution ? .centralised : .dispersed }
}

extension SupportArrangement: Labelled { public static let labelPrefix = "support_arrangement" }
extension SupportKind: Labelled { public static let labelPrefix = "support_kind" }
extension SupportForm: Labelled { public static let labelPrefix = "support_form" }

/// The kind of home (PROGRAMS.md §4.2): a town's nursing home for the rural five-guarantees
/// elderly, or the district's welfare home.
public enum InstitutionKind: String, Sendable, Codable, CaseIterable {
    /// 敬老院
    case nursingHome = "nursing_home"
    /// 福利院
    case welfareHome = "welfare_home"
}

extension InstitutionKind: Labelled { public static let labelPrefix = "institution_kind" }

/// The share of supported persons living in a home (集中供养率), against the district's target
/// (`five_guarantees.centralised_target`, 80% in the seed).
public struct CentralisedRate: Sendable, Hashable {
    public var centralised: Int
    public var dispersed: Int
    public var target: Ratio

    public init(centralised: Int, dispersed: Int, target: Ratio) {
        self.centralised = centralised
        self.dispersed = dispersed
        self.target = target
    }

    public var total: Int { centralised + dispersed }
    /// Nil when no one is supported.
    public var rate: Ratio? { total == 0 ? nil : Ratio(Int128(centralised)) / Ratio(Int128(total)) }
    public var met: Bool { rate.map { $0 >= target } ?? false }
}
