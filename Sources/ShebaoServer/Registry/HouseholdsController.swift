import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Households on the API and the pages: list, register, change of head, moving a member in.
struct HouseholdsController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/households", use: apiList)
        group.post("/households", use: apiCreate)
        group.get("/households/{id}", use: apiShow)
        group.post("/households/{id}/head", use: apiChangeHead)
        group.post("/households/{id}/members", use: apiMoveIn)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/households", use: pageList)
        group.get("/households/new", use: pageNew)
        group.post("/households", use: pageCreate)
        group.get("/households/{id}", use: pageShow)
        group.post("/households/{id}/head", use: pageChangeHead)
        group.post("/households/{id}/members", use: pageMoveIn)
    }

    private var pages: PageRenderer { services.pages }
    private var store: HouseholdStore { HouseholdStore(database: services.database, clock: services.clock) }

    // MARK: DTOs

    struct HouseholdDTO: ResponseEncodable, Decodable, Sendable {
        struct Member: Codable, Sendable {
            var personID: Int64
            var name: String
            var residentIDMasked: String
            var relation: String
        }
        var id: Int64
        var registerNumber: String
        var regionCode: String
        var address: String?
        var members: [Member]
        var version: Int64

        init(_ household: Household) {
            id = household.id
            registerNumber = household.registerNumber
            regionCode = household.region.value
            address = household.address
            members = household.members.map { Member(personID: $0.personID, name: $0.name, residentIDMasked: $0.residentID.masked, relation: $0.relation.rawValue) }
            version = household.version
        }
    }

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

    // MARK: Shared

    private func household(_ context: ShebaoRequestContext) async throws -> Household {
        let principal = try context.require(.householdRead)
        guard let id = context.parameters.get("id", as: Int64.self), let household = try await store.find(id: id, by: principal) else {
            throw Problem.notFound
        }
        return household
    }

    private func create(registerNumber: String, regionText: String, address: String?, headText: String, reason: String?, principal: Principal) async throws -> Household {
        let today = services.clock.now().dateInChina
        guard !registerNumber.trimmingASCIIWhitespace().isEmpty else { throw Problem(.unprocessableContent, code: "household.register_number_required") }
        guard let region = try? RegionCode(regionText), try await services.regions.find(region) != nil else {
            throw Problem(.unprocessableContent, code: "region_code.unknown", arguments: ["code": regionText])
        }
        guard let id = try? ResidentID(headText, today: today), let head = try await services.persons.find(residentID: id, in: principal.scope) else {
            throw Problem(.unprocessableContent, code: "import.person_not_registered", arguments: ["id": headText])
        }
        return try await perform {
            try await store.create(registerNumber: registerNumber.trimmingASCIIWhitespace(), region: region, address: address,
                                   members: [(head.id, .head)], reason: reason?.isEmpty == false ? reason! : "registered", by: principal)
        }
    }

    private func moveIn(_ household: Household, residentIDText: String, relationText: String, version: Int64, reason: String, principal: Principal) async throws -> Household {
        let today = services.clock.now().dateInChina
        guard let relation = HouseholdRelation(rawValue: relationText) else { throw Problem(.unprocessableContent, code: "field.not_in_list", arguments: ["value": relationText]) }
        guard let id = try? ResidentID(residentIDText, today: today), let person = try await services.persons.find(residentID: id, in: principal.scope) else {
            throw Problem(.unprocessableContent, code: "import.person_not_registered", arguments: ["id": residentIDText])
        }
        guard !reason.trimmingASCIIWhitespace().isEmpty else { throw Problem(.unprocessableContent, code: "field.required") }
        return try await perform {
            try await store.moveIn(personID: person.id, to: household.id, relation: relation, expectedVersion: version, reason: reason, by: principal)
        }
    }

    /// Runs a household change and turns refusals into problems the caller can show.
    private func perform(_ body: () async throws -> Household?) async throws -> Household {
        do {
            guard let household = try await body() else { throw Problem.notFound }
            return household
        } catch let error as HouseholdError {
            throw Problem(.unprocessableContent, code: error.code, arguments: error.arguments)
        } catch PersonStoreError.versionConflict(let current) {
            throw Problem.versionConflict(current)
        } catch StoreError.notFound {
            throw Problem.notFound
        }
    }

    // MARK: API

    @Sendable func apiList(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<HouseholdDTO> {
        let principal = try context.require(.householdRead)
        var scope = principal.scope
        if let region = request.query("region") {
            guard let code = try? RegionCode(region), principal.scope.contains(code) else { throw Problem.notFound }
            scope = code
        }
        let page = try await store.list(in: scope, page: request.pageNumber, perPage: request.perPage)
        return ListDTO(items: page.items.map(HouseholdDTO.init), page: page.page, perPage: page.perPage, total: page.total)
    }

    @Sendable func apiShow(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        HouseholdDTO(try await household(context))
    }

    @Sendable func apiCreate(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<HouseholdDTO> {
        let principal = try context.require(.householdWrite)
        let body = try await request.decode(as: CreateBody.self, context: context)
        let household = try await create(registerNumber: body.registerNumber, regionText: body.regionCode, address: body.address,
                                         headText: body.headResidentID, reason: body.reason, principal: principal)
        return EditedResponse(status: .created, headers: [.location: "/api/v1/households/\(household.id)"], response: HouseholdDTO(household))
    }

    @Sendable func apiChangeHead(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let principal = try context.require(.householdWrite)
        let current = try await household(context)
        let body = try await request.decode(as: ChangeHeadBody.self, context: context)
        guard let relation = HouseholdRelation(rawValue: body.formerHeadRelation) else {
            throw Problem(.unprocessableContent, code: "field.not_in_list", arguments: ["value": body.formerHeadRelation])
        }
        return HouseholdDTO(try await perform {
            try await store.changeHead(householdID: current.id, to: body.personID, formerHeadRelation: relation, expectedVersion: body.version,
                                       reason: body.reason, by: principal)
        })
    }

    @Sendable func apiMoveIn(_ request: Request, context: ShebaoRequestContext) async throws -> HouseholdDTO {
        let principal = try context.require(.householdWrite)
        let current = try await household(context)
        let body = try await request.decode(as: MoveInBody.self, context: context)
        return HouseholdDTO(try await moveIn(current, residentIDText: body.residentID, relationText: body.relation, version: body.version,
                                             reason: body.reason, principal: principal))
    }

    // MARK: Pages

    struct ListPage {
        struct Row {
            var id: Int64
            var registerNumber: String
            var region: String
            var head: String
            var size: Int
        }
        var rows: [Row]
        var regions: [FormFieldView.Option]
        var summary: String
        var pageLabel: String
        var previous: String?
        var next: String?
        var canCreate: Bool
    }

    @Sendable func pageList(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.householdRead)
        let region = request.query("region")
        var scope = principal.scope
        if let region, let code = try? RegionCode(region), principal.scope.contains(code) { scope = code }
        let page = try await store.list(in: scope, page: request.pageNumber, perPage: 50)
        let labels = try await services.regions.labels(of: Set(page.items.map(\.region)))
        let link = { (number: Int) in "/households?" + (region.map { "region=\($0)&" } ?? "") + "page=\(number)" }
        let content = ListPage(
            rows: page.items.map { ListPage.Row(id: $0.id, registerNumber: $0.registerNumber, region: labels[$0.region] ?? $0.region.value,
                                                head: $0.head?.name ?? "—", size: $0.members.count) },
            regions: try await services.regionOptions(in: principal.scope, selected: region, blank: pages.text("search.any_region", context)),
            summary: pages.text("households.summary", context, ["total": String(page.total)]),
            pageLabel: pages.text("pager.page", context, ["page": String(page.page), "pages": String(page.pageCount)]),
            previous: page.hasPrevious ? link(page.page - 1) : nil, next: page.hasNext ? link(page.page + 1) : nil,
            canCreate: AccessPolicy.allows(principal.role, .householdWrite))
        return pages.render("households", title: pages.text("households.title", context), content: content, request: request, context: context)
    }

    struct ShowPage {
        struct Member {
            var personID: Int64
            var name: String
            var maskedID: String
            var relation: String
            var isHead: Bool
        }
        struct Entry {
            var version: Int64
            var changedAt: String
            var changedBy: String
            var reason: String
        }
        var id: Int64
        var registerNumber: String
        var region: String
        var address: String?
        var version: Int64
        var members: [Member]
        var history: [Entry]
        var canEdit: Bool
        var relations: [FormFieldView.Option]
        var problem: String?
        var notice: String?
    }

    private func renderShow(_ household: Household, _ request: Request, _ context: ShebaoRequestContext, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = try context.requirePrincipal()
        let label = try await services.regions.labels(of: [household.region])[household.region] ?? household.region.value
        let content = ShowPage(
            id: household.id, registerNumber: household.registerNumber, region: label, address: household.address, version: household.version,
            members: household.members.map {
                ShowPage.Member(personID: $0.personID, name: $0.name, maskedID: $0.residentID.masked,
                                relation: pages.text("relation.\($0.relation.rawValue)", context), isHead: $0.relation == .head)
            },
            history: try await store.history(of: household.id).map { .init(version: $0.version, changedAt: $0.changedAt, changedBy: $0.changedBy, reason: $0.reason) },
            canEdit: principal.decide(.householdWrite, in: household.region) == .allowed,
            relations: HouseholdRelation.allCases.filter { $0 != .head }.map { .init(value: $0.rawValue, label: pages.text("relation.\($0.rawValue)", context), selected: false) },
            problem: problem, notice: request.query("saved") != nil ? pages.text("household.saved", context) : nil)
        return pages.render("household", title: pages.text("household.title_number", context, ["number": household.registerNumber]),
                            content: content, request: request, context: context, status: status)
    }

    @Sendable func pageShow(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderShow(try await household(context), request, context)
    }

    /// Runs a change from a form; a refusal re-renders the household page with the reason.
    private func pageChange(_ request: Request, _ context: ShebaoRequestContext, _ change: (Household, FormData, Principal) async throws -> Household) async throws -> Response {
        let principal = try context.require(.householdWrite)
        let form = try await FormData.verified(request, context)
        let current = try await household(context)
        do {
            let updated = try await change(current, form, principal)
            return .redirect(to: "/households/\(updated.id)?saved=1", type: .found)
        } catch let problem as Problem where problem.status != .notFound {
            return try await renderShow(current, request, context, problem: pages.text("error." + problem.code, context, problem.arguments),
                                        status: problem.status)
        }
    }

    @Sendable func pageChangeHead(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await pageChange(request, context) { current, form, principal in
            guard let person = Int64(form["personID"] ?? ""), let relation = HouseholdRelation(rawValue: form["formerHeadRelation"] ?? "") else {
                throw Problem(.unprocessableContent, code: "field.required")
            }
            let reason = (form["reason"] ?? "").trimmingASCIIWhitespace()
            guard !reason.isEmpty else { throw Problem(.unprocessableContent, code: "field.required") }
            return try await perform {
                try await store.changeHead(householdID: current.id, to: person, formerHeadRelation: relation,
                                           expectedVersion: Int64(form["version"] ?? "") ?? -1, reason: reason, by: principal)
            }
        }
    }

    @Sendable func pageMoveIn(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await pageChange(request, context) { current, form, principal in
            try await moveIn(current, residentIDText: form["residentID"] ?? "", relationText: form["relation"] ?? "",
                             version: Int64(form["version"] ?? "") ?? -1, reason: form["reason"] ?? "", principal: principal)
        }
    }

    @Sendable func pageNew(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.householdWrite)
        return try await renderNew(FormData(fields: [:]), problems: [], principal: principal, request, context, status: .ok)
    }

    private func renderNew(_ form: FormData, problems: [String], principal: Principal, _ request: Request, _ context: ShebaoRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let villages = try await services.regionOptions(in: principal.scope, selected: form["region"], blank: "", villagesOnly: true)
        let fields: [FormFieldView] = [
            .input("registerNumber", label: pages.text("household.register_number", context), value: form["registerNumber"], required: true),
            .select("region", label: pages.text("household.region_code", context), value: form["region"], options: villages.dropFirst().map { ($0.value, $0.label) }, required: true, blank: nil),
            .input("address", label: pages.text("household.address", context), value: form["address"]),
            .input("headResidentID", label: pages.text("household.head_resident_id", context), value: form["headResidentID"], required: true),
            .input("reason", label: pages.text("form.reason", context), value: form["reason"], hint: pages.text("form.reason_hint", context)),
        ]
        let content = PersonsController.FormPage(action: "/households", cancel: "/households", version: "", fixed: [], fields: fields, problems: problems)
        return pages.render("record-form", title: pages.text("household.new", context), content: content, request: request, context: context, status: status)
    }

    @Sendable func pageCreate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.householdWrite)
        let form = try await FormData.verified(request, context)
        do {
            let household = try await create(registerNumber: form["registerNumber"] ?? "", regionText: form["region"] ?? "", address: form["address"],
                                              headText: form["headResidentID"] ?? "", reason: form["reason"], principal: principal)
            return .redirect(to: "/households/\(household.id)?saved=1", type: .found)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await renderNew(form, problems: [pages.text("error." + problem.code, context, problem.arguments)], principal: principal, request, context, status: .unprocessableContent)
        }
    }
}
