import Hummingbird

/// Answers a request to an API path that exists with a method it does not take with 405 and the
/// methods it does take (`Allow`), instead of the router's 404 (issue 13: schemathesis checks an
/// undeclared method). It sits only on the router's not-found path, so a handler's own 404 — an
/// object that does not exist or lies outside the caller's scope — is untouched.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each API route's path, segment by segment (nil for a captured one), with its methods.
    let routes: [(segments: [Substring?], methods: [HTTPRequest.Method])]
    let prefix: String

    init(routes: [Router<Context>.RouteDescription], prefix: String) {
        var byPath: [String: [HTTPRequest.Method]] = [:]
        for route in routes where route.path.description.hasPrefix(prefix) {
            byPath[route.path.description, default: []].append(route.method)
        }
        self.routes = byPath.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") || $0.hasPrefix("*") ? nil : $0 }, methods)
        }
        self.prefix = prefix
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(prefix) else { return try await next(request, context) }
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            route.segments.count == segments.count && zip(route.segments, segments).allSatisfy { $0.0 == nil || $0.0 == $0.1 }
        }
        // The router prefers a literal segment to a captured one (`/employers/export` before
        // `/employers/{id}`): only the routes as literal as the best match count.
        let literal = matching.map { $0.segments.compactMap { $0 }.count }.max() ?? 0
        let allowed = matching.filter { $0.segments.compactMap { $0 }.count == literal }.flatMap(\.methods)
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return try await next(request, context) }
        var response = try Problem(.methodNotAllowed, code: "method_not_allowed", arguments: ["method": request.method.rawValue])
            .response(from: request, context: context)
        response.headers[.allow] = Set(allowed.map(\.rawValue)).sorted().joined(separator: ", ")
        return response
    }
}
