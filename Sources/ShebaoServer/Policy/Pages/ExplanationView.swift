import ShebaoCore

/// An explanation in the reader's language: labels from the string tables beside the numbers.
struct ExplanationView: Codable, Sendable {
    struct Line: Codable, Sendable {
        var key: String
        var label: String
        var value: String
    }

    struct ParameterLine: Codable, Sendable {
        var key: String
        var label: String
        var value: String
        var unit: String
        var validFrom: String
        var region: String
        var legalBasis: String
        var verification: String
    }

    struct StepLine: Codable, Sendable {
        var key: String
        var label: String
        var expression: String
        var result: String
    }

    var rule: String
    var date: String
    var region: String
    var inputs: [Line]
    var parameters: [ParameterLine]
    var steps: [StepLine]
    var rounding: String

    init(_ explanation: Explanation, pages: PageRenderer, context: ShebaoRequestContext) {
        rule = explanation.rule
        date = explanation.date
        region = explanation.region
        inputs = explanation.inputs.map { Line(key: $0.key, label: pages.text($0.key, context), value: pages.value($0.value, context)) }
        parameters = explanation.parameters.map {
            ParameterLine(key: $0.key, label: pages.text("param.\($0.key)", context), value: $0.value, unit: $0.unit, validFrom: $0.validFrom,
                          region: $0.region, legalBasis: $0.legalBasis, verification: pages.text("verification.\($0.label)", context))
        }
        steps = explanation.steps.map { StepLine(key: $0.key, label: pages.text($0.key, context), expression: pages.value($0.expression, context), result: $0.result) }
        rounding = pages.text(explanation.rounding, context)
    }
}
