import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/parameters` (the book, proposals, decisions), `/api/v1/rules` and
/// `/api/v1/calculate/{rule}` (like OpenFisca's calculate and trace).
struct PolicyAPI {
    let services: ShebaoServices

    struct ParameterDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var key: String
        var regionCode: String
        var validFrom: String
        var kind: String
        var value: String
        var unit: String
        var legalBasis: String
        var label: String
        var status: String
        var proposedBy: String
        var note: String?
        var retroactiveReason: String?
        /// Two reviewers must approve (the value is far from the one in force).
        var needsSecondApproval: Bool
        var firstApprovedBy: Int64?

        init(_ record: ParameterRecord) {
            retroactiveReason = record.retroactiveReason
            needsSecondApproval = record.needsSecondApproval
            firstApprovedBy = record.firstApprovedBy
            id = record.id
            key = record.parameter.key
            regionCode = record.parameter.region.value
            validFrom = record.parameter.validFrom.description
            kind = record.parameter.value.kind
            value = record.parameter.value.text
            unit = record.parameter.unit
            legalBasis = record.parameter.legalBasis
            label = record.parameter.label.rawValue
            status = record.status.rawValue
            proposedBy = record.proposedByName
            note = record.note
        }
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
    }

    /// Values: `?key=` (its history) or every key; `?status=proposed` for the queue.
    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<ParameterDTO> {
        let status: ProposalStatus? = try request.apiChoice("status")
        return ListDTO(all: try await services.policy.records(status: status, key: request.query("key"), by: try context.requirePrincipal()).map(ParameterDTO.init))
    }

    @Sendable func propose(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<ParameterDTO> {
        let body = try await request.decode(as: ParameterProposal.self, context: context)
        return EditedResponse(status: .created, response: ParameterDTO(try await services.policy.propose(body, by: try context.requirePrincipal())))
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> ParameterDTO {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        return ParameterDTO(try await services.policy.decide(try context.id(), approve: body.approve, by: try context.requirePrincipal()))
    }

    struct RuleDTO: ResponseEncodable, Decodable, Sendable {
        struct Field: Codable, Sendable {
            var name: String
            var kind: String
            var optional: Bool
            var choices: [String]?
            /// The smallest and largest value accepted (money in yuan, dates and periods as text).
            var minimum: String?
            var maximum: String?
        }
        var id: String
        var title: String
        var fields: [Field]
        var example: String
    }

    @Sendable func rules(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<RuleDTO> {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .calculate) else { throw Problem.forbidden }
        let pages = services.pages
        return ListDTO(all: services.policy.rules.map { entry in
            RuleDTO(id: entry.id, title: pages.text("rule.\(entry.id)", context), fields: entry.fields.map { field in
                var choices: [String]?
                let kind: String
                switch field.kind {
                case .money: kind = "money"
                case .integer: kind = "integer"
                case .decimal: kind = "decimal"
                case .rate: kind = "rate"
                case .date: kind = "date"
                case .period: kind = "period"
                case .bool: kind = "bool"
                case .choice(let values): kind = "choice"; choices = values
                case .list: kind = "list"
                }
                let limits = field.bounds.limits
                return RuleDTO.Field(name: field.name, kind: kind, optional: field.optional, choices: choices, minimum: limits?.lower, maximum: limits?.upper)
            }, example: String(decoding: entry.exampleJSON, as: UTF8.self))
        })
    }

    /// `POST /api/v1/calculate/{rule}[?explain=true][&region=CODE]` with the rule's input as JSON.
    @Sendable func calculate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let ruleID = context.parameters.get("rule") else { throw Problem.notFound }
        let explain = try request.apiFlag("explain")
        var request = request
        let body = try await request.collectBody(upTo: 1_048_576)
        let result = try await services.policy.calculate(ruleID, input: Data(body.readableBytesView), region: request.query("region"), by: principal)
        // The output is spliced in as the rule encoded it (money in fen), under sorted keys.
        var json = "{\"region\":\"\(result.region.value)\",\"result\":" + String(decoding: result.evaluation.output, as: UTF8.self) + ",\"rule\":\"\(ruleID)\""
        if explain {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = "{\"explanation\":" + String(decoding: try encoder.encode(ExplanationView(result.evaluation.explanation, pages: services.pages, context: context)),
                                                 as: UTF8.self) + "," + json.dropFirst()
        }
        json += "}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
