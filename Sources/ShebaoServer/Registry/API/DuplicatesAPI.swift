import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/duplicates` and `/api/v1/merges`: likely pairs, merges proposed and decided.
struct DuplicatesAPI {
    let services: ShebaoServices

    struct CandidateDTO: Codable, Sendable {
        var first: PersonSummaryDTO
        var second: PersonSummaryDTO
    }

    struct ProposeBody: Decodable, Sendable {
        var keepPersonID: Int64?
        var mergePersonID: Int64?
        var reason: String?
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
        var note: String?
    }

    @Sendable func candidates(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<CandidateDTO> {
        ListDTO(all: try await services.registry.duplicateCandidates(by: try context.requirePrincipal()).map {
            CandidateDTO(first: PersonSummaryDTO($0.first), second: PersonSummaryDTO($0.second))
        })
    }

    @Sendable func proposed(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<MergeDTO> {
        ListDTO(all: try await services.registry.proposedMerges(by: try context.requirePrincipal()).map {
            MergeDTO($0.request, differences: $0.differences.map { String($0.dropFirst("person.".count)) })
        })
    }

    @Sendable func propose(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<MergeDTO> {
        let body = try await request.decode(as: ProposeBody.self, context: context)
        let merge = try await services.registry.proposeMerge(keep: body.keepPersonID, merge: body.mergePersonID, reason: body.reason,
                                                            by: try context.requirePrincipal())
        return EditedResponse(status: .created, response: MergeDTO(merge))
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> MergeDTO {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        return MergeDTO(try await services.registry.decideMerge(try context.id(), approve: body.approve, note: body.note, by: try context.requirePrincipal()))
    }
}
