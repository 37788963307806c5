import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Login, logout and the language switch: the pages anyone may reach.
struct LoginPages {
    let services: ShebaoServices

    struct LoginPage {
        var action: String
        var csrf: String
        var next: String
        var username: String
        var failed: Bool
    }

    /// The login form. A fresh random value goes both into a cookie and into the form; the POST
    /// must bring both (double-submit CSRF protection before a session exists).
    @Sendable func loginPage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        if context.principal != nil { return .redirect(to: Route.home.path(), type: .found) }
        return renderLogin(request, context, username: "", failed: false, status: .ok)
    }

    private func renderLogin(_ request: Request, _ context: ShebaoRequestContext, username: String, failed: Bool, status: HTTPResponse.Status) -> Response {
        let token = Secrets.randomToken()
        let next = safeTarget(request.uri.queryParameters["next"].map(String.init))
        var response = services.pages.render(
            "login", title: services.pages.text("login.title", context),
            content: LoginPage(action: Route.login.path(), csrf: token, next: next, username: username, failed: failed),
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
        let signedIn: SignedIn
        do throws(ServiceError) {
            if let old = context.session { try await services.access.logOut(sessionID: old.id, principal: nil) }
            signedIn = try await services.access.logIn(username: username, password: form["password"] ?? "")
        } catch {
            // One message for every failure: wrong password, unknown user or locked account.
            guard error.kind == .invalid else { throw error }
            return renderLogin(request, context, username: username, failed: true, status: .unauthorized)
        }
        let next = safeTarget(form["next"])
        let portal = Route.portal.path()
        let target = signedIn.user.role.isStaff ? (next == portal ? Route.home.path() : next) : portal
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(cookie(CookieName.session(secure: secure(request)), signedIn.sessionID, request: request, maxAge: Int(SessionStore.absoluteSeconds)))
        response.setCookie(cookie(CookieName.loginCSRF, "", request: request, maxAge: 0))
        return response
    }

    @Sendable func logout(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try await FormData.verified(request, context)
        if let session = context.session {
            try await services.access.logOut(sessionID: session.id, principal: context.principal)
        }
        var response = Response.redirect(to: Route.login.path(), type: .found)
        response.setCookie(cookie(CookieName.session(secure: secure(request)), "", request: request, maxAge: 0))
        return response
    }

    /// Sets the language cookie and returns to the page the user was on.
    @Sendable func switchLanguage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let language = request.uri.queryParameters["to"].flatMap { Language(rawValue: String($0)) } ?? .default
        let back = safeTarget(request.uri.queryParameters["back"].map { String($0).removingPercentEncoding ?? Route.home.path() }, allowLogin: true)
        var response = Response.redirect(to: back, type: .found)
        response.setCookie(cookie(CookieName.language, language.rawValue, request: request, maxAge: 365 * 86_400))
        return response
    }

    /// Only our own pages: `/persons` yes; `//evil.example`, `/\t/evil.example` or `https://…` no
    /// (open redirect); after a login, not the login page again.
    private func safeTarget(_ target: String?, allowLogin: Bool = false) -> String {
        let safe = services.redirectTargets.safe(target, otherwise: Route.home.path())
        guard allowLogin || !safe.hasPrefix(Route.login.path()) else { return Route.home.path() }
        return safe
    }

    private func secure(_ request: Request) -> Bool { isSecureRequest(request, services.configuration) }

    /// HttpOnly, SameSite=Strict, Secure when served over TLS (DESIGN.md §8).
    private func cookie(_ name: String, _ value: String, request: Request, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict)
    }
}
