/// A designated hospital's level (医院等级) as the pay rate reads it: town and community health
/// centres, district hospitals, city and provincial hospitals. The fund pays a larger share the
/// lower the level, to keep ordinary illness out of the big hospitals (RULES.md §2, [A]).
public enum InstitutionLevel: String, Sendable, Codable, CaseIterable {
    case community
    case district
    case city

    /// The pay-rate parameter of the level: the city level keeps the plain `medical.pay_rate`.
    var payRateKey: String {
        switch self {
        case .community: "medical.pay_rate.level_1"
        case .district: "medical.pay_rate.level_2"
        case .city: "medical.pay_rate"
        }
    }
}

extension InstitutionLevel: Labelled { public static let labelPrefix = "institution_level" }

/// Employees' medical insurance (国发〔1998〕44号; RULES.md §2): the pooled fund pays a share of
/// eligible costs above the deductible (10% of the local average annual wage) up to the yearly cap
/// (4×, later 6× that wage). The share is the hospital level's, a few points more for a retiree;
/// earlier stays of the year count against the deductible and the cap.
public enum MedicalReimbursementRule: PolicyRule {
    public static let id = "medical-reimbursement"

    public struct Input: Codable, Sendable, Hashable {
        public var date: LocalDate
        public var eligibleCost: Money
        /// Deductible already met this year by earlier episodes.
        public var deductibleMet: Money?
        /// Already paid by the fund this year.
        public var paidThisYear: Money?
        /// The hospital's level; without one, the city level's rate.
        public var hospitalLevel: InstitutionLevel?
        /// Drawing a pension: the retiree's extra share.
        public var retired: Bool?

        public init(date: LocalDate, eligibleCost: Money, deductibleMet: Money? = nil, paidThisYear: Money? = nil, hospitalLevel: InstitutionLevel? = nil,
                    retired: Bool? = nil) {
            self.date = date
            self.eligibleCost = eligibleCost
            self.deductibleMet = deductibleMet
            self.paidThisYear = paidThisYear
            self.hospitalLevel = hospitalLevel
            self.retired = retired
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        /// The part of the deductible this stay bears.
        public var deductible: Money
        public var payRate: Rate
        public var fundPays: Money
        public var patientPays: Money
    }

    public static func date(of input: Input) -> LocalDate { input.date }
    public static let example = Input(date: LocalDate(year: 2024, month: 5, day: 1)!, eligibleCost: .yuan(20_000))
    public static let fields: [RuleField] = [
        RuleField("date", .date), RuleField("eligibleCost", .money), RuleField("deductibleMet", .money, optional: true),
        RuleField("paidThisYear", .money, optional: true), RuleField("hospitalLevel", .choice(InstitutionLevel.allCases.map(\.rawValue)), optional: true), RuleField("retired", .bool, optional: true),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.date)
        c.input("input.eligibleCost", input.eligibleCost.x)
        if let level = input.hospitalLevel { c.input("input.hospitalLevel", level.rawValue) }
        if input.retired == true { c.input("input.retired", "true") }
        let annual = try c.money("wage.local_average.annual")
        let deductibleShare = try c.rate("medical.deductible_share")
        let capMultiple = try c.rate("medical.cap_multiple")
        var payRate = try c.rate((input.hospitalLevel ?? .city).payRateKey)
        if input.retired == true {
            let extra = try c.rate("medical.pay_rate.retiree_extra")
            let raised = Rate(nanos: min(Rate.one.nanos, payRate.nanos + extra.nanos))
            c.step("explain.medical.retiree_rate", "min(100%, \(payRate) + \(extra))", raised.description)
            payRate = raised
        }
        let deductible = annual.multiplied(by: deductibleShare)
        let cap = annual.multiplied(by: capMultiple)
        let remainingDeductible = Money(fen: max(0, deductible.fen - (input.deductibleMet?.fen ?? 0)))
        let borne = min(remainingDeductible, input.eligibleCost)
        c.step("explain.medical.deductible", "\(annual.x) × \(deductibleShare)", deductible.x)
        c.step("explain.medical.cap", "\(annual.x) × \(capMultiple)", cap.x)
        let computed = try (Ratio(fen: Money(fen: max(0, input.eligibleCost.fen - remainingDeductible.fen))) * Ratio(payRate)).fen
        c.step("explain.medical.computed", "(\(input.eligibleCost.x) − \(remainingDeductible.x)) × \(payRate)", computed.x)
        let room = Money(fen: max(0, cap.fen - (input.paidThisYear?.fen ?? 0)))
        let fund = min(computed, room)
        c.step("explain.medical.capped", "min(\(computed.x), \(room.x))", fund.x)
        return c.result(Output(deductible: borne, payRate: payRate, fundPays: fund, patientPays: input.eligibleCost - fund))
    }
}

/// A designated hospital or pharmacy (定点医疗机构 / 定点零售药店; PROGRAMS.md §2.7): it serves the
/// insured under a service agreement (医保定点协议) for a period, and is inspected — on schedule and
/// unannounced. A confirmed finding may warn, fine, suspend the agreement or end it (退出机制).
public struct MedicalInstitution: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case hospital
        case pharmacy
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case active
        /// The agreement is suspended: no new stays or purchases until reinstated.
        case suspended
        /// The agreement ended for cause: final.
        case exited
    }

    public var id: Int64
    public var code: String
    public var name: String
    public var kind: Kind
    /// Hospitals only.
    public var level: InstitutionLevel?
    public var region: RegionCode
    public var agreementFrom: LocalDate
    public var agreementTo: LocalDate
    public var status: Status
    /// The day the status took effect.
    public var statusSince: LocalDate
    public var version: Int64

    public init(id: Int64, code: String, name: String, kind: Kind, level: InstitutionLevel?, region: RegionCode, agreementFrom: LocalDate,
                agreementTo: LocalDate, status: Status, statusSince: LocalDate, version: Int64) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.level = level
        self.region = region
        self.agreementFrom = agreementFrom
        self.agreementTo = agreementTo
        self.status = status
        self.statusSince = statusSince
        self.version = version
    }

    /// Why the fund pays nothing for care here on `date`, or nil when it does: the agreement must
    /// cover the day, and a suspension or exit bars every day from the one it took effect.
    public func refusal(on date: LocalDate) -> String? {
        if date < agreementFrom || date > agreementTo { return "medical.outside_agreement" }
        if status != .active && date >= statusSince { return status == .suspended ? "medical.institution_suspended" : "medical.institution_exited" }
        return nil
    }
}

extension MedicalInstitution.Kind: Labelled { public static let labelPrefix = "institution_kind" }
extension MedicalInstitution.Status: Labelled { public static let labelPrefix = "institution_status" }

/// An inspection of a designated institution (定点稽核): who looked, when, what they found and the
/// measure they propose. The measure takes effect only when a reviewer who did not inspect
/// confirms it (maker–checker): a fine becomes a receivable of the pooled fund, a suspension or an
/// exit changes the agreement's status from the day confirmed.
public enum MedicalInspection {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case scheduled
        case unscheduled
    }

    public enum Measure: String, Sendable, Codable, CaseIterable {
        /// Nothing wrong found.
        case none
        case warning
        /// A fine (扣款/罚款) only.
        case fine
        case suspend
        case exit

        /// The status the measure leaves the institution in, if it changes it.
        public var status: MedicalInstitution.Status? {
            switch self {
            case .suspend: .suspended
            case .exit: .exited
            case .none, .warning, .fine: nil
            }
        }
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case proposed
        case confirmed
        case rejected
    }
}

extension MedicalInspection.Kind: Labelled { public static let labelPrefix = "inspection_kind" }
extension MedicalInspection.Measure: Labelled { public static let labelPrefix = "inspection_measure" }
extension MedicalInspection.State: Labelled { public static let labelPrefix = "inspection_state" }

/// An inpatient claim (住院医疗费用报销; RULES.md §2) as a case: a clerk opens it for an insured
/// person's stay at a designated hospital, with the stay's dates and its eligible cost (the
/// in-list part of the bill); the fund's share is computed by ``MedicalReimbursementRule`` with
/// the year's earlier stays counted against the deductible and the cap; a clerk checks the
/// invoice, the discharge summary and the itemised bill; a reviewer who neither opened nor
/// checked it approves, and the next payroll run pays the person from the pooled fund.
public enum InpatientClaim {
    public enum Document: String, Sendable, CaseIterable {
        /// 住院收费票据.
        case invoice
        /// 出院小结.
        case dischargeSummary = "discharge_summary"
        /// 费用明细清单.
        case itemisedBill = "itemised_bill"
    }

    public static let caseType = CaseType.benefitClaim("benefits.medical_inpatient", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var institutionID: Int64
        public var admittedOn: LocalDate
        public var dischargedOn: LocalDate
        public var totalCost: Money
        public var input: MedicalReimbursementRule.Input
        public var reimbursement: MedicalReimbursementRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, institutionID: Int64, admittedOn: LocalDate, dischargedOn: LocalDate, totalCost: Money,
                    input: MedicalReimbursementRule.Input, reimbursement: MedicalReimbursementRule.Output, paymentPointID: Int64, account: String) {
            self.personID = personID
            self.institutionID = institutionID
            self.admittedOn = admittedOn
            self.dischargedOn = dischargedOn
            self.totalCost = totalCost
            self.input = input
            self.reimbursement = reimbursement
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
