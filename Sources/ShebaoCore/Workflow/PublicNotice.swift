/// How an objection raised during a public notice (公示期异议) was settled. An upheld objection
/// means the facts were wrong and the case goes back to be re-examined (or is refused); a
/// dismissed one is answered and recorded. Either way the notice may then end: the Ministry of
/// Civil Affairs' measures for dibao review (《最低生活保障审核确认办法》, 2021) have an objection
/// re-investigated before the application is approved.
public enum ObjectionOutcome: String, Sendable, Codable, CaseIterable {
    case upheld
    case dismissed
}

/// Where a public notice is: its dates and whether it may end.
public struct NoticeWindow: Sendable, Hashable {
    public var startsOn: LocalDate
    public var endsOn: LocalDate

    /// A notice posted on `date` for `days` calendar days ends `days` days later; the case may
    /// leave the step on that day, not before.
    public init(postedOn date: LocalDate, days: Int) {
        self.startsOn = date
        self.endsOn = date.adding(days: max(1, days))
    }

    public init(startsOn: LocalDate, endsOn: LocalDate) {
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    public func isRunning(on date: LocalDate) -> Bool { date < endsOn }
}
