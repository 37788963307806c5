import Foundation

/// Working days (工作日) as the State Council's yearly holiday notice sets them: Monday to Friday,
/// less the public holidays, plus the weekend days made into working days (调休). Deadlines of
/// cases are counted in these days (DESIGN.md §7).
///
/// The calendar is data: one entry per date that differs from Monday–Friday, each with the notice
/// it comes from. Years no notice covers count Monday–Friday only, and say so (``covers(_:)``).
public struct WorkingCalendar: Sendable, Equatable {
    /// A date that is not what its weekday says.
    public struct Exception: Sendable, Hashable, Codable {
        public var date: LocalDate
        /// True for a working weekend day (调休上班), false for a holiday on a weekday.
        public var working: Bool
        /// The notice that set it, e.g. `国办发明电〔2024〕12号`.
        public var basis: String

        public init(date: LocalDate, working: Bool, basis: String) {
            self.date = date
            self.working = working
            self.basis = basis
        }
    }

    public let exceptions: [LocalDate: Exception]
    /// The years whose notice is in the data.
    public let years: Set<Int>

    public init(exceptions: [Exception]) {
        self.exceptions = Dictionary(exceptions.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
        self.years = Set(exceptions.map(\.date.year))
    }

    /// Whether the year's holiday notice is in the data (otherwise only weekends are known).
    public func covers(_ year: Int) -> Bool { years.contains(year) }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if let exception = exceptions[date] { return exception.working }
        return date.weekday <= 5
    }

    /// The `count`-th working day after `date` (`count` ≥ 0; 0 gives `date` itself).
    public func adding(workingDays count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var left = max(0, count)
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The calendar shipped with Shebao (`Resources/calendar/holidays.json`): the notices for the
    /// years the demo district and today's work need.
    public static let bundled: WorkingCalendar = {
        guard let url = Bundle.module.url(forResource: "holidays", withExtension: "json", subdirectory: "Resources/calendar"),
            let data = try? Data(contentsOf: url),
            let exceptions = try? JSONDecoder().decode([Exception].self, from: data)
        else { fatalError("Resources/calendar/holidays.json is missing or malformed") }
        return WorkingCalendar(exceptions: exceptions)
    }()
}

extension LocalDate {
    /// ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let days = daysSinceEpoch
        let mondayBased = ((days + 3) % 7 + 7) % 7
        return mondayBased + 1
    }
}
