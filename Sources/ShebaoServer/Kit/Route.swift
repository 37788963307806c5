import Foundation
import Hummingbird

/// One route, defined once: the router registers its template and links are built from it, so
/// no path is written twice (STYLE.md §7). `{name}` marks a parameter.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    /// The path under its group (`/persons/{id}`).
    public let template: String
    /// The group it is mounted under (`/api/v1`, or nothing for pages).
    public let base: String

    public init(_ template: String, base: String = "") {
        self.template = template
        self.base = base
    }

    /// The full template, as an API document or a log names it.
    public var description: String { base + template }

    var routerPath: RouterPath { RouterPath(template) }

    /// The path with its parameters filled in order: `Route.person.path(42)` is `/persons/42`.
    public func path(_ values: any CustomStringConvertible..., query: String? = nil) -> String {
        var path = base
        var remaining = values.makeIterator()
        for segment in template.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            path += "/"
            if segment.hasPrefix("{") && segment.hasSuffix("}"), let value = remaining.next() {
                path += value.description.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""
            } else {
                path += segment
            }
        }
        if let query, !query.isEmpty { path += "?" + query }
        return path
    }

    /// Routes of the JSON API, mounted under `/api/v1`.
    public static func api(_ template: String) -> Route { Route(template, base: "/api/v1") }

    /// The API's routes, which each program adds to (`Route.API.persons`).
    public enum API {}
}

extension RouterMethods {
    @discardableResult
    func get(_ route: Route, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(route.routerPath, method: .get, use: handler)
    }

    @discardableResult
    func post(_ route: Route, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(route.routerPath, method: .post, use: handler)
    }

    @discardableResult
    func patch(_ route: Route, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(route.routerPath, method: .patch, use: handler)
    }
}
