import Hummingbird
import ShebaoOperations

/// Refuses an API request that names a query parameter without a value (`?region=`): 422 naming
/// it, the same as any other value that is not one of its kind (issue 13) — a filter is never
/// silently read as absent. Pages keep reading an empty form field as "any".
struct EmptyQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        for (name, value) in request.uri.queryParameters where value.allSatisfy(\.isWhitespace) {
            throw ServiceError.invalid(String(name), "field.required")
        }
        return try await next(request, context)
    }
}
