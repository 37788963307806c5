import Foundation

/// The value of a policy parameter: an amount, a rate, a count, a choice, or a small table.
public enum ParameterValue: Sendable, Hashable, Codable {
    case money(Money)
    case rate(Rate)
    case integer(Int64)
    /// A named choice such as `exact_months` or `sum_of_bases`.
    case choice(String)
    /// A table from an integer (an age, a grade) to an integer (months, percent), e.g. payout months by age.
    case table([Int64: Int64])

    private enum CodingKeys: String, CodingKey { case kind, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "money": self = .money(Money(fen: try container.decode(Int64.self, forKey: .value)))
        case "rate":
            let text = try container.decode(String.self, forKey: .value)
            guard let rate = Rate(decimal: text) else { throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a rate: \(text)") }
            self = .rate(rate)
        case "integer": self = .integer(try container.decode(Int64.self, forKey: .value))
        case "choice": self = .choice(try container.decode(String.self, forKey: .value))
        case "table":
            let pairs = try container.decode([String: Int64].self, forKey: .value)
            var table: [Int64: Int64] = [:]
            for (key, value) in pairs {
                guard let number = Int64(key) else { throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "table key \(key)") }
                table[number] = value
            }
            self = .table(table)
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown kind \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .money(let money): try container.encode("money", forKey: .kind); try container.encode(money.fen, forKey: .value)
        case .rate(let rate): try container.encode("rate", forKey: .kind); try container.encode(rate.decimalString, forKey: .value)
        case .integer(let number): try container.encode("integer", forKey: .kind); try container.encode(number, forKey: .value)
        case .choice(let choice): try container.encode("choice", forKey: .kind); try container.encode(choice, forKey: .value)
        case .table(let table):
            try container.encode("table", forKey: .kind)
            try container.encode(Dictionary(uniqueKeysWithValues: table.map { (String($0.key), $0.value) }), forKey: .value)
        }
    }

    /// How an explanation shows it: `210.00`, `8%`, `139`, `exact_months`, `60→139, 61→132, …`.
    public var text: String {
        switch self {
        case .money(let money): money.yuanText
        case .rate(let rate): rate.percentString
        case .integer(let number): String(number)
        case .choice(let choice): choice
        case .table(let table): table.keys.sorted().map { "\($0)→\(table[$0]!)" }.joined(separator: ", ")
        }
    }

    /// A value of `kind` read from how a person writes it: yuan for money (`2,520.00`), a decimal
    /// or percent for rates (`0.08`, `8%`), an integer, a choice, or a table (`60:139, 61:132`).
    /// The largest integer a parameter may hold (ages, months, day counts, multiples): far above
    /// any real value, far below what could overflow the arithmetic of a rule.
    public static let integerLimit: Int64 = 1_000_000_000
    /// The largest rate (100,000%): a multiple such as 20× the national income is written as an integer.
    public static let rateLimit = Rate(nanos: 1_000 * Rate.nanosPerUnit)

    public static func parse(_ text: String, kind: String) -> ParameterValue? {
        let text = text.trimmingCharacters(in: .whitespaces)
        func integer(_ text: some StringProtocol) -> Int64? {
            Int64(text).flatMap { abs($0) <= integerLimit ? $0 : nil }
        }
        switch kind {
        case "money": return (try? Money.parse(text)).map(ParameterValue.money)
        case "rate": return Rate(decimal: text).flatMap { $0.nanos >= 0 && $0 <= rateLimit ? ParameterValue.rate($0) : nil }
        case "integer": return integer(text).map(ParameterValue.integer)
        case "choice": return text.isEmpty ? nil : .choice(text)
        case "table":
            var table: [Int64: Int64] = [:]
            for pair in text.split(separator: ",") {
                let parts = pair.split(whereSeparator: { $0 == ":" || $0 == "→" }).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let key = integer(parts[0]), let number = integer(parts[1]) else { return nil }
                table[key] = number
            }
            return table.isEmpty ? nil : .table(table)
        default: return nil
        }
    }

    public var kind: String {
        switch self {
        case .money: "money"
        case .rate: "rate"
        case .integer: "integer"
        case .choice: "choice"
        case .table: "table"
        }
    }
}

/// How sure we are of a figure (RULES.md §0): verified in the text, from a secondary source,
/// well-known but not re-verified, or an assumption that a district must set itself.
public enum VerificationLabel: String, Sendable, Codable, CaseIterable {
    case verified = "V"
    case secondary = "V-2"
    case known = "M"
    case assumption = "A"
    /// Set by the district itself (PROGRAMS.md: its own figures win).
    case district = "D"
}

/// One dated, region-specific value of a policy parameter, with the law it comes from.
public struct Parameter: Sendable, Hashable, Codable {
    public var key: String
    /// Where it applies; a more specific region overrides a wider one.
    public var region: RegionCode
    public var validFrom: LocalDate
    public var value: ParameterValue
    /// What the number measures, e.g. `fen per person per month`.
    public var unit: String
    public var legalBasis: String
    public var label: VerificationLabel

    public init(key: String, region: RegionCode, validFrom: LocalDate, value: ParameterValue, unit: String, legalBasis: String, label: VerificationLabel) {
        self.key = key
        self.region = region
        self.validFrom = validFrom
        self.value = value
        self.unit = unit
        self.legalBasis = legalBasis
        self.label = label
    }
}

/// Every approved parameter, answering "what was the value of K for region R on date D".
///
/// Resolution (DESIGN.md §4): the most specific region that has a value in force on the date
/// (village → township → county → city → province → nation), then the latest `validFrom` there.
public struct ParameterBook: Sendable {
    private let byKey: [String: [Parameter]]

    public init(_ parameters: [Parameter]) {
        var byKey: [String: [Parameter]] = [:]
        for parameter in parameters { byKey[parameter.key, default: []].append(parameter) }
        for key in byKey.keys { byKey[key]!.sort { $0.validFrom > $1.validFrom } }
        self.byKey = byKey
    }

    public var keys: [String] { byKey.keys.sorted() }
    public var all: [Parameter] { byKey.values.flatMap { $0 } }

    /// The parameter in force for `region` on `date`.
    public func resolve(_ key: String, region: RegionCode, on date: LocalDate) throws(RuleError) -> Parameter {
        guard let candidates = byKey[key] else { throw .missingParameter(key: key, date: date) }
        var place: RegionCode? = region
        while let current = place {
            // Candidates are newest first: the first one in force here wins.
            if let found = candidates.first(where: { $0.region == current && $0.validFrom <= date }) { return found }
            place = current.level == .nation ? nil : (current.parent ?? .nation)
        }
        throw .missingParameter(key: key, date: date)
    }

    /// Every value of `key` for `region` and its wider regions, newest first: the history.
    public func history(_ key: String) -> [Parameter] { byKey[key] ?? [] }
}

/// The defaults shipped with Shebao (`Resources/policy/defaults.json`, written by
/// `tools/policy_defaults.py`): the district's own figures and RULES.md's.
public enum PolicyDefaults {
    public static let parameters: [Parameter] = {
        guard let url = Bundle.module.url(forResource: "defaults", withExtension: "json", subdirectory: "Resources/policy"),
            let data = try? Data(contentsOf: url)
        else { fatalError("Resources/policy/defaults.json is missing") }
        do {
            return try JSONDecoder().decode([Parameter].self, from: data)
        } catch {
            fatalError("Resources/policy/defaults.json is not valid: \(error)")
        }
    }()

    public static var book: ParameterBook { ParameterBook(parameters) }
}
