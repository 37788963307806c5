import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Every rule on a page where a clerk can try it and read the explanation.
struct CalculatePages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct IndexPage {
        struct Rule {
            var href: String
            var title: String
            var summary: String
        }
        var rules: [Rule]
    }

    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .calculate) else { throw Problem.forbidden }
        let rules = services.policy.rules.map {
            IndexPage.Rule(href: Route.calculateRule.path($0.id), title: pages.text("rule.\($0.id)", context), summary: pages.text("rule.\($0.id).summary", context))
        }
        return pages.render("calculate", title: pages.text("calculate.title", context), content: IndexPage(rules: rules), request: request, context: context)
    }

    struct RulePage {
        var action: String
        var summary: String
        var fields: [FormFieldView]
        var regions: [FormFieldView.Option]
        var problem: String?
        var lines: [ExplanationView.Line]
        var explanation: ExplanationView?
    }

    private func entry(_ context: ShebaoRequestContext) throws -> RuleCatalog.Entry {
        guard let id = context.parameters.get("rule"), let entry = services.policy.rule(id) else { throw Problem.notFound }
        return entry
    }

    @Sendable func rule(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .calculate) else { throw Problem.forbidden }
        let entry = try entry(context)
        let example = (try? JSONSerialization.jsonObject(with: entry.exampleJSON) as? [String: Any]) ?? [:]
        var values: [String: String] = [:]
        for field in entry.fields {
            // A link may fill the form (an arrears page asks for a bill's surcharge).
            if let given = request.query(field.name), !given.isEmpty {
                values[field.name] = given
                continue
            }
            guard let value = example[field.name] else { continue }
            values[field.name] = Self.formText(value, kind: field.kind)
        }
        // The month is this month and the area type the clerk's own, not the example's (issue 14 item 5).
        let home = try await services.policy.homeRegion(of: principal)
        let areaType = try await services.regions.find(home)?.areaType
        for field in entry.fields where request.query(field.name) == nil {
            if case .period = field.kind { values[field.name] = String(services.today.description.prefix(7)) }
            if field.name == "areaType", let areaType { values[field.name] = areaType.rawValue }
        }
        return try await render(entry, values: values, region: home, evaluation: nil, error: nil, request, context, status: .ok)
    }

    @Sendable func evaluate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let entry = try entry(context)
        let form = try await FormData.verified(request, context)
        var values: [String: String] = [:]
        for field in entry.fields { values[field.name] = form[field.name] ?? "" }
        let home = try await services.policy.homeRegion(of: principal)
        do {
            let input = try Self.json(from: values, fields: entry.fields)
            let result = try await services.policy.calculate(entry.id, input: input, region: form.text("region"), by: principal)
            return try await render(entry, values: values, region: result.region, evaluation: result.evaluation, error: nil, request, context, status: .ok)
        } catch let error as ServiceError {
            guard error.kind == .invalid || error.kind == .notFound else { throw error }
            return try await render(entry, values: values, region: (try? RegionCode(form["region"] ?? "")) ?? home, evaluation: nil,
                                    error: error, request, context, status: formStatus(error))
        }
    }

    /// The rule's form; a refusal's problems beside their fields in words (the field's label, never
    /// its input name), the rest above the result.
    private func render(_ entry: RuleCatalog.Entry, values: [String: String], region: RegionCode, evaluation: RuleCatalog.Evaluation?, error: ServiceError?,
                        _ request: Request, _ context: ShebaoRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        var fields = entry.fields.map { field -> FormFieldView in
            let label = pages.text("input.\(field.name)", context) + (field.optional ? pages.text("calculate.optional", context) : "")
            let range = field.bounds.limits.map { pages.text("calculate.range", context, ["lower": $0.lower, "upper": $0.upper]) }
            switch field.kind {
            case .choice(let choices):
                return .select(field.name, label: label, value: values[field.name], options: choices.map { ($0, pages.text("choice.\($0)", context)) },
                               required: !field.optional, blank: field.optional ? "" : nil)
            case .bool:
                return .select(field.name, label: label, value: values[field.name],
                               options: [("true", pages.text("common.yes", context)), ("false", pages.text("common.no", context))], blank: field.optional ? "" : nil)
            case .list:
                return .textarea(field.name, label: label, value: values[field.name], required: !field.optional)
            case .money:
                return .input(field.name, label: label + pages.text("calculate.yuan", context), value: values[field.name], required: !field.optional, hint: range)
            case .date:
                return .input(field.name, label: label, value: values[field.name], type: "date", required: !field.optional, hint: range)
            case .period:
                return .input(field.name, label: label, value: values[field.name], type: "month", required: !field.optional, hint: range)
            case .integer, .decimal, .rate:
                return .input(field.name, label: label, value: values[field.name], required: !field.optional, hint: range)
            }
        }
        var problem: String?
        if let error {
            // A rule's refusal of one input ("field") is that input's problem too.
            var issues = error.fieldIssues
            if issues.isEmpty, let field = error.arguments["field"], entry.fields.contains(where: { $0.name == field }) {
                issues = [FieldIssue(field, error.code, error.arguments)]
            }
            let unplaced = fields.attach(issues) { issue in
                var arguments = issue.arguments
                if let field = arguments["field"] { arguments["field"] = pages.text("input.\(field)", context) }
                return pages.text("error.\(issue.code)", context, arguments)
            }
            problem = (issues.isEmpty ? [pages.message(error, context)] : unplaced).joined(separator: " ")
            if problem?.isEmpty == true { problem = nil }
        }
        var regions = try await services.regionOptions(in: principal.scope, selected: region.value, blank: pages.text("calculate.my_scope", context))
        regions[0].value = principal.scope.value
        let content = RulePage(
            action: Route.calculateRule.path(entry.id), summary: pages.text("rule.\(entry.id).summary", context), fields: fields,
            regions: regions.filter { !$0.value.isEmpty }, problem: problem,
            lines: evaluation?.lines.map { ExplanationView.Line(key: $0.key, label: pages.text($0.key, context), value: pages.value($0.value, context)) } ?? [],
            explanation: try await evaluation.asyncMap { try await ExplanationView.page($0.explanation, pages: pages, context: context, services: services) })
        return pages.render("calculate-rule", title: pages.text("rule.\(entry.id)", context), content: content, request: request, context: context, status: status)
    }

    /// A value of the example as the form shows it: money in yuan, the rest as text.
    static func formText(_ value: Any, kind: RuleField.Kind) -> String {
        switch (kind, value) {
        case (.money, let number as NSNumber): return Money(fen: number.int64Value).decimalString
        case (.bool, let number as NSNumber): return number.boolValue ? "true" : "false"
        case (.list, _):
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case (_, let text as String): return text
        case (_, let number as NSNumber): return number.stringValue
        default: return ""
        }
    }

    /// The rule's JSON input from form text: yuan to fen, numbers as numbers, blanks left out.
    static func json(from values: [String: String], fields: [RuleField]) throws(ServiceError) -> Data {
        var object: [String: Any] = [:]
        // Every field's problem at once, each beside its field (issue 14 item 5).
        var issues: [FieldIssue] = []
        for field in fields {
            let text = (values[field.name] ?? "").trimmingASCIIWhitespace()
            let named = ["field": field.name]
            if text.isEmpty {
                if !field.optional { issues.append(FieldIssue(field.name, "rule.required", named)) }
                continue
            }
            switch field.kind {
            case .money:
                guard let money = try? Money.parse(text, allowNegative: false) else { issues.append(FieldIssue(field.name, "money.malformed", named)); continue }
                object[field.name] = money.fen
            case .integer:
                guard let number = Int(text) else { issues.append(FieldIssue(field.name, "rule.bad_input", named)); continue }
                object[field.name] = number
            case .bool:
                object[field.name] = text == "true"
            case .list:
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                    issues.append(FieldIssue(field.name, "rule.bad_input", named))
                    continue
                }
                object[field.name] = parsed
            case .period:
                object[field.name] = String(text.prefix(7))
            case .rate:
                // A clerk may type a rate as a percent (8%); the rule takes the decimal (0.08).
                object[field.name] = Rate(decimal: text)?.decimalString ?? text
            case .decimal, .date, .choice:
                object[field.name] = text
            }
        }
        if !issues.isEmpty { throw .invalid(issues) }
        do {
            return try JSONSerialization.data(withJSONObject: object)
        } catch {
            throw .refused("rule.bad_input", ["field": "JSON"])
        }
    }
}
