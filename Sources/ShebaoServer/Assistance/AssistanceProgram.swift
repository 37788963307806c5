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
    /// Five-guarantees and three-withouts support: the homes, the supported, the centralised rate.
    static let support = Route("/assistance/support")
    static let supportHomes = Route("/assistance/support/homes")
    static let supportEnd = Route("/assistance/support/{id}/end")
    static let supportApplication = Route("/persons/{id}/support")
    /// Welfare homes' construction subsidies: applying, those approved, recording their payment.
    static let homeSubsidies = Route("/assistance/support/subsidies")
    static let homeSubsidyPayment = Route("/assistance/support/subsidies/{id}/payment")
    /// A catastrophic-illness claim on the rural scheme (with medical assistance after it).
    static let ncmsClaim = Route("/persons/{id}/ncms-claim")
    /// The disabled-employment levy's year: bills, issuing them, payments.
    static let levy = Route("/assistance/levy")
    static let levyIssue = Route("/assistance/levy/issue")
    static let levyPayment = Route("/assistance/levy/{id}/payment")
    /// Land-requisitioned farmers: the requisitions, one with its farmers, the training list.
    static let land = Route("/assistance/land")
    static let landRequisition = Route("/assistance/land/{id}")
    /// Relief and charity: donations, temporary relief granted, paired help.
    static let charity = Route("/assistance/charity")
    static let donations = Route("/assistance/charity/donations")
    static let pairedHelp = Route("/assistance/charity/paired-help")
    static let pairedHelpDelivery = Route("/assistance/charity/paired-help/{id}/delivery")
    /// The register of special-hardship families: putting one on it, taking one off.
    static let hardship = Route("/assistance/charity/hardship")
    static let hardshipEnd = Route("/assistance/charity/hardship/{id}/end")
    /// A person's application for temporary relief.
    static let relief = Route("/persons/{id}/relief")
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
    static let supportApplications = Route.api("/persons/{id}/support-applications")
    static let support = Route.api("/support")
    static let welfareHomes = Route.api("/welfare-homes")
    static let supportGrantEnd = Route.api("/support-grants/{id}/end")
    static let ncmsClaims = Route.api("/persons/{id}/ncms-claims")
    static let levyBills = Route.api("/levy-bills")
    static let levyPayment = Route.api("/levy-bills/{id}/payment")
    static let landRequisitions = Route.api("/land-requisitions")
    static let landRequisition = Route.api("/land-requisitions/{id}")
    static let landTraining = Route.api("/land-training")
    static let reliefApplications = Route.api("/persons/{id}/relief-applications")
    static let donations = Route.api("/donations")
    static let pairedHelp = Route.api("/paired-help")
    static let pairedHelpDelivery = Route.api("/paired-help/{id}/delivery")
    static let homeSubsidyApplications = Route.api("/welfare-homes/{id}/subsidy-applications")
    static let homeSubsidies = Route.api("/home-subsidies")
    static let homeSubsidyPayment = Route.api("/home-subsidies/{id}/payment")
    static let hardshipHouseholds = Route.api("/hardship-households")
    static let hardshipEnd = Route.api("/hardship-households/{id}/end")
}

extension Program {
    /// Social assistance (PROGRAMS.md §4): the minimum living guarantee — a household's
    /// application as a case (`assistance.dibao`) with its 7-day public notice, the grants the
    /// payroll pays each month from the dibao fund; education aid (`assistance.education_aid`),
    /// posted the same way and paid once a school year; households' yearly enrolment in the rural
    /// cooperative medical scheme with its financing split and each township's participation;
    /// five-guarantees and three-withouts support (`assistance.support`) in a home or at home,
    /// paid monthly by the payroll, with the homes and the centralised rate; and the notice
    /// boards anyone may read.
    static let assistance = Program(
        id: "assistance",
        migrations: [CreateDibaoGrants(), CreateNcmsEnrolments(), CreateSupport(), CreateNcmsClaims(), CreateLevyBills(), CreateLandRequisitions(), CreateRelief(),
                     CreateHomeSubsidies(), CreateHardshipHouseholds()],
        caseTypes: [AssistanceService.dibaoCases, AssistanceService.educationAidCases, AssistanceService.supportCases, AssistanceService.ncmsClaims,
                    AssistanceService.reliefCases, AssistanceService.homeSubsidyCases],
        templates: ["assistance", "notices", "panel-assistance", "dibao-refusal", "ncms", "support", "levy", "land", "charity", "home-subsidies"],
        navigation: [
            NavigationItem(.assistance, label: "nav.assistance", hint: "home.hint.assistance", order: 520, visible: NavigationItem.allowed(.assistanceManage)),
            // The fund's accountants record the units' payments of the levy.
            NavigationItem(.levy, label: "nav.levy", hint: "home.hint.levy", order: 525,
                           visible: { NavigationItem.allowed(.ledgerPost)($0) && !NavigationItem.allowed(.assistanceManage)($0) }),
            // …the welfare homes' construction subsidies to pay…
            NavigationItem(.homeSubsidies, label: "nav.home_subsidies", hint: "home.hint.home_subsidies", order: 527,
                           visible: { NavigationItem.allowed(.ledgerPost)($0) && !NavigationItem.allowed(.assistanceManage)($0) }),
            // …and the donations into the charity and education-aid funds.
            NavigationItem(.charity, label: "nav.charity", hint: "home.hint.charity", order: 526,
                           visible: { NavigationItem.allowed(.ledgerPost)($0) && !NavigationItem.allowed(.assistanceManage)($0) }),
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
            group.post(.API.supportApplications, use: api.applyForSupport)
            group.get(.API.support, use: api.support)
            group.post(.API.welfareHomes, use: api.addHome)
            group.post(.API.supportGrantEnd, use: api.endSupport)
            group.post(.API.ncmsClaims, use: api.claimNcms)
            group.get(.API.levyBills, use: api.levyBills)
            group.post(.API.levyBills, use: api.issueLevy)
            group.post(.API.levyPayment, use: api.payLevy)
            group.get(.API.landRequisitions, use: api.landRequisitions)
            group.post(.API.landRequisitions, use: api.recordLandRequisition)
            group.get(.API.landRequisition, use: api.landRequisition)
            group.get(.API.landTraining, use: api.landTraining)
            group.post(.API.reliefApplications, use: api.applyForRelief)
            group.get(.API.donations, use: api.donations)
            group.post(.API.donations, use: api.donate)
            group.get(.API.pairedHelp, use: api.pairedHelp)
            group.post(.API.pairedHelp, use: api.pair)
            group.post(.API.pairedHelpDelivery, use: api.deliver)
            group.post(.API.homeSubsidyApplications, use: api.applyForHomeSubsidy)
            group.get(.API.homeSubsidies, use: api.homeSubsidies)
            group.post(.API.homeSubsidyPayment, use: api.payHomeSubsidy)
            group.get(.API.hardshipHouseholds, use: api.hardshipHouseholds)
            group.post(.API.hardshipHouseholds, use: api.designateHardship)
            group.post(.API.hardshipEnd, use: api.endHardship)
        },
        pages: { group, services in
            let pages = AssistancePages(services: services)
            group.get(.assistance, use: pages.overview)
            group.post(.dibaoEnd, use: pages.end)
            group.post(.dibaoReview, use: pages.review)
            group.get(.dibaoRefusal, use: pages.refusal)
            group.post(.ncmsEnrolment, use: pages.enrolNcms)
            group.get(.ncmsParticipation, use: pages.ncms)
            let support = SupportPages(services: services)
            group.get(.support, use: support.show)
            group.post(.supportHomes, use: support.addHome)
            group.post(.supportEnd, use: support.end)
            let levy = LevyPages(services: services)
            group.get(.levy, use: levy.show)
            group.post(.levyIssue, use: levy.issue)
            group.post(.levyPayment, use: levy.pay)
            let subsidies = HomeSubsidyPages(services: services)
            group.get(.homeSubsidies, use: subsidies.show)
            group.post(.homeSubsidies, use: subsidies.apply)
            group.post(.homeSubsidyPayment, use: subsidies.pay)
            let land = LandPages(services: services)
            group.get(.land, use: land.show)
            group.post(.land, use: land.record)
            group.get(.landRequisition, use: land.requisition)
            let charity = CharityPages(services: services)
            group.get(.charity, use: charity.show)
            group.post(.donations, use: charity.donate)
            group.post(.pairedHelp, use: charity.pair)
            group.post(.pairedHelpDelivery, use: charity.deliver)
            group.post(.hardship, use: charity.designate)
            group.post(.hardshipEnd, use: charity.endHardship)
            for (route, form) in [(Route.dibao, ClaimForms.dibao(services)), (Route.educationAid, ClaimForms.educationAid(services)),
                                  (Route.supportApplication, ClaimForms.support(services)), (Route.ncmsClaim, ClaimForms.ncmsClaim(services)),
                                  (Route.relief, ClaimForms.relief(services))] {
                let claims = ClaimPages(services: services, form: form)
                group.get(route, use: claims.show)
                group.post(route, use: claims.open)
            }
        },
        open: { group, services in
            group.get(.notices, use: AssistancePages(services: services).notices)
        })
}
