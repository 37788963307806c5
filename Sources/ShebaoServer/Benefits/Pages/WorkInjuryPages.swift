import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Work-injury benefits at the counter: the recognised injury's figures in, the one-time
/// subsidy, allowance and nursing computed with the rule's whole explanation, the case opened.
struct WorkInjuryPages {
    let services: ShebaoServices

    struct Page {
        struct Option {
            var value: String
            var label: String
            var selected: Bool
        }
        var person: String
        var personHref: String
        var action: String
        var injuryDate: String
        var reportedOn: String
        var grade: String
        var ownWage: String
        var dependencies: [Option]
        var points: [Option]
        var account: String
        var late: String?
        var computed: Bool
        var explanation: ExplanationView?
        var problem: String?
    }

    static let fields = ["injuryDate", "reportedOn", "grade", "ownWage", "dependency", "paymentPoint", "account"]

    @Sendable func form(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, figures: Self.fields.map { request.query($0) ?? "" }, compute: request.query("injuryDate") != nil, problem: nil,
                         status: .ok)
    }

    @Sendable func open(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let figures = Self.fields.map { form[$0] ?? "" }
        let id = try context.id()
        return try await submitForm {
            let caseID = try await services.benefits.openWorkInjuryAward(personID: id, injuryDate: figures[0], reportedOn: figures[1], grade: figures[2],
                                                                        ownWage: figures[3], dependency: figures[4], paymentPoint: figures[5],
                                                                        account: figures[6], by: principal)
            return .redirect(to: Route.caseItem.path(caseID), type: .found)
        } rerender: { error in
            try await render(request, context, figures: figures, compute: false, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, figures: [String], compute: Bool, problem: String?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let person = try await services.registry.person(id, by: principal)
        guard principal.may(.insuranceRead, in: person.region) else { throw ServiceError.notFound }
        var draft: WorkInjuryDraft?
        var problem = problem
        if compute {
            do {
                draft = try await services.benefits.workInjuryAward(personID: id, injuryDate: figures[0], reportedOn: figures[1], grade: figures[2],
                                                                    ownWage: figures[3], dependency: figures[4], paymentPoint: figures[5],
                                                                    account: figures[6], by: principal)
            } catch {
                problem = pages.messageNamingFields(error, context)
            }
        }
        let content = Page(
            person: person.name, personHref: Route.person.path(id), action: Route.workInjury.path(id), injuryDate: figures[0], reportedOn: figures[1],
            grade: figures[2], ownWage: figures[3],
            dependencies: [Page.Option(value: "", label: "—", selected: figures[4].isEmpty)] + CareDependency.allCases.map {
                .init(value: $0.rawValue, label: pages.text("choice." + $0.rawValue, context), selected: figures[4] == $0.rawValue)
            },
            points: try await services.benefits.paymentPoints(by: principal).map {
                .init(value: String($0.id), label: $0.name, selected: figures[5] == String($0.id))
            },
            account: figures[6],
            late: draft?.request.lateReport == true ? pages.text("work_injury.late", context, ["days": String(WorkInjuryAward.unitReportDays)]) : nil,
            computed: draft != nil, explanation: draft.map { ExplanationView($0.result.explanation, pages: pages, context: context) }, problem: problem)
        return pages.render("work-injury", title: pages.text("work_injury.title", context, ["name": person.name]), content: content, request: request,
                            context: context, status: compute && draft == nil ? .unprocessableContent : status)
    }
}

/// A person's approved work-injury benefits, and the way to open a claim for clerks.
struct WorkInjuryPanel: PersonPanelProvider {
    let order = 37

    struct View: Encodable, Sendable {
        struct Award: Encodable, Sendable {
            var injuryDate: String
            var grade: Int64
            var lumpSum: String
            var allowance: String
            var nursing: String
            var payment: String
            var caseHref: String
        }
        var awards: [Award]
        var hasAwards: Bool
        var open: String?
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.insuranceRead, in: person.region) else { return nil }
        let awards = try await panel.services.benefits.workInjuryAwards(of: person.id, by: panel.principal)
        let opens = WorkInjuryAward.caseType.openRoles.contains(panel.principal.role)
        guard !awards.isEmpty || opens else { return nil }
        var rows: [View.Award] = []
        for award in awards {
            let payment = try await panel.services.benefits.subsidyPayment(case: award.caseID, by: panel.principal)
            let state = payment.map { $0.payment.map { panel.text("payment_state.\($0)") } ?? panel.text("work_injury.payment.owed") } ?? "—"
            rows.append(.init(injuryDate: award.injuryDate.description, grade: award.grade, lumpSum: award.lumpSum.formatted,
                              allowance: award.monthlyAllowance.formatted, nursing: award.monthlyNursing.formatted, payment: state,
                              caseHref: Route.caseItem.path(award.caseID)))
        }
        let view = View(awards: rows, hasAwards: !awards.isEmpty, open: opens ? Route.workInjury.path(person.id) : nil)
        return panel.panel("work-injury", title: "work_injury.panel", view)
    }
}
