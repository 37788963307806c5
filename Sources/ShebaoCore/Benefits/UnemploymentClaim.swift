/// An unemployment benefit claim (失业保险金, 失业保险条例 Art. 14–18; RULES.md §3) as a case: a
/// clerk opens it for a person registered unemployed, with the day registered, whether the job
/// ended against their will, months left from an earlier spell and the account to pay; the
/// months paid come from the record; ``UnemploymentBenefitRule`` gives the months and the amount.
/// A clerk checks the termination certificate and the registration; a reviewer who did neither
/// approves, and one month is paid by each payroll run until the months are used up or the
/// person works again.
public enum UnemploymentClaim {
    public enum Document: String, Sendable, CaseIterable {
        /// 解除（终止）劳动合同证明.
        case termination
        /// 失业登记.
        case registration
    }

    public static let caseType = CaseType.benefitClaim("benefits.unemployment", documents: Document.allCases.map(\.rawValue))

    /// The groups re-employment services look after first (PROGRAMS.md §2.9, §4.1).
    public enum PriorityGroup: String, Sendable, Codable, CaseIterable {
        /// "4050": a woman of 40 or more, a man of 50 or more.
        case fortyFifty = "forty_fifty"
        case disabled
        /// Husband and wife both unemployed (零就业家庭 in the making).
        case bothSpouses = "both_spouses"
    }

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var input: UnemploymentBenefitRule.Input
        public var benefit: UnemploymentBenefitRule.Output
        public var priorityGroups: [PriorityGroup]
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, input: UnemploymentBenefitRule.Input, benefit: UnemploymentBenefitRule.Output, priorityGroups: [PriorityGroup],
                    paymentPointID: Int64, account: String) {
            self.personID = personID
            self.input = input
            self.benefit = benefit
            self.priorityGroups = priorityGroups
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
