import Logging
import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Cookie names; the `__Host-` prefix (which requires `Secure`) is used when cookies are secure.
enum CookieName {
    static func session(secure: Bool) -> String { secure ? "__Host-shebao_session" : "shebao_session" }
    static let language = "shebao_lang"
    static let loginCSRF = "shebao_login_csrf"
}

/// True when cookies must be `Secure`: configured so, or the request came over TLS through a proxy.
func isSecureRequest(_ request: Request, _ configuration: ServerConfiguration) -> Bool {
    configuration.secureCookies || request.headers[.init("X-Forwarded-Proto")!] == "https"
}

/// Reads the session cookie and, when it names a live session, sets the principal.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext
    let services: ShebaoServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let secure = isSecureRequest(request, services.configuration)
        if !request.uri.path.hasPrefix("/api/"), let id = request.cookies[CookieName.session(secure: secure)]?.value, !id.isEmpty,
            let session = try await services.access.session(id)
        {
            context.principal = session.user.principal
            context.session = SessionInfo(id: id, csrfToken: session.csrfToken, mustChangePassword: session.user.mustChangePassword)
        }
        return try await next(request, context)
    }
}

/// Requires `Authorization: Bearer shb_…` on the API; answers 401 problem+json otherwise.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext
    let services: ShebaoServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The scheme name is case-insensitive (RFC 7235 §2.1): `bearer`, `BEARER` and `Bearer` alike.
        guard let header = request.headers[.authorization], let space = header.firstIndex(of: " "),
            header[..<space].lowercased() == "bearer"
        else { throw Problem.unauthenticated }
        let token = String(header[header.index(after: space)...]).trimmingASCIIWhitespace()
        guard let user = try await services.access.bearer(token) else { throw Problem.unauthenticated }
        var context = context
        context.principal = user.principal
        return try await next(request, context)
    }
}

/// Pages behind a login: without a session, go to the login page and come back afterwards.
struct RequireLoginMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.principal != nil else {
            let target = request.uri.path
            return .redirect(to: Route.login.path(query: "next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")), type: .found)
        }
        // A password an administrator set is the administrator's too: choose one's own first.
        if context.session?.mustChangePassword == true, request.uri.path != Route.password.path() {
            return .redirect(to: Route.password.path(), type: .found)
        }
        return try await next(request, context)
    }
}

/// The interface language: the language cookie, else zh-Hans on pages (the district's language,
/// whatever a browser's default says); on the API, `Accept-Language` may choose.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let value = request.cookies[CookieName.language]?.value, let language = Language(rawValue: value) {
            context.language = language
        } else if request.uri.path.hasPrefix("/api/"), let accept = request.headers[.acceptLanguage]?.lowercased() {
            if accept.hasPrefix("en") { context.language = .en }
            else if accept.hasPrefix("zh-tw") || accept.hasPrefix("zh-hk") || accept.hasPrefix("zh-hant") { context.language = .zhHant }
        }
        return try await next(request, context)
    }
}

/// Headers every response carries: no sniffing, no framing, scripts only from this origin.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[values: .init("X-Frame-Options")!] = ["DENY"]
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// One log line per request: method, route template, status and time. Never the query string
/// or path values, which may hold a resident ID (RELIABILITY A6.7 A4: no personal data in logs).
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, start: start)
            throw error
        } catch {
            log(request, context, status: 500, start: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        guard context.logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - start
        // Tenths of a millisecond, in integers (formatting a Double per request costs more than the line).
        let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
        // The fields in the message rather than as metadata: one string instead of a dictionary per request.
        context.logger.info("request method=\(request.method.rawValue) route=\(context.endpointPath ?? "unmatched") status=\(status) ms=\(tenths / 10).\(tenths % 10)")
    }
}
