/// A calculation of RULES.md as a pure function: input and parameters in, amount and explanation out.
public protocol PolicyRule: Sendable {
    associatedtype Input: Codable & Sendable
    associatedtype Output: Codable & Sendable

    /// The name in URLs and on the command line, e.g. `dibao-benefit`.
    static var id: String { get }
    /// The date whose parameters apply: the event date (month of retirement, injury, birth, …).
    static func date(of input: Input) -> LocalDate
    static func evaluate(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output>
    /// A worked example to start from (on the try-it page and in the API description).
    static var example: Input { get }
    /// The input fields, for the form that lets a clerk try the rule, with the values each accepts.
    static var fields: [RuleField] { get }
    /// The problem codes the rule answers to an input whose every field is within its bounds: one
    /// field against another, or a field another one's value requires. Listed in the API
    /// document (`x-refused-although-valid`), since a schema cannot say them.
    static var refusals: [String] { get }
}

extension PolicyRule {
    public static var refusals: [String] { [] }

    /// Checks every input against its field's bounds, then evaluates: what the API, the try-it
    /// page and the command line call, so no typed number reaches the arithmetic unchecked.
    public static func run(_ input: Input, book: ParameterBook, region: RegionCode) throws(RuleError) -> RuleResult<Output> {
        try RuleInputs.check(input, against: fields)
        return try evaluate(input, book: book, region: region)
    }
}

/// One input of a rule as a form shows it, with the values it accepts.
///
/// Every input is checked against its bounds before a rule runs (``PolicyRule/run(_:book:region:)``):
/// a typed number can never reach arithmetic it could overflow, and money is never negative
/// unless a field says why. The bounds are shown on the try-it page and in `GET /api/v1/rules`.
public struct RuleField: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// An amount in yuan on the form, fen in JSON.
        case money
        case integer
        case decimal
        case rate
        case date
        case period
        case bool
        /// One of these values (their labels are `choice.<value>` in the string tables).
        case choice([String])
        /// A list of records, given as JSON (e.g. a deceased worker's dependants).
        case list
    }

    /// The values a field accepts, in its own unit.
    public enum Bounds: Sendable, Hashable {
        /// Whole numbers (counts, months, years, grades).
        case integer(ClosedRange<Int64>)
        /// Money in fen.
        case money(ClosedRange<Int64>)
        /// Exact decimals (rates, indices), as decimal texts.
        case decimal(lower: String, upper: String)
        case date(ClosedRange<LocalDate>)
        case period(ClosedRange<Period>)
        /// The number of records in a list.
        case count(ClosedRange<Int>)
        /// Anything the kind allows (choices and booleans).
        case any

        /// The lower and upper bound as a form and a message show them (money in yuan).
        public var limits: (lower: String, upper: String)? {
            switch self {
            case .integer(let range): (String(range.lowerBound), String(range.upperBound))
            case .money(let range): (Money(fen: range.lowerBound).decimalString, Money(fen: range.upperBound).decimalString)
            case .decimal(let lower, let upper): (lower, upper)
            case .date(let range): (range.lowerBound.description, range.upperBound.description)
            case .period(let range): (range.lowerBound.description, range.upperBound.description)
            case .count(let range): (String(range.lowerBound), String(range.upperBound))
            case .any: nil
            }
        }
    }

    /// Dates the rules accept: the schemes began in the 1990s; a birth date may be far earlier.
    public static let dates = LocalDate(year: 1900, month: 1, day: 1)!...LocalDate(year: 2100, month: 12, day: 31)!
    public static let periods = Period(year: 1900, month: 1)!...Period(year: 2100, month: 12)!
    /// Years given as numbers (a benefit year, a levy year).
    public static let years: ClosedRange<Int64> = 1950...2100
    /// Money: never negative, never above ``Money/inputLimit`` (10 billion yuan).
    public static let amounts: ClosedRange<Int64> = 0...Money.inputLimit.fen

    public var name: String
    public var kind: Kind
    public var optional: Bool
    public var bounds: Bounds
    /// The fields of each record of a list.
    public var items: [RuleField]

    /// `bounds` nil: the kind's default — money 0 to 10 billion yuan, dates 1900–2100, rates and
    /// decimals 0 to 100, lists of up to 50 records. Integers must say their range.
    public init(_ name: String, _ kind: Kind, optional: Bool = false, bounds: Bounds? = nil, items: [RuleField] = []) {
        self.name = name
        self.kind = kind
        self.optional = optional
        self.bounds = bounds ?? Self.defaultBounds(kind)
        self.items = items
    }

    /// An integer field and its range.
    public init(_ name: String, integer range: ClosedRange<Int64>, optional: Bool = false) {
        self.init(name, .integer, optional: optional, bounds: .integer(range))
    }

    static func defaultBounds(_ kind: Kind) -> Bounds {
        switch kind {
        case .money: .money(amounts)
        case .integer: .integer(0...1_000_000)
        case .decimal, .rate: .decimal(lower: "0", upper: "100")
        case .date: .date(dates)
        case .period: .period(periods)
        case .list: .count(0...50)
        case .bool, .choice: .any
        }
    }
}

/// A decimal number given as text in an input (`"0.85"`), kept exact.
public struct DecimalText: Codable, Sendable, Hashable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        self.text = try LenientText(from: decoder).text
        guard Ratio(decimal: text) != nil else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal: \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var ratio: Ratio { Ratio(decimal: text) ?? .zero }
    public var description: String { text }
}

/// Explanation text for money and ratios.
extension Money {
    var x: String { yuanText }
}
