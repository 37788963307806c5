import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Persons on the API (`/api/v1/persons`) and on the staff pages (`/persons`), always within
/// the caller's scope; a person of another town is a 404 on both.
struct PersonsController {
    let services: ShebaoServices

    /// Exports stop here: a bigger list must be narrowed first (an export is not a backup).
    static let exportLimit = 100_000

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/persons", use: apiSearch)
        group.post("/persons", use: apiCreate)
        group.get("/persons/export", use: apiExport)
        group.get("/persons/{id}", use: apiShow)
        group.patch("/persons/{id}", use: apiUpdate)
        group.get("/persons/{id}/view", use: apiView)
        group.get("/persons/{id}/history", use: apiHistory)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/persons", use: pageSearch)
        group.get("/persons/new", use: pageNew)
        group.post("/persons", use: pageCreate)
        group.get("/persons/export.csv", use: { request, context in try await export(request, context, xlsx: false) })
        group.get("/persons/export.xlsx", use: { request, context in try await export(request, context, xlsx: true) })
        group.get("/persons/{id}", use: pageShow)
        group.get("/persons/{id}/edit", use: pageEdit)
        group.post("/persons/{id}", use: pageUpdate)
    }

    private var pages: PageRenderer { services.pages }
    private var today: LocalDate { services.clock.now().dateInChina }

    // MARK: Shared

    /// The search the request describes, or a 400 naming the bad parameter.
    private func query(_ request: Request, _ context: ShebaoRequestContext) throws -> PersonQuery {
        switch PersonSearchParameters(request).query(today: today) {
        case .success(let query): return query
        case .failure(let issue): throw Problem.invalid([issue], pages: pages, context: context)
        }
    }

    /// The person named in the path, if the caller may open it (the read is audited); 404 otherwise.
    private func person(_ context: ShebaoRequestContext) async throws -> Person {
        let principal = try context.require(.personRead)
        guard let id = context.parameters.get("id", as: Int64.self),
            let person = try await services.persons.read(id: id, by: principal)
        else { throw Problem.notFound }
        return person
    }

    private func validate(_ input: PersonDetails.Input, principal: Principal) async throws -> Result<PersonDetails, FieldIssues> {
        let regions = try await services.regions.allCodes()
        let strings = services.strings
        return PersonDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: principal.scope, today: today)
    }

    /// Creates a person after validation; the issues when refused.
    private func create(residentIDText: String?, input: PersonDetails.Input, reason: String?, principal: Principal) async throws -> Result<Person, FieldIssues> {
        var issues: [FieldIssue] = []
        var residentID: ResidentID?
        do {
            residentID = try ResidentID(residentIDText ?? "", today: today)
        } catch {
            issues.append(FieldIssue("residentID", error.code, error.arguments))
        }
        let details = try await validate(input, principal: principal)
        if case .failure(let found) = details { issues += found.issues }
        guard issues.isEmpty, let residentID, case .success(let valid) = details else { return .failure(FieldIssues(issues)) }
        do {
            let ids = try await services.persons.insert([NewPerson(residentID: residentID, details: valid)], by: AuditActor(principal),
                                                        reason: (reason?.isEmpty == false ? reason! : "registered"))
            guard let person = try await services.persons.find(id: ids[0]) else { throw Problem.notFound }
            return .success(person)
        } catch PersonStoreError.duplicateResidentID {
            return .failure(FieldIssues([FieldIssue("residentID", "import.already_registered", ["id": residentID.value])]))
        }
    }

    private func update(_ person: Person, input: PersonDetails.Input, version: Int64, reason: String?, principal: Principal) async throws -> Result<Person, FieldIssues> {
        guard let reason = reason?.trimmingASCIIWhitespace(), !reason.isEmpty else {
            return .failure(FieldIssues([FieldIssue("reason", "field.required")]))
        }
        switch try await validate(input, principal: principal) {
        case .failure(let issues):
            return .failure(issues)
        case .success(let details):
            do {
                guard let updated = try await services.persons.update(id: person.id, to: details, expectedVersion: version, reason: reason, by: principal) else {
                    throw Problem.notFound
                }
                return .success(updated)
            } catch PersonStoreError.versionConflict(let current) {
                throw Problem.versionConflict(current)
            } catch PersonStoreError.invalid(let issues) {
                return .failure(issues)
            }
        }
    }

    private func panels(for person: Person, _ request: Request, _ context: ShebaoRequestContext) async throws -> [PersonPanel] {
        let principal = try context.requirePrincipal()
        let panelContext = PanelContext(principal: principal, request: request, context: context, services: services)
        var panels: [PersonPanel] = []
        for provider in services.personPanels.sorted(by: { $0.order < $1.order }) {
            if let panel = try await provider.panel(for: person, in: panelContext) { panels.append(panel) }
        }
        return panels
    }

    // MARK: API

    @Sendable func apiSearch(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PersonSummaryDTO> {
        let principal = try context.require(.personList)
        let page = try await services.persons.search(
            try query(request, context), in: principal.scope,
            page: request.pageNumber, perPage: request.perPage)
        return ListDTO(items: page.items.map(PersonSummaryDTO.init), page: page.page, perPage: page.perPage, total: page.total)
    }

    @Sendable func apiShow(_ request: Request, context: ShebaoRequestContext) async throws -> PersonDTO {
        PersonDTO(try await person(context))
    }

    @Sendable func apiCreate(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<PersonDTO> {
        let principal = try context.require(.personWrite)
        let body = try await request.decode(as: PersonBody.self, context: context)
        switch try await create(residentIDText: body.residentID, input: body.input(over: nil), reason: body.reason, principal: principal) {
        case .success(let person): return EditedResponse(status: .created, headers: [.location: "/api/v1/persons/\(person.id)"], response: PersonDTO(person))
        case .failure(let issues): throw Problem.invalid(issues.issues, pages: pages, context: context)
        }
    }

    @Sendable func apiUpdate(_ request: Request, context: ShebaoRequestContext) async throws -> PersonDTO {
        let principal = try context.require(.personWrite)
        let current = try await person(context)
        guard principal.decide(.personWrite, in: current.region) == .allowed else { throw Problem.notFound }
        let body = try await request.decode(as: PersonBody.self, context: context)
        guard let version = body.version else { throw Problem.invalid([FieldIssue("version", "field.required")], pages: pages, context: context) }
        if let id = body.residentID, id != current.residentID.value {
            throw Problem.invalid([FieldIssue("residentID", "person.resident_id_fixed")], pages: pages, context: context)
        }
        switch try await update(current, input: body.input(over: current), version: version, reason: body.reason, principal: principal) {
        case .success(let person): return PersonDTO(person)
        case .failure(let issues): throw Problem.invalid(issues.issues, pages: pages, context: context)
        }
    }

    @Sendable func apiView(_ request: Request, context: ShebaoRequestContext) async throws -> PersonViewDTO {
        let person = try await person(context)
        return PersonViewDTO(person: PersonDTO(person), panels: try await panels(for: person, request, context))
    }

    @Sendable func apiHistory(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PersonVersionDTO> {
        let person = try await person(context)
        let versions = try await services.persons.history(of: person.id).map {
            PersonVersionDTO(version: $0.version, changedAt: $0.changedAt, changedBy: $0.changedBy, reason: $0.reason, person: PersonDTO($0.person))
        }
        return ListDTO(items: versions, page: 1, perPage: versions.count, total: versions.count)
    }

    @Sendable func apiExport(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await export(request, context, xlsx: request.query("format") == "xlsx")
    }

    // MARK: Export

    /// The list as shown, with full resident IDs, as CSV or XLSX. Every export is audited.
    private func export(_ request: Request, _ context: ShebaoRequestContext, xlsx: Bool) async throws -> Response {
        let principal = try context.require(.exportList)
        let query = try query(request, context)
        let total = try await services.persons.search(query, in: principal.scope, perPage: 1).total
        guard total <= Self.exportLimit else { throw Problem(.badRequest, code: "export.too_many", arguments: ["limit": String(Self.exportLimit)]) }
        let people = try await services.persons.all(query, in: principal.scope, limit: Self.exportLimit)
        let labels = try await services.regions.labels(of: Set(people.map(\.region)))
        let header = ["person.name", "person.resident_id", "person.sex", "person.birth_date", "person.hukou_type", "person.region", "person.region_code", "person.status"]
            .map { pages.text($0, context) }
        let rows = people.map { person in
            [person.name, person.residentID.value, pages.text("sex.\(person.sex.rawValue)", context), person.birthDate.description,
             pages.text("hukou.\(person.hukouType.rawValue)", context), labels[person.region] ?? "", person.region.value,
             pages.text("person_status.\(person.status.rawValue)", context)]
        }
        try await services.auditExport(entity: "person", count: rows.count, query: PersonSearchParameters(request).queryString, by: principal)
        let name = pages.text("export.persons_file", context)
        if xlsx {
            let data = try XLSX.write(sheetName: name, header: header, rows: rows.map { $0.map { .text($0) } }, textColumns: [1, 6])
            return Download.response(data, fileName: name + ".xlsx", asciiName: "persons.xlsx", contentType: Download.xlsxType)
        }
        return Download.response(CSV.write(header: header, rows: rows), fileName: name + ".csv", asciiName: "persons.csv", contentType: Download.csvType)
    }

    // MARK: Pages

    struct SearchPage {
        struct Row {
            var id: Int64
            var name: String
            var maskedID: String
            var sex: String
            var birthDate: String
            var regionName: String
            var status: String
        }
        var q: String
        var birthDate: String
        var regions: [FormFieldView.Option]
        var statuses: [FormFieldView.Option]
        var queryError: String?
        var summary: String
        var queryString: String
        var canCreate: Bool
        var rows: [Row]
        var pageLabel: String
        var previous: String?
        var next: String?
    }

    @Sendable func pageSearch(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personList)
        let parameters = PersonSearchParameters(request)
        var queryError: String?
        var result = Page<Person>(items: [], total: 0, page: 1, perPage: 50)
        switch parameters.query(today: today) {
        case .success(let query):
            result = try await services.persons.search(query, in: principal.scope, page: request.pageNumber, perPage: 50)
            if query.name != nil || query.residentID != nil { try await services.auditSearch(query, by: principal) }
        case .failure(let issue):
            queryError = pages.text(issue, context)
        }
        let labels = try await services.regions.labels(of: Set(result.items.map(\.region)))
        let rows = result.items.map { person in
            SearchPage.Row(
                id: person.id, name: person.name, maskedID: person.residentID.masked, sex: pages.text("sex.\(person.sex.rawValue)", context),
                birthDate: person.birthDate.description, regionName: labels[person.region] ?? person.region.value,
                status: pages.text("person_status.\(person.status.rawValue)", context))
        }
        let queryString = parameters.queryString
        let link = { (page: Int) in "/persons?" + (queryString.isEmpty ? "" : queryString + "&") + "page=\(page)" }
        let content = SearchPage(
            q: parameters.q ?? parameters.residentID ?? parameters.name ?? "", birthDate: parameters.birthDate ?? "",
            regions: try await services.regionOptions(in: principal.scope, selected: parameters.region, blank: pages.text("search.any_region", context)),
            statuses: [FormFieldView.Option(value: "", label: pages.text("search.any_status", context), selected: parameters.status == nil)]
                + PersonStatus.allCases.map { FormFieldView.Option(value: $0.rawValue, label: pages.text("person_status.\($0.rawValue)", context), selected: parameters.status == $0.rawValue) },
            queryError: queryError,
            summary: pages.text("persons.summary", context, ["total": String(result.total)]),
            queryString: queryString, canCreate: AccessPolicy.allows(principal.role, .personWrite), rows: rows,
            pageLabel: pages.text("pager.page", context, ["page": String(result.page), "pages": String(result.pageCount)]),
            previous: result.hasPrevious ? link(result.page - 1) : nil, next: result.hasNext ? link(result.page + 1) : nil)
        return pages.render("persons", title: pages.text("persons.title", context), content: content, request: request, context: context,
                            status: queryError == nil ? .ok : .badRequest)
    }

    struct ViewPage {
        struct Panel {
            var id: String
            var title: String
            var html: String
        }
        var panels: [Panel]
        var notice: String?
        var merged: String?
    }

    @Sendable func pageShow(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let person = try await person(context)
        let panels = try await panels(for: person, request, context)
        let content = ViewPage(
            panels: panels.map { ViewPage.Panel(id: $0.id, title: $0.title, html: $0.html) },
            notice: request.query("saved") != nil ? pages.text("person.saved", context) : nil,
            merged: person.mergedInto.map { pages.text("merge.this_was_merged", context, ["id": String($0)]) })
        return pages.render("person", title: person.name, content: content, request: request, context: context)
    }

    struct FormPage {
        struct Fixed {
            var label: String
            var value: String
        }
        var action: String
        var cancel: String
        var version: String
        var fixed: [Fixed]
        var fields: [FormFieldView]
        var problems: [String]
    }

    /// The person form's fields, filled from `input`.
    private func fields(_ input: PersonDetails.Input, residentID: String?, principal: Principal, context: ShebaoRequestContext, editing: Bool) async throws -> [FormFieldView] {
        var fields: [FormFieldView] = []
        if !editing { fields.append(.input("residentID", label: pages.text("person.resident_id", context), value: residentID, required: true)) }
        fields.append(.input("name", label: pages.text("person.name", context), value: input.name, required: true))
        fields.append(.select("hukouType", label: pages.text("person.hukou_type", context), value: input.hukouType,
                              options: pages.options(HukouType.self, prefix: "hukou", context), required: true, blank: nil))
        let villages = try await services.regionOptions(in: principal.scope, selected: input.region, blank: "", villagesOnly: true)
        fields.append(.select("region", label: pages.text("person.region", context), value: input.region,
                              options: villages.dropFirst().map { ($0.value, $0.label) }, required: true, blank: nil))
        fields.append(.input("residenceRegion", label: pages.text("person.residence_region_code", context), value: input.residenceRegion,
                             hint: pages.text("person.residence_hint", context)))
        fields.append(.input("address", label: pages.text("person.address", context), value: input.address))
        fields.append(.input("phone", label: pages.text("person.phone", context), value: input.phone, type: "tel"))
        fields.append(.input("bankName", label: pages.text("person.bank_name", context), value: input.bankName))
        fields.append(.input("bankAccount", label: pages.text("person.bank_account", context), value: input.bankAccount))
        fields.append(.select("disabilityCategory", label: pages.text("person.disability_category", context), value: input.disabilityCategory,
                              options: pages.options(DisabilityCategory.self, prefix: "disability", context)))
        fields.append(.select("disabilityGrade", label: pages.text("person.disability_grade", context), value: input.disabilityGrade,
                              options: (1...4).map { (String($0), pages.text("disability.grade", context, ["grade": String($0)])) }))
        if editing {
            fields.append(.select("status", label: pages.text("person.status", context), value: input.status,
                                  options: pages.options(PersonStatus.self, prefix: "person_status", context), blank: nil))
            fields.append(.input("deathDate", label: pages.text("person.death_date", context), value: input.deathDate, type: "date"))
        }
        fields.append(.input("reason", label: pages.text("form.reason", context), value: nil, required: editing, hint: pages.text("form.reason_hint", context)))
        return fields
    }

    @Sendable func pageNew(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personWrite)
        let content = FormPage(action: "/persons", cancel: "/persons", version: "", fixed: [],
                               fields: try await fields(PersonDetails.Input(hukouType: HukouType.agricultural.rawValue), residentID: nil, principal: principal, context: context, editing: false),
                               problems: [])
        return pages.render("record-form", title: pages.text("person.new", context), content: content, request: request, context: context)
    }

    @Sendable func pageCreate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personWrite)
        let form = try await FormData.verified(request, context)
        switch try await create(residentIDText: form["residentID"], input: form.personInput, reason: form["reason"], principal: principal) {
        case .success(let person):
            return .redirect(to: "/persons/\(person.id)?saved=1", type: .found)
        case .failure(let issues):
            var fields = try await fields(form.personInput, residentID: form["residentID"], principal: principal, context: context, editing: false)
            let problems = fields.attach(issues.issues) { pages.text($0, context) }
            let content = FormPage(action: "/persons", cancel: "/persons", version: "", fixed: [], fields: fields, problems: problems)
            return pages.render("record-form", title: pages.text("person.new", context), content: content, request: request, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func pageEdit(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personWrite)
        let person = try await person(context)
        guard principal.decide(.personWrite, in: person.region) == .allowed, person.mergedInto == nil else { throw Problem.notFound }
        return try await renderEdit(person, input: PersonBody().input(over: person), issues: [], request, context, status: .ok)
    }

    private func renderEdit(_ person: Person, input: PersonDetails.Input, issues: [FieldIssue], version: Int64? = nil, _ request: Request,
                            _ context: ShebaoRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        var fields = try await fields(input, residentID: nil, principal: principal, context: context, editing: true)
        let problems = fields.attach(issues) { pages.text($0, context) }
        let content = FormPage(
            action: "/persons/\(person.id)", cancel: "/persons/\(person.id)", version: String(version ?? person.version),
            fixed: [.init(label: pages.text("person.resident_id", context), value: person.residentID.value)], fields: fields, problems: problems)
        return pages.render("record-form", title: pages.text("person.edit_title", context, ["name": person.name]), content: content,
                            request: request, context: context, status: status)
    }

    @Sendable func pageUpdate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personWrite)
        let form = try await FormData.verified(request, context)
        let person = try await person(context)
        guard principal.decide(.personWrite, in: person.region) == .allowed else { throw Problem.notFound }
        let version = Int64(form["version"] ?? "") ?? -1
        do {
            switch try await update(person, input: form.personInput, version: version, reason: form["reason"], principal: principal) {
            case .success(let updated):
                return .redirect(to: "/persons/\(updated.id)?saved=1", type: .found)
            case .failure(let issues):
                return try await renderEdit(person, input: form.personInput, issues: issues.issues, version: version, request, context, status: .unprocessableContent)
            }
        } catch let problem as Problem where problem.code == "version_conflict" {
            let issue = FieldIssue("version", "version_conflict", problem.arguments)
            return try await renderEdit(person, input: form.personInput, issues: [issue], version: version, request, context, status: .conflict)
        }
    }
}

extension ShebaoServices {
    /// Exports leave the office: who exported how many rows of what, with a digest of the filter.
    func auditExport(entity: String, count: Int, query: String, by principal: Principal) async throws {
        let now = clock.now()
        let dialect = database.dialect
        try await database.write { db in
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .export, entity: entity, entityID: "rows:\(count)", region: principal.scope, after: ["query": query]),
                on: db, dialect: dialect, at: now)
        }
    }

    /// Searches by name or ID are logged (RELIABILITY §B4: typo-tolerant search must be logged).
    func auditSearch(_ query: PersonQuery, by principal: Principal) async throws {
        let now = clock.now()
        let dialect = database.dialect
        try await database.write { db in
            try await AuditLog.append(
                AuditEvent(actor: AuditActor(principal), action: .search, entity: "person", entityID: "query", region: principal.scope, after: query),
                on: db, dialect: dialect, at: now)
        }
    }
}
