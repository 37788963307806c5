import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/cases`: applications of every program — list, the overdue list of an office, one case
/// with the moves its reader may make, taking a step, documents, objections during a notice.
struct CasesAPI {
    let services: ShebaoServices

    struct SummaryDTO: Codable, Sendable {
        var id: Int64
        var type: String
        var regionCode: String
        var personID: Int64?
        var personName: String?
        var state: String
        var dueOn: String?
        var openedAt: String

        init(_ summary: CaseSummary) {
            id = summary.id
            type = summary.type
            regionCode = summary.region.value
            personID = summary.personID
            personName = summary.personName
            state = summary.state
            dueOn = summary.dueOn?.description
            openedAt = summary.openedAt
        }
    }

    struct CaseDTO: ResponseEncodable, Sendable {
        struct Fact: Codable, Sendable {
            var label: String
            var value: String
        }
        struct Step: Codable, Sendable {
            var seq: Int64
            var transition: String
            var fromState: String?
            var toState: String
            var actor: String
            var takenAt: String
            var note: String?
        }
        struct Notice: Codable, Sendable {
            var startsOn: String
            var endsOn: String
            var objections: [CaseRecord.Objection]
        }
        struct Move: Codable, Sendable {
            var transition: String
            var label: String
        }
        var id: Int64
        var type: String
        var title: String
        var regionCode: String
        var personID: Int64?
        var personName: String?
        var state: String
        var stateLabel: String
        var dueOn: String?
        var version: Int64
        var facts: [Fact]
        var steps: [Step]
        var documents: [CaseRecord.Document]
        var notice: Notice?
        /// The moves the caller may make now.
        var allowed: [Move]

        init(_ view: CaseView, pages: PageRenderer, context: ShebaoRequestContext) {
            let record = view.record
            id = record.id
            type = record.type
            title = pages.text(view.type.titleKey, context)
            regionCode = record.region.value
            personID = record.personID
            personName = view.personName
            state = record.state
            stateLabel = pages.text(view.type.stateKey(record.state), context)
            dueOn = record.dueOn?.description
            version = record.version
            facts = view.facts.map { Fact(label: pages.text($0.labelKey, context), value: $0.value) }
            steps = record.steps.map {
                Step(seq: $0.seq, transition: $0.transition, fromState: $0.fromState, toState: $0.toState, actor: $0.actorName, takenAt: $0.takenAt, note: $0.note)
            }
            documents = record.documents
            notice = record.notice.map { Notice(startsOn: $0.startsOn.description, endsOn: $0.endsOn.description, objections: $0.objections) }
            allowed = view.allowed.map { Move(transition: $0.id, label: pages.text(view.type.transitionKey($0.id), context)) }
        }
    }

    struct StepBody: Decodable, Sendable {
        var transition: String
        var note: String?
        var version: Int64?
    }

    struct DocumentBody: Decodable, Sendable {
        var kind: String
        var reference: String
        var note: String?
    }

    struct ObjectionBody: Decodable, Sendable {
        var raisedBy: String
        var content: String
    }

    struct ResolutionBody: Decodable, Sendable {
        var outcome: String
        var resolution: String
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<SummaryDTO> {
        ListDTO(try await services.cases.list(type: request.query("type"), state: request.query("state"), openOnly: try request.apiFlag("open"),
                                              paging: try request.apiPaging(), by: try context.requirePrincipal()), SummaryDTO.init)
    }

    @Sendable func overdue(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<SummaryDTO> {
        ListDTO(all: try await services.cases.overdue(by: try context.requirePrincipal()).map(SummaryDTO.init))
    }

    private func view(_ id: Int64, _ context: ShebaoRequestContext) async throws -> CaseDTO {
        CaseDTO(try await services.cases.view(id, by: try context.requirePrincipal()), pages: services.pages, context: context)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> CaseDTO {
        try await view(try context.id(), context)
    }

    @Sendable func take(_ request: Request, context: ShebaoRequestContext) async throws -> CaseDTO {
        let body = try await request.decode(as: StepBody.self, context: context)
        let id = try context.id()
        _ = try await services.cases.take(id, transition: body.transition, note: body.note, expectedVersion: body.version, by: try context.requirePrincipal())
        return try await view(id, context)
    }

    @Sendable func addDocument(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<CaseDTO> {
        let body = try await request.decode(as: DocumentBody.self, context: context)
        let id = try context.id()
        _ = try await services.cases.addDocument(id, kind: body.kind, reference: body.reference, note: body.note, by: try context.requirePrincipal())
        return EditedResponse(status: .created, response: try await view(id, context))
    }

    @Sendable func raiseObjection(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<CaseDTO> {
        let body = try await request.decode(as: ObjectionBody.self, context: context)
        let id = try context.id()
        _ = try await services.cases.raiseObjection(id, raisedBy: body.raisedBy, content: body.content, by: try context.requirePrincipal())
        return EditedResponse(status: .created, response: try await view(id, context))
    }

    @Sendable func resolveObjection(_ request: Request, context: ShebaoRequestContext) async throws -> CaseDTO {
        let body = try await request.decode(as: ResolutionBody.self, context: context)
        let id = try context.id()
        _ = try await services.cases.resolveObjection(id, objection: try context.id("objection"), outcome: body.outcome, resolution: body.resolution,
                                                      by: try context.requirePrincipal())
        return try await view(id, context)
    }
}
