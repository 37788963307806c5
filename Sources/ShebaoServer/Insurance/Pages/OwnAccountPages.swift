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
        var defaultStart: String
        var bases: [Base]
        var baseAction: String?
        var bills: [Bill]
        var year: Int
        var pensionBounds: String
        var medicalBounds: String
        var notice: String?
        var problem: String?
    }

    @Sendable func page(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, notice: request.query("done").map { services.pages.text("own_account.done.\($0)", context) }, problem: nil,
                         status: .ok)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        let own = try await services.insurance.ownAccount(personID: id, by: principal)
        let writes = principal.may(.enrolmentWrite, in: own.person.region)
        let running = own.enrolments.contains { $0.end == nil }
        let today = services.today
        let content = OwnAccountPage(
            person: own.person.name, personHref: Route.person.path(id), maskedID: own.person.residentID.masked,
            enrolments: own.enrolments.map {
                .init(scheme: pages.label($0.scheme, context), start: $0.start.description, end: $0.end?.description,
                      reason: $0.endReason.map { pages.text("enrolment_end." + $0, context) })
            },
            enrolAction: writes && !running ? Route.ownAccountEnrolment.path(id) : nil,
            defaultStart: Period(year: today.year, month: today.month)!.description,
            bases: own.bases.map {
                .init(year: $0.year, declared: $0.declared.formatted, pension: $0.pension.formatted, medical: $0.medical.formatted, final: $0.final)
            },
            baseAction: writes && !own.enrolments.isEmpty ? Route.ownAccountBase.path(id) : nil,
            bills: own.bills.map {
                .init(period: $0.period.description, scheme: pages.label($0.scheme, context), assessed: $0.assessed.formatted,
                      collected: $0.collected.formatted, surcharge: $0.surcharge.formatted, state: pages.label($0.state, context))
            },
            year: own.year,
            pensionBounds: "\(own.pensionBounds.floor.formatted) – \(own.pensionBounds.ceiling.formatted)",
            medicalBounds: "\(own.medicalBounds.floor.formatted) – \(own.medicalBounds.ceiling.formatted)", notice: notice, problem: problem)
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
            try await render(request, context, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
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
            try await render(request, context, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }
}
