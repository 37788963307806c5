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
            var subject: String
            var column: String
            var reason: String
        }
        struct Created {
            var href: String
            var label: String
        }
        var reportAction: String
        var kinds: [Kind]
        var runs: [Run]
        var imported: String?
        var created: [Created]
        var createdMore: String?
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
        var content = IndexPage(reportAction: Route.importReport.path(), kinds: kinds, runs: runs, imported: nil, created: [], createdMore: nil, rejected: nil,
                                issues: [], moreIssues: nil, report: nil, reportName: nil)
        var status = HTTPResponse.Status.ok
        if let outcome {
            if outcome.accepted {
                content.imported = pages.text("import.done", context, ["rows": String(outcome.imported), "file": outcome.fileName])
                content.created = outcome.created.prefix(50).map { IndexPage.Created(href: Self.href($0), label: $0.label) }
                if outcome.created.count > 50 {
                    content.createdMore = pages.text("import.created_more", context, ["count": String(outcome.created.count - 50)])
                }
            } else {
                status = .unprocessableContent
                content.rejected = pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)])
                content.issues = outcome.issues.prefix(500).map {
                    IndexPage.Issue(sheet: $0.sheet, row: $0.row > 0 ? String($0.row) : "", subject: $0.subject,
                                    column: $0.column.isEmpty ? "" : "\($0.column) \($0.header)", reason: pages.text("error." + $0.code, context, $0.arguments))
                }
                if outcome.issues.count > 500 { content.moreIssues = pages.text("import.more_issues", context, ["count": String(outcome.issues.count - 500)]) }
                content.report = String(decoding: outcome.reportCSV(strings: services.strings, language: context.language), as: UTF8.self)
                content.reportName = outcome.fileName
            }
        }
        return pages.render("imports", title: pages.text("imports.title", context), content: content, request: request, context: context, status: status)
    }

    /// The file checked whole: its problems, or a preview with a confirmation that sends the
    /// same file back (in the page, so that nothing is kept on the server meanwhile).
    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        let file = try await MultipartForm.uploadedFile(request, context)
        let preview = try await services.registry.previewImport(kind, data: file.data, fileName: file.name, by: principal)
        guard preview.clean else {
            return try await render(request, context, outcome: ImportOutcome(kind: kind, fileName: file.name, rowCount: preview.rowCount, issues: preview.issues,
                                                                             runID: nil, imported: 0))
        }
        return try await renderPreview(preview, data: file.data, request, context)
    }

    struct PreviewPage {
        struct Record {
            var name: String
            var identifier: String
            var region: String
            var members: String
            var change: String
        }
        struct Place {
            var region: String
            var count: Int
        }
        var summary: String
        var firstTitle: String
        var records: [Record]
        var showMembers: Bool
        var places: [Place]
        var warnings: [String]
        /// Stored, not computed: Mustache reads values through reflection.
        var hasWarnings: Bool
        var confirm: String
        var discard: String
        var content: String
        var name: String
        var digest: String
    }

    private func renderPreview(_ preview: ImportPreview, data: Data, _ request: Request, _ context: ShebaoRequestContext) async throws -> Response {
        let labels = try await services.regions.labels(of: preview.first.map(\.region) + preview.byRegion.map(\.region))
        let content = PreviewPage(
            summary: pages.text("import.preview_summary", context, [
                "rows": String(preview.rowCount), "new": String(preview.records - preview.changed), "changed": String(preview.changed),
                "unchanged": String(preview.unchanged),
            ]),
            firstTitle: pages.text("import.preview_first", context, ["count": String(preview.first.count)]),
            records: preview.first.map {
                PreviewPage.Record(name: $0.name, identifier: $0.identifier, region: labels[$0.region] ?? "",
                                   members: $0.members.map { pages.text("import.members", context, ["count": String($0)]) } ?? "",
                                   change: $0.changes.isEmpty ? pages.text("import.change_new", context)
                                       : $0.changes.map { pages.text($0, context) }.joined(separator: pages.text("list.separator", context)))
            },
            showMembers: preview.kind == .households,
            places: preview.byRegion.map { PreviewPage.Place(region: labels[$0.region] ?? "", count: $0.count) },
            warnings: preview.warnings.map { pages.text($0.code, context, $0.arguments) }, hasWarnings: !preview.warnings.isEmpty,
            confirm: Route.importConfirm.path(preview.kind.rawValue), discard: Route.imports.path(),
            content: data.base64EncodedString(), name: preview.fileName, digest: preview.digest)
        return pages.render("import-preview", title: pages.text("import.preview_title", context, ["file": preview.fileName]), content: content,
                            request: request, context: context)
    }

    /// The previewed file confirmed: checked again (the registry may have changed meanwhile) and written.
    @Sendable func confirm(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        // The file comes back base64-encoded in the page: a third larger than the upload.
        let form = try await MultipartForm.verified(request, context, limit: TableLimits.maximumBytes * 4 / 3 + 1_048_576)
        guard let encoded = form.part("content")?.text, let data = Data(base64Encoded: encoded), !data.isEmpty else {
            throw Problem.badRequest("upload.no_file")
        }
        let name = form.part("name")?.text ?? "upload"
        do {
            let outcome = try await services.registry.importFile(kind, data: data, fileName: name, digest: form.part("digest")?.text ?? "", by: principal)
            return try await render(request, context, outcome: outcome)
        } catch let error as ServiceError where error.kind == .invalid {
            let issues = error.fieldIssues.map { ImportIssue(sheet: name, row: 0, column: "", header: "", code: $0.code, arguments: $0.arguments) }
            return try await render(request, context, outcome: ImportOutcome(kind: kind, fileName: name, rowCount: 0, issues: issues, runID: nil, imported: 0))
        }
    }

    /// Where a record an import created is shown.
    static func href(_ created: Importer.Created) -> String {
        switch created.kind {
        case .persons: Route.person.path(created.id)
        case .households: Route.household.path(created.id)
        case .employers: Route.employer.path(created.id)
        }
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
