import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The tax bureau's collection files (先征后登): upload one, see what matched, and settle the
/// lines in the queue — matched to a unit by its credit code or to a person on their own account
/// by resident ID, or returned to the tax bureau.
struct CollectionPages {
    let services: ShebaoServices

    struct Page {
        struct Issue {
            var row: String
            var column: String
            var reason: String
        }
        struct File {
            var id: Int64
            var name: String
            var rows: Int64
            var amount: String
            var unmatched: Int64
            var importedAt: String
            var importedBy: String
        }
        struct Waiting {
            var id: Int64
            var action: String
            var voucher: String
            /// A unit's credit code, or a person's resident ID masked (the full one is on the tax bureau's voucher).
            var payer: String
            var creditCode: String
            var period: String
            var scheme: String
            var amount: String
            var paidOn: String
            var reason: String
        }
        var upload: String
        var columns: String
        var imported: String?
        var rejected: String?
        var issues: [Issue]
        var problem: String?
        var files: [File]
        var queue: [Waiting]
        var overview: String
    }

    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, outcome: nil, problem: nil, status: .ok)
    }

    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.collectionImport)
        let file = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.insurance.importCollections(file.data, fileName: file.name, by: principal)
        return try await render(request, context, outcome: outcome, problem: nil, status: outcome.accepted ? .ok : .unprocessableContent)
    }

    /// Settles a queued line: a credit code or a resident ID given → matched to that unit or
    /// person; `return` → sent back.
    @Sendable func resolve(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.collectionImport)
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let decision: InsuranceService.QueueDecision = form["decision"] == "return" ? .returnToTaxBureau
                : .match(creditCode: form["creditCode"], residentID: form["residentID"])
            _ = try await services.insurance.resolveCollection(try context.id(), decision, note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.insuranceCollections.path(), type: .found)
        } rerender: { error in
            try await render(request, context, outcome: nil, problem: services.pages.message(error, context), status: formStatus(error))
        }
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, outcome: CollectionImportOutcome?, problem: String?,
                        status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.collectionImport)
        let pages = services.pages
        var imported: String?
        var rejected: String?
        var issues: [Page.Issue] = []
        if let outcome {
            if outcome.accepted {
                imported = pages.text(outcome.repeated ? "collection.repeated" : "collection.imported", context,
                                      ["file": outcome.fileName, "matched": String(outcome.matched), "unmatched": String(outcome.unmatched)])
            } else {
                rejected = pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)])
                issues = outcome.issues.prefix(500).map {
                    Page.Issue(row: $0.row > 0 ? String($0.row) : "", column: $0.column.isEmpty ? "" : "\($0.column)（\($0.header)）",
                               reason: pages.text("error." + $0.code, context, $0.arguments))
                }
            }
        }
        let content = Page(
            upload: Route.insuranceCollections.path(),
            columns: CollectionImporter.columnKeys.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "，"),
            imported: imported, rejected: rejected, issues: issues, problem: problem,
            files: try await services.insurance.collectionFiles(by: principal).map {
                .init(id: $0.id, name: $0.fileName, rows: $0.rowCount, amount: $0.amount.formatted, unmatched: $0.unmatched,
                      importedAt: Timestamp.shown($0.importedAt), importedBy: $0.importedBy)
            },
            queue: try await services.insurance.unmatchedCollections(by: principal).map {
                .init(id: $0.id, action: Route.insuranceCollectionResolution.path($0.id), voucher: $0.voucher,
                      payer: $0.payer.creditCode ?? $0.payer.residentID?.masked ?? "", creditCode: $0.payer.creditCode ?? "",
                      period: $0.period.description, scheme: pages.label($0.scheme, context), amount: $0.amount.formatted, paidOn: $0.paidOn.description,
                      reason: $0.note.map { pages.text($0, context) } ?? "")
            },
            overview: Route.insurance.path())
        return pages.render("collections", title: pages.text("collection.title", context), content: content, request: request, context: context,
                            status: status)
    }
}
