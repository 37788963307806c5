import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Login, logout and the language switch: the pages anyone may reach.
struct LoginController {
    let services: ShebaoServices

    func addRoutes(to router: Router<ShebaoRequestContext>) {
        router.get("/login", use: loginPage)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/language", use: switchLanguage)
    }

    struct LoginPage {
        var csrf: String
        var next: String
        var username: String
        var failed: Bool
    }

    /// The login form. A fresh random value goes both into a cookie and into the form; the POST
    /// must bring both (double-submit CSRF protection before a session exists).
    @Sendable func loginPage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        if context.principal != nil { return .redirect(to: "/", type: .found) }
        return renderLogin(request, context, username: "", failed: false, status: .ok)
    }

    private func renderLogin(_ request: Request, _ context: ShebaoRequestContext, username: String, failed: Bool, status: HTTPResponse.Status) -> Response {
        let token = Secrets.randomToken()
        let next = safeTarget(request.uri.queryParameters["next"].map(String.init))
        var response = services.pages.render(
            "login", title: services.pages.text("login.title", context),
            content: LoginPage(csrf: token, next: next, username: username, failed: failed),
            request: request, context: context, status: status)
        response.setCookie(cookie(CookieName.loginCSRF, token, request: request, maxAge: 3600))
        return response
    }

    @Sendable func login(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let form = try await FormData.read(request, context)
        guard let cookieToken = request.cookies[CookieName.loginCSRF]?.value, let formToken = form["_csrf"],
            FormData.constantTimeEqual(cookieToken, formToken)
        else { throw Problem.csrf }
        let username = (form["username"] ?? "").trimmingASCIIWhitespace()
        let password = form["password"] ?? ""
        guard !username.isEmpty, !password.isEmpty,
            case .success(let user) = try await services.users.authenticate(username: username, password: password)
        else {
            // One message for every failure: wrong password, unknown user or locked account.
            return renderLogin(request, context, username: username, failed: true, status: .unauthorized)
        }
        if let old = context.session { try await services.sessions.end(id: old.id) }
        let session = try await services.sessions.start(userID: user.id)
        let next = safeTarget(form["next"])
        let target = user.role.isStaff ? (next == "/portal" ? "/" : next) : "/portal"
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(cookie(CookieName.session(secure: secure(request)), session.id, request: request, maxAge: Int(SessionStore.absoluteSeconds)))
        response.setCookie(cookie(CookieName.loginCSRF, "", request: request, maxAge: 0))
        return response
    }

    @Sendable func logout(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try await FormData.verified(request, context)
        if let session = context.session {
            try await services.sessions.end(id: session.id)
            if let principal = context.principal {
                let now = services.clock.now()
                let dialect = services.database.dialect
                try await services.database.write { db in
                    try await AuditLog.append(
                        AuditEvent(actor: AuditActor(principal), action: .logout, entity: "user", entityID: String(principal.userID)),
                        on: db, dialect: dialect, at: now)
                }
            }
        }
        var response = Response.redirect(to: "/login", type: .found)
        response.setCookie(cookie(CookieName.session(secure: secure(request)), "", request: request, maxAge: 0))
        return response
    }

    /// Sets the language cookie and returns to the page the user was on.
    @Sendable func switchLanguage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let language = request.uri.queryParameters["to"].flatMap { Language(rawValue: String($0)) } ?? .default
        let back = safeTarget(request.uri.queryParameters["back"].map { String($0).removingPercentEncoding ?? "/" }, allowLogin: true)
        var response = Response.redirect(to: back, type: .found)
        response.setCookie(cookie(CookieName.language, language.rawValue, request: request, maxAge: 365 * 86_400))
        return response
    }

    /// Only same-site paths: `/persons` yes, `//evil.example` or `https://…` no (open redirect).
    private func safeTarget(_ target: String?, allowLogin: Bool = false) -> String {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//"), !target.contains("\\"),
            allowLogin || !target.hasPrefix("/login")
        else { return "/" }
        return target
    }

    private func secure(_ request: Request) -> Bool { isSecureRequest(request, services.configuration) }

    /// HttpOnly, SameSite=Strict, Secure when served over TLS (DESIGN.md §8).
    private func cookie(_ name: String, _ value: String, request: Request, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict)
    }
}
