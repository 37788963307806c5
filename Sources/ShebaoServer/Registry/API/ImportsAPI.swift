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

    /// What a clean file would create (`?preview=true`); nothing is written.
    struct PreviewDTO: ResponseEncodable, Sendable {
        struct Record: Codable, Sendable {
            var name: String
            var identifier: String
            var regionCode: String
            var members: Int?
        }
        struct Place: Codable, Sendable {
            var regionCode: String
            var count: Int
        }
        struct Warning: Codable, Sendable {
            var code: String
            var detail: String
        }
        var kind: String
        var fileName: String
        var rows: Int
        var records: Int
        var digest: String
        var first: [Record]
        var byRegion: [Place]
        var warnings: [Warning]
    }

    struct IssueDTO: Codable, Sendable {
        var sheet: String
        var row: Int
        var subject: String
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
        let data = Data(buffer.readableBytesView)
        let fileName = request.query("fileName") ?? "upload"
        if try request.apiFlag("preview") {
            let preview = try await services.registry.previewImport(kind, data: data, fileName: fileName, by: principal)
            guard preview.clean else { return try Self.rejected(preview.issues, pages: services.pages, context: context) }
            return try PreviewDTO(
                kind: kind.rawValue, fileName: fileName, rows: preview.rowCount, records: preview.records, digest: preview.digest,
                first: preview.first.map { .init(name: $0.name, identifier: $0.identifier, regionCode: $0.region.value, members: $0.members) },
                byRegion: preview.byRegion.map { .init(regionCode: $0.region.value, count: $0.count) },
                warnings: preview.warnings.map { .init(code: $0.code, detail: services.pages.text($0.code, context, $0.arguments)) }
            ).response(from: request, context: context)
        }
        let outcome = try await services.registry.importFile(kind, data: data, fileName: fileName, digest: request.query("digest"), by: principal)
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
                IssueDTO(sheet: $0.sheet, row: $0.row, subject: $0.subject, column: $0.column, header: $0.header, code: $0.code, detail: pages.text("error." + $0.code, context, $0.arguments))
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
