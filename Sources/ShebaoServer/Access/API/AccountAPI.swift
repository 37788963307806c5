import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/me` and `/api/v1/regions`: who the token belongs to and the places in its scope.
struct AccountAPI {
    let services: ShebaoServices

    struct MeDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var username: String
        var displayName: String
        var role: String
        var scope: String
        var actions: [String]
    }

    @Sendable func me(_ request: Request, context: ShebaoRequestContext) async throws -> MeDTO {
        let principal = try context.requirePrincipal()
        return MeDTO(
            id: principal.userID, username: principal.username, displayName: principal.displayName,
            role: principal.role.rawValue, scope: principal.scope.value,
            actions: Action.allCases.filter { AccessPolicy.allows(principal.role, $0) }.map(\.rawValue))
    }

    struct RegionDTO: Codable, Sendable {
        var code: String
        var name: String
        var level: String
        var parentCode: String?
        var areaType: String?
    }

    /// The regions inside the caller's scope; `?parent=CODE` for one level under a region.
    @Sendable func regions(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<RegionDTO> {
        let principal = try context.require(.regionRead)
        let regions: [Region]
        if let parentText = request.uri.queryParameters["parent"] {
            let parent = try await services.registry.regionFilter(String(parentText), field: "parent", by: principal)
            regions = try await services.regions.children(of: parent)
        } else {
            regions = try await services.regions.all(in: principal.scope)
        }
        let items = regions.map {
            RegionDTO(code: $0.code.value, name: $0.name, level: $0.level.rawValue, parentCode: $0.parent?.value, areaType: $0.areaType?.rawValue)
        }
        return ListDTO(items: items, page: 1, perPage: items.count, total: items.count)
    }
}
