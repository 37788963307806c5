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
    /// The input fields, for the form that lets a clerk try the rule.
    static var fields: [RuleField] { get }
}

/// One input of a rule as a form shows it.
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

    public var name: String
    public var kind: Kind
    public var optional: Bool

    public init(_ name: String, _ kind: Kind, optional: Bool = false) {
        self.name = name
        self.kind = kind
        self.optional = optional
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
