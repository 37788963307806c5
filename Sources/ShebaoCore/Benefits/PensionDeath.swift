/// What a retiree's death pays (RULES.md §1.7): the funeral grant and the survivors' lump sum,
/// each months of the local average monthly wage (provincial amounts, Social Insurance Law Art. 17:
/// [A]), and what is left of the individual account's own part — in Zhejiang only the
/// individual-contribution part and its interest is inheritable (Zhejiang 2008 Art. 29): the own
/// part at death less its share of the account pension drawn, never below nothing.
public enum PensionDeathRule: PolicyRule {
    public static let id = "pension-death"

    public struct Input: Codable, Sendable, Hashable {
        public var deathDate: LocalDate
        /// The account's individual-contribution part (with its interest) and the unit's transfer part, at death.
        public var accountOwn: Money
        public var accountTransfer: Money
        /// The account part of the pension drawn from the start through the month of death.
        public var accountPensionDrawn: Money

        public init(deathDate: LocalDate, accountOwn: Money, accountTransfer: Money, accountPensionDrawn: Money) {
            self.deathDate = deathDate
            self.accountOwn = accountOwn
            self.accountTransfer = accountTransfer
            self.accountPensionDrawn = accountPensionDrawn
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        public var funeralGrant: Money
        public var survivorLumpSum: Money
        public var inheritable: Money
        public var total: Money
    }

    public static func date(of input: Input) -> LocalDate { input.deathDate }
    public static let example = Input(deathDate: LocalDate(year: 2024, month: 3, day: 1)!, accountOwn: .yuan(60_000), accountTransfer: .yuan(20_000),
                                      accountPensionDrawn: .yuan(40_000))
    public static let fields: [RuleField] = [
        RuleField("deathDate", .date), RuleField("accountOwn", .money), RuleField("accountTransfer", .money), RuleField("accountPensionDrawn", .money),
    ]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: input.deathDate)
        c.input("input.accountOwn", input.accountOwn.x)
        c.input("input.accountTransfer", input.accountTransfer.x)
        c.input("input.accountPensionDrawn", input.accountPensionDrawn.x)
        for (field, value) in [("accountOwn", input.accountOwn), ("accountTransfer", input.accountTransfer), ("accountPensionDrawn", input.accountPensionDrawn)]
        where value.isNegative {
            throw .invalidInput(field: field, code: "rule.negative")
        }
        let average = try c.money("wage.local_average.monthly")
        let funeralMonths = try c.integer("pension.death.funeral_months")
        let funeral = try average.times(funeralMonths, step: "explain.pension_death.funeral")
        c.step("explain.pension_death.funeral", "\(funeralMonths) × \(average.x)", funeral.x)
        let survivorMonths = try c.integer("pension.death.survivor_months")
        let survivor = try average.times(survivorMonths, step: "explain.pension_death.survivor")
        c.step("explain.pension_death.survivor", "\(survivorMonths) × \(average.x)", survivor.x)
        // The account pension is drawn from both parts in proportion to them.
        let account = try input.accountOwn.plus(input.accountTransfer, step: "explain.pension_death.own_drawn")
        let ownDrawn = account.fen == 0 ? Money.zero
            : try (Ratio(fen: input.accountPensionDrawn) * Ratio(fen: input.accountOwn) / Ratio(fen: account)).fen
        c.step("explain.pension_death.own_drawn", "\(input.accountPensionDrawn.x) × \(input.accountOwn.x) ÷ \(account.x)", ownDrawn.x)
        let inheritable = Money(fen: max(0, input.accountOwn.fen - ownDrawn.fen))
        c.step("explain.pension_death.inheritable", "max(0, \(input.accountOwn.x) − \(ownDrawn.x))", inheritable.x)
        let total = try funeral.plus(survivor, step: "explain.pension_death.total").plus(inheritable, step: "explain.pension_death.total")
        c.step("explain.pension_death.total", "\(funeral.x) + \(survivor.x) + \(inheritable.x)", total.x)
        return c.result(Output(funeralGrant: funeral, survivorLumpSum: survivor, inheritable: inheritable, total: total))
    }
}

/// The payout on a retiree's death as a case: a clerk opens it once the death register has
/// stopped the pension, naming the next of kin (a registered person) and their account; the rule
/// gives the funeral grant, the survivors' lump sum and the inheritable balance; a clerk checks the
/// death certificate and the proof of kinship; a reviewer who neither opened nor checked it
/// approves, and the next payroll run pays the next of kin from the pension fund.
public enum SurvivorPayout {
    public enum Document: String, Sendable, CaseIterable {
        /// 死亡证明 (or the cremation certificate).
        case deathCertificate = "death_certificate"
        /// 亲属关系证明.
        case kinship
    }

    public static let caseType = CaseType.benefitClaim("benefits.survivor", documents: Document.allCases.map(\.rawValue))

    public struct Request: Sendable, Codable, Hashable {
        public var personID: Int64
        public var nextOfKinID: Int64
        public var input: PensionDeathRule.Input
        public var payout: PensionDeathRule.Output
        public var paymentPointID: Int64
        public var account: String

        public init(personID: Int64, nextOfKinID: Int64, input: PensionDeathRule.Input, payout: PensionDeathRule.Output, paymentPointID: Int64,
                    account: String) {
            self.personID = personID
            self.nextOfKinID = nextOfKinID
            self.input = input
            self.payout = payout
            self.paymentPointID = paymentPointID
            self.account = account
        }
    }
}
