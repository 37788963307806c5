import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Benefit claims at the counter (work injury, maternity): the form's figures in, the benefit
/// computed by its rule with the whole explanation, the case opened. One page shape, one template
/// (`claim.mustache`); each claim names its fields and how to compute and open.
struct ClaimForm: Sendable {
    /// Records a claim names by their id.
    enum Records: Sendable {
        case paymentPoints
        /// Designated hospitals under agreement.
        case hospitals
        /// Nursing and welfare homes, with their free beds.
        case institutions

        func options(_ services: ShebaoServices, _ principal: Principal) async throws -> [(value: String, label: String)] {
            switch self {
            case .paymentPoints: try await services.benefits.paymentPoints(by: principal).map { (String($0.id), $0.name) }
            case .hospitals: try await services.benefits.claimableHospitals(by: principal).map { (String($0.id), $0.name) }
            case .institutions: try await services.assistance.institutions(by: principal).map { (String($0.id), "\($0.name) (\($0.residents)/\($0.beds))") }
            }
        }
    }

    struct Field: Sendable {
        var name: String
        var label: String
        /// Choices for a select (value, label key); empty for a text input.
        var choices: [(value: String, label: String)] = []
        /// A select of records the reader sees (their names as labels) instead of fixed choices.
        var records: Records?
        var required = true
    }

    /// The computed claim: its explanation and a warning (a string key and its arguments, e.g. a late report).
    struct Computed: Sendable {
        var explanation: Explanation
        var warning: (key: String, arguments: [String: String])?
        /// False when the rule refuses the claim (the page then offers no way to open it).
        var openable = true
        /// A second amount computed from the first (medical assistance on what the scheme left), explained after it.
        var then: Explanation? = nil
    }

    var route: Route
    var titleKey: String
    var explainKey: String
    var submitKey: String
    var fields: [Field]
    var compute: @Sendable ([String: String], Person, Principal) async throws -> Computed
    var open: @Sendable ([String: String], Person, Principal) async throws -> Int64
}

struct ClaimPages {
    let services: ShebaoServices
    let form: ClaimForm

    struct Page {
        var person: String
        var personHref: String
        var action: String
        var explain: String
        var submit: String
        var fields: [FormFieldView]
        /// The refusal's problems that no field of the form is for, above it.
        var problem: String?
        var computed: Bool
        var openable: Bool
        var warning: String?
        var explanation: ExplanationView?
        /// The second explanation, as the explanation partial reads it.
        struct Then {
            var explanation: ExplanationView
        }
        var then: Then?
    }

    private func figures(_ values: (String) -> String?) -> [String: String] {
        Dictionary(form.fields.map { ($0.name, values($0.name) ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let values = figures { request.query($0) }
        return try await render(request, context, values: values, compute: form.fields.first.flatMap { request.query($0.name) } != nil, error: nil,
                                status: .ok)
    }

    @Sendable func open(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let posted = try await FormData.verified(request, context)
        let values = figures { posted[$0] }
        let person = try await services.registry.person(try context.id(), by: principal)
        return try await submitForm {
            let caseID = try await form.open(values, person, principal)
            return .redirect(to: Route.caseItem.path(caseID), type: .found)
        } rerender: { error in
            try await render(request, context, values: values, compute: false, error: error, status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, values: [String: String], compute: Bool, error: ServiceError?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let person = try await services.registry.person(id, by: principal)
        guard principal.may(.insuranceRead, in: person.region) else { throw ServiceError.notFound }
        var computed: ClaimForm.Computed?
        var refusal = error
        if compute {
            do {
                computed = try await form.compute(values, person, principal)
            } catch let error as ServiceError {
                refusal = error
            }
        }
        var records: [String: [(value: String, label: String)]] = [:]
        for field in form.fields {
            if let source = field.records { records[field.name] = try await source.options(services, principal) }
        }
        let fields = form.fields.map { field -> FormFieldView in
            let value = values[field.name] ?? ""
            let label = pages.text(field.label, context)
            let choices = records[field.name]
                ?? field.choices.map { (value: $0.value, label: $0.label.isEmpty ? "—" : pages.text($0.label, context)) }
            let view = choices.isEmpty && field.records == nil
                ? FormFieldView.input(field.name, label: label, value: value, required: field.required)
                : FormFieldView.select(field.name, label: label, value: value, options: choices.map { ($0.value, $0.label) }, required: field.required, blank: nil)
            return view.identified(as: "claim-" + field.name)
        }
        let shown = FieldForm(fields, refusedBy: refusal, pages: pages, context: context)
        let content = Page(person: person.name, personHref: Route.person.path(id), action: form.route.path(id), explain: pages.text(form.explainKey, context),
                           submit: pages.text(form.submitKey, context), fields: shown.fields, problem: shown.above, computed: computed != nil, openable: computed?.openable ?? false,
                           warning: computed?.warning.map { pages.text($0.key, context, $0.arguments) },
                           explanation: try await computed.asyncMap { try await ExplanationView.page($0.explanation, pages: pages, context: context, services: services) },
                           then: try await computed?.then.asyncMap {
                               Page.Then(explanation: try await ExplanationView.page($0, pages: pages, context: context, services: services))
                           })
        return pages.render("claim", title: pages.text(form.titleKey, context, ["name": person.name]), content: content, request: request, context: context,
                            status: compute && computed == nil ? .unprocessableContent : status)
    }
}
