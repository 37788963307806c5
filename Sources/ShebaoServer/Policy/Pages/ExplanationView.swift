import ShebaoCore
import ShebaoOperations

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

    /// `regions` names the places (pages pass their labels; the API keeps the codes).
    init(_ explanation: Explanation, pages: PageRenderer, context: ShebaoRequestContext, regions: [String: String] = [:]) {
        rule = explanation.rule
        date = explanation.date
        region = regions[explanation.region] ?? explanation.region
        inputs = explanation.inputs.map { Line(key: $0.key, label: pages.text($0.key, context), value: pages.value($0.value, context)) }
        parameters = explanation.parameters.map {
            ParameterLine(key: $0.key, label: pages.text("param.\($0.key)", context), value: pages.value($0.value, context), unit: pages.unit($0.unit, context),
                          validFrom: $0.validFrom, region: regions[$0.region] ?? $0.region, legalBasis: pages.legalBasis($0.legalBasis, context),
                          verification: pages.text("verification.\($0.label)", context))
        }
        steps = explanation.steps.map { StepLine(key: $0.key, label: pages.text($0.key, context), expression: pages.value($0.expression, context), result: $0.result) }
        rounding = pages.text(explanation.rounding, context)
    }

    /// The explanation as a page shows it: places by name.
    static func page(_ explanation: Explanation, pages: PageRenderer, context: ShebaoRequestContext, services: ShebaoServices) async throws -> ExplanationView {
        let codes = ([explanation.region] + explanation.parameters.map(\.region)).compactMap { try? RegionCode($0) }
        let labels = try await services.regions.labels(of: Set(codes))
        return ExplanationView(explanation, pages: pages, context: context,
                               regions: Dictionary(labels.map { ($0.key.value, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}
