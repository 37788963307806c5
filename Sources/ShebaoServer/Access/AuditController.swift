import Hummingbird
import ShebaoCore
import ShebaoStore

/// The audit log for auditors: newest rows first and an on-demand verification of the chain.
struct AuditController {
    let services: ShebaoServices

    func addRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/audit", use: list)
        group.post("/audit/verify", use: verify)
    }

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
        var rows: [Row]
        var older: String?
        var verification: Verification?
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.auditRead)
        return try await render(request, context, verification: nil)
    }

    @Sendable func verify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.auditRead)
        _ = try await FormData.verified(request, context)
        let result = try await AuditLog.verify(services.database)
        let pages = services.pages
        let verification = AuditPage.Verification(
            class: result.isIntact ? "ok" : "error",
            message: pages.text(result.isIntact ? "audit.intact" : "audit.broken", context, ["rows": String(result.rowsChecked)]),
            problems: result.problems.map { pages.text($0.code, context, $0.arguments) }, hasProblems: !result.isIntact)
        return try await render(request, context, verification: verification)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, verification: AuditPage.Verification?) async throws -> Response {
        let pages = services.pages
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await AuditLog.entries(services.database, before: before, limit: 50)
        let rows = entries.map {
            AuditPage.Row(seq: $0.seq, time: $0.occurredAt, actor: $0.actor,
                          action: pages.text("audit_action.\($0.action)", context), entity: pages.text("entity.\($0.entity)", context),
                          entityID: $0.entityID)
        }
        let older = entries.count == 50 ? entries.last.map { "/audit?before=\($0.seq)" } : nil
        return pages.render("audit", title: pages.text("audit.title", context),
                            content: AuditPage(rows: rows, older: older, verification: verification), request: request, context: context)
    }
}
