import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// File imports of persons, households and employers: templates, upload, whole-file validation
/// with a row/column report, and the record of past imports.
struct ImportsController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.post("/imports/{kind}", use: apiImport)
        group.get("/imports/templates/{kind}", use: { request, context in
            try template(context, xlsx: request.query("format") != "csv")
        })
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/imports", use: pageIndex)
        group.post("/imports/report", use: pageReport)
        group.post("/imports/{kind}", use: pageImport)
        group.get("/imports/templates/{file}", use: { request, context in
            let file = context.parameters.get("file") ?? ""
            guard let dot = file.lastIndex(of: ".") else { throw Problem.notFound }
            return try template(context, kind: String(file[..<dot]), xlsx: file[file.index(after: dot)...] == "xlsx")
        })
    }

    private var pages: PageRenderer { services.pages }
    private var importer: Importer { Importer(database: services.database, clock: services.clock, strings: services.strings) }

    /// Upload limit: the file limit plus room for the form around it.
    static var uploadLimit: Int { TableLimits.maximumBytes + 1_048_576 }

    private func kind(_ context: ShebaoRequestContext) throws -> ImportKind {
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        return kind
    }

    // MARK: Templates

    private func template(_ context: ShebaoRequestContext, kind text: String? = nil, xlsx: Bool) throws -> Response {
        _ = try context.require(.importFile)
        guard let kind = (text ?? context.parameters.get("kind")).flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        let columns = Importer.columns(kind)
        let header = columns.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }
        let name = pages.text("import.kind.\(kind.rawValue)", context) + pages.text("import.template_suffix", context)
        if xlsx {
            let textColumns = Set(columns.indices)  // every column text: nothing typed into the template becomes a number
            let data = try XLSX.write(sheetName: pages.text("import.kind.\(kind.rawValue)", context), header: header, rows: [], textColumns: textColumns)
            return Download.response(data, fileName: name + ".xlsx", asciiName: "\(kind.rawValue)-template.xlsx", contentType: Download.xlsxType)
        }
        return Download.response(CSV.write(header: header, rows: []), fileName: name + ".csv", asciiName: "\(kind.rawValue)-template.csv", contentType: Download.csvType)
    }

    // MARK: API

    struct ImportedDTO: ResponseEncodable, Sendable {
        var runID: Int64
        var kind: String
        var rows: Int
        var imported: Int
    }

    struct IssueDTO: Codable, Sendable {
        var sheet: String
        var row: Int
        var column: String
        var header: String
        var code: String
        var detail: String
    }

    /// `POST /api/v1/imports/{kind}?fileName=…` with the file as the body.
    @Sendable func apiImport(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.importFile)
        let kind = try kind(context)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: TableLimits.maximumBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "too_large")
        }
        let outcome = try await importer.run(kind, data: Data(buffer.readableBytesView), fileName: request.query("fileName") ?? "upload", by: principal)
        if let runID = outcome.runID {
            let body = ImportedDTO(runID: runID, kind: kind.rawValue, rows: outcome.rowCount, imported: outcome.imported)
            var response = try body.response(from: request, context: context)
            response.status = .created
            return response
        }
        // 422 problem+json whose `issues` name sheet, row and column of every problem.
        struct Rejected: Encodable {
            var type: String
            var title: String
            var status: Int
            var detail: String
            var code: String
            var issues: [IssueDTO]
        }
        let rejected = Rejected(
            type: "urn:shebao:problem:import.rejected", title: pages.text("problem.title.422", context), status: 422,
            detail: pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)]), code: "import.rejected",
            issues: outcome.issues.map { IssueDTO(sheet: $0.sheet, row: $0.row, column: $0.column, header: $0.header, code: $0.code, detail: pages.text("error." + $0.code, context, $0.arguments)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: .unprocessableContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(rejected))))
    }

    // MARK: Pages

    struct IndexPage {
        struct Kind {
            var kind: String
            var label: String
            var columns: String
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
        var kinds: [Kind]
        var runs: [Run]
        var imported: String?
        var rejected: String?
        var issues: [Issue]
        var moreIssues: String?
        var report: String?
        var reportName: String?
    }

    @Sendable func pageIndex(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.importFile)
        return try await render(request, context, outcome: nil)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, outcome: ImportOutcome?) async throws -> Response {
        let kinds = ImportKind.allCases.map { kind in
            IndexPage.Kind(kind: kind.rawValue, label: pages.text("import.kind.\(kind.rawValue)", context),
                           columns: Importer.columns(kind).map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "、"))
        }
        let runs = try await importer.recentRuns(limit: 20).map {
            IndexPage.Run(id: $0.id, kind: pages.text("import.kind.\($0.kind)", context), fileName: $0.fileName, rows: $0.rowCount, createdAt: $0.createdAt)
        }
        var content = IndexPage(kinds: kinds, runs: runs, imported: nil, rejected: nil, issues: [], moreIssues: nil, report: nil, reportName: nil)
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

    @Sendable func pageImport(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.importFile)
        let kind = try kind(context)
        let form = try await MultipartForm.read(request, limit: Self.uploadLimit)
        guard let expected = context.session?.csrfToken, let given = form.part("_csrf")?.text, FormData.constantTimeEqual(given, expected) else {
            throw Problem.csrf
        }
        guard let file = form.part("file"), !file.bytes.isEmpty else { throw Problem.badRequest("upload.no_file") }
        let outcome = try await importer.run(kind, data: Data(file.bytes), fileName: file.fileName ?? "upload", by: principal)
        return try await render(request, context, outcome: outcome)
    }

    /// Sends back the rejection report the import page holds, as a CSV file: the report is never
    /// stored, because a rejected file must leave the database exactly as it was.
    @Sendable func pageReport(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.importFile)
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1_048_576)
        let fields = FormData.parse(String(buffer: buffer))
        guard let expected = context.session?.csrfToken, let given = fields["_csrf"], FormData.constantTimeEqual(given, expected), let report = fields["report"] else {
            throw Problem.csrf
        }
        let base = ((fields["name"] ?? "import") as NSString).deletingPathExtension
        return Download.response(Data(report.utf8), fileName: base + "-" + pages.text("import.report_suffix", context) + ".csv",
                                 asciiName: "import-report.csv", contentType: Download.csvType)
    }
}
