/// Arithmetic on money that refuses instead of trapping. Inputs are bounded before a rule runs,
/// but a parameter is whatever a district approved: a product of an approved amount and a count
/// (a per-person share × the participants of a district) could still exceed the fen counter, and
/// one request must never take the server down (STACK-NOTES pitfall 13).
extension Money {
    /// `self × count`, or ``RuleError/overflow(step:)`` naming the step.
    public func times(_ count: Int64, step: String) throws(RuleError) -> Money {
        let (product, overflow) = fen.multipliedReportingOverflow(by: count)
        guard !overflow else { throw .overflow(step: step) }
        return Money(fen: product)
    }

    /// `self + other`, or ``RuleError/overflow(step:)`` naming the step.
    public func plus(_ other: Money, step: String) throws(RuleError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        guard !overflow else { throw .overflow(step: step) }
        return Money(fen: sum)
    }
}

extension Array where Element == Money {
    /// The sum, or ``RuleError/overflow(step:)`` naming the step.
    public func total(step: String) throws(RuleError) -> Money {
        var sum = Money.zero
        for amount in self { sum = try sum.plus(amount, step: step) }
        return sum
    }
}

extension Ratio {
    /// The ratio as fen, rounded once, half-up; ``RuleError/overflow(step:)`` when it does not fit.
    public func fen(step: String) throws(RuleError) -> Money {
        let limit = Ratio(Int128(Int64.max))
        guard Ratio(-Int128(Int64.max)) <= self, self <= limit else { throw .overflow(step: step) }
        return Money(fen: roundedHalfUp)
    }
}

extension Period {
    /// This month moved by `months`, or ``RuleError/overflow(step:)`` when that leaves the calendar
    /// (years 1–9999): an age or a delay from a parameter could be absurd, never a trap.
    public func advanced(by months: Int, step: String) throws(RuleError) -> Period {
        let (index, overflow) = (year * 12 + month - 1).addingReportingOverflow(months)
        guard !overflow, let period = Period(year: index / 12, month: index % 12 + 1), index >= 12 else { throw .overflow(step: step) }
        return period
    }
}
