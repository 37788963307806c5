/// ``ContributionRule`` over columns, for the monthly assessment of a whole register.
///
/// The parameters of one scheme, payer type, month and region are resolved once (with their
/// dates and legal basis, kept in ``explanation``); then each person's lines are integer
/// arithmetic over arrays, rounded half-up once per line exactly as the scalar rule does — the
/// property tests hold the two to the fen.
public struct ContributionColumns: Sendable {
    public let scheme: Scheme
    public let payer: PayerType
    public let period: Period
    /// The parameters used, for the batch run to keep with its totals.
    public let explanation: Explanation

    /// The base bounds in fen, rounded half-up once (as the scalar rule rounds a clamped base).
    let floor: Int64
    let ceiling: Int64
    let individualNanos: Int64
    let employerNanos: Int64
    let creditNanos: Int64
    let medicalAccountShareNanos: Int64
    let workInjuryBasisPoints: Int64
    let workInjuryFactorNanos: Int64
    let ruralContractWorker: Bool
    /// Medical for a struggling enterprise's staff: the unit's inpatient-pooling rate, no account.
    public let inpatientOnly: Bool

    /// The highest base for which `base × rate` stays inside Int64 with rates up to 100%.
    static let largestBase: Int64 = Int64.max / Rate.nanosPerUnit / 2

    /// The columns' output, one element per input row.
    public struct Output: Sendable {
        public var base: [Int64] = []
        public var individual: [Int64] = []
        public var employer: [Int64] = []
        public var accountCredit: [Int64] = []
        public var employerTransferToAccount: [Int64] = []
        public init() {}

        /// Row `i` as the scalar rule's output, to compare and to explain one person on demand.
        public subscript(i: Int) -> ContributionRule.Output {
            ContributionRule.Output(base: Money(fen: base[i]), individual: Money(fen: individual[i]), employer: Money(fen: employer[i]),
                                    accountCredit: Money(fen: accountCredit[i]), employerTransferToAccount: Money(fen: employerTransferToAccount[i]))
        }
    }

    /// Resolves the parameters the scalar rule would use for these inputs; `riskClass` is the
    /// unit's (work injury), `ruralContractWorker` the batch's (unemployment) and `inpatientOnly`
    /// the unit's medical coverage (employees only).
    public init(scheme: Scheme, payer: PayerType, period: Period, book: ParameterBook, region: RegionCode,
                riskClass: Int? = nil, ruralContractWorker: Bool = false, inpatientOnly: Bool = false) throws(RuleError) {
        if inpatientOnly && (scheme != .medical || payer != .employee) { throw .invalidInput(field: "inpatientOnly", code: "rule.inpatient_only_employees") }
        var c = Calculation(rule: ContributionRule.id, book: book, region: region, date: period.firstDay)
        let reference = try c.money("wage.reference.monthly")
        let selfEmployedPension = payer == .selfEmployed && scheme == .pension
        let floorShare = try c.rate(selfEmployedPension ? "pension.self_employed.floor_share" : "contribution.base.floor_share")
        let ceilingShare = try c.rate("contribution.base.ceiling_share")
        let floor = reference.multiplied(by: floorShare).fen
        let ceiling = reference.multiplied(by: ceilingShare).fen
        var individual: Int64 = 0, employer: Int64 = 0, credit: Int64 = 0, share: Int64 = 0, basisPoints: Int64 = 0, factor: Int64 = 0
        switch scheme {
        case .pension:
            if payer == .selfEmployed {
                individual = try c.rate("pension.rate.self_employed").nanos
            } else {
                individual = try c.rate("pension.rate.individual").nanos
                employer = try c.rate("pension.rate.employer").nanos
            }
            credit = try c.rate("pension.account_credit_rate").nanos
        case .medical where inpatientOnly:
            // The unit's inpatient-pooling part alone: nothing of the person's, no account.
            employer = try c.rate("medical.inpatient_only.rate.employer").nanos
        case .medical:
            individual = try c.rate("medical.rate.individual").nanos
            employer = try c.rate("medical.rate.employer").nanos
            share = try c.rate("medical.account_share_of_employer").nanos
        case .unemployment:
            individual = try c.rate("unemployment.rate.individual").nanos
            employer = try c.rate("unemployment.rate.employer").nanos
        case .workInjury:
            guard let riskClass else { throw .invalidInput(field: "riskClass", code: "rule.required") }
            guard let points = try c.table("work_injury.base_rate_bp")[Int64(riskClass)] else { throw .invalidInput(field: "riskClass", code: "rule.out_of_range") }
            basisPoints = points
            factor = try c.rate("work_injury.float_factor").nanos
        case .maternity:
            employer = try c.rate("maternity.rate.employer").nanos
        }
        guard ceiling <= Self.largestBase, [individual, employer, credit, share, factor].allSatisfy({ (0...Rate.nanosPerUnit).contains($0) }) else {
            throw .invalidInput(field: "rate", code: "rule.out_of_range")
        }
        self.scheme = scheme
        self.payer = payer
        self.period = period
        self.explanation = c.explanation
        self.floor = floor
        self.ceiling = ceiling
        self.individualNanos = individual
        self.employerNanos = employer
        self.creditNanos = credit
        self.medicalAccountShareNanos = share
        self.workInjuryBasisPoints = basisPoints
        self.workInjuryFactorNanos = factor
        self.ruralContractWorker = ruralContractWorker
        self.inpatientOnly = inpatientOnly
    }

    /// `value × nanos / 10⁹`, half-up, for `0 ≤ value ≤ largestBase` and `0 ≤ nanos ≤ 10⁹`.
    @inline(__always)
    static func times(_ value: Int64, _ nanos: Int64) -> Int64 {
        (value &* nanos &+ Rate.nanosPerUnit / 2) / Rate.nanosPerUnit
    }

    /// The lines of every wage in `wages` (monthly, fen), written into `output`; a negative wage
    /// is refused with its row before anything is written.
    public func evaluate(wages: [Int64], into output: inout Output) throws(RuleError) {
        if let row = wages.firstIndex(where: { $0 < 0 }) { throw .invalidInput(field: "wage[\(row)]", code: "rule.negative") }
        let count = wages.count
        output.base = [Int64](repeating: 0, count: count)
        output.individual = [Int64](repeating: 0, count: count)
        output.employer = [Int64](repeating: 0, count: count)
        output.accountCredit = [Int64](repeating: 0, count: count)
        output.employerTransferToAccount = [Int64](repeating: 0, count: count)
        let (floor, ceiling) = (self.floor, self.ceiling)
        let (individualRate, employerRate, creditRate) = (individualNanos, employerNanos, creditNanos)
        wages.withUnsafeBufferPointer { wage in
            output.base.withUnsafeMutableBufferPointer { base in
                output.individual.withUnsafeMutableBufferPointer { individual in
                    output.employer.withUnsafeMutableBufferPointer { employer in
                        output.accountCredit.withUnsafeMutableBufferPointer { credit in
                            output.employerTransferToAccount.withUnsafeMutableBufferPointer { transfer in
                                for i in 0..<count { base[i] = min(max(wage[i], floor), ceiling) }
                                switch scheme {
                                case .pension:
                                    // Self-employed: `individualRate` is the whole rate and `employerRate` is 0.
                                    for i in 0..<count {
                                        let b = base[i]
                                        let own = Self.times(b, individualRate)
                                        let account = Self.times(b, creditRate)
                                        individual[i] = own
                                        employer[i] = Self.times(b, employerRate)
                                        credit[i] = account
                                        transfer[i] = account - min(own, account)
                                    }
                                case .medical:
                                    let employee = payer == .employee
                                    let ownRate = employee ? individualRate : individualRate + employerRate
                                    let share = Int128(employerRate) * Int128(medicalAccountShareNanos)
                                    for i in 0..<count {
                                        let b = base[i]
                                        let moved = Rounding.halfUp(Int128(b) * share, dividedBy: 1_000_000_000_000_000_000)
                                        individual[i] = Self.times(b, ownRate)
                                        employer[i] = employee ? Self.times(b, employerRate) : 0
                                        transfer[i] = moved
                                        credit[i] = Self.times(b, individualRate) + moved
                                    }
                                case .unemployment:
                                    let ownRate = ruralContractWorker ? 0 : individualRate
                                    for i in 0..<count {
                                        individual[i] = Self.times(base[i], ownRate)
                                        employer[i] = Self.times(base[i], employerRate)
                                    }
                                case .workInjury:
                                    let rate = Int128(workInjuryBasisPoints) * Int128(workInjuryFactorNanos)
                                    for i in 0..<count { employer[i] = Rounding.halfUp(Int128(base[i]) * rate, dividedBy: 10_000_000_000_000) }
                                case .maternity:
                                    for i in 0..<count { employer[i] = Self.times(base[i], employerRate) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The figures of one ``ContributionColumns`` for a set-based assessment in SQL: every rate an
/// integer, every product kept inside 64 bits (the store splits the two wide ones), rounded
/// half-up once per line exactly as ``ContributionColumns/evaluate(wages:into:)`` does.
public struct ContributionRates: Sendable, Hashable {
    public let scheme: Scheme
    public let payer: PayerType
    /// The base bounds in fen.
    public let floor: Int64
    public let ceiling: Int64
    /// Nanos (10⁻⁹): the person's own rate (for the self-employed, everything they pay).
    public let individualNanos: Int64
    public let employerNanos: Int64
    public let accountCreditNanos: Int64
    /// Medical: the employer's rate × the share moved to the account, in 10⁻¹⁸.
    public let medicalTransferAttos: Int64
    /// Work injury: basis points × the floating factor's nanos, in 10⁻¹³.
    public let workInjuryRate: Int64
    /// Medical for the staff of units under inpatient pooling only (the store picks them by unit).
    public let inpatientOnly: Bool
}

extension ContributionColumns {
    /// The rates per scheme, as ``evaluate(wages:into:)`` applies them.
    public var rates: ContributionRates {
        var individual: Int64 = 0, employer: Int64 = 0, credit: Int64 = 0, transfer: Int64 = 0, workInjury: Int64 = 0
        switch scheme {
        case .pension:
            (individual, employer, credit) = (individualNanos, employerNanos, creditNanos)
        case .medical:
            let employee = payer == .employee
            individual = employee ? individualNanos : individualNanos + employerNanos
            employer = employee ? employerNanos : 0
            credit = individualNanos
            transfer = employerNanos * medicalAccountShareNanos
        case .unemployment:
            (individual, employer) = (ruralContractWorker ? 0 : individualNanos, employerNanos)
        case .workInjury:
            workInjury = workInjuryBasisPoints * workInjuryFactorNanos
        case .maternity:
            employer = employerNanos
        }
        return ContributionRates(scheme: scheme, payer: payer, floor: floor, ceiling: ceiling, individualNanos: individual, employerNanos: employer,
                                 accountCreditNanos: credit, medicalTransferAttos: transfer, workInjuryRate: workInjury,
                                 inpatientOnly: inpatientOnly)
    }
}
