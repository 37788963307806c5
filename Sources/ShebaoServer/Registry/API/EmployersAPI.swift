import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/employers`: search, register, read, change, staff, export.
struct EmployersAPI {
    let services: ShebaoServices

    @Sendable func search(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<EmployerDTO> {
        ListDTO(try await services.registry.searchEmployers(request.employerSearch, paging: try request.apiPaging(), by: try context.requirePrincipal()),
                EmployerDTO.init)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> EmployerDTO {
        EmployerDTO(try await services.registry.employer(try context.id(), by: try context.requirePrincipal()))
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<EmployerDTO> {
        let body = try await request.decode(as: EmployerBody.self, context: context)
        let employer = try await services.registry.registerEmployer(creditCode: body.creditCode, body.input, reason: body.reason, by: try context.requirePrincipal())
        return EditedResponse(status: .created, headers: [.location: Route.API.employer.path(employer.id)], response: EmployerDTO(employer))
    }

    @Sendable func update(_ request: Request, context: ShebaoRequestContext) async throws -> EmployerDTO {
        let body = try await request.decode(as: EmployerBody.self, context: context)
        return EmployerDTO(try await services.registry.updateEmployer(try context.id(), body.input, expectedVersion: body.version, reason: body.reason,
                                                                      by: try context.requirePrincipal()))
    }

    /// The staff inside the caller's scope, and how many are registered elsewhere (a count, no names).
    struct StaffListDTO: ResponseEncodable, Sendable {
        var items: [StaffDTO]
        var elsewhere: Int
    }

    @Sendable func staff(_ request: Request, context: ShebaoRequestContext) async throws -> StaffListDTO {
        let principal = try context.requirePrincipal()
        let employer = try await services.registry.employer(try context.id(), by: principal)
        let staff = try await services.registry.staff(of: employer, by: principal)
        return StaffListDTO(items: staff.staff.map(StaffDTO.init), elsewhere: staff.elsewhere)
    }

    @Sendable func export(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let format: FileFormat = try request.apiChoice("format", default: .csv) ?? .csv
        return .download(try await services.registry.exportEmployers(request.employerSearch, format: format, language: context.language,
                                                                     by: try context.requirePrincipal()))
    }
}
