import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Households on the staff pages: list, register, change of head, moving a member in.
struct HouseholdPages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct ListPage {
        struct Row {
            var href: String
            var registerNumber: String
            var region: String
            var head: String
            var size: Int
        }
        var action: String
        var rows: [Row]
        var regions: [FormFieldView.Option]
        var summary: String
        var create: String?
        var pager: Pager
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let region = request.query("region")
        let page = try await services.registry.households(region: region, paging: request.paging(perPage: 50), by: principal)
        let labels = try await services.regions.labels(of: page.items.map(\.region))
        let content = ListPage(
            action: Route.households.path(),
            rows: page.items.map {
                ListPage.Row(href: Route.household.path($0.id), registerNumber: $0.registerNumber, region: labels[$0.region] ?? $0.region.value,
                             head: $0.head?.name ?? "—", size: $0.members.count)
            },
            regions: try await services.regionOptions(in: principal.scope, selected: region, blank: pages.text("search.any_region", context)),
            summary: pages.text("households.summary", context, ["total": String(page.total)]),
            create: AccessPolicy.allows(principal.role, .householdWrite) ? Route.householdNew.path() : nil,
            pager: Pager(page, route: .households, query: region.map { "region=\($0)" } ?? "", pages: pages, context: context))
        return pages.render("households", title: pages.text("households.title", context), content: content, request: request, context: context)
    }

    struct ShowPage {
        struct Member {
            var personID: Int64
            var href: String
            var name: String
            var maskedID: String
            var relation: String
            var isHead: Bool
        }
        struct Entry {
            var version: Int64
            var changedAt: String
            var changedBy: String
            var reason: String
        }
        var registerNumber: String
        var region: String
        var address: String?
        var version: Int64
        var members: [Member]
        var history: [Entry]
        var changeHead: String?
        var moveIn: String?
        var relations: [FormFieldView.Option]
        /// Every member's insurance and assistance at a glance (the assistance program's section).
        var overview: HouseholdAssistanceSection
        var problem: String?
        var notice: String?
    }

    private func renderShow(_ household: Household, _ request: Request, _ context: ShebaoRequestContext, error: ServiceError? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let canEdit = principal.may(.householdWrite, in: household.region)
        let problem = error.map { error in
            ([pages.message(error, context)] + error.fieldIssues.map { pages.text($0, context) }).joined(separator: " ")
        }
        let content = ShowPage(
            registerNumber: household.registerNumber, region: try await services.regions.label(household.region), address: household.address,
            version: household.version,
            members: household.members.map {
                ShowPage.Member(personID: $0.personID, href: Route.person.path($0.personID), name: $0.name, maskedID: $0.residentID.masked,
                                relation: pages.label($0.relation, context), isHead: $0.relation == .head)
            },
            history: try await services.registry.householdHistory(household.id, by: principal).map {
                .init(version: $0.version, changedAt: Timestamp.shown($0.changedAt), changedBy: pages.actor($0.changedBy, context), reason: $0.reason)
            },
            changeHead: canEdit ? Route.householdHead.path(household.id) : nil, moveIn: canEdit ? Route.householdMembers.path(household.id) : nil,
            relations: HouseholdRelation.allCases.filter { $0 != .head }.map { .init(value: $0.rawValue, label: pages.label($0, context), selected: false) },
            overview: try await HouseholdAssistanceSection.build(household, services: services, principal: principal, context: context),
            problem: problem, notice: request.query("saved") != nil ? pages.text("household.saved", context) : nil)
        return pages.render("household", title: pages.text("household.title_number", context, ["number": household.registerNumber]),
                            content: content, request: request, context: context, status: error.map(formStatus) ?? .ok)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderShow(try await services.registry.household(try context.id(), by: try context.requirePrincipal()), request, context)
    }

    @Sendable func changeHead(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let household = try await services.registry.changeHead(id, to: form.int("personID"), formerHeadRelation: form.text("formerHeadRelation"),
                                                                   expectedVersion: form.int("version"), reason: form["reason"], by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderShow(try await services.registry.household(id, by: principal), request, context, error: error)
        }
    }

    @Sendable func moveIn(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let household = try await services.registry.moveIn(id, residentID: form["residentID"] ?? "", relation: form["relation"] ?? "",
                                                               expectedVersion: form.int("version"), reason: form["reason"], by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderShow(try await services.registry.household(id, by: principal), request, context, error: error)
        }
    }

    @Sendable func new(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .householdWrite) else { throw Problem.forbidden }
        return try await renderNew(FormData(fields: [:]), error: nil, request, context)
    }

    private func renderNew(_ form: FormData, error: ServiceError?, _ request: Request, _ context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let villages = try await services.regionOptions(in: principal.scope, selected: form["region"], blank: "", villagesOnly: true)
        let fields: [FormFieldView] = [
            .input("registerNumber", label: pages.text("household.register_number", context), value: form["registerNumber"], required: true),
            .select("region", label: pages.text("household.region_code", context), value: form["region"], options: villages.dropFirst().map { ($0.value, $0.label) },
                    required: true, blank: nil),
            .input("address", label: pages.text("household.address", context), value: form["address"]),
            .input("headResidentID", label: pages.text("household.head_resident_id", context), value: form["headResidentID"], required: true),
            .input("reason", label: pages.text("form.reason", context), value: form["reason"], hint: pages.text("form.reason_hint", context)),
        ]
        let content = RecordFormPage(action: Route.households.path(), cancel: Route.households.path(), fields: fields, error: error, pages: pages, context: context)
        return pages.render("record-form", title: pages.text("household.new", context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let household = try await services.registry.createHousehold(
                registerNumber: form["registerNumber"] ?? "", region: form["region"] ?? "", address: form.text("address"),
                headResidentID: form["headResidentID"] ?? "", reason: form["reason"], by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderNew(form, error: error, request, context)
        }
    }
}
