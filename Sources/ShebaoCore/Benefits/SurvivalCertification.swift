/// Survival certification (领取资格认证, RULES.md §1.7): a pensioner is certified once per cycle;
/// one not certified by the end of the cycle and its grace period is suspended from the next
/// month, and resumed — with the suspended months paid back — once certified again.
public enum SurvivalCertificationRule: PolicyRule {
    public static let id = "survival-certification"

    public struct Input: Codable, Sendable, Hashable {
        /// The last certification (or, before the first, the day the pension started).
        public var lastCertified: LocalDate
        /// The day the question is asked.
        public var asOf: LocalDate

        public init(lastCertified: LocalDate, asOf: LocalDate) {
            self.lastCertified = lastCertified
            self.asOf = asOf
        }
    }

    public struct Output: Codable, Sendable, Hashable {
        /// Due by: the last certification and one cycle.
        public var due: LocalDate
        /// The last day of the grace period.
        public var graceEnds: LocalDate
        /// Suspended from this month when not certified by the end of the grace period.
        public var suspendFrom: Period
        /// Whether, on `asOf`, the grace period is over.
        public var suspend: Bool
    }

    public static func date(of input: Input) -> LocalDate { input.asOf }
    public static let example = Input(lastCertified: LocalDate(year: 2025, month: 3, day: 10)!, asOf: LocalDate(year: 2026, month: 7, day: 1)!)
    public static let fields: [RuleField] = [RuleField("lastCertified", .date), RuleField("asOf", .date)]

    public static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        var c = Calculation(rule: id, book: book, region: region, date: date(of: input))
        c.input("input.lastCertified", input.lastCertified.description)
        c.input("input.asOf", input.asOf.description)
        let cycle = try c.integer("pension.survival.cycle_months")
        let grace = try c.integer("pension.survival.grace_months")
        guard (1...120).contains(cycle) else { throw .outOfRange(field: "pension.survival.cycle_months", lower: "1", upper: "120") }
        guard (0...60).contains(grace) else { throw .outOfRange(field: "pension.survival.grace_months", lower: "0", upper: "60") }
        guard let due = input.lastCertified.addingMonths(Int(cycle)), let graceEnds = due.addingMonths(Int(grace)), graceEnds.year < 9999 else {
            throw .outOfRange(field: "lastCertified", lower: "0001-01-01", upper: "9998-12-31")
        }
        let suspendFrom = graceEnds.period.next
        let suspend = input.asOf > graceEnds
        c.step("explain.survival.due", "\(input.lastCertified) + \(cycle)", due.description)
        c.step("explain.survival.grace", "\(due) + \(grace)", graceEnds.description)
        c.step("explain.survival.suspend_from", "\(graceEnds.period) + 1", suspendFrom.description)
        c.step("explain.survival.suspend", "\(input.asOf) > \(graceEnds)", suspend ? "✓" : "✗")
        return c.result(Output(due: due, graceEnds: graceEnds, suspendFrom: suspendFrom, suspend: suspend))
    }
}
