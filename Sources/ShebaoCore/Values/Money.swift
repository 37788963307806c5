/// An amount of renminbi held as integer fen (分); 1 yuan = 100 fen.
///
/// Money never touches binary floating point (RULES.md §0). Products with a rate are computed
/// exactly in 128-bit integers and rounded once, half-up, to the fen.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in fen.
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    /// Whole yuan.
    public static func yuan(_ yuan: Int64) -> Money { Money(fen: yuan * 100) }

    public static let zero = Money(fen: 0)

    /// The largest magnitude accepted from text input: 10,000,000,000.00 yuan (1e12 fen).
    /// A single line item above this is a typing error, not a payment (RELIABILITY A6.5 I4).
    public static let inputLimit = Money(fen: 1_000_000_000_000)

    public init(from decoder: any Decoder) throws {
        self.fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.fen += rhs.fen }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.fen -= rhs.fen }
    public static prefix func - (value: Money) -> Money { Money(fen: -value.fen) }
    public static func * (lhs: Money, rhs: Int64) -> Money { Money(fen: lhs.fen * rhs) }

    public var isNegative: Bool { fen < 0 }

    /// This amount times an exact rate, rounded half-up to the fen once (RULES.md §0).
    public func multiplied(by rate: Rate) -> Money {
        Money(fen: Rounding.halfUp(Int128(fen) * Int128(rate.nanos), dividedBy: Int128(Rate.nanosPerUnit)))
    }

    /// This amount times `numerator / denominator`, rounded half-up to the fen once.
    /// Used where a rule divides, e.g. a monthly wage ÷ 30 × leave days.
    public func multiplied(by numerator: Int64, dividedBy denominator: Int64) -> Money {
        precondition(denominator != 0, "division by zero")
        return Money(fen: Rounding.halfUp(Int128(fen) * Int128(numerator), dividedBy: Int128(denominator)))
    }

    /// `¥1,234.56`; negative amounts as `-¥1,234.56`.
    public var formatted: String {
        (fen < 0 ? "-¥" : "¥") + Self.groupedDigits(magnitude: fen.magnitude)
    }

    /// `1234.56`, no grouping and no currency sign: for files and JSON strings.
    public var decimalString: String {
        let magnitude = fen.magnitude
        let fraction = magnitude % 100
        return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    public var description: String { formatted }

    private static func groupedDigits(magnitude: UInt64) -> String {
        let yuan = String(magnitude / 100)
        var grouped = ""
        for (index, digit) in yuan.enumerated() {
            if index > 0 && (yuan.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let fraction = magnitude % 100
        return grouped + "." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

/// Why a text could not be read as an amount of money.
public enum MoneyParseError: Error, Equatable, Sendable {
    case empty
    /// Full-width digits such as `１２３` (often pasted from Chinese input methods).
    case fullWidthCharacters
    /// More than two decimals: fen is the smallest unit.
    case tooManyDecimals(Int)
    case negativeNotAllowed
    /// Thousands separators not in groups of three, e.g. `1,23.4`.
    case misplacedSeparator
    /// Anything else that is not `[-]digits[.dd]`, e.g. `1e3` or `12a`.
    case malformed
    /// More than ``Money/inputLimit``.
    case tooLarge

    /// A stable code for messages and problem documents.
    public var code: String {
        switch self {
        case .empty: "money.empty"
        case .fullWidthCharacters: "money.full_width"
        case .tooManyDecimals: "money.too_many_decimals"
        case .negativeNotAllowed: "money.negative"
        case .misplacedSeparator: "money.separator"
        case .malformed: "money.malformed"
        case .tooLarge: "money.too_large"
        }
    }
}

extension Money {
    /// Reads `1,234.56`, `1234.5`, `¥12`, `-3.00` (when `allowNegative`).
    /// Refuses three decimals, full-width digits, exponents and amounts above ``inputLimit``.
    public static func parse(_ text: String, allowNegative: Bool = false) throws(MoneyParseError) -> Money {
        var scalars = Substring(text).unicodeScalars.drop(while: { $0.properties.isWhitespace })
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        if scalars.isEmpty { throw .empty }
        if scalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0 == "￥" }) {
            throw .fullWidthCharacters
        }
        var negative = false
        if scalars.first == "-" {
            negative = true
            scalars = scalars.dropFirst()
        } else if scalars.first == "+" {
            scalars = scalars.dropFirst()
        }
        if scalars.first == "¥" { scalars = scalars.dropFirst() }
        if scalars.isEmpty { throw .malformed }
        if negative && !allowNegative { throw .negativeNotAllowed }

        let parts = String(String.UnicodeScalarView(scalars)).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .malformed }
        let integerPart = parts[0]
        let fractionPart = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && fractionPart.isEmpty { throw .malformed }
        guard !integerPart.isEmpty, fractionPart.allSatisfy(\.isASCIIDigit) else { throw .malformed }
        if fractionPart.count > 2 { throw .tooManyDecimals(fractionPart.count) }

        var digits = ""
        if integerPart.contains(",") {
            let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { throw .misplacedSeparator }
            digits = groups.joined()
        } else {
            digits = String(integerPart)
        }
        guard digits.allSatisfy(\.isASCIIDigit) else { throw .malformed }
        let significant = digits.drop(while: { $0 == "0" })
        guard significant.count <= 11 else { throw .tooLarge }
        let paddedFraction = fractionPart + String(repeating: "0", count: 2 - fractionPart.count)
        let magnitude = (Int64(significant) ?? 0) * 100 + Int64(paddedFraction)!
        guard magnitude <= inputLimit.fen else { throw .tooLarge }
        return Money(fen: negative ? -magnitude : magnitude)
    }
}

extension Character {
    /// `0`–`9` only; `Character.isNumber` would also accept full-width and other scripts' digits.
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
