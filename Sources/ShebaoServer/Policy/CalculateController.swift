import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Every rule of RULES.md on the API (`POST /api/v1/calculate/{rule}`, like OpenFisca's calculate
/// and trace) and on a page where a clerk can try it and read the explanation.
struct CalculateController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/rules", use: apiRules)
        group.post("/calculate/{rule}", use: apiCalculate)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/calculate", use: pageIndex)
        group.get("/calculate/{rule}", use: pageRule)
        group.post("/calculate/{rule}", use: pageEvaluate)
    }

    private var pages: PageRenderer { services.pages }

    /// The region a calculation runs for: `?region=` inside the caller's scope, else the scope itself.
    private func region(_ request: Request, _ principal: Principal) throws -> RegionCode {
        guard let text = request.query("region") else { return principal.scope }
        guard let code = try? RegionCode(text), principal.scope.contains(code) || code.contains(principal.scope) else { throw Problem.notFound }
        return code
    }

    private func entry(_ context: ShebaoRequestContext) throws -> RuleCatalog.Entry {
        guard let id = context.parameters.get("rule"), let entry = RuleCatalog.entry(id) else { throw Problem.notFound }
        return entry
    }

    /// Runs a rule; its refusals become 422 problems naming the field or the missing parameter.
    private func evaluate(_ entry: RuleCatalog.Entry, _ input: Data, region: RegionCode, _ context: ShebaoRequestContext) async throws -> RuleCatalog.Evaluation {
        let book = try await services.parameters.book()
        do {
            return try entry.evaluate(input, book, region)
        } catch let error as RuleError {
            throw Problem(.unprocessableContent, code: error.code, arguments: error.arguments)
        }
    }

    // MARK: API

    struct RuleDTO: ResponseEncodable, Decodable, Sendable {
        struct Field: Codable, Sendable {
            var name: String
            var kind: String
            var optional: Bool
            var choices: [String]?
        }
        var id: String
        var title: String
        var fields: [Field]
        var example: String
    }

    @Sendable func apiRules(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<RuleDTO> {
        _ = try context.require(.calculate)
        let rules = RuleCatalog.entries.map { entry in
            RuleDTO(id: entry.id, title: pages.text("rule.\(entry.id)", context), fields: entry.fields.map { field in
                var choices: [String]?
                let kind: String
                switch field.kind {
                case .money: kind = "money"
                case .integer: kind = "integer"
                case .decimal: kind = "decimal"
                case .rate: kind = "rate"
                case .date: kind = "date"
                case .period: kind = "period"
                case .bool: kind = "bool"
                case .choice(let values): kind = "choice"; choices = values
                case .list: kind = "list"
                }
                return RuleDTO.Field(name: field.name, kind: kind, optional: field.optional, choices: choices)
            }, example: String(decoding: entry.exampleJSON, as: UTF8.self))
        }
        return ListDTO(items: rules, page: 1, perPage: rules.count, total: rules.count)
    }

    /// `POST /api/v1/calculate/{rule}[?explain=true][&region=CODE]` with the rule's input as JSON.
    @Sendable func apiCalculate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.calculate)
        let entry = try entry(context)
        var request = request
        let body = try await request.collectBody(upTo: 1_048_576)
        let region = try region(request, principal)
        let evaluation = try await evaluate(entry, Data(body.readableBytesView), region: region, context)
        let explain = request.query("explain") == "true"
        // The output is spliced in as the rule encoded it (money in fen), under sorted keys.
        var json = "{\"region\":\"\(region.value)\",\"result\":" + String(decoding: evaluation.output, as: UTF8.self) + ",\"rule\":\"\(entry.id)\""
        if explain {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = "{\"explanation\":" + String(decoding: try encoder.encode(ExplanationView(evaluation.explanation, pages: pages, context: context)), as: UTF8.self)
                + "," + json.dropFirst()
        }
        json += "}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    // MARK: Pages

    struct IndexPage {
        struct Rule {
            var id: String
            var title: String
            var summary: String
        }
        var rules: [Rule]
    }

    @Sendable func pageIndex(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.calculate)
        let rules = RuleCatalog.entries.map { IndexPage.Rule(id: $0.id, title: pages.text("rule.\($0.id)", context), summary: pages.text("rule.\($0.id).summary", context)) }
        return pages.render("calculate", title: pages.text("calculate.title", context), content: IndexPage(rules: rules), request: request, context: context)
    }

    struct RulePage {
        var id: String
        var summary: String
        var fields: [FormFieldView]
        var regions: [FormFieldView.Option]
        var problem: String?
        var lines: [ExplanationView.Line]
        var explanation: ExplanationView?
    }

    @Sendable func pageRule(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.calculate)
        let entry = try entry(context)
        let example = (try? JSONSerialization.jsonObject(with: entry.exampleJSON) as? [String: Any]) ?? [:]
        var values: [String: String] = [:]
        for field in entry.fields {
            guard let value = example[field.name] else { continue }
            values[field.name] = Self.formText(value, kind: field.kind)
        }
        return try await render(entry, values: values, region: principal.scope, evaluation: nil, problem: nil, request, context, status: .ok)
    }

    @Sendable func pageEvaluate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.calculate)
        let entry = try entry(context)
        let form = try await FormData.verified(request, context)
        var values: [String: String] = [:]
        for field in entry.fields { values[field.name] = form[field.name] ?? "" }
        let region = (try? RegionCode(form["region"] ?? "")).flatMap { principal.scope.contains($0) || $0.contains(principal.scope) ? $0 : nil } ?? principal.scope
        do {
            let input = try Self.json(from: values, fields: entry.fields)
            let evaluation = try await evaluate(entry, input, region: region, context)
            return try await render(entry, values: values, region: region, evaluation: evaluation, problem: nil, request, context, status: .ok)
        } catch let problem as Problem {
            return try await render(entry, values: values, region: region, evaluation: nil,
                                    problem: pages.text("error.\(problem.code)", context, problem.arguments), request, context, status: problem.status)
        }
    }

    private func render(_ entry: RuleCatalog.Entry, values: [String: String], region: RegionCode, evaluation: RuleCatalog.Evaluation?, problem: String?,
                        _ request: Request, _ context: ShebaoRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let fields = entry.fields.map { field -> FormFieldView in
            let label = pages.text("input.\(field.name)", context) + (field.optional ? pages.text("calculate.optional", context) : "")
            switch field.kind {
            case .choice(let choices):
                return .select(field.name, label: label, value: values[field.name], options: choices.map { ($0, pages.text("choice.\($0)", context)) },
                               required: !field.optional, blank: field.optional ? "" : nil)
            case .bool:
                return .select(field.name, label: label, value: values[field.name], options: [("true", pages.text("common.yes", context)), ("false", pages.text("common.no", context))],
                               blank: field.optional ? "" : nil)
            case .list:
                return .textarea(field.name, label: label, value: values[field.name], required: !field.optional)
            case .money:
                return .input(field.name, label: label + pages.text("calculate.yuan", context), value: values[field.name], required: !field.optional)
            case .date:
                return .input(field.name, label: label, value: values[field.name], type: "date", required: !field.optional)
            case .period:
                return .input(field.name, label: label, value: values[field.name], type: "month", required: !field.optional)
            case .integer, .decimal, .rate:
                return .input(field.name, label: label, value: values[field.name], required: !field.optional)
            }
        }
        var regions = try await services.regionOptions(in: principal.scope, selected: region.value, blank: pages.text("calculate.my_scope", context))
        regions[0].value = principal.scope.value
        let content = RulePage(
            id: entry.id, summary: pages.text("rule.\(entry.id).summary", context), fields: fields, regions: regions.filter { !$0.value.isEmpty }, problem: problem,
            lines: evaluation?.lines.map { ExplanationView.Line(key: $0.key, label: pages.text($0.key, context), value: pages.value($0.value, context)) } ?? [],
            explanation: evaluation.map { ExplanationView($0.explanation, pages: pages, context: context) })
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
    static func json(from values: [String: String], fields: [RuleField]) throws -> Data {
        var object: [String: Any] = [:]
        for field in fields {
            let text = (values[field.name] ?? "").trimmingASCIIWhitespace()
            if text.isEmpty {
                if field.optional { continue }
                throw Problem(.unprocessableContent, code: "rule.required", arguments: ["field": field.name])
            }
            switch field.kind {
            case .money:
                guard let money = try? Money.parse(text, allowNegative: false) else { throw Problem(.unprocessableContent, code: "money.malformed", arguments: ["field": field.name]) }
                object[field.name] = money.fen
            case .integer:
                guard let number = Int(text) else { throw Problem(.unprocessableContent, code: "rule.bad_input", arguments: ["field": field.name]) }
                object[field.name] = number
            case .bool:
                object[field.name] = text == "true"
            case .list:
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                    throw Problem(.unprocessableContent, code: "rule.bad_input", arguments: ["field": field.name])
                }
                object[field.name] = parsed
            case .period:
                object[field.name] = String(text.prefix(7))
            case .decimal, .rate, .date, .choice:
                object[field.name] = text
            }
        }
        return try JSONSerialization.data(withJSONObject: object)
    }
}
