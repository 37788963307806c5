import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let cases = Route("/cases")
    static let casesOverdue = Route("/cases/overdue")
    static let caseItem = Route("/cases/{id}")
    static let caseSteps = Route("/cases/{id}/steps")
    static let caseDocuments = Route("/cases/{id}/documents")
    static let caseObjections = Route("/cases/{id}/objections")
    static let caseObjectionResolution = Route("/cases/{id}/objections/{objection}")
}

extension Route.API {
    static let cases = Route.api("/cases")
    static let casesOverdue = Route.api("/cases/overdue")
    static let caseItem = Route.api("/cases/{id}")
    static let caseSteps = Route.api("/cases/{id}/steps")
    static let caseDocuments = Route.api("/cases/{id}/documents")
    static let caseObjections = Route.api("/cases/{id}/objections")
    static let caseObjectionResolution = Route.api("/cases/{id}/objections/{objection}/resolution")
}

extension Program {
    /// Cases (applications) with their steps, deadlines in working days, documents, public notice
    /// and objections, separation of duties (DESIGN.md §7). The case types are the programs'.
    static let workflow = Program(
        id: "workflow",
        migrations: [CreateCases()],
        templates: ["cases", "case", "panel-cases"],
        navigation: [
            NavigationItem(.cases, label: "nav.cases", hint: "home.hint.cases", order: 300, visible: NavigationItem.allowed(.caseRead)),
        ],
        panels: [CasesPanel()],
        api: { group, services in
            let casesAPI = CasesAPI(services: services)
            group.get(.API.cases, use: casesAPI.list)
            group.get(.API.casesOverdue, use: casesAPI.overdue)
            group.get(.API.caseItem, use: casesAPI.show)
            group.post(.API.caseSteps, use: casesAPI.take)
            group.post(.API.caseDocuments, use: casesAPI.addDocument)
            group.post(.API.caseObjections, use: casesAPI.raiseObjection)
            group.post(.API.caseObjectionResolution, use: casesAPI.resolveObjection)
        },
        pages: { group, services in
            let casePages = CasePages(services: services)
            group.get(.cases, use: casePages.list)
            group.get(.casesOverdue, use: casePages.overdue)
            group.get(.caseItem, use: casePages.show)
            group.post(.caseSteps, use: casePages.take)
            group.post(.caseDocuments, use: casePages.addDocument)
            group.post(.caseObjections, use: casePages.raiseObjection)
            group.post(.caseObjectionResolution, use: casePages.resolveObjection)
        })
}
