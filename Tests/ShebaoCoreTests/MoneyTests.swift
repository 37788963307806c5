import PropertyBased
import Testing
@testable import ShebaoCore

@Suite("Money")
struct MoneyTests {
    @Test("parses the usual ways of writing an amount", arguments: [
        ("1,234.56", Int64(123_456)), ("1234.5", 123_450), ("1234", 123_400), ("0.01", 1), ("¥12", 1200),
        ("  7.00 ", 700), ("1,000,000.00", 100_000_000), ("+3.20", 320), ("0", 0), ("10,000,000,000.00", 1_000_000_000_000),
    ])
    func parsesValidAmounts(text: String, fen: Int64) throws {
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test("refuses what is not an amount, naming why", arguments: [
        ("1.234", MoneyParseError.tooManyDecimals(3)), ("１２３", .fullWidthCharacters), ("12.3４", .fullWidthCharacters),
        ("-5", .negativeNotAllowed), ("1e3", .malformed), ("", .empty), ("   ", .empty), ("1,23.4", .misplacedSeparator),
        ("12,3456", .misplacedSeparator), ("1.", .malformed), (".5", .malformed), ("12a", .malformed), ("1.2.3", .malformed),
        ("10,000,000,000.01", .tooLarge), ("99999999999999999999", .tooLarge), ("￥12", .fullWidthCharacters), ("¥", .malformed),
    ])
    func refusesInvalidAmounts(text: String, error: MoneyParseError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test func negativeAmountsWhenAllowed() throws {
        #expect(try Money.parse("-1,234.50", allowNegative: true) == Money(fen: -123_450))
    }

    @Test("formats with grouping and the yuan sign", arguments: [
        (Int64(123_456), "¥1,234.56"), (5, "¥0.05"), (0, "¥0.00"), (-100_000, "-¥1,000.00"), (123_456_789_012, "¥1,234,567,890.12"),
    ])
    func formats(fen: Int64, text: String) {
        #expect(Money(fen: fen).formatted == text)
    }

    @Test func decimalString() {
        #expect(Money(fen: 123_456).decimalString == "1234.56")
        #expect(Money(fen: -7).decimalString == "-0.07")
    }

    @Test("rounds a rate product half-up, once (RULES.md §0)", arguments: [
        // 1,200.00 × 7% = 84.00 (RULES §1.1 example 1)
        (Int64(120_000), "0.07", Int64(8_400)),
        // 4,500.00 × 14% = 630.00 (§1.1 example 3)
        (450_000, "0.14", 63_000),
        // 0.05 × 50% = 0.025 → 0.03 (tie goes up)
        (5, "0.5", 3),
        // 0.05 × 30% = 0.015 → 0.02
        (5, "0.3", 2),
        // -0.05 × 50% = -0.025 → -0.03 (half away from zero)
        (-5, "0.5", -3),
        // 12,345.67 × 0.05% × 17 days: the per-day product is rounded by the caller, here one day: 6.172835 → 6.17
        (1_234_567, "0.0005", 617),
    ])
    func roundsRateProducts(fen: Int64, rate: String, expected: Int64) throws {
        let rate = try #require(Rate(decimal: rate))
        #expect(Money(fen: fen).multiplied(by: rate) == Money(fen: expected))
    }

    @Test func dividesExactlyBeforeRounding() {
        // RULES §5 example 2: 5,123.45 × 113 / 30 = 19,298.3283… → 19,298.33, never 170.78 × 113.
        #expect(Money(fen: 512_345).multiplied(by: 113, dividedBy: 30) == Money(fen: 1_929_833))
        #expect(Money(fen: 512_345).multiplied(by: 98, dividedBy: 30) == Money(fen: 1_673_660))
    }

    @Test func formattedTextParsesBack() async {
        await propertyCheck(input: Gen.int64(in: 0...Money.inputLimit.fen)) { fen in
            #expect((try? Money.parse(Money(fen: fen).formatted)) == Money(fen: fen))
            #expect((try? Money.parse(Money(fen: fen).decimalString)) == Money(fen: fen))
        }
    }

    @Test func roundingErrorIsAtMostHalfAFen() async {
        await propertyCheck(input: Gen.int64(in: -10_000_000_000...10_000_000_000), Gen.int64(in: 0...2_000_000_000)) { fen, nanos in
            let rounded = Money(fen: fen).multiplied(by: Rate(nanos: nanos))
            let exact = Int128(fen) * Int128(nanos)
            let difference = Int128(rounded.fen) * Int128(Rate.nanosPerUnit) - exact
            #expect(difference.magnitude * 2 <= UInt128(Rate.nanosPerUnit))
        }
    }
}

@Suite("Rate")
struct RateTests {
    @Test("reads decimals and percentages exactly", arguments: [
        ("0.08", Int64(80_000_000)), ("8%", 80_000_000), ("0.05%", 500_000), ("1", 1_000_000_000), ("13.5%", 135_000_000),
        ("0.000000001", 1), ("-0.5", -500_000_000),
    ])
    func parses(text: String, nanos: Int64) {
        #expect(Rate(decimal: text)?.nanos == nanos)
    }

    @Test("refuses what it cannot hold exactly", arguments: ["", "abc", "1.2.3", "0.0000000001", "5%%", ".5", "1e-3"])
    func refuses(text: String) {
        #expect(Rate(decimal: text) == nil)
    }

    @Test func printsBack() {
        #expect(Rate(percent: 8).decimalString == "0.08")
        #expect(Rate(percent: 8).percentString == "8%")
        #expect(Rate(percent: 5, scale: 2).percentString == "0.05%")
    }
}
