import Foundation

/// The check of a rule's inputs against its fields' bounds, made on the input as JSON (the form
/// it arrives in from the API, the try-it page and the command line), so one check serves every
/// rule without each repeating it.
enum RuleInputs {
    /// A JSON value as far as the check needs it.
    enum Value: Decodable {
        case integer(Int64)
        case number(Double)
        case text(String)
        case bool(Bool)
        case list([Value])
        case record([String: Value])
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .text(value)
            } else if let value = try? container.decode([Value].self) {
                self = .list(value)
            } else {
                self = .record(try container.decode([String: Value].self))
            }
        }
    }

    /// Holds the JSON as it arrived to the forms the API document states for each field (see
    /// `RuleSchemas` in the server): money and counts as whole numbers, decimals as texts without
    /// sign, leading zero or percent sign and with at most nine decimals, dates `YYYY-MM-DD`,
    /// months `YYYY-MM`, choices among their values, lists of records of their own fields. What
    /// the decoders would also take (`"200401"`, `"8%"`, a number for a decimal) is refused, so the
    /// document is exact.
    static func checkForm(_ data: Data, against fields: [RuleField]) throws(RuleError) {
        guard let value = try? JSONDecoder().decode(Value.self, from: data), case .record(let record) = value else {
            throw .invalidInput(field: "JSON", code: "rule.bad_input")
        }
        try checkForm(record, against: fields, prefix: "")
    }

    private static func checkForm(_ record: [String: Value], against fields: [RuleField], prefix: String) throws(RuleError) {
        for field in fields {
            guard let value = record[field.name], !value.isNull else { continue }
            let name = prefix + field.name
            let wellFormed: Bool
            switch (field.kind, value) {
            case (.money, .integer), (.integer, .integer), (.bool, .bool):
                wellFormed = true
            case (.decimal, .text(let text)), (.rate, .text(let text)):
                wellFormed = text.wholeMatch(of: /(0|[1-9][0-9]*)(\.[0-9]{1,9})?/) != nil
            case (.date, .text(let text)):
                wellFormed = LocalDate(iso: text) != nil
            case (.period, .text(let text)):
                wellFormed = text.wholeMatch(of: /[0-9]{4}-[0-9]{2}/) != nil && Period(text) != nil
            case (.choice(let values), .text(let text)):
                wellFormed = values.contains(text)
            case (.list, .list(let items)):
                for (index, item) in items.enumerated() {
                    guard case .record(let itemRecord) = item else { throw .invalidInput(field: "\(name).\(index)", code: "rule.bad_input") }
                    try checkForm(itemRecord, against: field.items, prefix: "\(name).\(index).")
                }
                wellFormed = true
            default:
                wellFormed = false
            }
            guard wellFormed else { throw .invalidInput(field: name, code: "rule.bad_input") }
        }
    }

    static func check(_ input: some Encodable, against fields: [RuleField]) throws(RuleError) {
        let record: [String: Value]
        do {
            record = try JSONDecoder().decode([String: Value].self, from: JSONEncoder().encode(input))
        } catch {
            throw .invalidInput(field: "JSON", code: "rule.bad_input")
        }
        for field in fields {
            guard let value = record[field.name], !value.isNull else {
                if !field.optional { throw .invalidInput(field: field.name, code: "rule.required") }
                continue
            }
            try check(value, field)
        }
    }

    static func check(_ value: Value, _ field: RuleField) throws(RuleError) {
        let inside: Bool
        switch (field.bounds, value) {
        case (.integer(let range), .integer(let number)), (.money(let range), .integer(let number)):
            inside = range.contains(number)
        case (.decimal(let lower, let upper), .text(let text)):
            guard let number = Ratio(decimal: text), let low = Ratio(decimal: lower), let high = Ratio(decimal: upper) else {
                throw .invalidInput(field: field.name, code: "rule.bad_input")
            }
            inside = low <= number && number <= high
        case (.date(let range), .text(let text)):
            guard let date = LocalDate(iso: text) else { throw .invalidInput(field: field.name, code: "rule.bad_input") }
            inside = range.contains(date)
        case (.period(let range), .text(let text)):
            guard let period = Period(text) else { throw .invalidInput(field: field.name, code: "rule.bad_input") }
            inside = range.contains(period)
        case (.count(let range), .list(let items)):
            inside = range.contains(items.count)
        case (.any, _):
            inside = true
        default:
            throw .invalidInput(field: field.name, code: "rule.bad_input")
        }
        guard inside else {
            let limits = field.bounds.limits ?? ("", "")
            throw .outOfRange(field: field.name, lower: limits.lower, upper: limits.upper)
        }
    }
}

extension RuleInputs.Value {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
