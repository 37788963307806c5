/// A calendar month such as 2004-01: the unit of contributions, benefits and statistics.
///
/// Stored as the integer `yyyymm` (DESIGN.md §2); steps by months, so `a...b` is a month range.
public struct Period: Hashable, Comparable, Sendable, Strideable, Codable, CustomStringConvertible {
    public let year: Int
    /// 1…12.
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// From `200401`.
    public init?(yyyymm: Int) {
        self.init(year: yyyymm / 100, month: yyyymm % 100)
    }

    /// From `2004-01` or `200401`.
    public init?(_ text: String) {
        let digits = text.filter { $0 != "-" }
        guard digits.count == 6, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits),
            text.count == 6 || (text.count == 7 && text.dropFirst(4).first == "-")
        else { return nil }
        self.init(yyyymm: value)
    }

    public var yyyymm: Int { year * 100 + month }

    /// Months since year 0, the stride unit.
    private var monthIndex: Int { year * 12 + (month - 1) }

    private init(monthIndex: Int) {
        self.year = monthIndex / 12
        self.month = monthIndex % 12 + 1
    }

    public func advanced(by months: Int) -> Period { Period(monthIndex: monthIndex + months) }
    public func distance(to other: Period) -> Int { other.monthIndex - monthIndex }
    public static func < (lhs: Period, rhs: Period) -> Bool { lhs.monthIndex < rhs.monthIndex }

    public var next: Period { advanced(by: 1) }
    public var previous: Period { advanced(by: -1) }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))! }

    /// `2004-01`.
    /// `YYYY-MM`, the year padded to four digits (0166-07 reads back as itself).
    public var description: String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-" + (month < 10 ? "0" : "") + String(month)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = Period(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a period (YYYY-MM): \(text)"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
