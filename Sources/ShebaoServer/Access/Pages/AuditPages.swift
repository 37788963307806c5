import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The audit log for auditors: newest rows first and an on-demand verification of the chain.
struct AuditPages {
    let services: ShebaoServices

    struct AuditPage {
        struct Row {
            var seq: Int64
            var time: String
            var actor: String
            var action: String
            var entity: String
            var entityID: String
        }
        struct Verification {
            var `class`: String
            var message: String
            var problems: [String]
            var hasProblems: Bool
        }
        var verify: String
        var rows: [Row]
        var older: String?
        var verification: Verification?
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, verification: nil)
    }

    @Sendable func verify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        _ = try await FormData.verified(request, context)
        let result = try await services.access.verifyAudit(by: principal)
        let pages = services.pages
        let verification = AuditPage.Verification(
            class: result.isIntact ? "ok" : "error",
            message: pages.text(result.isIntact ? "audit.intact" : "audit.broken", context, ["rows": String(result.rowsChecked)]),
            problems: result.problems.map { pages.text($0.code, context, $0.arguments) }, hasProblems: !result.isIntact)
        return try await render(request, context, verification: verification)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, verification: AuditPage.Verification?) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await services.access.auditEntries(before: before, limit: 50, by: principal)
        let rows = entries.map {
            AuditPage.Row(seq: $0.seq, time: Timestamp.shown($0.occurredAt), actor: pages.actor($0.actor, context),
                          action: AuditAction(rawValue: $0.action).map { pages.label($0, context) } ?? $0.action,
                          entity: pages.text("entity.\($0.entity)", context), entityID: $0.entityID)
        }
        let older = entries.count == 50 ? entries.last.map { Route.audit.path(query: "before=\($0.seq)") } : nil
        return pages.render("audit", title: pages.text("audit.title", context),
                            content: AuditPage(verify: Route.auditVerify.path(), rows: rows, older: older, verification: verification),
                            request: request, context: context)
    }
}
