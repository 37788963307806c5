import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Welfare homes' construction subsidies: a civil-affairs clerk applies for a home's works (the
/// application then moves as a case, approved by a reviewer); the subsidies approved, and a fund
/// accountant's record of the transfer that paid each.
struct HomeSubsidyPages {
    let services: ShebaoServices

    struct Page {
        struct Subsidy {
            var home: String
            var region: String
            var caseHref: String
            var approvedOn: String
            var renovation: String
            var newBeds: Int
            var beds: String
            var total: String
            var paid: String
            var payAction: String?
        }
        var subsidies: [Subsidy]
        var owed: String
        var applies: Bool
        var action: String
        var homeOptions: [FormFieldView.Option]
        var casesHref: String
        var ruleHref: String
        var today: String
        var form: [String: String]
        var problem: String?
        var notice: String?
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, form: nil, notice: request.query("done").map { services.pages.text("home_subsidy.done.\($0)", context) },
                         problem: nil, status: .ok)
    }

    /// Opens an application for a home's works; to its case.
    @Sendable func apply(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let id = try await services.assistance.openHomeSubsidy(
                home: form["home"] ?? "", date: form["date"] ?? "", renovationCost: form["renovationCost"] ?? "", newBeds: form["newBeds"] ?? "",
                floorArea: form["floorArea"] ?? "", residents: form["residents"] ?? "", by: principal)
            return .redirect(to: Route.caseItem.path(id), type: .found)
        } rerender: { error in
            try await render(request, context, form: form, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    /// Records the transfer that paid a subsidy.
    @Sendable func pay(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.assistance.payHomeSubsidy(id, reference: form["reference"] ?? "", paidOn: form["paidOn"] ?? "", by: principal)
            return .redirect(to: Route.homeSubsidies.path(query: "done=paid"), type: .found)
        } rerender: { error in
            try await render(request, context, form: nil, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, notice: String?, problem: String?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.householdRead)
        guard principal.may(.assistanceManage) || principal.may(.ledgerPost) || principal.role == .reviewer else { throw ServiceError.forbidden }
        let pages = services.pages
        let subsidies = try await services.assistance.homeSubsidies(by: principal)
        let homes = principal.may(.assistanceManage) ? try await services.assistance.institutions(by: principal) : []
        let places = try await services.regions.labels(of: Set(subsidies.map(\.region)))
        let content = Page(
            subsidies: subsidies.map { s in
                .init(home: s.institutionName, region: places[s.region] ?? s.region.value, caseHref: Route.caseItem.path(s.caseID), approvedOn: s.approvedOn,
                      renovation: s.renovation.formatted, newBeds: s.newBeds, beds: s.beds.formatted, total: s.total.formatted,
                      paid: s.paidOn.map { "\($0)（\(s.reference ?? "")）" } ?? "—",
                      payAction: s.paidOn == nil && principal.may(.ledgerPost) ? Route.homeSubsidyPayment.path(s.caseID) : nil)
            },
            owed: subsidies.filter { $0.paidOn == nil }.reduce(Money.zero) { $0 + $1.total }.formatted,
            applies: principal.may(.assistanceManage) && !homes.isEmpty, action: Route.homeSubsidies.path(),
            homeOptions: homes.map { .init(value: String($0.id), label: $0.name, selected: form?["home"] == String($0.id)) },
            casesHref: Route.cases.path(query: "type=\(HomeSubsidy.caseType.id)"), ruleHref: Route.calculateRule.path(WelfareHomeSubsidyRule.id),
            today: services.today.description,
            form: Dictionary(uniqueKeysWithValues: ["date", "renovationCost", "newBeds", "floorArea", "residents"].map { ($0, form?[$0] ?? "") }),
            problem: problem, notice: notice)
        return pages.render("home-subsidies", title: pages.text("home_subsidy.page_title", context), content: content, request: request, context: context,
                            status: status)
    }
}
