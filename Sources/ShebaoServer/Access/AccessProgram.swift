import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let login = Route("/login")
    static let logout = Route("/logout")
    static let language = Route("/language")
    static let users = Route("/admin/users")
    static let audit = Route("/audit")
    static let auditVerify = Route("/audit/verify")
}

extension Route.API {
    static let me = Route.api("/me")
    static let regions = Route.api("/regions")
}

extension Program {
    /// Users, roles, sessions, tokens, the audit log, and the installation they belong to.
    static let access = Program(
        id: "access",
        migrations: [CreateAccess(), CreateAuditLog(), CreateInstallation()],
        templates: ["login", "users", "audit"],
        navigation: [
            NavigationItem(.users, label: "nav.users", hint: "home.hint.users", order: 900, visible: NavigationItem.allowed(.userManage)),
            NavigationItem(.audit, label: "nav.audit", hint: "home.hint.audit", order: 910, visible: NavigationItem.allowed(.auditRead)),
        ],
        api: { group, services in AccountAPI(services: services).addRoutes(to: group) },
        pages: { group, services in
            AdminPages(services: services).addRoutes(to: group)
            AuditPages(services: services).addRoutes(to: group)
        },
        open: { group, services in LoginPages(services: services).addRoutes(to: group) })
}
