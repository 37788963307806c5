/// A student's application for education aid as a case (PROGRAMS.md §4.4): the town's clerk
/// opens it for the student with the school level, the status that qualifies (three
/// disabilities, a dibao household, a poor household) and the guardian's account; the amount is
/// ``EducationAidRule``'s. The school's certificate and the proof of status are verified by the
/// town, the district's departments confirm it (a reviewer who neither opened nor verified it),
/// it is posted for 7 days like dibao, and when the notice has run without an unsettled
/// objection it is granted: the year's aid is owed from the education-aid fund and the next
/// payroll run pays it to the guardian. One application per student and school year.
public enum EducationAidApplication {
    public enum Document: String, Sendable, CaseIterable {
        /// 在读证明: the school's certificate of enrolment.
        case schoolCertificate = "school_certificate"
        /// 困难证明: the dibao certificate, the disability certificate or the town's proof of hardship.
        case statusProof = "status_proof"
    }

    public static let noticeDays = 7

    public static let caseType = CaseType(
        id: "assistance.education_aid",
        states: [
            CaseState("applied", deadline: 10),
            CaseState("verified", deadline: 10),
            CaseState("notice", noticeDays: noticeDays),
            CaseState("granted", isFinal: true),
            CaseState("refused", isFinal: true),
            CaseState("withdrawn", isFinal: true),
        ],
        initial: "applied",
        openRoles: [.townClerk, .districtClerk],
        transitions: [
            CaseTransition("verify", from: ["applied"], to: "verified", roles: [.townClerk, .districtClerk], requires: Document.allCases.map(\.rawValue)),
            CaseTransition("confirm", from: ["verified"], to: "notice", roles: [.reviewer], separateFrom: [CaseType.openTransition, "verify"]),
            CaseTransition("grant", from: ["notice"], to: "granted", roles: [.townClerk, .districtClerk]),
            CaseTransition("refuse", from: ["applied", "verified", "notice"], to: "refused", roles: [.townClerk, .districtClerk, .reviewer], needsNote: true),
            CaseTransition("withdraw", from: ["applied"], to: "withdrawn", roles: [.townClerk, .districtClerk], needsNote: true),
        ],
        attachmentKinds: Document.allCases.map(\.rawValue))

    /// Fees deferred or reduced for a family struck by disaster or illness (PROGRAMS.md §4.4:
    /// 因灾、因病致困的缓、减学杂费): the town records it on the application and the school applies it.
    public struct FeeRelief: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case deferral
            case reduction
        }

        public enum Cause: String, Sendable, Codable, CaseIterable {
            case disaster
            case illness
        }

        public var kind: Kind
        public var cause: Cause

        public init(kind: Kind, cause: Cause) {
            self.kind = kind
            self.cause = cause
        }
    }

    public struct Request: Sendable, Codable, Hashable {
        public var studentID: Int64
        /// Who receives the money for the student: the household head (the student when none).
        public var guardianID: Int64
        public var input: EducationAidRule.Input
        public var aid: EducationAidRule.Output
        public var paymentPointID: Int64
        public var account: String
        /// Fees deferred or reduced besides the aid; nil when none (and in applications from before).
        public var feeRelief: FeeRelief?

        public init(studentID: Int64, guardianID: Int64, input: EducationAidRule.Input, aid: EducationAidRule.Output, paymentPointID: Int64,
                    account: String, feeRelief: FeeRelief? = nil) {
            self.feeRelief = feeRelief
            self.studentID = studentID
            self.guardianID = guardianID
            self.input = input
            self.aid = aid
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
