/// A pension award (退休待遇核定) as a case: a clerk opens it with what the archive gives (the
/// retirement date — no earlier than ``RetirementAgeRule`` allows —, for a woman her category
/// (cadre or worker), the average contribution wage index, months deemed and months before 1998)
/// and what the record holds (months paid, the account balance), the award computed by
/// ``PensionAwardRule``; a clerk checks the archive against it; a reviewer who neither opened nor
/// checked it approves (maker–checker), and only then does the pension start, from the month
/// after retirement.
public enum PensionAward {
    /// The documents a clerk checks.
    public enum Document: String, Sendable, CaseIterable {
        /// 职工档案 (the personnel archive: work history, deemed years).
        case archive
        /// 居民身份证.
        case identityCard = "identity_card"
    }

    public static let caseType = CaseType.benefitClaim("benefits.pension_award", documents: Document.allCases.map(\.rawValue))

    /// What the case asks: the person, the rule's input and the award it gave when opened.
    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var input: PensionAwardRule.Input
        public var award: PensionAwardRule.Output
        /// The first month paid: the month after retirement.
        public var start: Period
        /// The statutory retirement month by ``RetirementAgeRule``, and the earliest the person
        /// could retire by it.
        public var statutoryRetirement: Period
        public var earliestRetirement: Period

        public init(personID: Int64, input: PensionAwardRule.Input, award: PensionAwardRule.Output, start: Period, statutoryRetirement: Period,
                    earliestRetirement: Period) {
            self.personID = personID
            self.input = input
            self.award = award
            self.start = start
            self.statutoryRetirement = statutoryRetirement
            self.earliestRetirement = earliestRetirement
        }
    }
}
