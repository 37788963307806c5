/// An exact decimal rate such as 8% or 0.05% per day, held in billionths.
///
/// Nine decimals cover every rate the rules use (the smallest, 0.05% a day, is 500,000 nanos)
/// without a floating-point value anywhere (RULES.md §0).
public struct Rate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let nanosPerUnit: Int64 = 1_000_000_000

    /// The rate in billionths: 8% is 80,000,000.
    public var nanos: Int64

    public init(nanos: Int64) { self.nanos = nanos }

    /// `Rate(percent: 8)` is 8%; `Rate(percent: 5, scale: 2)` is 0.05%.
    public init(percent: Int64, scale: Int = 0) {
        var divisor: Int64 = 1
        for _ in 0..<scale { divisor *= 10 }
        self.nanos = percent * (Self.nanosPerUnit / 100) / divisor
    }

    public static let zero = Rate(nanos: 0)
    public static let one = Rate(nanos: nanosPerUnit)

    public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.nanos < rhs.nanos }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let rate = Rate(decimal: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal rate: \(text)"))
        }
        self = rate
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimalString)
    }

    /// Reads `0.08`, `8%`, `0.0005`; at most nine decimals of the unit.
    public init?(decimal text: String) {
        var body = Substring(text)
        var percent = false
        if body.hasSuffix("%") {
            percent = true
            body = body.dropLast()
        }
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit))
        else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        // A percent has seven decimals left of the nine of the unit.
        let scale = percent ? 7 : 9
        let unitsPerWhole: Int64 = percent ? Self.nanosPerUnit / 100 : Self.nanosPerUnit
        guard fraction.count <= scale, parts[0].count <= 9, let whole = Int64(parts[0]) else { return nil }
        let fractionValue = Int64(fraction + String(repeating: "0", count: scale - fraction.count)) ?? 0
        let value = whole * unitsPerWhole + fractionValue
        self.nanos = negative ? -value : value
    }

    /// `0.08`: the shortest exact decimal of the unit.
    public var decimalString: String {
        let magnitude = nanos.magnitude
        let whole = magnitude / UInt64(Self.nanosPerUnit)
        var fraction = String(magnitude % UInt64(Self.nanosPerUnit))
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (nanos < 0 ? "-" : "") + "\(whole)" + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `8%`, `0.05%`.
    public var percentString: String {
        let hundredths = Rate(nanos: nanos * 100).decimalString
        return hundredths + "%"
    }

    public var description: String { percentString }
}

/// The one rounding function of the project: half-up (away from zero on a tie) to an integer.
public enum Rounding {
    /// `numerator / denominator` rounded half away from zero; `ROUND_HALF_UP` in RULES.md §0.
    public static func halfUp(_ numerator: Int128, dividedBy denominator: Int128) -> Int64 {
        Int64(halfUpWide(numerator, dividedBy: denominator))
    }

    /// The same, kept in 128 bits (for figures that are not amounts, such as an explanation's terms).
    public static func halfUpWide(_ numerator: Int128, dividedBy denominator: Int128) -> Int128 {
        precondition(denominator != 0, "division by zero")
        let sign: Int128 = (numerator < 0) != (denominator < 0) ? -1 : 1
        let n = numerator.magnitude
        let d = denominator.magnitude
        let quotient = n / d
        let remainder = n % d
        let rounded = remainder >= d - remainder ? quotient + 1 : quotient
        return sign * Int128(rounded)
    }
}
