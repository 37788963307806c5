import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/imports/{kind}` (the file as the body) and the templates.
struct ImportsAPI {
    let services: ShebaoServices

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

    /// A 422 problem+json whose `issues` name sheet, row and column of every problem.
    struct RejectedDTO: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var issues: [IssueDTO]
    }

    /// `POST /api/v1/imports/{kind}?fileName=…` with the file as the body.
    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: TableLimits.maximumBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "too_large")
        }
        let outcome = try await services.registry.importFile(kind, data: Data(buffer.readableBytesView), fileName: request.query("fileName") ?? "upload",
                                                             by: principal)
        if let runID = outcome.runID {
            var response = try ImportedDTO(runID: runID, kind: kind.rawValue, rows: outcome.rowCount, imported: outcome.imported).response(from: request, context: context)
            response.status = .created
            return response
        }
        return try Self.rejected(outcome.issues, pages: services.pages, context: context)
    }

    /// The 422 of a rejected file, every issue with its row and column.
    static func rejected(_ issues: [ImportIssue], pages: PageRenderer, context: ShebaoRequestContext) throws -> Response {
        let rejected = RejectedDTO(
            type: "urn:shebao:problem:import.rejected", title: pages.text("problem.title.422", context), status: 422,
            detail: pages.text("error.import.rejected", context, ["count": String(issues.count)]), code: "import.rejected",
            issues: issues.map {
                IssueDTO(sheet: $0.sheet, row: $0.row, column: $0.column, header: $0.header, code: $0.code, detail: pages.text("error." + $0.code, context, $0.arguments))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: .unprocessableContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(rejected))))
    }

    @Sendable func template(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        guard let kind = context.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Problem.notFound }
        let format: FileFormat = try request.apiChoice("format", default: .xlsx) ?? .xlsx
        return .download(try await services.registry.importTemplate(kind, format: format, language: context.language, by: try context.requirePrincipal()))
    }
}
