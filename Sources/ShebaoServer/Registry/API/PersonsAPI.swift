import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/persons`: search, register, read (audited), change, the one view, history, export,
/// and opening a correction of the resident ID. Each handler parses, calls one use case of the
/// registry service and encodes.
struct PersonsAPI {
    let services: ShebaoServices

    @Sendable func search(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PersonSummaryDTO> {
        let page = try await services.registry.searchPersons(request.personSearch, paging: try request.apiPaging(), by: try context.requirePrincipal())
        return ListDTO(page, PersonSummaryDTO.init)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> PersonDTO {
        PersonDTO(try await services.registry.person(try context.id(), by: try context.requirePrincipal()))
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<PersonDTO> {
        let body = try await request.decode(as: PersonBody.self, context: context)
        let person = try await services.registry.registerPerson(residentID: body.residentID, body.input, reason: body.reason, by: try context.requirePrincipal())
        return EditedResponse(status: .created, headers: [.location: Route.API.person.path(person.id)], response: PersonDTO(person))
    }

    @Sendable func update(_ request: Request, context: ShebaoRequestContext) async throws -> PersonDTO {
        let body = try await request.decode(as: PersonBody.self, context: context)
        return PersonDTO(try await services.registry.updatePerson(
            try context.id(), body.input, residentID: body.residentID, expectedVersion: body.version, reason: body.reason, by: try context.requirePrincipal()))
    }

    @Sendable func view(_ request: Request, context: ShebaoRequestContext) async throws -> PersonViewDTO {
        let person = try await services.registry.person(try context.id(), by: try context.requirePrincipal())
        return PersonViewDTO(person: PersonDTO(person), panels: try await PersonPanels(services: services).panels(for: person, request, context))
    }

    @Sendable func history(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PersonVersionDTO> {
        ListDTO(all: try await services.registry.personHistory(try context.id(), by: try context.requirePrincipal()).map(PersonVersionDTO.init))
    }

    @Sendable func export(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let format: FileFormat = try request.apiChoice("format", default: .csv) ?? .csv
        return .download(try await services.registry.exportPersons(request.personSearch, format: format, language: context.language,
                                                                   by: try context.requirePrincipal()))
    }

    struct CorrectionBody: Decodable, Sendable {
        var correctedID: String
    }

    struct CaseCreatedDTO: ResponseEncodable, Sendable {
        var caseID: Int64
    }

    /// Opens a correction of the person's resident ID; the case then follows its steps on `/api/v1/cases`.
    @Sendable func openCorrection(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<CaseCreatedDTO> {
        let body = try await request.decode(as: CorrectionBody.self, context: context)
        let id = try await services.registry.openIDCorrection(personID: try context.id(), correctedID: body.correctedID, by: try context.requirePrincipal())
        return EditedResponse(status: .created, headers: [.location: Route.API.caseItem.path(id)], response: CaseCreatedDTO(caseID: id))
    }
}
