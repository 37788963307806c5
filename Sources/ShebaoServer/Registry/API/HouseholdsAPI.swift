import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/households`: list, register, read, change of head, moving a member in.
struct HouseholdsAPI {
    let services: ShebaoServices

    /// A household with its members, the head first; the register number is assigned.
    struct CreateBody: Decodable, Sendable {
        struct Member: Decodable, Sendable {
            var residentID: String
            var name: String?
            var relation: String?
            var phone: String?
        }
        var regionCode: String
        var address: String?
        var hukouType: String?
        var members: [Member]
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

    struct JoinBody: Decodable, Sendable {
        var registerNumber: String
        var relation: String
        var reason: String
    }

    struct LeaveBody: Decodable, Sendable {
        var version: Int64
        var reason: String
    }

    /// The person joins the household of a register number, from wherever they were.
    @Sendable func join(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let body = try await request.decode(as: JoinBody.self, context: context)
        return HouseholdDTO(try await services.registry.joinHousehold(
            person: try context.id(), registerNumber: body.registerNumber, relation: body.relation, reason: body.reason, by: try context.requirePrincipal()))
    }

    /// The person leaves their household; the answer is the household as it is after.
    @Sendable func leave(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let body = try await request.decode(as: LeaveBody.self, context: context)
        return HouseholdDTO(try await services.registry.leaveHousehold(
            person: try context.id(), expectedVersion: body.version, reason: body.reason, by: try context.requirePrincipal()))
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<HouseholdDTO> {
        ListDTO(try await services.registry.households(region: request.query("region"), matching: request.query("q"), paging: try request.apiPaging(), by: try context.requirePrincipal()),
                HouseholdDTO.init)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        HouseholdDTO(try await services.registry.household(try context.id(), by: try context.requirePrincipal()))
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<HouseholdDTO> {
        let body = try await request.decode(as: CreateBody.self, context: context)
        let rows = body.members.map { HouseholdRegistration.Row(residentID: $0.residentID, name: $0.name, relation: $0.relation, phone: $0.phone) }
        let household = try await services.registry.registerHousehold(
            HouseholdRegistration(region: body.regionCode, address: body.address, hukouType: body.hukouType, rows: rows, reason: body.reason),
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
