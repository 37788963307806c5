import Hummingbird
import Logging
import ShebaoCore
import ShebaoOperations

/// Presents every error the way its surface expects: problem+json under `/api/`, an error page
/// (or a redirect to the login page) elsewhere. Unexpected errors are logged and answered 500
/// without their text, which may hold data.
struct ErrorPresentationMiddleware: RouterMiddleware {
    typealias Context = ShebaoRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = problem(for: error, context: context)
            if request.uri.path.hasPrefix("/api/") { return try problem.response(from: request, context: context) }
            if problem.status == .unauthorized {
                return .redirect(to: Route.login.path(), type: .found)
            }
            let title = pages.text("problem.title.\(problem.status.code)", context)
            return pages.render("error", title: title, content: ErrorPage(detail: pages.detail(of: problem, context), home: Route.home.path()),
                                request: request, context: context, status: problem.status)
        }
    }

    private func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ServiceError:
            if error.kind == .failure {
                context.logger.error("unexpected error", metadata: ["error": .string(error.underlying ?? error.code)])
            }
            return Problem(error)
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound: return .notFound
            case .methodNotAllowed: return Problem(.methodNotAllowed, code: "method_not_allowed")
            case .contentTooLarge: return Problem(.contentTooLarge, code: "too_large")
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            default: return Problem(error.status, code: "bad_request")
            }
        default:
            context.logger.error("unexpected error", metadata: ["error": .string(String(reflecting: error))])
            return Problem(.internalServerError, code: "internal")
        }
    }
}

struct ErrorPage {
    var detail: String
    var home: String
}
