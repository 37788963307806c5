/// Why an enrolment ended (PROGRAMS.md §2.1: 中断、终止、转移).
public enum EnrolmentEnd: String, Sendable, Codable, CaseIterable {
    /// Contributions stop for a while (unemployed, unpaid leave); a new enrolment resumes them.
    case interrupted
    case leftUnit = "left_unit"
    /// Moved to another unit in the district (a transfer ends here and starts there).
    case transferred
    case retired
    case died
    /// Moved out of the pooling area; the account is transferred with the person.
    case movedAway = "moved_away"
}

extension EnrolmentEnd: Labelled { public static let labelPrefix = "enrolment_end" }

/// A line of a unit's staff changes (增减员).
public enum StaffChange: String, Sendable, Codable, CaseIterable {
    /// 增员: enrolled in each of the unit's schemes from the month.
    case add
    /// 减员: every enrolment with the unit ended with the month before.
    case remove
}

extension StaffChange: Labelled { public static let labelPrefix = "staff_change" }

/// The bounds a declared base is held to (60–300% of the reference wage by default) and what a
/// declaration says about the wage the unit reported.
public struct BaseBounds: Sendable, Hashable {
    public var floor: Money
    public var ceiling: Money

    public init(floor: Money, ceiling: Money) {
        self.floor = floor
        self.ceiling = ceiling
    }

    /// The base contributions are assessed on: the declaration clamped to the bounds.
    public func assessed(_ declared: Money) -> Money { Money(fen: min(max(declared.fen, floor.fen), ceiling.fen)) }

    /// Under-declared: below the wage the unit itself reported (up to the ceiling, which is all
    /// a base may be).
    public func isUnderDeclared(_ declared: Money, wage: Money?) -> Bool {
        guard let wage else { return false }
        return declared.fen < min(wage.fen, ceiling.fen)
    }
}
