import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Land-requisitioned farmers: the requisitions with their money and farmers by age group (a
/// district clerk records one), one requisition's farmers with when each is paid from, and the
/// training list of those of working age.
struct LandPages {
    let services: ShebaoServices

    struct Page {
        struct Requisition {
            var href: String
            var village: String
            var town: String
            var date: String
            var area: String
            var compensation: String
            var income: String
            var tier: String
            var children: Int
            var working: Int
            var elderly: Int
            var government: String
            var collective: String
            var individual: String
            var total: String
        }
        struct Member {
            var name: String
            var href: String
            var birthDate: String
            var group: String
            var village: String
            var from: String
            var paidThrough: String
        }
        var requisitions: [Requisition]
        var detail: Requisition?
        var members: [Member]
        var training: [Member]
        var floor: String
        var records: Bool
        var action: String
        /// A new requisition's fields, a refused one's problems beside them.
        var form: FieldForm
        var notice: String?
        var problem: String?
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, detail: nil, form: nil, notice: request.query("done").map { services.pages.text("land.done.\($0)", context) },
                         refusal: nil, status: .ok)
    }

    @Sendable func requisition(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, detail: try context.id(), form: nil, notice: nil, refusal: nil, status: .ok)
    }

    /// Records a requisition; to it, with its farmers.
    @Sendable func record(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let id = try await services.assistance.recordLandRequisition(Self.form(form), by: principal)
            return .redirect(to: Route.landRequisition.path(id), type: .found)
        } rerender: { error in
            try await render(request, context, detail: nil, form: form, notice: nil, refusal: error, status: formStatus(error))
        }
    }

    static func form(_ form: FormData) -> LandRequisitionForm {
        LandRequisitionForm(town: form["town"] ?? "", village: form["village"] ?? "", area: form["area"] ?? "", compensation: form["compensation"] ?? "",
                            landSaleIncome: form["landSaleIncome"] ?? "", requisitionedOn: form["requisitionedOn"] ?? "", tier: form["tier"] ?? "",
                            contribution: form["contribution"] ?? "", paymentPoint: form["paymentPoint"] ?? "", members: form["members"] ?? "")
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, detail: Int64?, form: FormData?, notice: String?, refusal: ServiceError?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.assistanceManage)
        let pages = services.pages
        let requisitions = try await services.assistance.landRequisitions(by: principal)
        let chosen = try await detail.asyncMap { try await services.assistance.landRequisition($0, by: principal) }
        let training = try await services.assistance.landTrainingList(by: principal)
        let places = try await services.regions.labels(of: Set(requisitions.map(\.region)))
        func row(_ r: LandRequisition) -> Page.Requisition {
            .init(href: Route.landRequisition.path(r.id), village: r.village, town: places[r.region] ?? r.region.value, date: r.requisitionedOn.description,
                  area: r.area, compensation: r.compensation.formatted, income: r.landSaleIncome.formatted, tier: r.tier.formatted,
                  children: r.members[.child] ?? 0, working: r.members[.workingAge] ?? 0, elderly: r.members[.elderly] ?? 0,
                  government: r.government.formatted, collective: r.collective.formatted, individual: r.individual.formatted, total: r.total.formatted)
        }
        func member(_ m: LandMember) -> Page.Member {
            .init(name: m.personName, href: Route.person.path(m.personID), birthDate: m.birthDate.description, group: pages.label(m.group, context),
                  village: m.village, from: m.monthlyFrom?.description ?? "—", paidThrough: m.paidThrough?.description ?? "—")
        }
        let records = principal.role == .districtClerk || principal.role == .admin
        func input(_ name: String, _ label: String, id: String, type: String = "text") -> FormFieldView {
            FormFieldView.input(name, label: pages.text(label, context), value: form?[name], type: type, required: true).identified(as: id)
        }
        var members = FormFieldView.textarea("members", label: pages.text("land.members", context), value: form?["members"], required: true, rows: 8)
            .identified(as: "land-members-input")
        members.hint = pages.text("land.members_hint", context)
        let fields = [
            FormFieldView.select("town", label: pages.text("land.town", context), value: form?["town"],
                                 options: try await services.regionOptions(in: principal.scope, selected: nil, blank: "", townshipsOnly: true).dropFirst()
                                     .map { ($0.value, $0.label) }, required: true).identified(as: "land-town"),
            input("village", "land.village", id: "land-village"),
            input("requisitionedOn", "land.date", id: "land-date", type: "date"),
            input("area", "land.area", id: "land-area"),
            input("compensation", "land.compensation", id: "land-compensation"),
            input("landSaleIncome", "land.sale_income", id: "land-income"),
            input("tier", "land.tier", id: "land-tier"),
            input("contribution", "land.contribution", id: "land-contribution"),
            FormFieldView.select("paymentPoint", label: pages.text("pension_account.point", context), value: form?["paymentPoint"],
                                 options: try await services.benefits.paymentPoints(by: principal).map { (String($0.id), $0.name) }, blank: nil)
                .identified(as: "land-point"),
            members,
        ]
        let shown = FieldForm(fields, refusedBy: refusal, pages: pages, context: context)
        let content = Page(
            requisitions: requisitions.map(row), detail: chosen.map { row($0.0) }, members: chosen?.1.map(member) ?? [], training: training.map(member),
            floor: try await services.assistance.landFloor().formatted, records: records, action: Route.land.path(), form: shown,
            notice: notice, problem: shown.above)
        let title = chosen.map { pages.text("land.requisition_title", context, ["village": $0.0.village, "date": $0.0.requisitionedOn.description]) }
            ?? pages.text("land.title", context)
        return pages.render("land", title: title, content: content, request: request, context: context, status: status)
    }
}
