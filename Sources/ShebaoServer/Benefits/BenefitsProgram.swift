import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Route {
    static let pensions = Route("/benefits/pensions")
    static let pensionAward = Route("/persons/{id}/pension-award")
}

extension Route.API {
    static let pensions = Route.api("/benefits/pensions")
    static let pensionAwards = Route.api("/persons/{id}/pension-awards")
}

extension Program {
    /// Benefits (PROGRAMS.md §2.7–2.11): the pension award as a case — computed by the rule on
    /// the archive's figures and the person's record, checked by a clerk, approved by another
    /// person — and the pensions it starts.
    static let benefits = Program(
        id: "benefits",
        migrations: [CreatePensions(), CreatePayroll()],
        caseTypes: [BenefitsService.pensionAwardCases],
        batchKinds: [PensionPayroll.kind],
        templates: ["panel-pension", "pension-award", "pensions"],
        navigation: [
            NavigationItem(.pensions, label: "nav.pensions", hint: "home.hint.pensions", order: 470, visible: NavigationItem.allowed(.insuranceRead)),
        ],
        panels: [PensionPanel()],
        api: { group, services in
            let api = BenefitsAPI(services: services)
            group.get(.API.pensions, use: api.pensions)
            group.post(.API.pensionAwards, use: api.openAward)
        },
        pages: { group, services in
            let pages = PensionPages(services: services)
            group.get(.pensions, use: pages.list)
            group.get(.pensionAward, use: pages.award)
            group.post(.pensionAward, use: pages.open)
        })
}

/// The pension a person draws, or — for someone insured in pension — the way to award one, for
/// staff who may read insurance.
struct PensionPanel: PersonPanelProvider {
    let order = 36

    struct View: Encodable, Sendable {
        var monthly: String?
        var start: String?
        var caseHref: String?
        var award: String?
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.insuranceRead, in: person.region) else { return nil }
        let pension = try await panel.services.benefits.pension(of: person.id, by: panel.principal)
        // The award is offered for someone insured in pension, to the clerks who open awards.
        let insured = try await panel.services.insurance.record(of: person, by: panel.principal).enrolments.contains { $0.scheme == .pension }
        let awards = insured && PensionAward.caseType.openRoles.contains(panel.principal.role)
        guard pension != nil || awards else { return nil }
        let view = View(monthly: pension?.monthly.formatted, start: pension?.start.description, caseHref: pension.map { Route.caseItem.path($0.caseID) },
                        award: pension == nil && awards ? Route.pensionAward.path(person.id) : nil)
        return panel.panel("pension", title: "pension.title", view)
    }
}
