import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let home = Route("/")
    static let portal = Route("/portal")
    static let overview = Route("/overview")
    static let health = Route("/healthz")
    static let metrics = Route("/metrics")
    static let stylesheet = Route("/static/{file}")
    static let openAPI = Route("/api/v1/openapi.yaml")
}

extension Program {
    /// The home page, the portal, the leaders' overview, health, metrics and the API document.
    static let home = Program(
        id: "home",
        templates: ["home", "portal", "overview"],
        navigation: [
            NavigationItem(.portal, label: "nav.portal", order: 0, surface: .portal, visible: { !$0.role.isStaff }),
            NavigationItem(.overview, label: "nav.overview", hint: "home.hint.overview", order: 700, visible: NavigationItem.allowed(.statisticsRead)),
        ],
        pages: { group, services in
            let homePages = HomePages(services: services)
            group.get(.home, use: homePages.home)
            group.get(.portal, use: homePages.portal)
            group.get(.overview, use: homePages.overview)
        },
        open: { group, services in
            let operationsRoutes = OperationsRoutes(services: services)
            group.get(.health, use: operationsRoutes.health)
            group.get(.metrics, use: operationsRoutes.metrics)
            group.get(.stylesheet, use: operationsRoutes.stylesheet)
            group.get(.openAPI, use: operationsRoutes.openAPI)
        })
}
