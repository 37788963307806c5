import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/runs`: batch runs of every program — start (computed in the background), progress,
/// resume, approve or reject (a second person), post.
struct RunsAPI {
    let services: ShebaoServices

    struct RunDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var kind: String
        var period: String
        var scopeCode: String
        var state: String
        var chunks: Int
        var chunksDone: Int
        var rows: Int64
        var total: Int64
        var totalUnit: String
        var inputs: [String: String]
        var createdBy: String
        var createdAt: String
        var computedAt: String?
        var decidedBy: String?
        var decidedAt: String?
        var postedAt: String?

        init(_ run: BatchRun, unit: BatchKind.TotalUnit?) {
            id = run.id
            kind = run.key.kind
            period = run.key.period.description
            scopeCode = run.key.scope.value
            state = run.state.rawValue
            chunks = run.chunkCount
            chunksDone = run.chunksDone
            rows = run.rowCount
            total = run.total
            totalUnit = unit?.rawValue ?? "count"
            inputs = run.inputs
            createdBy = run.createdByName
            createdAt = run.createdAt
            computedAt = run.computedAt
            decidedBy = run.decidedByName
            decidedAt = run.decidedAt
            postedAt = run.postedAt
        }
    }

    struct StartBody: Decodable, Sendable {
        var kind: String
        var period: String
        var scope: String?
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
        var note: String?
    }

    private func dto(_ run: BatchRun) -> RunDTO { RunDTO(run, unit: services.batches.kind(run.key.kind)?.totalUnit) }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<RunDTO> {
        ListDTO(try await services.batches.runs(kind: request.query("kind"), paging: try request.apiPaging(), by: try context.requirePrincipal()), dto)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> RunDTO {
        dto(try await services.batches.run(try context.id(), by: try context.requirePrincipal()))
    }

    /// Creates (or finds) the run and computes it in the background: 202 while it computes, 200
    /// when the run was already computed (a rerun doubles nothing).
    @Sendable func start(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<RunDTO> {
        let principal = try context.requirePrincipal()
        let body = try await request.decode(as: StartBody.self, context: context)
        // Null (or no scope) is the caller's scope; an empty one is not a region.
        if let scope = body.scope, scope.allSatisfy(\.isWhitespace) { throw ServiceError.invalid("scope", "region_code.unknown", ["code": scope]) }
        let run = try await services.batches.prepare(kind: body.kind, period: body.period, scope: body.scope, by: principal)
        services.background.compute(run, by: principal, services: services.batches, logger: context.logger)
        return EditedResponse(status: run.state == .draft ? .accepted : .ok, headers: [.location: Route.API.run.path(run.id)], response: dto(run))
    }

    @Sendable func resume(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<RunDTO> {
        let principal = try context.requirePrincipal()
        let run = try await services.batches.run(try context.id(), by: principal)
        guard services.batches.kind(run.key.kind)?.computeRoles.contains(principal.role) == true else { throw Problem.forbidden }
        services.background.compute(run, by: principal, services: services.batches, logger: context.logger)
        return EditedResponse(status: run.state == .draft ? .accepted : .ok, response: dto(run))
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> RunDTO {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        return dto(try await services.batches.decide(try context.id(), approve: body.approve, note: body.note, by: try context.requirePrincipal()))
    }

    @Sendable func post(_ request: Request, context: ShebaoRequestContext) async throws -> RunDTO {
        dto(try await services.batches.post(try context.id(), by: try context.requirePrincipal()))
    }
}
