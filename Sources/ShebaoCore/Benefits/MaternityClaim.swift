/// A maternity allowance claim (生育津贴, 企业职工生育保险试行办法; RULES.md §5) as a case: a clerk
/// opens it for a woman insured in maternity at the birth (or miscarriage), with the event, her
/// unit's average wage of the previous year and the account to pay; the allowance is computed by
/// ``MaternityAllowanceRule``; a clerk checks the birth certificate and the ID card; a reviewer
/// who neither opened nor checked it approves, and the next payroll run pays it.
public enum MaternityClaim {
    public enum Document: String, Sendable, CaseIterable {
        /// 出生医学证明 (or the hospital's record of the miscarriage).
        case birthCertificate = "birth_certificate"
        /// 居民身份证.
        case identityCard = "identity_card"
    }

    public static let caseType = CaseType.benefitClaim("benefits.maternity", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var input: MaternityAllowanceRule.Input
        public var allowance: MaternityAllowanceRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, input: MaternityAllowanceRule.Input, allowance: MaternityAllowanceRule.Output, paymentPointID: Int64, account: String) {
            self.personID = personID
            self.input = input
            self.allowance = allowance
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
