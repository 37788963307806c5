import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/households`: list, register, read, change of head, moving a member in.
struct HouseholdsAPI {
    let services: ShebaoServices

    struct CreateBody: Decodable, Sendable {
        var registerNumber: String
        var regionCode: String
        var address: String?
        var headResidentID: String
        var reason: String?
    }

    struct ChangeHeadBody: Decodable, Sendable {
        var personID: Int64
        var formerHeadRelation: String
        var version: Int64
        var reason: String
    }

    struct MoveInBody: Decodable, Sendable {
        var residentID: String
        var relation: String
        var version: Int64
        var reason: String
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<HouseholdDTO> {
        ListDTO(try await services.registry.households(region: request.query("region"), paging: try request.apiPaging(), by: try context.requirePrincipal()),
                HouseholdDTO.init)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        HouseholdDTO(try await services.registry.household(try context.id(), by: try context.requirePrincipal()))
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<HouseholdDTO> {
        let body = try await request.decode(as: CreateBody.self, context: context)
        let household = try await services.registry.createHousehold(
            registerNumber: body.registerNumber, region: body.regionCode, address: body.address, headResidentID: body.headResidentID, reason: body.reason,
            by: try context.requirePrincipal())
        return EditedResponse(status: .created, headers: [.location: Route.API.household.path(household.id)], response: HouseholdDTO(household))
    }

    @Sendable func changeHead(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let body = try await request.decode(as: ChangeHeadBody.self, context: context)
        return HouseholdDTO(try await services.registry.changeHead(
            try context.id(), to: body.personID, formerHeadRelation: body.formerHeadRelation, expectedVersion: body.version, reason: body.reason,
            by: try context.requirePrincipal()))
    }

    @Sendable func moveIn(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let body = try await request.decode(as: MoveInBody.self, context: context)
        return HouseholdDTO(try await services.registry.moveIn(
            try context.id(), residentID: body.residentID, relation: body.relation, expectedVersion: body.version, reason: body.reason,
            by: try context.requirePrincipal()))
    }
}
