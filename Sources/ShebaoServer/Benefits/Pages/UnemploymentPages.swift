import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Unemployment spells in the reader's scope (PROGRAMS.md §2.9): who is receiving, whose months
/// are all paid while still jobless — to be referred to the minimum-living-guarantee office
/// (§4.1) — who works again, with the priority groups each claim found.
struct UnemploymentPages {
    let services: ShebaoServices

    struct Page {
        struct Row {
            var caseID: Int64
            var name: String
            var href: String
            var registeredOn: String
            var months: Int
            var monthly: String
            var paid: String
            var priority: String
            var status: String
            var statusClass: String
            var refer: String?
        }
        var ended: [Row]
        var hasEnded: Bool
        var rows: [Row]
        var done: Bool
        var problem: String?
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, problem: nil, status: .ok)
    }

    @Sendable func refer(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        return try await submitForm {
            try await services.benefits.referToDibao(try context.id(), by: principal)
            return .redirect(to: Route.unemploymentSpells.path(query: "referred=1"), type: .found)
        } rerender: { error in
            try await render(request, context, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let refers = principal.may(.enrolmentWrite)
        let rows = try await services.benefits.unemploymentSpells(by: principal).map { spell in
            Page.Row(caseID: spell.caseID, name: spell.name, href: Route.person.path(spell.personID), registeredOn: spell.registeredOn.description,
                     months: spell.months, monthly: spell.monthly.formatted, paid: "\(spell.issued) / \(spell.months)",
                     priority: spell.priority.map { pages.text("unemployment.priority." + $0, context) }.joined(separator: "、"),
                     status: pages.label(spell.status, context) + (spell.reemployedOn ?? spell.referredOn).map { " " + $0.description } .orEmpty,
                     statusClass: spell.status.rawValue,
                     refer: refers && spell.status == .ended ? Route.unemploymentReferral.path(spell.caseID) : nil)
        }
        let ended = rows.filter { $0.refer != nil }
        let content = Page(ended: ended, hasEnded: !ended.isEmpty, rows: rows, done: request.query("referred") != nil, problem: problem)
        return pages.render("unemployment-spells", title: pages.text("unemployment.spells_title", context), content: content, request: request,
                            context: context, status: status)
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
