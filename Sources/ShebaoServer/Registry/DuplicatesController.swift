import Hummingbird
import ShebaoCore
import ShebaoStore

/// Duplicate person records: likely pairs, merge requests by clerks, decisions by reviewers.
struct DuplicatesController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/duplicates", use: apiCandidates)
        group.get("/merges", use: apiPending)
        group.post("/merges", use: apiRequest)
        group.post("/merges/{id}/decision", use: apiDecide)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/duplicates", use: page)
        group.post("/duplicates", use: pageRequest)
        group.post("/duplicates/{id}/decision", use: pageDecide)
    }

    private var pages: PageRenderer { services.pages }
    private var store: MergeStore { MergeStore(database: services.database, clock: services.clock) }

    struct MergeDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var keptPersonID: Int64
        var mergedPersonID: Int64
        var reason: String
        var status: String
        var requestedBy: Int64
        var requestedAt: String
        var decidedBy: Int64?
        var decisionNote: String?

        init(_ request: MergeRequest) {
            id = request.id
            keptPersonID = request.keptPersonID
            mergedPersonID = request.mergedPersonID
            reason = request.reason
            status = request.status.rawValue
            requestedBy = request.requestedBy
            requestedAt = request.requestedAt
            decidedBy = request.decidedBy
            decisionNote = request.decisionNote
        }
    }

    struct CandidateDTO: Codable, Sendable {
        var first: PersonSummaryDTO
        var second: PersonSummaryDTO
    }

    struct RequestBody: Decodable, Sendable {
        var keepPersonID: Int64
        var mergePersonID: Int64
        var reason: String
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
        var note: String?
    }

    /// A merge refusal as a problem.
    private func perform(_ body: () async throws -> MergeRequest?) async throws -> MergeRequest {
        do {
            guard let request = try await body() else { throw Problem.notFound }
            return request
        } catch let error as MergeError {
            switch error {
            case .ownRequest: throw Problem(.forbidden, code: "merge.own_request")
            case .samePerson: throw Problem(.unprocessableContent, code: "merge.same_person")
            case .alreadyMerged: throw Problem(.conflict, code: "merge.already_merged")
            case .alreadyRequested: throw Problem(.conflict, code: "merge.already_requested")
            case .notPending: throw Problem(.conflict, code: "merge.not_pending")
            }
        }
    }

    // MARK: API

    @Sendable func apiCandidates(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<CandidateDTO> {
        let principal = try context.require(.personList)
        let pairs = try await store.candidates(in: principal.scope).map { CandidateDTO(first: PersonSummaryDTO($0.first), second: PersonSummaryDTO($0.second)) }
        return ListDTO(items: pairs, page: 1, perPage: pairs.count, total: pairs.count)
    }

    @Sendable func apiPending(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<MergeDTO> {
        let principal = try context.require(.personList)
        let pending = try await store.pending(in: principal.scope).map(MergeDTO.init)
        return ListDTO(items: pending, page: 1, perPage: pending.count, total: pending.count)
    }

    @Sendable func apiRequest(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<MergeDTO> {
        let principal = try context.require(.mergeRequest)
        let body = try await request.decode(as: RequestBody.self, context: context)
        guard !body.reason.trimmingASCIIWhitespace().isEmpty else { throw Problem.invalid([FieldIssue("reason", "field.required")], pages: pages, context: context) }
        let merge = try await perform { try await store.request(keep: body.keepPersonID, merge: body.mergePersonID, reason: body.reason, by: principal) }
        return EditedResponse(status: .created, response: MergeDTO(merge))
    }

    @Sendable func apiDecide(_ request: Request, context: ShebaoRequestContext) async throws -> MergeDTO {
        let principal = try context.require(.mergeDecide)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound }
        let body = try await request.decode(as: DecisionBody.self, context: context)
        return MergeDTO(try await perform { try await store.decide(id: id, approve: body.approve, note: body.note, by: principal) })
    }

    // MARK: Pages

    struct Page {
        struct Person {
            var id: Int64
            var name: String
            var maskedID: String
            var birthDate: String
        }
        struct Pair {
            var first: Person
            var second: Person
        }
        struct Pending {
            var id: Int64
            var kept: Person
            var merged: Person
            var reason: String
            var requestedAt: String
        }
        var pairs: [Pair]
        var pending: [Pending]
        var canRequest: Bool
        var canDecide: Bool
        var keep: String
        var notice: String?
        var problem: String?
    }

    @Sendable func page(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.personList)
        return try await render(request, context, notice: request.query("done").map { pages.text("merge.done.\($0)", context) }, problem: nil, status: .ok)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.personList)
        func view(_ person: ShebaoCore.Person) -> Page.Person {
            Page.Person(id: person.id, name: person.name, maskedID: person.residentID.masked, birthDate: person.birthDate.description)
        }
        var pending: [Page.Pending] = []
        for merge in try await store.pending(in: principal.scope) {
            if let kept = try await services.persons.find(id: merge.keptPersonID), let merged = try await services.persons.find(id: merge.mergedPersonID) {
                pending.append(.init(id: merge.id, kept: view(kept), merged: view(merged), reason: merge.reason, requestedAt: merge.requestedAt))
            }
        }
        let content = Page(
            pairs: try await store.candidates(in: principal.scope).map { Page.Pair(first: view($0.first), second: view($0.second)) },
            pending: pending, canRequest: AccessPolicy.allows(principal.role, .mergeRequest), canDecide: AccessPolicy.allows(principal.role, .mergeDecide),
            keep: request.query("keep") ?? "", notice: notice, problem: problem)
        return pages.render("duplicates", title: pages.text("duplicates.title", context), content: content, request: request, context: context, status: status)
    }

    @Sendable func pageRequest(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.mergeRequest)
        let form = try await FormData.verified(request, context)
        guard let keep = Int64(form["keep"] ?? ""), let merge = Int64(form["merge"] ?? ""), let reason = form["reason"], !reason.trimmingASCIIWhitespace().isEmpty else {
            return try await render(request, context, notice: nil, problem: pages.text("error.merge.form", context), status: .unprocessableContent)
        }
        do {
            _ = try await perform { try await store.request(keep: keep, merge: merge, reason: reason, by: principal) }
            return .redirect(to: "/duplicates?done=requested", type: .found)
        } catch let problem as Problem where problem.status != .notFound {
            return try await render(request, context, notice: nil, problem: pages.text("error.\(problem.code)", context), status: problem.status)
        }
    }

    @Sendable func pageDecide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.mergeDecide)
        let form = try await FormData.verified(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound }
        let approve = form["decision"] == "approve"
        do {
            _ = try await perform { try await store.decide(id: id, approve: approve, note: form["note"], by: principal) }
            return .redirect(to: "/duplicates?done=\(approve ? "approved" : "refused")", type: .found)
        } catch let problem as Problem where problem.status != .notFound {
            return try await render(request, context, notice: nil, problem: pages.text("error.\(problem.code)", context), status: problem.status)
        }
    }
}
