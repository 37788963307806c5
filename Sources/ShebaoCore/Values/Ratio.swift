/// An exact fraction for the steps between inputs and a rounded amount (RULES.md §0: compute in
/// exact decimal or rational arithmetic, round once per line item).
///
/// Numerator and denominator are 128-bit and kept reduced; every figure the rules meet (fen up
/// to 1e12, rates in billionths, months, 13/24) stays far inside that range.
public struct Ratio: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int128
    /// Always positive.
    public let denominator: Int128

    public init(_ numerator: Int128, _ denominator: Int128 = 1) {
        precondition(denominator != 0, "division by zero")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let divisor = Ratio.gcd(numerator.magnitude, denominator.magnitude)
        self.numerator = sign * numerator / Int128(divisor)
        self.denominator = sign * denominator / Int128(divisor)
    }

    public init(_ value: Int) { self.init(Int128(value), 1) }
    public init(fen money: Money) { self.init(Int128(money.fen), 1) }
    public init(_ rate: Rate) { self.init(Int128(rate.nanos), Int128(Rate.nanosPerUnit)) }

    /// From a decimal text such as `0.85` or `27.41667`; nil when it is not one.
    public init?(decimal text: String) {
        let trimmed = text.trimmingASCIIWhitespace()
        var body = Substring(trimmed)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            parts.count == 1 || !parts[1].isEmpty, parts[0].count + (parts.count == 2 ? parts[1].count : 0) <= 30
        else { return nil }
        var scale: Int128 = 1
        let fraction = parts.count == 2 ? parts[1] : ""
        for _ in 0..<fraction.count { scale *= 10 }
        guard let whole = Int128(String(parts[0])), let part = Int128(fraction.isEmpty ? "0" : String(fraction)) else { return nil }
        self.init((whole * scale + part) * (negative ? -1 : 1), scale)
    }

    public static let zero = Ratio(0)
    public static let one = Ratio(1)

    public static func + (a: Ratio, b: Ratio) -> Ratio { Ratio(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) }
    public static func - (a: Ratio, b: Ratio) -> Ratio { Ratio(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    public static func * (a: Ratio, b: Ratio) -> Ratio { Ratio(a.numerator * b.numerator, a.denominator * b.denominator) }
    public static func / (a: Ratio, b: Ratio) -> Ratio { Ratio(a.numerator * b.denominator, a.denominator * b.numerator) }
    public static func < (a: Ratio, b: Ratio) -> Bool { a.numerator * b.denominator < b.numerator * a.denominator }

    public static func min(_ a: Ratio, _ b: Ratio) -> Ratio { a < b ? a : b }
    public static func max(_ a: Ratio, _ b: Ratio) -> Ratio { a < b ? b : a }

    /// Half-up (away from zero) to a whole number: fen when the ratio counts fen.
    public var roundedHalfUp: Int64 { Rounding.halfUp(numerator, dividedBy: denominator) }

    /// The ratio as fen, rounded once, half-up; a figure beyond the fen counter is refused as
    /// ``RuleError/overflow(step:)`` instead of trapping (a rule never takes the server down).
    public var fen: Money {
        get throws(RuleError) { try fen(step: "explain.amount") }
    }

    /// Whole part, toward negative infinity.
    public var floor: Int64 {
        let quotient = numerator / denominator
        return Int64(numerator < 0 && numerator % denominator != 0 ? quotient - 1 : quotient)
    }

    /// A decimal text with exactly `places` decimals, e.g. `2.25`, `3.00`.
    public func fixed(_ places: Int) -> String {
        let text = decimal(places: places)
        guard places > 0 else { return text }
        let decimals = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = decimals.count == 2 ? String(decimals[1]) : ""
        return String(decimals[0]) + "." + fraction + String(repeating: "0", count: places - fraction.count)
    }

    /// A decimal text with at most `places` decimals (exact when it terminates sooner), e.g. `27.41667`.
    public func decimal(places: Int = 6) -> String {
        var scale: Int128 = 1
        for _ in 0..<places { scale *= 10 }
        // In 128 bits throughout: an explanation's figure may be larger than any amount paid.
        let (product, overflow) = numerator.multipliedReportingOverflow(by: scale)
        guard !overflow else { return ">" + String(numerator / denominator) }
        let scaled = Rounding.halfUpWide(product, dividedBy: denominator)
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        var text = String(magnitude)
        if places > 0 {
            if text.count <= places { text = String(repeating: "0", count: places - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return (negative ? "-" : "") + text
    }

    public var description: String { decimal() }

    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }
}

extension Money {
    /// The amount in yuan as a decimal text for explanations: `1,902.03`.
    public var yuanText: String {
        let text = formatted
        return text.hasPrefix("-¥") ? "-" + text.dropFirst(2) : String(text.dropFirst())
    }
}
