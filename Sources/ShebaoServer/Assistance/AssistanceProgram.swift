import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Route {
    static let assistance = Route("/assistance")
    static let dibao = Route("/persons/{id}/dibao")
    static let educationAid = Route("/persons/{id}/education-aid")
    static let ncmsEnrolment = Route("/persons/{id}/ncms")
    static let ncmsParticipation = Route("/assistance/ncms")
    static let dibaoEnd = Route("/assistance/dibao/{id}/end")
    static let dibaoReview = Route("/assistance/dibao/{id}/review")
    /// The written refusal of a refused application (A4, to hand over).
    static let dibaoRefusal = Route("/assistance/dibao/{id}/refusal")
    /// The community notice boards: open to anyone, no login.
    static let notices = Route("/portal/notices")
}

extension Route.API {
    static let dibaoApplications = Route.api("/persons/{id}/dibao-applications")
    static let educationAidApplications = Route.api("/persons/{id}/education-aid-applications")
    static let ncmsEnrolments = Route.api("/persons/{id}/ncms-enrolments")
    static let ncmsParticipation = Route.api("/ncms/participation")
    static let dibaoGrants = Route.api("/dibao-grants")
    static let dibaoGrantEnd = Route.api("/dibao-grants/{id}/end")
    static let dibaoGrantReview = Route.api("/dibao-grants/{id}/review")
    static let notices = Route.api("/notices")
}

extension Program {
    /// Social assistance (PROGRAMS.md §4): the minimum living guarantee — a household's
    /// application as a case (`assistance.dibao`) with its 7-day public notice, the grants the
    /// payroll pays each month from the dibao fund; education aid (`assistance.education_aid`),
    /// posted the same way and paid once a school year; households' yearly enrolment in the rural
    /// cooperative medical scheme with its financing split and each township's participation;
    /// and the notice boards anyone may read.
    static let assistance = Program(
        id: "assistance",
        migrations: [CreateDibaoGrants(), CreateNcmsEnrolments()],
        caseTypes: [AssistanceService.dibaoCases, AssistanceService.educationAidCases],
        templates: ["assistance", "notices", "panel-assistance", "dibao-refusal", "ncms"],
        navigation: [
            NavigationItem(.assistance, label: "nav.assistance", hint: "home.hint.assistance", order: 520, visible: NavigationItem.allowed(.assistanceManage)),
        ],
        panels: [AssistancePanel()],
        api: { group, services in
            let api = AssistanceAPI(services: services)
            group.post(.API.dibaoApplications, use: api.apply)
            group.post(.API.educationAidApplications, use: api.applyForEducationAid)
            group.post(.API.ncmsEnrolments, use: api.enrolNcms)
            group.get(.API.ncmsParticipation, use: api.ncmsParticipation)
            group.get(.API.dibaoGrants, use: api.grants)
            group.post(.API.dibaoGrantEnd, use: api.end)
            group.post(.API.dibaoGrantReview, use: api.review)
            group.get(.API.notices, use: api.notices)
        },
        pages: { group, services in
            let pages = AssistancePages(services: services)
            group.get(.assistance, use: pages.overview)
            group.post(.dibaoEnd, use: pages.end)
            group.post(.dibaoReview, use: pages.review)
            group.get(.dibaoRefusal, use: pages.refusal)
            group.post(.ncmsEnrolment, use: pages.enrolNcms)
            group.get(.ncmsParticipation, use: pages.ncms)
            for (route, form) in [(Route.dibao, ClaimForms.dibao(services)), (Route.educationAid, ClaimForms.educationAid(services))] {
                let claims = ClaimPages(services: services, form: form)
                group.get(route, use: claims.show)
                group.post(route, use: claims.open)
            }
        },
        open: { group, services in
            group.get(.notices, use: AssistancePages(services: services).notices)
        })
}
