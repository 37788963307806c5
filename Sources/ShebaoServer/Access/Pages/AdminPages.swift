import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// User administration for the system administrator: the accounts with what may be done to each,
/// the requests waiting for a second administrator, and a form to add an account.
struct AdminPages {
    let services: ShebaoServices

    struct UsersPage {
        struct Row {
            var id: Int64
            var username: String
            var displayName: String
            var role: String
            var region: String
            var status: String
            /// Where the buttons post; nil when the action does not apply (one's own account included).
            var disable: String?
            var enable: String?
            var reset: String?
        }
        struct Request {
            var username: String
            var role: String
            var kind: String
            var requestedBy: String
            var requestedAt: String
            /// Where to post the decision; nil for the administrator who asked.
            var approve: String?
            var reject: String?
        }
        var action: String
        var rows: [Row]
        var requests: [Request]
        var hasRequests: Bool
        /// The new account's fields; a refused one's problems beside them, what was typed kept (never the password).
        var form: FieldForm
        var notice: String?
        /// A password shown this once.
        var password: String?
        var error: String?
        /// A training installation's simulated date, and where to move it on.
        var trainingDate: String?
        var trainingAction: String
    }

    /// What the page says after an action.
    struct Outcome {
        var notice: String?
        var password: String?
        var error: String?
        var status: HTTPResponse.Status = .ok
        /// A refused new account: the refusal and the form as it came.
        var refusedAccount: (error: ServiceError, form: FormData)? = nil
    }

    @Sendable func users(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, Outcome())
    }

    /// Moves a training installation's clock on.
    @Sendable func advanceClock(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submit(request, context) {
            let today = try await services.access.advanceTrainingClock(days: form["days"] ?? "", by: principal)
            return Outcome(notice: services.pages.text("training_clock.moved", context, ["date": today.description]))
        }
    }

    @Sendable func addUser(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let pages = services.pages
        guard let role = form["role"].flatMap(Role.init(rawValue:)), let region = try? RegionCode(form["region"] ?? "") else {
            return try await render(request, context, Outcome(error: pages.text("error.user.invalid_form", context), status: .unprocessableContent))
        }
        return try await submitForm {
            let user = try await services.access.createUser(
                username: form["username"] ?? "", displayName: (form["displayName"] ?? "").trimmingASCIIWhitespace(), role: role, region: region,
                password: form["password"] ?? "", by: principal)
            let key = user.status == .pending ? "user.created_pending" : "user.created"
            return try await render(request, context, Outcome(notice: pages.text(key, context, ["username": user.username])))
        } rerender: { error in
            try await render(request, context, Outcome(status: formStatus(error), refusedAccount: (error, form)))
        }
    }

    @Sendable func disable(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        return try await submit(request, context) {
            let id = try context.id()
            try await services.access.disableUser(id, by: principal)
            return Outcome(notice: services.pages.text("account.disabled", context))
        }
    }

    @Sendable func enable(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        return try await submit(request, context) {
            let waits = try await services.access.enableUser(try context.id(), by: principal)
            return Outcome(notice: services.pages.text(waits ? "account.enable_pending" : "account.enabled", context))
        }
    }

    @Sendable func resetPassword(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        return try await submit(request, context) {
            let (password, waits) = try await services.access.resetPassword(try context.id(), by: principal)
            return Outcome(notice: services.pages.text(waits ? "account.reset_pending" : "account.reset_done", context), password: password)
        }
    }

    @Sendable func approve(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await decide(request, context, approve: true)
    }

    @Sendable func reject(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await decide(request, context, approve: false)
    }

    private func decide(_ request: Request, _ context: ShebaoRequestContext, approve: Bool) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        return try await submit(request, context) {
            let decided = try await services.access.decideAccountRequest(try context.id(), approve: approve, by: principal)
            return Outcome(notice: services.pages.text(approve ? "account.request_approved" : "account.request_rejected", context,
                                                       ["username": decided.user.username]))
        }
    }

    /// Runs an action and shows the list with what it said, or with the refusal.
    private func submit(_ request: Request, _ context: ShebaoRequestContext, _ action: () async throws -> Outcome) async throws -> Response {
        try await submitForm {
            try await render(request, context, try await action())
        } rerender: { error in
            try await render(request, context, Outcome(error: services.pages.message(error, context), status: formStatus(error)))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, _ outcome: Outcome) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let users = try await services.access.users(by: principal)
        let requests = try await services.access.accountRequests(by: principal)
        let waiting = Set(requests.map(\.user.id))
        let regions = try await services.regions.all(in: principal.scope).filter { $0.level <= .township }
        let names = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0.name) })
        let typed = outcome.refusedAccount?.form
        let accountForm = FieldForm([
            FormFieldView.input("username", label: pages.text("user.username", context), value: typed?["username"], required: true)
                .identified(as: "new-username"),
            FormFieldView.input("displayName", label: pages.text("user.display_name", context), value: typed?["displayName"], required: true)
                .identified(as: "new-display"),
            FormFieldView.select("role", label: pages.text("user.role", context), value: typed?["role"], options: pages.options(Role.self, context),
                                 required: true, blank: nil).identified(as: "new-role"),
            FormFieldView.select("region", label: pages.text("user.region", context), value: typed?["region"],
                                 options: regions.map { ($0.code.value, $0.name) }, required: true, blank: nil).identified(as: "new-region"),
            FormFieldView.input("password", label: pages.text("user.initial_password", context), value: nil, type: "password", required: true)
                .identified(as: "new-password").autocompleted("new-password"),
        ], refusedBy: outcome.refusedAccount?.error, pages: pages, context: context)
        let content = UsersPage(
            action: Route.users.path(),
            rows: users.map { user in
                let mine = user.id == principal.userID || waiting.contains(user.id)
                return UsersPage.Row(
                    id: user.id, username: user.username, displayName: user.displayName, role: pages.label(user.role, context),
                    region: names[user.region] ?? user.region.value, status: pages.label(user.status, context),
                    disable: !mine && user.status == .active ? Route.userDisable.path(user.id) : nil,
                    enable: !mine && user.status == .disabled ? Route.userEnable.path(user.id) : nil,
                    reset: !mine && user.status != .pending ? Route.userResetPassword.path(user.id) : nil)
            },
            requests: requests.map { request in
                let own = request.requestedBy == principal.userID || request.user.id == principal.userID
                return UsersPage.Request(
                    username: request.user.username, role: pages.label(request.user.role, context), kind: pages.label(request.kind, context),
                    requestedBy: request.requestedByName ?? pages.text("account.operator", context), requestedAt: Timestamp.shown(request.requestedAt),
                    approve: own ? nil : Route.accountRequestApprove.path(request.id), reject: own ? nil : Route.accountRequestReject.path(request.id))
            },
            hasRequests: !requests.isEmpty,
            form: accountForm,
            notice: outcome.notice, password: outcome.password, error: outcome.error ?? accountForm.above,
            trainingDate: services.access.trainingDate?.description, trainingAction: Route.trainingClock.path())
        return pages.render("users", title: pages.text("users.title", context), content: content, request: request, context: context, status: outcome.status)
    }
}

/// `/account/password`: the holder chooses a new password (required after an administrator's reset).
struct PasswordPages {
    let services: ShebaoServices

    struct PasswordPage {
        var action: String
        var required: Bool
        var done: Bool
        /// Current, new and repeated password (never sent back), a refusal's problem beside its field.
        var form: FieldForm
        var error: String?
    }

    @Sendable func form(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        render(request, context, done: false, refusal: nil, status: .ok)
    }

    @Sendable func change(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        guard form["new"] == form["repeat"] else {
            return render(request, context, done: false, refusal: .invalid("repeat", "account.repeat_differs"), status: .unprocessableContent)
        }
        return try await submitForm {
            try await services.access.changePassword(current: form["current"] ?? "", new: form["new"] ?? "", by: principal)
            var context = context
            context.session?.mustChangePassword = false
            return render(request, context, done: true, refusal: nil, status: .ok)
        } rerender: { error in
            render(request, context, done: false, refusal: error, status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, done: Bool, refusal: ServiceError?, status: HTTPResponse.Status) -> Response {
        let pages = services.pages
        func password(_ name: String, _ label: String, _ hint: String) -> FormFieldView {
            FormFieldView.input(name, label: pages.text(label, context), value: nil, type: "password", required: true).identified(as: name)
                .autocompleted(hint)
        }
        let form = FieldForm([password("current", "account.current_password", "current-password"),
                              password("new", "account.new_password", "new-password"),
                              password("repeat", "account.repeat_password", "new-password")], refusedBy: refusal, pages: pages, context: context)
        let content = PasswordPage(action: Route.password.path(), required: context.session?.mustChangePassword == true, done: done, form: form,
                                   error: form.above)
        return services.pages.render("password", title: services.pages.text("account.password_title", context), content: content, request: request,
                                     context: context, status: status)
    }
}
