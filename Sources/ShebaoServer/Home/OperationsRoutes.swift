import Foundation
import Hummingbird
import Prometheus
import ShebaoOperations
import ShebaoStore

/// `/healthz`, `/metrics`, the OpenAPI document and the stylesheets: routes without a login.
struct OperationsRoutes {
    let services: ShebaoServices

    struct Health: Codable, Sendable {
        var status: String
        var database: String
        var schemaVersion: Int
    }

    /// 200 when the database answers and is migrated; 503 otherwise.
    @Sendable func health(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let health = await services.operations.health(migrations: services.programs.migrations)
        let body = Health(status: health.healthy ? "ok" : "unavailable", database: services.operations.database.dialect.rawValue,
                          schemaVersion: health.schemaVersion)
        let data = try context.responseEncoder.encode(body)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: health.healthy ? .ok : .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func metrics(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.emitToBuffer())))
    }

    @Sendable func stylesheet(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), let css = services.pages.stylesheets[file] else { throw Problem.notFound }
        var headers = HTTPFields()
        headers[.contentType] = file.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: css)))
    }

    @Sendable func openAPI(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        let outputs = (try? await services.policy.exampleOutputs()) ?? [:]
        let document = OpenAPIDocument.served(rules: RuleSchemas.pathItems(services.policy.rules, outputs: outputs))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}

/// The OpenAPI 3 description of `/api/v1`, shipped with the server (`Resources/openapi.yaml`).
enum OpenAPIDocument {
    static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("Resources/openapi.yaml is missing from the server bundle") }
        return text
    }()

    /// The document as served: the hand-written `/calculate/{rule}` item replaced by one
    /// operation per rule (`RuleSchemas`).
    static func served(rules: String) -> String {
        guard let start = yaml.range(of: "\n  /calculate/{rule}:\n") else { return yaml }
        let rest = yaml[start.upperBound...]
        let end = rest.range(of: "\n  /")?.lowerBound ?? rest.endIndex
        let following = end < rest.endIndex ? String(yaml[yaml.index(after: end)...]) : ""
        return String(yaml[..<start.lowerBound]) + "\n" + rules + following
    }
}
