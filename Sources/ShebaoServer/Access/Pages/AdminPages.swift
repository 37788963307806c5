import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// User administration for the system administrator: the list of accounts and a form to add one.
struct AdminPages {
    let services: ShebaoServices

    struct UsersPage {
        struct Row {
            var username: String
            var displayName: String
            var role: String
            var region: String
            var status: String
        }
        var action: String
        var rows: [Row]
        var roles: [FormFieldView.Option]
        var regions: [FormFieldView.Option]
        var created: String?
        var error: String?
    }

    @Sendable func users(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, created: nil, error: nil, status: .ok)
    }

    @Sendable func addUser(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let pages = services.pages
        guard let role = form["role"].flatMap(Role.init(rawValue:)), let region = try? RegionCode(form["region"] ?? "") else {
            return try await render(request, context, created: nil, error: pages.text("error.user.invalid_form", context), status: .unprocessableContent)
        }
        return try await submitForm {
            let user = try await services.access.createUser(
                username: form["username"] ?? "", displayName: (form["displayName"] ?? "").trimmingASCIIWhitespace(), role: role, region: region,
                password: form["password"] ?? "", by: principal)
            return try await render(request, context, created: pages.text("user.created", context, ["username": user.username]), error: nil, status: .ok)
        } rerender: { error in
            try await render(request, context, created: nil, error: pages.message(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, created: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let users = try await services.access.users(by: principal)
        let regions = try await services.regions.all(in: principal.scope).filter { $0.level <= .township }
        let names = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0.name) })
        let content = UsersPage(
            action: Route.users.path(),
            rows: users.map {
                UsersPage.Row(username: $0.username, displayName: $0.displayName, role: pages.label($0.role, context),
                              region: names[$0.region] ?? $0.region.value, status: pages.label($0.status, context))
            },
            roles: Role.allCases.map { FormFieldView.Option(value: $0.rawValue, label: pages.label($0, context), selected: false) },
            regions: regions.map { FormFieldView.Option(value: $0.code.value, label: $0.name, selected: false) },
            created: created, error: error)
        return pages.render("users", title: pages.text("users.title", context), content: content, request: request, context: context, status: status)
    }
}
