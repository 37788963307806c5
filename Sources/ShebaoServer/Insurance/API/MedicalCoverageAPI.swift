import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations

/// A unit's medical coverage over the API (PROGRAMS.md §2.8): its changes, a clerk's proposal of
/// inpatient pooling only (or full coverage again) from a month, and a reviewer's decision.
struct MedicalCoverageAPI {
    let services: ShebaoServices

    struct ChangeDTO: ResponseEncodable, Sendable {
        var id: Int64
        var employerId: Int64
        var employerName: String
        var coverage: String
        var from: String
        var funding: String?
        var note: String
        var state: String
        var proposedBy: String
        var decidedBy: String?
        var decisionNote: String?

        init(_ change: MedicalCoverageChange) {
            id = change.id
            employerId = change.employerID
            employerName = change.employerName
            coverage = change.coverage.rawValue
            from = change.from.description
            funding = change.funding?.rawValue
            note = change.note
            state = change.state.rawValue
            proposedBy = change.proposedBy
            decidedBy = change.decidedBy
            decisionNote = change.decisionNote
        }
    }

    struct CoverageDTO: ResponseEncodable, Sendable {
        /// The coverage this month: `full` or `inpatient_only`.
        var coverage: String
        var inForce: ChangeDTO?
        var earliestFrom: String
        var items: [ChangeDTO]
    }

    @Sendable func coverage(_ request: Request, context: ShebaoRequestContext) async throws -> CoverageDTO {
        let coverage = try await services.insurance.medicalCoverage(of: try context.id(), by: try context.requirePrincipal())
        return CoverageDTO(coverage: coverage.inForce?.coverage.rawValue ?? MedicalCoverage.full.rawValue, inForce: coverage.inForce.map(ChangeDTO.init),
                           earliestFrom: coverage.earliestFrom.description, items: coverage.changes.map(ChangeDTO.init))
    }

    struct ProposalBody: Decodable, Sendable {
        var coverage: String
        var from: String
        var funding: String?
        var note: String
    }

    @Sendable func propose(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: ProposalBody.self, context: context)
        let change = try await services.insurance.proposeMedicalCoverage(employer: try context.id(), coverage: body.coverage, from: body.from,
                                                                         funding: body.funding ?? "", note: body.note, by: try context.requirePrincipal())
        var response = try ChangeDTO(change).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct DecisionBody: Decodable, Sendable {
        var decision: String
        var note: String?
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> ChangeDTO {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        guard ["approve", "reject"].contains(body.decision) else { throw Problem.badRequest("field.not_in_list", ["value": body.decision]) }
        return ChangeDTO(try await services.insurance.decideMedicalCoverage(try context.id(), approve: body.decision == "approve", note: body.note ?? "",
                                                                            by: try context.requirePrincipal()))
    }
}
