/// Work-injury disability benefits (工伤待遇核定, 工伤保险条例 Art. 17–23, 35–37) as a case: a
/// clerk opens it once the injury is recognised (工伤认定) and the disability graded (劳动能力鉴定),
/// with the injury date, the day the unit reported it, the grade and the own wage; the benefits
/// are computed by ``WorkInjuryDisabilityRule``; a clerk checks the recognition decision and the
/// appraisal against it within the 60 days recognition allows; a reviewer who neither opened nor
/// checked it approves, and only then is the one-time subsidy owed by the fund — paid to the
/// worker's account by the next payroll run.
public enum WorkInjuryAward {
    /// The documents a clerk checks.
    public enum Document: String, Sendable, CaseIterable {
        /// 工伤认定决定书.
        case recognition
        /// 劳动能力鉴定结论书.
        case appraisal
        /// 居民身份证.
        case identityCard = "identity_card"
    }

    /// The unit reports an injury within 30 days (Art. 17); the worker or the family may apply
    /// within a year, the unit then bearing what fell due before.
    public static let unitReportDays = 30
    public static let lateReportDays = 365

    // Recognition is decided within 60 calendar days (Art. 20): some 42 working days.
    public static let caseType = CaseType.benefitClaim("benefits.work_injury", documents: Document.allCases.map(\.rawValue), checkDeadline: 42)

    /// What the fund pays each month (Art. 34–35): the disability allowance of grades 1–4 with its
    /// minimum-wage top-up (grades 5–6 are the employer's), and the nursing allowance.
    public static func monthlyFromFund(_ benefits: WorkInjuryDisabilityRule.Output) -> Money {
        (benefits.allowancePayer == "fund" ? benefits.monthlyAllowance + benefits.minimumWageTopUp : .zero) + benefits.monthlyNursing
    }

    /// What the case asks: the person, the rule's input and the benefits it gave when opened.
    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var input: WorkInjuryDisabilityRule.Input
        public var benefits: WorkInjuryDisabilityRule.Output
        public var reportedOn: LocalDate
        /// Reported by the unit after its 30 days: what fell due before is the unit's to pay.
        public var lateReport: Bool
        /// Where the one-time subsidy is paid: a payment point and the worker's account.
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, input: WorkInjuryDisabilityRule.Input, benefits: WorkInjuryDisabilityRule.Output, reportedOn: LocalDate,
                    lateReport: Bool, paymentPointID: Int64, account: String) {
            self.personID = personID
            self.input = input
            self.benefits = benefits
            self.reportedOn = reportedOn
            self.lateReport = lateReport
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}

/// Death from a work injury (工伤保险条例 Art. 39) as a case: a clerk opens it for the deceased
/// worker once the death is recognised as a work injury, with the day of death, the worker's wage,
/// the dependants (a spouse, others, lone elderly persons or orphans among them) and the next of
/// kin — a registered person — with their account; ``WorkInjuryDeathRule`` gives the funeral grant,
/// the one-time death subsidy and the survivor pensions; a clerk checks the recognition, the death
/// certificate and the proof of kinship; a reviewer who neither opened nor checked it approves.
/// The funeral grant and subsidy are paid once, the survivor pensions each month, to the next of
/// kin, until a clerk records that the dependants no longer qualify.
public enum WorkInjuryDeath {
    public enum Document: String, Sendable, CaseIterable {
        /// 工伤认定决定书.
        case recognition
        /// 死亡证明.
        case deathCertificate = "death_certificate"
        /// 亲属关系及供养证明.
        case kinship
    }

    public static let caseType = CaseType.benefitClaim("benefits.work_injury_death", documents: Document.allCases.map(\.rawValue), checkDeadline: 42)

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var nextOfKinID: Int64
        public var input: WorkInjuryDeathRule.Input
        public var benefits: WorkInjuryDeathRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, nextOfKinID: Int64, input: WorkInjuryDeathRule.Input, benefits: WorkInjuryDeathRule.Output, paymentPointID: Int64,
                    account: String) {
            self.personID = personID
            self.nextOfKinID = nextOfKinID
            self.input = input
            self.benefits = benefits
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
