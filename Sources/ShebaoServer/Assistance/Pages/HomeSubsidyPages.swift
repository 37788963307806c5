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
        /// The application's fields, a refused one's problems beside them.
        var form: FieldForm
        var casesHref: String
        var ruleHref: String
        var today: String
        var problem: String?
        var notice: String?
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, form: nil, notice: request.query("done").map { services.pages.text("home_subsidy.done.\($0)", context) },
                         refusal: nil, status: .ok)
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
            try await render(request, context, form: form, notice: nil, refusal: error, status: formStatus(error))
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
            try await render(request, context, form: nil, notice: nil, refusal: error, status: formStatus(error))
        }
    }

    /// The page; `form` is a refused application's (its problems beside its fields), without it a
    /// refusal is a payment's, told above the list.
    private func render(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, notice: String?, refusal: ServiceError?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.householdRead)
        guard principal.may(.assistanceManage) || principal.may(.ledgerPost) || principal.role == .reviewer else { throw ServiceError.forbidden }
        let pages = services.pages
        let subsidies = try await services.assistance.homeSubsidies(by: principal)
        let homes = principal.may(.assistanceManage) ? try await services.assistance.institutions(by: principal) : []
        let places = try await services.regions.labels(of: Set(subsidies.map(\.region)))
        func input(_ name: String, _ label: String, id: String, type: String = "text", required: Bool = false) -> FormFieldView {
            FormFieldView.input(name, label: pages.text(label, context), value: form?[name], type: type, required: required).identified(as: id)
        }
        let (application, problem) = FieldForm.withRowActions([
            FormFieldView.select("home", label: pages.text("support.home_name", context), value: form?["home"], options: homes.map { (String($0.id), $0.name) },
                                 required: true, blank: nil).identified(as: "subsidy-home"),
            input("date", "home_subsidy.date", id: "subsidy-date", type: "date", required: true),
            input("renovationCost", "input.renovationCost", id: "subsidy-cost"),
            input("newBeds", "input.newBeds", id: "subsidy-beds"),
            input("floorArea", "home_subsidy.area_after", id: "subsidy-area"),
            input("residents", "input.residents", id: "subsidy-residents"),
        ], refusal: refusal, ofForm: form != nil, pages: pages, context: context)
        let content = Page(
            subsidies: subsidies.map { s in
                .init(home: s.institutionName, region: places[s.region] ?? s.region.value, caseHref: Route.caseItem.path(s.caseID), approvedOn: s.approvedOn,
                      renovation: s.renovation.formatted, newBeds: s.newBeds, beds: s.beds.formatted, total: s.total.formatted,
                      paid: s.paidOn.map { "\($0)（\(s.reference ?? "")）" } ?? "—",
                      payAction: s.paidOn == nil && principal.may(.ledgerPost) ? Route.homeSubsidyPayment.path(s.caseID) : nil)
            },
            owed: subsidies.filter { $0.paidOn == nil }.reduce(Money.zero) { $0 + $1.total }.formatted,
            applies: principal.may(.assistanceManage) && !homes.isEmpty, action: Route.homeSubsidies.path(),
            form: application,
            casesHref: Route.cases.path(query: "type=\(HomeSubsidy.caseType.id)"), ruleHref: Route.calculateRule.path(WelfareHomeSubsidyRule.id),
            today: services.today.description, problem: problem, notice: notice)
        return pages.render("home-subsidies", title: pages.text("home_subsidy.page_title", context), content: content, request: request, context: context,
                            status: status)
    }
}
