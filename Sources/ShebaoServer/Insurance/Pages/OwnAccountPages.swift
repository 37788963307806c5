import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// A person insured on their own account (个体工商户、灵活就业人员), at the counter: their pension
/// and medical enrolments without a unit, enrolling them, and the base they declare each year
/// (one base for both, assessed within the year's bounds; a year a posted assessment charged
/// stands), and their bills with what the tax bureau collected.
struct OwnAccountPages {
    let services: ShebaoServices

    struct OwnAccountPage {
        struct Enrolment {
            var scheme: String
            var start: String
            var end: String?
            var reason: String?
        }
        struct Base {
            var year: Int
            var declared: String
            var pension: String
            var medical: String
            var final: Bool
        }
        struct Bill {
            var period: String
            var scheme: String
            var assessed: String
            var collected: String
            var surcharge: String
            var state: String
        }
        var person: String
        var personHref: String
        var maskedID: String
        var enrolments: [Enrolment]
        var enrolAction: String?
        var enrolForm: FieldForm
        var bases: [Base]
        var baseAction: String?
        var baseForm: FieldForm
        var bills: [Bill]
        var year: Int
        var pensionBounds: String
        var medicalBounds: String
        var notice: String?
        var problem: String?
    }

    /// The page's two forms; a refusal is told beside the fields of the one refused.
    enum Refused {
        case enrolment, base
    }

    @Sendable func page(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, notice: request.query("done").map { services.pages.text("own_account.done.\($0)", context) }, form: nil,
                         refusal: nil, status: .ok)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, notice: String?, form: FormData?,
                        refusal: (error: ServiceError, of: Refused)?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        let own = try await services.insurance.ownAccount(personID: id, by: principal)
        let writes = principal.may(.enrolmentWrite, in: own.person.region)
        let running = own.enrolments.contains { $0.end == nil }
        let today = services.today
        func fields(_ which: Refused, _ fields: [FormFieldView]) -> FieldForm {
            FieldForm(fields, refusedBy: refusal?.of == which ? refusal?.error : nil, pages: pages, context: context)
        }
        let enrolForm = fields(.enrolment, [
            FormFieldView.input("start", label: pages.text("insurance.from", context), value: form?["start"] ?? Period(year: today.year, month: today.month)!.description,
                                type: "month", required: true).identified(as: "own-start"),
        ])
        let baseForm = fields(.base, [
            FormFieldView.input("year", label: pages.text("insurance.year", context), value: form?["year"] ?? String(own.year), required: true)
                .identified(as: "own-year"),
            FormFieldView.input("declared", label: pages.text("insurance.declared_base", context), value: form?["declared"], required: true)
                .identified(as: "own-declared"),
        ])
        let content = OwnAccountPage(
            person: own.person.name, personHref: Route.person.path(id), maskedID: own.person.residentID.masked,
            enrolments: own.enrolments.map {
                .init(scheme: pages.label($0.scheme, context), start: $0.start.description, end: $0.end?.description,
                      reason: $0.endReason.map { pages.text("enrolment_end." + $0, context) })
            },
            enrolAction: writes && !running ? Route.ownAccountEnrolment.path(id) : nil,
            enrolForm: enrolForm,
            bases: own.bases.map {
                .init(year: $0.year, declared: $0.declared.formatted, pension: $0.pension.formatted, medical: $0.medical.formatted, final: $0.final)
            },
            baseAction: writes && !own.enrolments.isEmpty ? Route.ownAccountBase.path(id) : nil, baseForm: baseForm,
            bills: own.bills.map {
                .init(period: $0.period.description, scheme: pages.label($0.scheme, context), assessed: $0.assessed.formatted,
                      collected: $0.collected.formatted, surcharge: $0.surcharge.formatted, state: pages.label($0.state, context))
            },
            year: own.year,
            pensionBounds: "\(own.pensionBounds.floor.formatted) – \(own.pensionBounds.ceiling.formatted)",
            medicalBounds: "\(own.medicalBounds.floor.formatted) – \(own.medicalBounds.ceiling.formatted)", notice: notice,
            problem: FieldForm.above(enrolForm.problems + baseForm.problems))
        return pages.render("own-account", title: pages.text("own_account.title", context, ["name": own.person.name]), content: content,
                            request: request, context: context, status: status)
    }

    /// Enrols the person on their own account from a month.
    @Sendable func enrol(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.insurance.enrolOwnAccount(personID: id, from: form["start"] ?? "", by: principal)
            return .redirect(to: Route.ownAccount.path(id, query: "done=enrolled"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, form: form, refusal: (error, .enrolment), status: formStatus(error))
        }
    }

    /// Declares the person's base for a year.
    @Sendable func declare(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            guard let year = Int(form["year"] ?? "") else { throw ServiceError.invalid("year", "field.invalid", ["value": form["year"] ?? ""]) }
            _ = try await services.insurance.declareOwnBase(personID: id, year: year, declared: form["declared"] ?? "", by: principal)
            return .redirect(to: Route.ownAccount.path(id, query: "done=declared"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, form: form, refusal: (error, .base), status: formStatus(error))
        }
    }
}
