import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension ClaimForms {
    /// Five-guarantees or three-withouts support for a person: the ground, and how they will be
    /// supported — in a home (paid to the home) or at home (paid to their account).
    static func support(_ services: ShebaoServices) -> ClaimForm {
        let assistance = services.assistance
        @Sendable func draft(_ values: [String: String], _ person: Person, _ principal: Principal) async throws -> SupportDraft {
            try await assistance.supportDraft(
                person: person.id, kind: values["kind"] ?? "", ground: values["ground"] ?? "", arrangement: values["arrangement"] ?? "",
                institution: values["institution"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
        }
        return ClaimForm(
            route: .supportApplication, titleKey: "support.title", explainKey: "support.explain", submitKey: "support.submit",
            fields: [
                .init(name: "kind", label: "input.kind", choices: SupportKind.allCases.map { ($0.rawValue, "support_kind." + $0.rawValue) }),
                .init(name: "ground", label: "support.ground", choices: SupportGround.allCases.map { ($0.rawValue, "support_ground." + $0.rawValue) }),
                .init(name: "arrangement", label: "support.arrangement",
                      choices: SupportArrangement.allCases.map { ($0.rawValue, "support_arrangement." + $0.rawValue) }),
                .init(name: "institution", label: "support.institution", records: .institutions, required: false),
                .init(name: "paymentPoint", label: "pension_account.point", records: .paymentPoints, required: false),
                .init(name: "account", label: "support.account", required: false),
            ],
            compute: { values, person, principal in
                .init(explanation: try await draft(values, person, principal).result.explanation, warning: nil)
            },
            open: { values, person, principal in
                try await assistance.openSupport(
                    person: person.id, kind: values["kind"] ?? "", ground: values["ground"] ?? "", arrangement: values["arrangement"] ?? "",
                    institution: values["institution"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
            })
    }
}

/// Five-guarantees and three-withouts support: the homes with their beds and residents (a
/// district clerk adds one), everyone supported with the form and the standard paid, ending
/// support, and the centralised rate against its target.
struct SupportPages {
    let services: ShebaoServices

    struct Page {
        struct Home {
            var name: String
            var kind: String
            var region: String
            var beds: Int
            var residents: Int
            var floorArea: Int
            var perResident: String
        }
        struct Grant {
            var name: String
            var href: String
            var region: String
            var kind: String
            var form: String
            var home: String
            var certificate: String
            var monthly: String
            var from: String
            var paidThrough: String
            var ends: String
            var endAction: String?
        }
        var homes: [Home]
        var grants: [Grant]
        var centralised: Int
        var dispersed: Int
        var rate: String
        var target: String
        var met: String
        var metClass: String
        var monthlyTotal: String
        var casesHref: String
        var subsidiesHref: String
        var manages: Bool
        var action: String
        var homeForm: FieldForm
        /// A refused home's problem no field is for, or an ended support's refusal.
        var problem: String?
        var defaultEnd: String
        var notice: String?
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, form: nil, notice: request.query("done").map { services.pages.text("support.done.\($0)", context) },
                         refusal: nil, status: .ok)
    }

    /// Adds a home; back to the list with it.
    @Sendable func addHome(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.assistance.addInstitution(
                name: form["name"] ?? "", kind: form["kind"] ?? "", region: form["region"] ?? "", beds: form["beds"] ?? "", floorArea: form["floorArea"] ?? "",
                paymentPoint: form["paymentPoint"] ?? "", account: form["account"] ?? "", by: principal)
            return .redirect(to: Route.support.path(query: "done=added"), type: .found)
        } rerender: { error in
            try await render(request, context, form: form, notice: nil, refusal: error, status: formStatus(error))
        }
    }

    /// Ends a person's support from a month, with the reason.
    @Sendable func end(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.assistance.endSupport(id, from: form["from"] ?? "", reason: form["reason"] ?? "", by: principal)
            return .redirect(to: Route.support.path(query: "done=ended"), type: .found)
        } rerender: { error in
            try await render(request, context, form: nil, notice: nil, refusal: error, status: formStatus(error))
        }
    }

    /// The page; `form` is a refused new home's (its problems beside its fields), without it a
    /// refusal is an ended support's, told above the list.
    private func render(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, notice: String?, refusal: ServiceError?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.assistanceManage)
        let pages = services.pages
        let overview = try await services.assistance.supportOverview(by: principal)
        let places = try await services.regions.labels(of: Set(overview.institutions.map(\.region) + overview.grants.map(\.region)))
        let rate = overview.rate
        func percent(_ ratio: Ratio) -> String { (ratio * Ratio(100)).fixed(1) + "%" }
        let manages = principal.role == .districtClerk || principal.role == .admin
        let homeFields = [
            FormFieldView.input("name", label: pages.text("support.home_name", context), value: form?["name"], required: true).identified(as: "home-name"),
            FormFieldView.select("kind", label: pages.text("support.home_kind", context), value: form?["kind"], options: pages.options(InstitutionKind.self, context),
                                 required: true, blank: nil).identified(as: "home-kind"),
            FormFieldView.select("region", label: pages.text("institution.region", context), value: form?["region"],
                                 options: try await services.regionOptions(in: principal.scope, selected: nil, blank: "").dropFirst().map { ($0.value, $0.label) },
                                 required: true).identified(as: "home-region"),
            FormFieldView.input("beds", label: pages.text("support.beds", context), value: form?["beds"], required: true).identified(as: "home-beds"),
            FormFieldView.input("floorArea", label: pages.text("support.floor_area", context), value: form?["floorArea"], required: true)
                .identified(as: "home-area"),
            FormFieldView.select("paymentPoint", label: pages.text("pension_account.point", context), value: form?["paymentPoint"],
                                 options: try await services.benefits.paymentPoints(by: principal).map { (String($0.id), $0.name) }, blank: nil)
                .identified(as: "home-point"),
            FormFieldView.input("account", label: pages.text("support.home_account", context), value: form?["account"], required: true)
                .identified(as: "home-account"),
        ]
        // A refusal with the form is the new home's, beside its fields; without, an ended support's, above the list.
        let (homeForm, problem) = FieldForm.withRowActions(homeFields, refusal: refusal, ofForm: form != nil, pages: pages, context: context)
        let content = Page(
            homes: overview.institutions.map {
                .init(name: $0.name, kind: pages.label($0.kind, context), region: places[$0.region] ?? $0.region.value, beds: $0.beds, residents: $0.residents,
                      floorArea: $0.floorArea, perResident: $0.residents == 0 ? "—" : String($0.floorArea / $0.residents))
            },
            grants: overview.grants.map { grant in
                .init(name: grant.personName, href: Route.person.path(grant.personID), region: places[grant.region] ?? grant.region.value,
                      kind: pages.label(grant.kind, context), form: pages.label(grant.arrangement, context), home: grant.institutionName ?? "—",
                      certificate: grant.certificate, monthly: grant.monthly.formatted, from: grant.monthlyFrom.description,
                      paidThrough: grant.paidThrough?.description ?? "—", ends: grant.endsFrom.map { "\($0)（\(grant.endReason ?? "")）" } ?? "—",
                      endAction: grant.endsFrom == nil && principal.may(.assistanceManage, in: grant.region) ? Route.supportEnd.path(grant.caseID) : nil)
            },
            centralised: rate.centralised, dispersed: rate.dispersed, rate: rate.rate.map(percent) ?? "—", target: percent(rate.target),
            met: rate.rate == nil ? "—" : pages.text(rate.met ? "ncms.met" : "ncms.not_met", context), metClass: rate.rate != nil && !rate.met ? "error" : "",
            monthlyTotal: overview.grants.filter { $0.endsFrom == nil }.reduce(Money.zero) { $0 + $1.monthly }.formatted,
            casesHref: Route.cases.path(query: "type=\(SupportApplication.caseType.id)"), subsidiesHref: Route.homeSubsidies.path(), manages: manages, action: Route.supportHomes.path(),
            homeForm: homeForm, problem: problem,
            defaultEnd: services.today.period.next.description, notice: notice)
        return pages.render("support", title: pages.text("support.page_title", context), content: content, request: request, context: context, status: status)
    }
}
