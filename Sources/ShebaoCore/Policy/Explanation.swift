/// Why a rule could not give a result.
public enum RuleError: Error, Equatable, Sendable {
    /// No value of the parameter is in force for the region on the date.
    case missingParameter(key: String, date: LocalDate)
    /// The parameter exists but holds another kind of value (e.g. a rate where money was expected).
    case wrongKind(key: String, expected: String)
    /// An input is missing or not acceptable.
    case invalidInput(field: String, code: String)
    /// An input outside its field's bounds (shown in the field's unit: money in yuan).
    case outOfRange(field: String, lower: String, upper: String)
    /// A figure too large to compute, even from inputs within their bounds (a parameter's value, a sum).
    case overflow(step: String)

    public var code: String {
        switch self {
        case .missingParameter: "rule.missing_parameter"
        case .wrongKind: "rule.wrong_kind"
        case .invalidInput(_, let code): code
        case .outOfRange: "rule.out_of_range_between"
        case .overflow: "rule.overflow"
        }
    }

    /// The input the refusal is about, if it is about one.
    public var field: String? {
        switch self {
        case .invalidInput(let field, _), .outOfRange(let field, _, _): field
        case .missingParameter, .wrongKind, .overflow: nil
        }
    }

    /// Arguments that are string-table keys, for a message in the reader's language: the field's
    /// label (`input.householdSize`), the step's name.
    public var labelKeys: [String: String] {
        switch self {
        case .invalidInput(let field, _), .outOfRange(let field, _, _):
            field.allSatisfy { $0.isLetter || $0.isNumber } ? ["field": "input.\(field)"] : [:]
        case .overflow(let step): ["step": step]
        case .missingParameter, .wrongKind: [:]
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .missingParameter(let key, let date): ["key": key, "date": date.description]
        case .wrongKind(let key, let expected): ["key": key, "expected": expected]
        case .invalidInput(let field, _): ["field": field]
        case .outOfRange(let field, let lower, let upper): ["field": field, "lower": lower, "upper": upper]
        case .overflow(let step): ["step": step]
        }
    }
}

/// How a result came about: the inputs, each parameter with its value, date and legal basis,
/// each step, and the rounding — what a clerk reads beside an amount (DESIGN.md §4).
///
/// Labels are string-table keys (`explain.*`), so the explanation reads in the user's language;
/// expressions are numbers and operators, the same in every language.
public struct Explanation: Sendable, Codable, Hashable {
    public struct Item: Sendable, Codable, Hashable {
        public var key: String
        public var value: String
    }

    public struct UsedParameter: Sendable, Codable, Hashable {
        public var key: String
        public var value: String
        public var unit: String
        public var validFrom: String
        public var region: String
        public var legalBasis: String
        public var label: String
    }

    public struct Step: Sendable, Codable, Hashable {
        public var key: String
        public var expression: String
        public var result: String
    }

    public var rule: String
    public var date: String
    public var region: String
    public var inputs: [Item] = []
    public var parameters: [UsedParameter] = []
    public var steps: [Step] = []
    public var rounding: String = "explain.rounding.half_up_fen"
}

/// A rule's answer: the output and how it was reached.
public struct RuleResult<Output: Sendable & Codable>: Sendable {
    public var output: Output
    public var explanation: Explanation
}

/// The working state of one evaluation: resolves parameters for a region and date and writes
/// down everything it uses, so no rule can use a figure without it showing in the explanation.
public struct Calculation: Sendable {
    public let book: ParameterBook
    public let region: RegionCode
    public let date: LocalDate
    public private(set) var explanation: Explanation

    public init(rule: String, book: ParameterBook, region: RegionCode, date: LocalDate) {
        self.book = book
        self.region = region
        self.date = date
        self.explanation = Explanation(rule: rule, date: date.description, region: region.value)
    }

    public mutating func input(_ key: String, _ value: String) {
        explanation.inputs.append(.init(key: key, value: value))
    }

    public mutating func step(_ key: String, _ expression: String, _ result: String) {
        explanation.steps.append(.init(key: key, expression: expression, result: result))
    }

    public mutating func rounding(_ key: String) { explanation.rounding = key }

    /// The parameter in force on `date` (the calculation's date by default), recorded once.
    public mutating func parameter(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> Parameter {
        let parameter = try book.resolve(key, region: region, on: date ?? self.date)
        let used = Explanation.UsedParameter(
            key: key, value: parameter.value.text, unit: parameter.unit, validFrom: parameter.validFrom.description,
            region: parameter.region.value, legalBasis: parameter.legalBasis, label: parameter.label.rawValue)
        if !explanation.parameters.contains(used) { explanation.parameters.append(used) }
        return parameter
    }

    public mutating func money(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> Money {
        guard case .money(let value) = try parameter(key, on: date).value else { throw .wrongKind(key: key, expected: "money") }
        return value
    }

    /// The amount the caller gave (recorded as the input `name`), else the parameter in force:
    /// e.g. a wage base a clerk knows for a past year, or the district's published average.
    public mutating func money(_ key: String, unless given: Money?, input name: String) throws(RuleError) -> Money {
        guard let given else { return try money(key) }
        input(name, given.x)
        return given
    }

    public mutating func rate(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> Rate {
        guard case .rate(let value) = try parameter(key, on: date).value else { throw .wrongKind(key: key, expected: "rate") }
        return value
    }

    public mutating func integer(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> Int64 {
        guard case .integer(let value) = try parameter(key, on: date).value else { throw .wrongKind(key: key, expected: "integer") }
        return value
    }

    public mutating func choice(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> String {
        guard case .choice(let value) = try parameter(key, on: date).value else { throw .wrongKind(key: key, expected: "choice") }
        return value
    }

    public mutating func table(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> [Int64: Int64] {
        guard case .table(let value) = try parameter(key, on: date).value else { throw .wrongKind(key: key, expected: "table") }
        return value
    }

    /// The table in force on the date, or nil when the parameter has no value yet (a benefit that
    /// began later, such as Zhejiang's extra maternity leave of 2021).
    public mutating func tableInForce(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> [Int64: Int64]? {
        do {
            return try table(key, on: date)
        } catch {
            if case .missingParameter = error { return nil }
            throw error
        }
    }

    /// The money value in force on the date, or nil when the parameter has none.
    public mutating func moneyInForce(_ key: String, on date: LocalDate? = nil) throws(RuleError) -> Money? {
        do {
            return try money(key, on: date)
        } catch {
            if case .missingParameter = error { return nil }
            throw error
        }
    }

    public func result<Output>(_ output: Output) -> RuleResult<Output> {
        RuleResult(output: output, explanation: explanation)
    }
}

/// Shares of a total that add up to it exactly: each share rounded down to the fen, the fen
/// left over going to the largest remainders (so "parts sum to totals", RELIABILITY A6.1 L9).
public enum Allocation {
    /// A negative weight is no share at all and counts as zero, so no share exceeds the total.
    public static func split(_ total: Money, weights: [Ratio]) -> [Money] {
        let weights = weights.map { Ratio.max($0, .zero) }
        let sum = weights.reduce(Ratio.zero, +)
        guard !weights.isEmpty, Ratio.zero < sum else { return weights.map { _ in .zero } }
        let exact = weights.map { Ratio(fen: total) * $0 / sum }
        var shares = exact.map { $0.floor }
        var leftover = total.fen - shares.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Ratio(Int128(shares[$0]))) > (exact[$1] - Ratio(Int128(shares[$1]))) }
        for index in order where leftover > 0 {
            shares[index] += 1
            leftover -= 1
        }
        return shares.map { Money(fen: $0) }
    }
}
