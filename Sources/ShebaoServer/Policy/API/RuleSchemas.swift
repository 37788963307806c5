import Foundation
import ShebaoCore

/// One OpenAPI operation per rule, `POST /api/v1/calculate/{id}`, generated from the rule's field
/// list (`RuleField`: kind, bounds, whether optional) and its worked example's output, so the
/// document cannot drift from what `RuleInputs` accepts (issue 13: the rules are fuzzed from the
/// document too). The operations replace the hand-written `/calculate/{rule}` item when the
/// server serves the document.
///
/// Every schema here is exact: what it allows the rule accepts, what it does not allow the rule
/// refuses (`RuleInputs.checkForm` holds the JSON to the same forms before anything decodes it).
enum RuleSchemas {
    /// The path items, as YAML lines (each operation one JSON flow mapping, which is YAML).
    static func pathItems(_ entries: [RuleCatalog.Entry], outputs: [String: Data]) -> String {
        entries.map { entry in
            var operation: JSONValue = [
                "summary": "Run the rule \(entry.id) on the input in the body, with the parameters in force for the region on the rule's date. Money is in fen.",
                "description": "Generated from the rule's fields (GET /rules). 409: no parameter in force for the region on the rule's date.",
                "parameters": [
                    ["name": "explain", "in": "query", "required": false, "schema": ["type": "boolean", "default": false],
                     "description": "Add the explanation: inputs, parameters with their dates and legal basis, steps."],
                    ["name": "region", "in": "query", "required": false, "schema": ["type": "string", "pattern": "^([0-9]{6}|[0-9]{9}|[0-9]{12})$"],
                     "description": "A region inside the caller's scope (default: the scope)."],
                ],
                "requestBody": ["required": true, "content": ["application/json": ["schema": input(entry.fields)]]],
                "responses": [
                    "200": ["description": "The result, and the explanation when asked.",
                            "content": ["application/json": ["schema": [
                                "type": "object", "required": ["rule", "region", "result"],
                                "properties": [
                                    "rule": ["type": "string", "enum": [.string(entry.id)]],
                                    "region": ["type": "string"],
                                    "result": outputs[entry.id].flatMap(output) ?? ["type": "object"],
                                    "explanation": ["$ref": "#/components/schemas/Explanation"],
                                ],
                            ]]]],
                    "400": problem, "401": ["$ref": "#/components/responses/Unauthenticated"], "403": problem, "404": problem,
                    "409": problem, "422": problem,
                ],
            ]
            if !entry.refusals.isEmpty {
                operation = operation.adding("x-refused-although-valid", .array(entry.refusals.map(JSONValue.string)))
            }
            let json = operation.text
            return "  /calculate/\(entry.id):\n    post: \(json)\n"
        }.joined()
    }

    private static var problem: JSONValue { ["$ref": "#/components/responses/Problem"] }

    /// The input as an object of the rule's fields: required unless optional, an optional one
    /// also null (read as absent).
    static func input(_ fields: [RuleField]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in fields {
            properties[field.name] = field.optional ? nullable(value(field)) : value(field)
        }
        let required = fields.filter { !$0.optional }.map { JSONValue.string($0.name) }
        return required.isEmpty ? ["type": "object", "properties": .object(properties)]
            : ["type": "object", "properties": .object(properties), "required": .array(required)]
    }

    /// The schema that also allows null (OpenAPI 3.0: an enum must list null itself).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members["nullable"] = true
        if case .array(let values)? = members["enum"] { members["enum"] = .array(values + [.null]) }
        return .object(members)
    }

    /// One field's values, bounds included.
    static func value(_ field: RuleField) -> JSONValue {
        switch (field.kind, field.bounds) {
        case (.money, .money(let range)):
            return ["type": "integer", "minimum": .integer(range.lowerBound), "maximum": .integer(range.upperBound), "description": "Fen."]
        case (.integer, .integer(let range)):
            return ["type": "integer", "minimum": .integer(range.lowerBound), "maximum": .integer(range.upperBound)]
        case (.decimal, .decimal(let lower, let upper)), (.rate, .decimal(let lower, let upper)):
            return ["type": "string", "pattern": .string(decimalPattern(lower: lower, upper: upper) ?? "^$"),
                    "description": "An exact decimal from \(lower) to \(upper)."]
        case (.date, .date(let range)) where range == RuleField.dates:
            return ["type": "string", "format": "date", "pattern": .string(datePattern)]
        case (.period, .period(let range)) where range == RuleField.periods:
            return ["type": "string", "pattern": .string(periodPattern), "description": "A month, YYYY-MM."]
        case (.bool, _):
            return ["type": "boolean"]
        case (.choice(let values), _):
            return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case (.list, .count(let range)):
            return ["type": "array", "minItems": .integer(Int64(range.lowerBound)), "maxItems": .integer(Int64(range.upperBound)), "items": input(field.items)]
        default:
            // A bound this generator cannot state: `RuleSchemasTests` fails on it.
            return ["type": "string", "pattern": "^$", "description": "unstated bounds"]
        }
    }

    /// Years 1900 to 2100 (`RuleField.dates`): every real day, 29 February in leap years only.
    static let datePattern =
        "^(((19[0-9]{2}|20[0-9]{2}|2100)-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8])))"
        + "|((19(0[48]|[2468][048]|[13579][26])|20(0[048]|[2468][048]|[13579][26]))-02-29))$"
    /// Months of 1900 to 2100 (`RuleField.periods`).
    static let periodPattern = "^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"

    /// The decimals from 0 to `upper` in the form `RuleInputs.checkForm` accepts (no sign, no
    /// leading zero, at most nine decimals), for an upper bound of a power of ten or 0.d; nil
    /// for any other bound.
    static func decimalPattern(lower: String, upper: String) -> String? {
        guard lower == "0" else { return nil }
        let parts = upper.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        if fraction.allSatisfy({ $0 == "0" }), whole.first == "1", whole.dropFirst().allSatisfy({ $0 == "0" }) {
            let zeros = whole.count - 1
            let below = zeros == 0 ? "0" : "(0|[1-9][0-9]{0,\(zeros - 1)})"
            return "^(\(below)(\\.[0-9]{1,9})?|\(whole)(\\.0{1,9})?)$"
        }
        if whole == "0", fraction.count == 1, let digit = fraction.first?.wholeNumberValue, digit >= 1 {
            return "^(0(\\.[0-\(digit - 1)][0-9]{0,8})?|0\\.\(digit)0{0,8})$"
        }
        return nil
    }

    /// The output's schema, read off the worked example's output: each value's JSON type, objects
    /// and lists within. Nothing is required (an output may leave out what does not apply).
    static func output(_ data: Data) -> JSONValue? {
        (try? JSONDecoder().decode(Shape.self, from: data))?.schema
    }

    /// A JSON value's type, as far as a schema says it.
    private indirect enum Shape: Decodable {
        case boolean, integer, number, string, null
        case list(Shape?)
        case object([String: Shape])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if (try? container.decode(Bool.self)) != nil {
                self = .boolean
            } else if (try? container.decode(Int64.self)) != nil {
                self = .integer
            } else if (try? container.decode(Double.self)) != nil {
                self = .number
            } else if (try? container.decode(String.self)) != nil {
                self = .string
            } else if let list = try? container.decode([Shape].self) {
                self = .list(list.first)
            } else {
                self = .object(try container.decode([String: Shape].self))
            }
        }

        var schema: JSONValue {
            switch self {
            case .boolean: ["type": "boolean"]
            case .integer: ["type": "integer"]
            case .number: ["type": "number"]
            case .string: ["type": "string"]
            case .null: ["nullable": true]
            case .list(let item): item.map { ["type": "array", "items": $0.schema] } ?? ["type": "array"]
            case .object(let properties): ["type": "object", "properties": .object(properties.mapValues(\.schema))]
            }
        }
    }
}

/// A JSON value as a schema is written, encoded with sorted keys: the operations above are built
/// from literals of it.
indirect enum JSONValue: Encodable, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringInterpolation,
    ExpressibleByBooleanLiteral {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case null

    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .boolean(value) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let members): try container.encode(members)
        case .array(let items): try container.encode(items)
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .boolean(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        }
    }

    /// The same object with one more member.
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }

    /// One line of JSON, keys sorted.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
