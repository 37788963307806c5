import Hummingbird
import ShebaoCore
import ShebaoStore

/// User administration for the system administrator: the list of accounts and a form to add one.
struct AdminController {
    let services: ShebaoServices

    func addRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/admin/users", use: users)
        group.post("/admin/users", use: addUser)
    }

    struct UsersPage {
        struct Row {
            var username: String
            var displayName: String
            var role: String
            var region: String
            var status: String
        }
        struct Option {
            var value: String
            var label: String
        }
        var rows: [Row]
        var roles: [Option]
        var regions: [Option]
        var created: String?
        var error: String?
    }

    @Sendable func users(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.userManage)
        return try await render(request, context, created: nil, error: nil, status: .ok)
    }

    @Sendable func addUser(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.userManage)
        let form = try await FormData.verified(request, context)
        let pages = services.pages
        guard let role = form["role"].flatMap(Role.init(rawValue:)),
            let region = try? RegionCode(form["region"] ?? ""), principal.scope.contains(region)
        else {
            return try await render(request, context, created: nil, error: pages.text("error.user.invalid_form", context), status: .badRequest)
        }
        do {
            let user = try await services.users.create(
                username: form["username"] ?? "", displayName: (form["displayName"] ?? "").trimmingASCIIWhitespace(),
                role: role, region: region, password: form["password"] ?? "", by: AuditActor(principal))
            return try await render(request, context, created: pages.text("user.created", context, ["username": user.username]), error: nil, status: .ok)
        } catch let error as UserStoreError {
            return try await render(request, context, created: nil, error: pages.text("error.\(error.code)", context), status: .badRequest)
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, created: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.userManage)
        let pages = services.pages
        let users = try await services.users.list()
        let regions = try await services.regions.all(in: principal.scope).filter { $0.level <= .township }
        let names = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0.name) })
        let content = UsersPage(
            rows: users.map {
                UsersPage.Row(username: $0.username, displayName: $0.displayName, role: pages.text("role.\($0.role.rawValue)", context),
                              region: names[$0.region] ?? $0.region.value, status: pages.text("user_status.\($0.status.rawValue)", context))
            },
            roles: Role.allCases.map { UsersPage.Option(value: $0.rawValue, label: pages.text("role.\($0.rawValue)", context)) },
            regions: regions.map { UsersPage.Option(value: $0.code.value, label: $0.name) },
            created: created, error: error)
        return pages.render("users", title: pages.text("users.title", context), content: content, request: request, context: context, status: status)
    }
}
