import Hummingbird
import ShebaoCore
import ShebaoStore

extension Route {
    static let login = Route("/login")
    static let logout = Route("/logout")
    static let language = Route("/language")
    static let users = Route("/admin/users")
    /// A training installation's clock, moved on by whole days.
    static let trainingClock = Route("/admin/training-clock")
    static let userDisable = Route("/admin/users/{id}/disable")
    static let userEnable = Route("/admin/users/{id}/enable")
    static let userResetPassword = Route("/admin/users/{id}/reset-password")
    static let accountRequestApprove = Route("/admin/account-requests/{id}/approve")
    static let accountRequestReject = Route("/admin/account-requests/{id}/reject")
    static let password = Route("/account/password")
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
        migrations: [CreateAccess(), CreateAuditLog(), CreateInstallation(), AccountLifecycle()],
        templates: ["login", "users", "audit", "password"],
        navigation: [
            NavigationItem(.users, label: "nav.users", hint: "home.hint.users", order: 900, visible: NavigationItem.allowed(.userManage)),
            NavigationItem(.audit, label: "nav.audit", hint: "home.hint.audit", order: 910, visible: NavigationItem.allowed(.auditRead)),
        ],
        api: { group, services in
            let accountAPI = AccountAPI(services: services)
            group.get(.API.me, use: accountAPI.me)
            group.get(.API.regions, use: accountAPI.regions)
        },
        pages: { group, services in
            let adminPages = AdminPages(services: services)
            group.get(.users, use: adminPages.users)
            group.post(.users, use: adminPages.addUser)
            group.post(.trainingClock, use: adminPages.advanceClock)
            group.post(.userDisable, use: adminPages.disable)
            group.post(.userEnable, use: adminPages.enable)
            group.post(.userResetPassword, use: adminPages.resetPassword)
            group.post(.accountRequestApprove, use: adminPages.approve)
            group.post(.accountRequestReject, use: adminPages.reject)

            let passwordPages = PasswordPages(services: services)
            group.get(.password, use: passwordPages.form)
            group.post(.password, use: passwordPages.change)

            let auditPages = AuditPages(services: services)
            group.get(.audit, use: auditPages.list)
            group.post(.auditVerify, use: auditPages.verify)
        },
        open: { group, services in
            let loginPages = LoginPages(services: services)
            group.get(.login, use: loginPages.loginPage)
            group.post(.login, use: loginPages.login)
            group.post(.logout, use: loginPages.logout)
            group.get(.language, use: loginPages.switchLanguage)
        })
}
