/// A participant's claim on the rural cooperative medical scheme's catastrophic-illness pooling
/// (大病统筹, PROGRAMS.md §4.3; RULES.md §9) as a benefit claim: the clerk enters the hospital,
/// the stay, the whole bill and its part the scheme covers, and who handled the claim — the
/// district's scheme office, or the commercial insurer day-to-day handling is contracted to.
/// ``RuralMedicalReimbursementRule`` gives the scheme's share by the hospital's level with the
/// year's deductible and cap; for a member of a dibao household or a person in five-guarantees
/// support, medical assistance (医疗救助) then pays its share of what is left, by the same rule
/// with its own deductible, rate and cap. A reviewer who did not check it approves it; both
/// shares are owed to the patient and paid by the next payroll run, each from its own fund.
public enum RuralMedicalClaim {
    public enum Document: String, Sendable, CaseIterable {
        /// 住院发票.
        case invoice
        /// 出院小结.
        case dischargeSummary = "discharge_summary"
    }

    public static let caseType = CaseType.benefitClaim("assistance.ncms_claim", documents: Document.allCases.map(\.rawValue))

    /// Who handled the claim day to day (管理与经办分离: the handling may be contracted out).
    public enum Handler: String, Sendable, Codable, CaseIterable {
        /// 区合作医疗管理办公室.
        case office
        /// 受托商业保险公司.
        case insurer
    }

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var institutionID: Int64
        public var admittedOn: LocalDate
        public var dischargedOn: LocalDate
        public var totalCost: Money
        public var handler: Handler
        public var input: RuralMedicalReimbursementRule.Input
        public var reimbursement: RuralMedicalReimbursementRule.Output
        /// Medical assistance on what is left to pay, for dibao and five-guarantees persons.
        public var assistanceInput: RuralMedicalReimbursementRule.Input?
        public var assistance: RuralMedicalReimbursementRule.Output?
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, institutionID: Int64, admittedOn: LocalDate, dischargedOn: LocalDate, totalCost: Money, handler: Handler,
                    input: RuralMedicalReimbursementRule.Input, reimbursement: RuralMedicalReimbursementRule.Output,
                    assistanceInput: RuralMedicalReimbursementRule.Input?, assistance: RuralMedicalReimbursementRule.Output?, paymentPointID: Int64,
                    account: String) {
            self.personID = personID
            self.institutionID = institutionID
            self.admittedOn = admittedOn
            self.dischargedOn = dischargedOn
            self.totalCost = totalCost
            self.handler = handler
            self.input = input
            self.reimbursement = reimbursement
            self.assistanceInput = assistanceInput
            self.assistance = assistance
            self.paymentPointID = paymentPointID
            self.account = account
        }

        /// What the patient is left to pay after the scheme: the whole bill less its share.
        public static func leftToPay(totalCost: Money, reimbursed: Money) -> Money { Money(fen: max(0, totalCost.fen - reimbursed.fen)) }
    }
}

extension RuralMedicalClaim.Handler: Labelled { public static let labelPrefix = "ncms_handler" }
