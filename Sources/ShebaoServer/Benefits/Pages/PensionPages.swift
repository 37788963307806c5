import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The pension award at the counter — the archive's figures in, the award computed and explained,
/// the case opened — and the list of pensions being paid.
struct PensionPages {
    let services: ShebaoServices

    struct AwardPage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Draft {
            var facts: [Fact]
            var explain: String
            var eligible: Bool
            var notEligible: String
        }
        var person: String
        var personHref: String
        var maskedID: String
        var action: String
        /// The archive's figures: retirement date, a woman's category (a man's is his sex), average index, deemed months, months before 1998.
        var fields: [FormFieldView]
        /// The refusal's problems that no field is for, above the form.
        var problem: String?
        var retirementDate: String
        var category: String
        var averageIndex: String
        var deemedMonths: String
        var monthsBefore1998: String
        var draft: Draft?
    }

    /// The form's fields, in the order the service takes them.
    static let fields = ["retirementDate", "category", "averageIndex", "deemedMonths", "monthsBefore1998"]

    /// The form; with the figures in the query, the award they give.
    @Sendable func award(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let figures = Self.fields.map { request.query($0) ?? "" }
        return try await render(request, context, figures: figures, compute: request.query("retirementDate") != nil, error: nil, status: .ok)
    }

    /// Opens the award case and goes to it.
    @Sendable func open(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let figures = Self.fields.map { form[$0] ?? "" }
        let id = try context.id()
        return try await submitForm {
            let caseID = try await services.benefits.openPensionAward(personID: id, retirementDate: figures[0], category: figures[1], averageIndex: figures[2],
                                                                      deemedMonths: figures[3], monthsBefore1998: figures[4], by: principal)
            return .redirect(to: Route.caseItem.path(caseID), type: .found)
        } rerender: { error in
            try await render(request, context, figures: figures, compute: false, error: error, status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, figures: [String], compute: Bool, error: ServiceError?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let person = try await services.registry.person(id, by: principal)
        guard principal.may(.insuranceRead, in: person.region) else { throw ServiceError.notFound }
        var draft: AwardPage.Draft?
        var refusal = error
        if compute {
            do {
                let computed = try await services.benefits.pensionAward(personID: id, retirementDate: figures[0], category: figures[1],
                                                                        averageIndex: figures[2], deemedMonths: figures[3], monthsBefore1998: figures[4],
                                                                        by: principal)
                draft = Self.draft(computed, pages: pages, context: context)
            } catch {
                refusal = error
            }
        }
        var fields = [FormFieldView.input("retirementDate", label: pages.text("pension_award.retirement_date", context), value: figures[0],
                                          required: true).identified(as: "award-date")]
        if person.sex != .male {
            let categories = [RetirementCategory.femaleWorker, .femaleCadre].map { ($0.rawValue, pages.text("choice." + $0.rawValue, context)) }
            fields.append(FormFieldView.select("category", label: pages.text("pension_award.category", context), value: figures[1], options: categories,
                                               required: true, blank: nil).identified(as: "award-category"))
        }
        fields += [
            FormFieldView.input("averageIndex", label: pages.text("pension_award.average_index", context), value: figures[2], required: true)
                .identified(as: "award-index"),
            FormFieldView.input("deemedMonths", label: pages.text("pension_award.deemed_months", context), value: figures[3]).identified(as: "award-deemed"),
            FormFieldView.input("monthsBefore1998", label: pages.text("pension_award.months_before_1998", context), value: figures[4])
                .identified(as: "award-before"),
        ]
        let form = FieldForm(fields, refusedBy: refusal, pages: pages, context: context)
        let content = AwardPage(person: person.name, personHref: Route.person.path(id), maskedID: person.residentID.masked,
                                action: Route.pensionAward.path(id), fields: form.fields, problem: form.above, retirementDate: figures[0], category: figures[1],
                                averageIndex: figures[2], deemedMonths: figures[3], monthsBefore1998: figures[4], draft: draft)
        // Figures the rule refuses are a form error, like a refused submission.
        let shown = compute && draft == nil ? .unprocessableContent : status
        return pages.render("pension-award", title: pages.text("pension_award.title", context, ["name": person.name]), content: content,
                            request: request, context: context, status: shown)
    }

    /// The award as facts, with the rule's calculator (its full explanation) on the same inputs.
    static func draft(_ draft: PensionAwardDraft, pages: PageRenderer, context: ShebaoRequestContext) -> AwardPage.Draft {
        let input = draft.input
        let award = draft.result.output
        let fact = { (key: String, value: String) in AwardPage.Fact(label: pages.text(key, context), value: value) }
        var query = "retirementDate=\(input.retirementDate)&ageAtRetirement=\(input.ageAtRetirement)&averageIndex=\(input.averageIndex.text)"
            + "&contributionMonths=\(input.contributionMonths)&accountBalance=\(input.accountBalance.yuanText)"
        if let deemed = input.deemedMonths { query += "&deemedMonths=\(deemed)" }
        if let before = input.monthsBefore1998 { query += "&monthsBefore1998=\(before)" }
        return AwardPage.Draft(
            facts: [
                fact("pension_award.statutory", draft.age.output.retirement.description),
                fact("pension_award.earliest", draft.earliest.description),
                fact("pension_award.age", String(input.ageAtRetirement)),
                fact("pension_award.contribution_months", String(input.contributionMonths)),
                fact("pension_award.account_balance", input.accountBalance.formatted),
                fact("pension_award.start", draft.start.description),
                fact("pension_award.basic", award.basic.formatted),
                fact("pension_award.account", award.account.formatted),
                fact("pension_award.transitional", award.transitional.formatted),
                fact("pension_award.top_up", award.floorTopUp.formatted),
                fact("pension_award.total", award.total.formatted),
            ],
            explain: Route.calculateRule.path(PensionAwardRule.id, query: query), eligible: award.eligible,
            notEligible: pages.text("error.pension_award.not_eligible", context, ["minimum": String(award.minimumContributionMonths)]))
    }

    struct ListPage {
        struct Row {
            var name: String
            var personHref: String
            var retirementDate: String
            var start: String
            var basic: String
            var account: String
            var transitional: String
            var topUp: String
            var monthly: String
            var caseID: Int64
            var caseHref: String
        }
        struct Link {
            var href: String
            var label: String
        }
        var rows: [Row]
        var pager: Pager
        var none: Bool
        /// The pages around the pensions this reader may open.
        var links: [Link]
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let page = try await services.benefits.pensions(paging: request.paging(), by: principal)
        let content = ListPage(
            rows: page.items.map {
                .init(name: $0.name, personHref: Route.person.path($0.personID), retirementDate: $0.retirementDate.description, start: $0.start.description,
                      basic: $0.basic.formatted, account: $0.account.formatted, transitional: $0.transitional.formatted, topUp: $0.topUp.formatted,
                      monthly: $0.monthly.formatted, caseID: $0.caseID, caseHref: Route.caseItem.path($0.caseID))
            },
            pager: Pager(page, route: .pensions, query: "", pages: pages, context: context), none: page.total == 0,
            links: [
                (Route.payroll, "nav.payroll", principal.may(.payrollManage)),
                (Route.paymentPoints, "nav.payment_points", true),
                (Route.survival, "nav.survival", principal.may(.payrollManage) || principal.may(.pensionAccountPropose)),
                (Route.deaths, "nav.deaths", true),
                (Route.accountChanges, "nav.account_changes", principal.may(.pensionAccountPropose) || principal.role == .reviewer),
            ].filter(\.2).map { ListPage.Link(href: $0.0.path(), label: pages.text($0.1, context)) })
        return pages.render("pensions", title: pages.text("pensions.title", context), content: content, request: request, context: context)
    }
}
