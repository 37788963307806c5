import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// The policy book on the API and the pages: values in force and their history, proposals of
/// future-dated values, and their approval by a second person.
struct PolicyController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/parameters", use: apiList)
        group.post("/parameters", use: apiPropose)
        group.post("/parameters/{id}/decision", use: apiDecide)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/policy", use: pageIndex)
        group.get("/policy/new", use: pageNew)
        group.post("/policy", use: pagePropose)
        group.get("/policy/pending", use: pagePending)
        group.post("/policy/{id}/decision", use: pageDecide)
        group.get("/policy/keys/{key}", use: pageHistory)
    }

    private var pages: PageRenderer { services.pages }
    private var store: ParameterStore { services.parameters }

    // MARK: Shared

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

        init(_ record: ParameterRecord) {
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

    /// The store's refusals as problems: maker–checker is 403, a decided value 409, bad text 422.
    private static func problem(_ error: ParameterStoreError) -> Problem {
        let status: HTTPResponse.Status = switch error {
        case .ownProposal: .forbidden
        case .notPending, .duplicate: .conflict
        default: .unprocessableContent
        }
        return Problem(status, code: error.code, arguments: error.arguments)
    }

    private func propose(_ proposal: ParameterProposal, by principal: Principal) async throws -> ParameterRecord {
        do {
            return try await store.propose(proposal, by: principal)
        } catch StoreError.notFound {
            throw Problem.notFound
        } catch let error as ParameterStoreError {
            throw Self.problem(error)
        }
    }

    private func decide(_ id: Int64, approve: Bool, by principal: Principal) async throws -> ParameterRecord {
        do {
            guard let record = try await store.decide(id: id, approve: approve, by: principal) else { throw Problem.notFound }
            return record
        } catch let error as ParameterStoreError {
            throw Self.problem(error)
        }
    }

    // MARK: API

    /// Values: `?key=` (its history) or every key; `?status=proposed` for the queue.
    @Sendable func apiList(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<ParameterDTO> {
        _ = try context.require(.parameterRead)
        let status = request.query("status").flatMap(ParameterRecord.Status.init(rawValue:))
        let records = try await store.records(status: status, key: request.query("key")).map(ParameterDTO.init)
        return ListDTO(items: records, page: 1, perPage: records.count, total: records.count)
    }

    @Sendable func apiPropose(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<ParameterDTO> {
        let principal = try context.require(.parameterPropose)
        let body = try await request.decode(as: ParameterProposal.self, context: context)
        return EditedResponse(status: .created, response: ParameterDTO(try await propose(body, by: principal)))
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
    }

    @Sendable func apiDecide(_ request: Request, context: ShebaoRequestContext) async throws -> ParameterDTO {
        let principal = try context.require(.parameterDecide)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound }
        let body = try await request.decode(as: DecisionBody.self, context: context)
        return ParameterDTO(try await decide(id, approve: body.approve, by: principal))
    }

    // MARK: Pages

    struct IndexPage {
        struct Row {
            var key: String
            var label: String
            var value: String
            var validFrom: String
            var region: String
            var legalBasis: String
            var verification: String
            var next: String?
        }
        var asOf: String
        var rows: [Row]
        var pending: Int
        var canPropose: Bool
    }

    /// Every key with the value in force today for the caller's area, and the next one if approved ahead.
    @Sendable func pageIndex(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.parameterRead)
        let book = try await store.book()
        let today = services.clock.now().dateInChina
        let region = principal.scope.level == .nation ? DemoDistrict.district : principal.scope
        var rows: [IndexPage.Row] = []
        for key in book.keys {
            guard let current = try? book.resolve(key, region: region, on: today) else { continue }
            let future = book.history(key).filter { $0.validFrom > today && (region.contains($0.region) || $0.region.contains(region)) }.min { $0.validFrom < $1.validFrom }
            rows.append(IndexPage.Row(
                key: key, label: pages.text("param.\(key)", context), value: current.value.text, validFrom: current.validFrom.description,
                region: current.region.value, legalBasis: current.legalBasis, verification: pages.text("verification.\(current.label.rawValue)", context),
                next: future.map { "\($0.value.text)（\($0.validFrom)）" }))
        }
        let pending = try await store.records(status: .proposed).count
        let content = IndexPage(asOf: pages.text("policy.as_of", context, ["date": today.description]), rows: rows, pending: pending,
                                canPropose: AccessPolicy.allows(principal.role, .parameterPropose))
        return pages.render("policy", title: pages.text("policy.title", context), content: content, request: request, context: context)
    }

    struct HistoryPage {
        struct Row {
            var id: Int64
            var value: String
            var validFrom: String
            var region: String
            var status: String
            var legalBasis: String
            var verification: String
            var proposedBy: String
        }
        var key: String
        var unit: String
        var rows: [Row]
    }

    @Sendable func pageHistory(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.parameterRead)
        guard let key = context.parameters.get("key") else { throw Problem.notFound }
        let records = try await store.records(key: key)
        guard !records.isEmpty else { throw Problem.notFound }
        let rows = records.map {
            HistoryPage.Row(id: $0.id, value: $0.parameter.value.text, validFrom: $0.parameter.validFrom.description, region: $0.parameter.region.value,
                            status: pages.text("parameter_status.\($0.status.rawValue)", context), legalBasis: $0.parameter.legalBasis,
                            verification: pages.text("verification.\($0.parameter.label.rawValue)", context), proposedBy: $0.proposedByName)
        }
        return pages.render("policy-history", title: pages.text("param.\(key)", context), content: HistoryPage(key: key, unit: records[0].parameter.unit, rows: rows),
                            request: request, context: context)
    }

    @Sendable func pageNew(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.parameterPropose)
        return try await renderNew(FormData(fields: ["key": request.query("key") ?? "", "region": principal.scope.value]), problems: [], principal: principal,
                                   request, context, status: .ok)
    }

    private func renderNew(_ form: FormData, problems: [String], principal: Principal, _ request: Request, _ context: ShebaoRequestContext,
                           status: HTTPResponse.Status) async throws -> Response {
        let book = try await store.book()
        var regions: [(String, String)] = []
        var place: RegionCode? = principal.scope
        while let current = place {
            regions.append((current.value, (try await services.regions.find(current))?.name ?? pages.text("policy.nation", context)))
            place = current.level == .nation ? nil : (current.parent ?? .nation)
        }
        let fields: [FormFieldView] = [
            .select("key", label: pages.text("policy.key", context), value: form["key"], options: book.keys.map { ($0, pages.text("param.\($0)", context) + " (\($0))") }, required: true, blank: nil),
            .select("region", label: pages.text("policy.region", context), value: form["region"], options: regions, required: true, blank: nil),
            .input("validFrom", label: pages.text("policy.valid_from", context), value: form["validFrom"], type: "date", required: true),
            .input("value", label: pages.text("policy.value", context), value: form["value"], required: true, hint: pages.text("policy.value_hint", context)),
            .input("legalBasis", label: pages.text("policy.legal_basis", context), value: form["legalBasis"], required: true),
            .input("note", label: pages.text("policy.note", context), value: form["note"]),
        ]
        let content = PersonsController.FormPage(action: "/policy", cancel: "/policy", version: "", fixed: [], fields: fields, problems: problems)
        return pages.render("record-form", title: pages.text("policy.new", context), content: content, request: request, context: context, status: status)
    }

    @Sendable func pagePropose(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.parameterPropose)
        let form = try await FormData.verified(request, context)
        let body = ParameterProposal(key: form["key"] ?? "", regionCode: form["region"] ?? "", validFrom: form["validFrom"] ?? "", value: form["value"] ?? "",
                                legalBasis: form["legalBasis"] ?? "", note: form["note"].flatMap { $0.isEmpty ? nil : $0 })
        do {
            _ = try await propose(body, by: principal)
            return .redirect(to: "/policy/pending?done=proposed", type: .found)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await renderNew(form, problems: [pages.text("error.\(problem.code)", context, problem.arguments)], principal: principal, request, context,
                                       status: .unprocessableContent)
        }
    }

    struct PendingPage {
        struct Row {
            var id: Int64
            var key: String
            var label: String
            var value: String
            var validFrom: String
            var region: String
            var legalBasis: String
            var proposedBy: String
            var note: String?
            var canDecide: Bool
        }
        var rows: [Row]
        var notice: String?
        var problem: String?
    }

    @Sendable func pagePending(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderPending(request, context, notice: request.query("done").map { pages.text("policy.done.\($0)", context) }, problem: nil, status: .ok)
    }

    private func renderPending(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.parameterRead)
        let rows = try await store.records(status: .proposed).map {
            PendingPage.Row(id: $0.id, key: $0.parameter.key, label: pages.text("param.\($0.parameter.key)", context), value: $0.parameter.value.text,
                            validFrom: $0.parameter.validFrom.description, region: $0.parameter.region.value, legalBasis: $0.parameter.legalBasis,
                            proposedBy: $0.proposedByName, note: $0.note,
                            canDecide: AccessPolicy.allows(principal.role, .parameterDecide) && $0.proposedBy != principal.userID)
        }
        return pages.render("policy-pending", title: pages.text("policy.pending", context), content: PendingPage(rows: rows, notice: notice, problem: problem),
                            request: request, context: context, status: status)
    }

    @Sendable func pageDecide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.parameterDecide)
        let form = try await FormData.verified(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound }
        let approve = form["decision"] == "approve"
        do {
            _ = try await decide(id, approve: approve, by: principal)
            return .redirect(to: "/policy/pending?done=\(approve ? "approved" : "rejected")", type: .found)
        } catch let problem as Problem where problem.status != .notFound {
            return try await renderPending(request, context, notice: nil, problem: pages.text("error.\(problem.code)", context), status: problem.status)
        }
    }
}
