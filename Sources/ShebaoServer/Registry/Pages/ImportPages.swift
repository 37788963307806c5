import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// File imports on the staff pages: templates, upload, the whole-file check with a row/column
/// report (handed back, never stored), and the record of past imports.
struct ImportPages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    /// Upload limit: the file limit plus room for the form around it.

    struct IndexPage {
        struct Kind {
            var kind: String
            var label: String
            var columns: String
            var upload: String
            var templateXLSX: String
            var templateCSV: String
        }
        struct Run {
            var id: Int64
            var kind: String
            var fileName: String
            var rows: Int64
            var createdAt: String
        }
        struct Issue {
            var sheet: String
            var row: String
            var column: String
            var reason: String
        }
        var reportAction: String
        var kinds: [Kind]
        var runs: [Run]
        var imported: String?
        var rejected: String?
        var issues: [Issue]
        var moreIssues: String?
        var report: String?
        var reportName: String?
    }

    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, outcome: nil)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, outcome: ImportOutcome?) async throws -> Response {
        let principal = try context.requirePrincipal()
        let kinds = ImportKind.allCases.map { kind in
            IndexPage.Kind(kind: kind.rawValue, label: pages.label(kind, context),
                           columns: services.registry.importColumns(kind, language: context.language).joined(separator: "、"),
                           upload: Route.importKind.path(kind.rawValue), templateXLSX: Route.importTemplate.path(kind.rawValue + ".xlsx"),
                           templateCSV: Route.importTemplate.path(kind.rawValue + ".csv"))
        }
        let runs = try await services.registry.recentImports(by: principal).map {
            IndexPage.Run(id: $0.id, kind: pages.label($0.kind, context), fileName: $0.fileName, rows: $0.rowCount, createdAt: Timestamp.shown($0.createdAt))
        }
        var content = IndexPage(reportAction: Route.importReport.path(), kinds: kinds, runs: runs, imported: nil, rejected: nil, issues: [], moreIssues: nil,
                                report: nil, reportName: nil)
        var status = HTTPResponse.Status.ok
        if let outcome {
            if outcome.accepted {
                content.imported = pages.text("import.done", context, ["rows": String(outcome.imported), "file": outcome.fileName])
            } else {
                status = .unprocessableContent
                content.rejected = pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)])
                content.issues = outcome.issues.prefix(500).map {
                    IndexPage.Issue(sheet: $0.sheet, row: $0.row > 0 ? String($0.row) : "", column: $0.column.isEmpty ? "" : "\($0.column)（\($0.header)）",
                                    reason: pages.text("error." + $0.code, context, $0.arguments))
                }
                if outcome.issues.count > 500 { content.moreIssues = pages.text("import.more_issues", context, ["count": String(outcome.issues.count - 500)]) }
                content.report = String(decoding: outcome.reportCSV(strings: services.strings, language: context.language), as: UTF8.self)
                content.reportName = outcome.fileName
            }
        }
        return pages.render("imports", title: pages.text("imports.title", context), content: content, request: request, context: context, status: status)
    }

    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        let file = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.registry.importFile(kind, data: file.data, fileName: file.name, by: principal)
        return try await render(request, context, outcome: outcome)
    }

    /// Sends back the rejection report the import page holds, as a CSV file: the report is never
    /// stored, because a rejected file must leave the database exactly as it was.
    @Sendable func report(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .importFile) else { throw Problem.forbidden }
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1_048_576)
        let fields = FormData.parse(String(buffer: buffer))
        guard let expected = context.session?.csrfToken, let given = fields["_csrf"], FormData.constantTimeEqual(given, expected), let report = fields["report"] else {
            throw Problem.csrf
        }
        let base = ((fields["name"] ?? "import") as NSString).deletingPathExtension
        return .download(Data(report.utf8), fileName: base + "-" + pages.text("import.report_suffix", context) + ".csv", asciiName: "import-report.csv",
                         contentType: FileFormat.csv.contentType)
    }

    /// `/imports/templates/persons.xlsx` (or `.csv`).
    @Sendable func template(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard let dot = file.lastIndex(of: "."), let kind = ImportKind(rawValue: String(file[..<dot])),
            let format = FileFormat(rawValue: String(file[file.index(after: dot)...]))
        else { throw Problem.notFound }
        return .download(try await services.registry.importTemplate(kind, format: format, language: context.language, by: try context.requirePrincipal()))
    }
}
