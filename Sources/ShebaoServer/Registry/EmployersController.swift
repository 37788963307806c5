import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Insured units on the API and the pages: search, register, change (as versions), staff, export.
struct EmployersController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/employers", use: apiSearch)
        group.post("/employers", use: apiCreate)
        group.get("/employers/export", use: { request, context in try await export(request, context, xlsx: request.query("format") == "xlsx") })
        group.get("/employers/{id}", use: apiShow)
        group.patch("/employers/{id}", use: apiUpdate)
        group.get("/employers/{id}/staff", use: apiStaff)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/employers", use: pageSearch)
        group.get("/employers/new", use: pageNew)
        group.post("/employers", use: pageCreate)
        group.get("/employers/export.csv", use: { request, context in try await export(request, context, xlsx: false) })
        group.get("/employers/export.xlsx", use: { request, context in try await export(request, context, xlsx: true) })
        group.get("/employers/{id}", use: pageShow)
        group.get("/employers/{id}/edit", use: pageEdit)
        group.post("/employers/{id}", use: pageUpdate)
    }

    private var pages: PageRenderer { services.pages }
    private var store: EmployerStore { EmployerStore(database: services.database, clock: services.clock) }

    // MARK: DTOs

    struct EmployerDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var creditCode: String
        var name: String
        var ownershipType: String
        var nonPublic: Bool
        var industry: String
        var riskClass: Int
        var regionCode: String
        var staffCount: Int
        var contactName: String?
        var contactPhone: String?
        var address: String?
        var status: String
        var schemes: [String]
        var version: Int64

        init(_ employer: Employer) {
            let d = employer.details
            id = employer.id
            creditCode = employer.creditCode.value
            name = d.name
            ownershipType = d.ownershipType.rawValue
            nonPublic = d.ownershipType.isNonPublic
            industry = d.industry.rawValue
            riskClass = d.riskClass
            regionCode = d.region.value
            staffCount = d.staffCount
            contactName = d.contactName
            contactPhone = d.contactPhone
            address = d.address
            status = d.status.rawValue
            schemes = d.schemes.map(\.rawValue).sorted()
            version = employer.version
        }
    }

    struct EmployerBody: Decodable, Sendable {
        var creditCode: String?
        var name: String?
        var ownershipType: String?
        var industry: String?
        var riskClass: LenientText?
        var regionCode: String?
        var staffCount: LenientText?
        var contactName: String?
        var contactPhone: LenientText?
        var address: String?
        var status: String?
        var schemes: [String]?
        var version: Int64?
        var reason: String?

        func input(over current: Employer?) -> EmployerDetails.Input {
            let d = current?.details
            return EmployerDetails.Input(
                name: name ?? d?.name, ownershipType: ownershipType ?? d?.ownershipType.rawValue, industry: industry ?? d?.industry.rawValue,
                riskClass: riskClass?.text ?? d.map { String($0.riskClass) }, region: regionCode ?? d?.region.value,
                staffCount: staffCount?.text ?? d.map { String($0.staffCount) }, contactName: contactName ?? d?.contactName,
                contactPhone: contactPhone?.text ?? d?.contactPhone, address: address ?? d?.address, status: status ?? d?.status.rawValue,
                schemes: (schemes ?? d?.schemes.map(\.rawValue))?.joined(separator: ","))
        }
    }

    struct StaffDTO: Codable, Sendable {
        var personID: Int64
        var name: String
        var residentIDMasked: String
        var startDate: String
    }

    // MARK: Shared

    private func employer(_ context: ShebaoRequestContext) async throws -> Employer {
        let principal = try context.requirePrincipal()
        guard let id = context.parameters.get("id", as: Int64.self), let employer = try await store.find(id: id, by: principal) else {
            throw Problem.notFound
        }
        return employer
    }

    private func validate(_ input: EmployerDetails.Input, principal: Principal) async throws -> Result<EmployerDetails, FieldIssues> {
        let regions = try await services.regions.allCodes()
        let strings = services.strings
        return EmployerDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: principal.scope)
    }

    private func create(codeText: String?, input: EmployerDetails.Input, reason: String?, principal: Principal) async throws -> Result<Employer, FieldIssues> {
        var issues: [FieldIssue] = []
        var code: CreditCode?
        do {
            code = try CreditCode(codeText ?? "")
        } catch {
            issues.append(FieldIssue("creditCode", error.code, error.arguments))
        }
        let details = try await validate(input, principal: principal)
        if case .failure(let found) = details { issues += found.issues }
        guard issues.isEmpty, let code, case .success(let valid) = details else { return .failure(FieldIssues(issues)) }
        do {
            let ids = try await store.insert([(code, valid)], by: AuditActor(principal), reason: reason?.isEmpty == false ? reason! : "registered")
            guard let employer = try await store.find(id: ids[0], by: principal) else { throw Problem.notFound }
            return .success(employer)
        } catch EmployerStoreError.duplicateCreditCode {
            return .failure(FieldIssues([FieldIssue("creditCode", "import.already_registered", ["id": code.value])]))
        }
    }

    private func update(_ employer: Employer, input: EmployerDetails.Input, version: Int64, reason: String?, principal: Principal) async throws -> Result<Employer, FieldIssues> {
        guard let reason = reason?.trimmingASCIIWhitespace(), !reason.isEmpty else { return .failure(FieldIssues([FieldIssue("reason", "field.required")])) }
        switch try await validate(input, principal: principal) {
        case .failure(let issues): return .failure(issues)
        case .success(let details):
            do {
                guard let updated = try await store.update(id: employer.id, to: details, expectedVersion: version, reason: reason, by: principal) else {
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

    private func query(_ request: Request) -> EmployerQuery {
        EmployerQuery(
            text: request.query("q"), ownershipType: request.query("ownershipType").flatMap(OwnershipType.init(rawValue:)),
            status: request.query("status").flatMap(EmployerStatus.init(rawValue:)), scheme: request.query("scheme").flatMap(Scheme.init(rawValue:)),
            region: request.query("region").flatMap { try? RegionCode($0) })
    }

    private func queryString(_ request: Request) -> String {
        ["q", "ownershipType", "status", "scheme", "region"].compactMap { key in
            request.query(key).map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }.joined(separator: "&")
    }

    // MARK: API

    @Sendable func apiSearch(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<EmployerDTO> {
        let principal = try context.require(.employerRead)
        let page = try await store.search(query(request), in: principal.scope, page: request.pageNumber, perPage: request.perPage)
        return ListDTO(items: page.items.map(EmployerDTO.init), page: page.page, perPage: page.perPage, total: page.total)
    }

    @Sendable func apiShow(_ request: Request, context: ShebaoRequestContext) async throws -> EmployerDTO {
        EmployerDTO(try await employer(context))
    }

    @Sendable func apiCreate(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<EmployerDTO> {
        let principal = try context.require(.employerWrite)
        let body = try await request.decode(as: EmployerBody.self, context: context)
        switch try await create(codeText: body.creditCode, input: body.input(over: nil), reason: body.reason, principal: principal) {
        case .success(let employer): return EditedResponse(status: .created, headers: [.location: "/api/v1/employers/\(employer.id)"], response: EmployerDTO(employer))
        case .failure(let issues): throw Problem.invalid(issues.issues, pages: pages, context: context)
        }
    }

    @Sendable func apiUpdate(_ request: Request, context: ShebaoRequestContext) async throws -> EmployerDTO {
        let principal = try context.require(.employerWrite)
        let current = try await employer(context)
        guard principal.decide(.employerWrite, in: current.region) == .allowed else { throw Problem.notFound }
        let body = try await request.decode(as: EmployerBody.self, context: context)
        guard let version = body.version else { throw Problem.invalid([FieldIssue("version", "field.required")], pages: pages, context: context) }
        switch try await update(current, input: body.input(over: current), version: version, reason: body.reason, principal: principal) {
        case .success(let employer): return EmployerDTO(employer)
        case .failure(let issues): throw Problem.invalid(issues.issues, pages: pages, context: context)
        }
    }

    @Sendable func apiStaff(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<StaffDTO> {
        let employer = try await employer(context)
        let staff = try await store.staff(of: employer.id).map {
            StaffDTO(personID: $0.personID, name: $0.personName, residentIDMasked: $0.residentID.masked, startDate: $0.startDate.description)
        }
        return ListDTO(items: staff, page: 1, perPage: staff.count, total: staff.count)
    }

    // MARK: Export

    private func export(_ request: Request, _ context: ShebaoRequestContext, xlsx: Bool) async throws -> Response {
        let principal = try context.require(.exportList)
        let employers = try await store.all(query(request), in: principal.scope, limit: PersonsController.exportLimit)
        let labels = try await services.regions.labels(of: Set(employers.map(\.region)))
        let header = ["employer.credit_code", "employer.name", "employer.ownership_type", "employer.non_public", "employer.industry",
                      "employer.risk_class", "employer.region", "employer.staff_count", "employer.schemes", "employer.status"].map { pages.text($0, context) }
        let rows = employers.map { e in
            [e.creditCode.value, e.name, pages.text("ownership.\(e.details.ownershipType.rawValue)", context),
             pages.text(e.details.ownershipType.isNonPublic ? "common.yes" : "common.no", context),
             pages.text("industry.\(e.details.industry.rawValue)", context), String(e.details.riskClass), labels[e.region] ?? e.region.value,
             String(e.details.staffCount), e.details.schemes.sorted { $0.rawValue < $1.rawValue }.map { pages.text("scheme_short.\($0.rawValue)", context) }.joined(separator: "、"),
             pages.text("employer_status.\(e.details.status.rawValue)", context)]
        }
        try await services.auditExport(entity: "employer", count: rows.count, query: queryString(request), by: principal)
        let name = pages.text("export.employers_file", context)
        if xlsx {
            let data = try XLSX.write(sheetName: name, header: header, rows: rows.map { $0.map { .text($0) } }, textColumns: [0])
            return Download.response(data, fileName: name + ".xlsx", asciiName: "employers.xlsx", contentType: Download.xlsxType)
        }
        return Download.response(CSV.write(header: header, rows: rows), fileName: name + ".csv", asciiName: "employers.csv", contentType: Download.csvType)
    }

    // MARK: Pages

    struct SearchPage {
        struct Row {
            var id: Int64
            var name: String
            var creditCode: String
            var ownership: String
            var region: String
            var staff: Int
            var schemes: String
        }
        var q: String
        var ownerships: [FormFieldView.Option]
        var schemes: [FormFieldView.Option]
        var summary: String
        var queryString: String
        var rows: [Row]
        var pageLabel: String
        var previous: String?
        var next: String?
        var canCreate: Bool
    }

    @Sendable func pageSearch(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.employerRead)
        let query = query(request)
        let page = try await store.search(query, in: principal.scope, page: request.pageNumber, perPage: 50)
        let labels = try await services.regions.labels(of: Set(page.items.map(\.region)))
        let queryString = queryString(request)
        let link = { (number: Int) in "/employers?" + (queryString.isEmpty ? "" : queryString + "&") + "page=\(number)" }
        let content = SearchPage(
            q: request.query("q") ?? "",
            ownerships: [.init(value: "", label: pages.text("search.any", context), selected: query.ownershipType == nil)]
                + OwnershipType.allCases.map { .init(value: $0.rawValue, label: pages.text("ownership.\($0.rawValue)", context), selected: $0 == query.ownershipType) },
            schemes: [.init(value: "", label: pages.text("search.any", context), selected: query.scheme == nil)]
                + Scheme.allCases.map { .init(value: $0.rawValue, label: pages.text("scheme.\($0.rawValue)", context), selected: $0 == query.scheme) },
            summary: pages.text("employers.summary", context, ["total": String(page.total)]), queryString: queryString,
            rows: page.items.map { e in
                SearchPage.Row(id: e.id, name: e.name, creditCode: e.creditCode.value, ownership: pages.text("ownership.\(e.details.ownershipType.rawValue)", context),
                               region: labels[e.region] ?? e.region.value, staff: e.details.staffCount,
                               schemes: e.details.schemes.sorted { $0.rawValue < $1.rawValue }.map { pages.text("scheme_short.\($0.rawValue)", context) }.joined(separator: "、"))
            },
            pageLabel: pages.text("pager.page", context, ["page": String(page.page), "pages": String(page.pageCount)]),
            previous: page.hasPrevious ? link(page.page - 1) : nil, next: page.hasNext ? link(page.page + 1) : nil,
            canCreate: AccessPolicy.allows(principal.role, .employerWrite))
        return pages.render("employers", title: pages.text("employers.title", context), content: content, request: request, context: context)
    }

    struct ShowPage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Staff {
            var personID: Int64
            var name: String
            var maskedID: String
            var startDate: String
        }
        struct Entry {
            var version: Int64
            var changedAt: String
            var changedBy: String
            var reason: String
        }
        var id: Int64
        var facts: [Fact]
        var staff: [Staff]
        var history: [Entry]
        var canEdit: Bool
        var linkStaff: Bool
        var notice: String?
    }

    /// The unit's page; also the employer agent's portal view of their own unit.
    func renderShow(_ employer: Employer, _ request: Request, _ context: ShebaoRequestContext, title: String? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let d = employer.details
        let label = try await services.regions.labels(of: [d.region])[d.region] ?? d.region.value
        let facts: [ShowPage.Fact] = [
            .init(label: pages.text("employer.credit_code", context), value: employer.creditCode.value),
            .init(label: pages.text("employer.ownership_type", context), value: pages.text("ownership.\(d.ownershipType.rawValue)", context)
                  + (d.ownershipType.isNonPublic ? "（" + pages.text("employer.non_public", context) + "）" : "")),
            .init(label: pages.text("employer.industry", context), value: pages.text("industry.\(d.industry.rawValue)", context)),
            .init(label: pages.text("employer.risk_class", context), value: String(d.riskClass)),
            .init(label: pages.text("employer.region", context), value: label),
            .init(label: pages.text("employer.staff_count", context), value: String(d.staffCount)),
            .init(label: pages.text("employer.schemes", context), value: d.schemes.sorted { $0.rawValue < $1.rawValue }.map { pages.text("scheme.\($0.rawValue)", context) }.joined(separator: "、")),
            .init(label: pages.text("employer.contact_name", context), value: [d.contactName, d.contactPhone].compactMap { $0 }.joined(separator: " ")),
            .init(label: pages.text("employer.address", context), value: d.address ?? ""),
            .init(label: pages.text("employer.status", context), value: pages.text("employer_status.\(d.status.rawValue)", context)),
        ]
        let isStaff = principal.role.isStaff
        let content = ShowPage(
            id: employer.id, facts: facts,
            staff: try await store.staff(of: employer.id, limit: 200).map { .init(personID: $0.personID, name: $0.personName, maskedID: $0.residentID.masked, startDate: $0.startDate.description) },
            history: isStaff ? try await store.history(of: employer.id).map { .init(version: $0.version, changedAt: $0.changedAt, changedBy: $0.changedBy, reason: $0.reason) } : [],
            canEdit: principal.decide(.employerWrite, in: d.region) == .allowed, linkStaff: isStaff && AccessPolicy.allows(principal.role, .personRead),
            notice: request.query("saved") != nil ? pages.text("employer.saved", context) : nil)
        return pages.render("employer", title: title ?? employer.name, content: content, request: request, context: context)
    }

    @Sendable func pageShow(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.employerRead)
        return try await renderShow(try await employer(context), request, context)
    }

    private func fields(_ input: EmployerDetails.Input, code: String?, principal: Principal, context: ShebaoRequestContext, editing: Bool) async throws -> [FormFieldView] {
        var fields: [FormFieldView] = []
        if !editing { fields.append(.input("creditCode", label: pages.text("employer.credit_code", context), value: code, required: true)) }
        fields.append(.input("name", label: pages.text("employer.name", context), value: input.name, required: true))
        fields.append(.select("ownershipType", label: pages.text("employer.ownership_type", context), value: input.ownershipType,
                              options: pages.options(OwnershipType.self, prefix: "ownership", context), required: true, blank: nil))
        fields.append(.select("industry", label: pages.text("employer.industry", context), value: input.industry,
                              options: pages.options(Industry.self, prefix: "industry", context), required: true, blank: nil))
        fields.append(.select("riskClass", label: pages.text("employer.risk_class", context), value: input.riskClass,
                              options: (1...8).map { (String($0), String($0)) }, blank: pages.text("employer.risk_class_default", context)))
        let villages = try await services.regionOptions(in: principal.scope, selected: input.region, blank: "", villagesOnly: true)
        fields.append(.select("region", label: pages.text("employer.region", context), value: input.region, options: villages.dropFirst().map { ($0.value, $0.label) }, required: true, blank: nil))
        fields.append(.input("staffCount", label: pages.text("employer.staff_count", context), value: input.staffCount, type: "number"))
        fields.append(.input("contactName", label: pages.text("employer.contact_name", context), value: input.contactName))
        fields.append(.input("contactPhone", label: pages.text("employer.contact_phone", context), value: input.contactPhone, type: "tel"))
        fields.append(.input("address", label: pages.text("employer.address", context), value: input.address))
        if editing {
            fields.append(.select("status", label: pages.text("employer.status", context), value: input.status,
                                  options: pages.options(EmployerStatus.self, prefix: "employer_status", context), blank: nil))
        }
        let checked = Set((input.schemes ?? "").split(separator: ",").map(String.init))
        fields.append(.checkboxes("scheme", label: pages.text("employer.schemes", context), options: pages.options(Scheme.self, prefix: "scheme", context), checked: checked))
        fields.append(.input("reason", label: pages.text("form.reason", context), value: nil, required: editing, hint: pages.text("form.reason_hint", context)))
        return fields
    }

    private func input(_ form: FormData) -> EmployerDetails.Input {
        EmployerDetails.Input(
            name: form["name"], ownershipType: form["ownershipType"], industry: form["industry"], riskClass: form["riskClass"], region: form["region"],
            staffCount: form["staffCount"], contactName: form["contactName"], contactPhone: form["contactPhone"], address: form["address"],
            status: form["status"], schemes: Scheme.allCases.filter { form["scheme_\($0.rawValue)"] != nil }.map(\.rawValue).joined(separator: ","))
    }

    @Sendable func pageNew(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.employerWrite)
        let content = PersonsController.FormPage(
            action: "/employers", cancel: "/employers", version: "", fixed: [],
            fields: try await fields(EmployerDetails.Input(), code: nil, principal: principal, context: context, editing: false), problems: [])
        return pages.render("record-form", title: pages.text("employer.new", context), content: content, request: request, context: context)
    }

    @Sendable func pageCreate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.employerWrite)
        let form = try await FormData.verified(request, context)
        switch try await create(codeText: form["creditCode"], input: input(form), reason: form["reason"], principal: principal) {
        case .success(let employer):
            return .redirect(to: "/employers/\(employer.id)?saved=1", type: .found)
        case .failure(let issues):
            var fields = try await fields(input(form), code: form["creditCode"], principal: principal, context: context, editing: false)
            let problems = fields.attach(issues.issues) { pages.text($0, context) }
            let content = PersonsController.FormPage(action: "/employers", cancel: "/employers", version: "", fixed: [], fields: fields, problems: problems)
            return pages.render("record-form", title: pages.text("employer.new", context), content: content, request: request, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func pageEdit(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.employerWrite)
        let employer = try await employer(context)
        guard principal.decide(.employerWrite, in: employer.region) == .allowed else { throw Problem.notFound }
        return try await renderEdit(employer, input: EmployerBody().input(over: employer), issues: [], version: employer.version, request, context, status: .ok)
    }

    private func renderEdit(_ employer: Employer, input: EmployerDetails.Input, issues: [FieldIssue], version: Int64, _ request: Request,
                            _ context: ShebaoRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        var fields = try await fields(input, code: nil, principal: principal, context: context, editing: true)
        let problems = fields.attach(issues) { pages.text($0, context) }
        let content = PersonsController.FormPage(
            action: "/employers/\(employer.id)", cancel: "/employers/\(employer.id)", version: String(version),
            fixed: [.init(label: pages.text("employer.credit_code", context), value: employer.creditCode.value)], fields: fields, problems: problems)
        return pages.render("record-form", title: employer.name, content: content, request: request, context: context, status: status)
    }

    @Sendable func pageUpdate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.employerWrite)
        let form = try await FormData.verified(request, context)
        let employer = try await employer(context)
        guard principal.decide(.employerWrite, in: employer.region) == .allowed else { throw Problem.notFound }
        let version = Int64(form["version"] ?? "") ?? -1
        do {
            switch try await update(employer, input: input(form), version: version, reason: form["reason"], principal: principal) {
            case .success(let updated): return .redirect(to: "/employers/\(updated.id)?saved=1", type: .found)
            case .failure(let issues): return try await renderEdit(employer, input: input(form), issues: issues.issues, version: version, request, context, status: .unprocessableContent)
            }
        } catch let problem as Problem where problem.code == "version_conflict" {
            return try await renderEdit(employer, input: input(form), issues: [FieldIssue("version", "version_conflict", problem.arguments)], version: version,
                                        request, context, status: .conflict)
        }
    }
}
