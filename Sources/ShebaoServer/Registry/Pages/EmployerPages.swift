import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Insured units on the staff pages (and an employer agent's own unit on the portal): search,
/// register, change as versions, staff, export.
struct EmployerPages: RecordForms {
    let services: ShebaoServices

    var pages: PageRenderer { services.pages }

    // MARK: Search

    struct SearchPage {
        struct Row {
            var href: String
            var name: String
            var creditCode: String
            var ownership: String
            var region: String
            var staff: Int
            var schemes: String
        }
        var action: String
        var q: String
        var ownerships: [FormFieldView.Option]
        var schemes: [FormFieldView.Option]
        var head: ListHead
        var rows: [Row]
        var pager: Pager
    }

    private func schemes(_ employer: Employer, _ context: ShebaoRequestContext, short: Bool) -> String {
        employer.details.schemes.sorted { $0.rawValue < $1.rawValue }.map { pages.text(short ? $0.shortLabelKey : $0.labelKey, context) }.joined(separator: "、")
    }

    @Sendable func search(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let text = request.employerSearch
        let search = try await ListSearch(perPage: 50, pages: pages, context: context) { () async throws(ServiceError) in
            try await services.registry.searchEmployers(text, paging: request.paging(perPage: 50), by: principal)
        }
        let result = search.result
        let labels = try await services.regions.labels(of: result.items.map(\.region))
        let query = text.queryString
        let content = SearchPage(
            action: Route.employers.path(), q: text.q ?? "",
            ownerships: [.init(value: "", label: pages.text("search.any", context), selected: text.ownershipType == nil)]
                + OwnershipType.allCases.map { .init(value: $0.rawValue, label: pages.label($0, context), selected: $0.rawValue == text.ownershipType) },
            schemes: [.init(value: "", label: pages.text("search.any", context), selected: text.scheme == nil)]
                + Scheme.allCases.map { .init(value: $0.rawValue, label: pages.label($0, context), selected: $0.rawValue == text.scheme) },
            head: search.head(summary: "employers.summary", exports: (.employersExportCSV, .employersExportXLSX), query: query,
                              create: AccessPolicy.allows(principal.role, .employerWrite) ? .employerNew : nil, pages: pages, context: context),
            rows: result.items.map { e in
                SearchPage.Row(href: Route.employer.path(e.id), name: e.name, creditCode: e.creditCode.value, ownership: pages.label(e.details.ownershipType, context),
                               region: labels[e.region] ?? e.region.value, staff: e.details.staffCount, schemes: schemes(e, context, short: true))
            },
            pager: Pager(result, route: .employers, query: query, pages: pages, context: context))
        return pages.render("employers", title: pages.text("employers.title", context), content: content, request: request, context: context,
                            status: search.status)
    }

    @Sendable func export(_ request: Request, _ context: ShebaoRequestContext, format: FileFormat) async throws -> Response {
        .download(try await services.registry.exportEmployers(request.employerSearch, format: format, language: context.language,
                                                              by: try context.requirePrincipal()))
    }

    // MARK: One unit

    struct ShowPage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Staff {
            var href: String?
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
        struct Link {
            var id: String
            var href: String
            var label: String
        }
        var facts: [Fact]
        /// The unit's insurance: enrolments and headcount, bases, bills.
        var links: [Link]
        var staff: [Staff]
        /// How many staff are registered outside the reader's scope (a count, never who).
        var staffElsewhere: String?
        var history: [Entry]
        var edit: String?
        var notice: String?
    }

    /// The unit's page; also the employer agent's portal view of their own unit.
    func renderShow(_ employer: Employer, _ request: Request, _ context: ShebaoRequestContext, title: String? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let d = employer.details
        let facts: [ShowPage.Fact] = [
            .init(label: pages.text("employer.credit_code", context), value: employer.creditCode.value),
            .init(label: pages.text("employer.ownership_type", context), value: pages.label(d.ownershipType, context)
                  + (d.ownershipType.isNonPublic ? pages.text("common.parenthesized", context, ["text": pages.text("employer.non_public", context)]) : "")),
            .init(label: pages.text("employer.industry", context), value: pages.label(d.industry, context)),
            .init(label: pages.text("employer.risk_class", context), value: String(d.riskClass)),
            .init(label: pages.text("employer.region", context), value: try await services.regions.label(d.region)),
            .init(label: pages.text("employer.staff_count", context), value: String(d.staffCount)),
            .init(label: pages.text("employer.schemes", context), value: schemes(employer, context, short: false)),
            .init(label: pages.text("employer.contact_name", context), value: [d.contactName, d.contactPhone].compactMap { $0 }.joined(separator: " ")),
            .init(label: pages.text("employer.address", context), value: d.address ?? ""),
            .init(label: pages.text("employer.status", context), value: pages.label(d.status, context)),
        ]
        let linkStaff = principal.role.isStaff && AccessPolicy.allows(principal.role, .personRead)
        let staff = try await services.registry.staff(of: employer, by: principal)
        let content = ShowPage(
            facts: facts,
            links: [
                .init(id: "unit-insurance", href: Route.unitInsurance.path(employer.id), label: pages.text("unit.insurance", context)),
                .init(id: "unit-bases", href: Route.unitBases.path(employer.id), label: pages.text("unit.bases", context)),
                .init(id: "unit-bills", href: Route.insuranceBill.path(employer.id), label: pages.text("nav.bills", context)),
            ],
            staff: staff.staff.map {
                .init(href: linkStaff ? Route.person.path($0.personID) : nil, name: $0.personName, maskedID: $0.residentID.masked, startDate: $0.startDate.description)
            },
            staffElsewhere: staff.elsewhere > 0 ? pages.text("employer.staff_elsewhere", context, ["count": String(staff.elsewhere)]) : nil,
            history: principal.role.isStaff
                ? try await services.registry.employerHistory(employer, by: principal).map {
                    .init(version: $0.version, changedAt: Timestamp.shown($0.changedAt), changedBy: pages.actor($0.changedBy, context), reason: $0.reason)
                } : [],
            edit: principal.may(.employerWrite, in: d.region) ? Route.employerEdit.path(employer.id) : nil,
            notice: request.query("saved") != nil ? pages.text("employer.saved", context) : nil)
        return pages.render("employer", title: title ?? employer.name, content: content, request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderShow(try await services.registry.employer(try context.id(), by: try context.requirePrincipal()), request, context)
    }

    // MARK: Register and change

    func fields(_ input: EmployerDetails.Input, key code: String?, reason: String?, principal: Principal, context: ShebaoRequestContext,
                editing: Bool) async throws -> [FormFieldView] {
        var fields: [FormFieldView] = []
        if !editing { fields.append(.input(keyField.name, label: pages.text(keyField.labelKey, context), value: code, required: true)) }
        fields.append(.input("name", label: pages.text("employer.name", context), value: input.name, required: true))
        fields.append(.select("ownershipType", label: pages.text("employer.ownership_type", context), value: input.ownershipType,
                              options: pages.options(OwnershipType.self, context), required: true, blank: nil))
        fields.append(.select("industry", label: pages.text("employer.industry", context), value: input.industry,
                              options: pages.options(Industry.self, context), required: true, blank: nil))
        fields.append(.select("riskClass", label: pages.text("employer.risk_class", context), value: input.riskClass,
                              options: (1...8).map { (String($0), String($0)) }, blank: pages.text("employer.risk_class_default", context)))
        let villages = try await services.regionOptions(in: principal.scope, selected: input.region, blank: "", villagesOnly: true)
        fields.append(.select("region", label: pages.text("employer.region", context), value: input.region, options: villages.dropFirst().map { ($0.value, $0.label) },
                              required: true, blank: nil))
        fields.append(.input("staffCount", label: pages.text("employer.staff_count", context), value: input.staffCount, type: "number"))
        fields.append(.input("contactName", label: pages.text("employer.contact_name", context), value: input.contactName))
        fields.append(.input("contactPhone", label: pages.text("employer.contact_phone", context), value: input.contactPhone, type: "tel"))
        fields.append(.input("address", label: pages.text("employer.address", context), value: input.address))
        if editing {
            fields.append(.select("status", label: pages.text("employer.status", context), value: input.status, options: pages.options(EmployerStatus.self, context),
                                  blank: nil))
        }
        let checked = Set((input.schemes ?? "").split(separator: ",").map(String.init))
        fields.append(.checkboxes("scheme", label: pages.text("employer.schemes", context), options: pages.options(Scheme.self, context), checked: checked))
        fields.append(.input("reason", label: pages.text("form.reason", context), value: reason, required: editing, hint: pages.text("form.reason_hint", context)))
        return fields
    }

    /// The unit fields of a submitted form (a blank field is given as blank).
    func input(_ form: FormData) -> EmployerDetails.Input {
        EmployerDetails.Input(
            name: form["name"] ?? "", ownershipType: form["ownershipType"] ?? "", industry: form["industry"] ?? "", riskClass: form["riskClass"] ?? "",
            region: form["region"] ?? "", staffCount: form["staffCount"] ?? "", contactName: form["contactName"] ?? "", contactPhone: form["contactPhone"] ?? "",
            address: form["address"] ?? "", status: form["status"] ?? "",
            schemes: Scheme.allCases.filter { form["scheme_\($0.rawValue)"] != nil }.map(\.rawValue).joined(separator: ","))
    }

    // The four form handlers (new, create, edit, update) come from `RecordForms`.
    let listRoute = Route.employers
    let recordRoute = Route.employer
    let keyField = (name: "creditCode", labelKey: "employer.credit_code")
    let newTitleKey = "employer.new"
    let registerAction = Action.employerWrite
    var blankInput: EmployerDetails.Input { EmployerDetails.Input() }

    func input(filledFrom employer: Employer) -> EmployerDetails.Input { EmployerDetails.Input().filling(from: employer) }

    func editTitle(_ employer: Employer, _ context: ShebaoRequestContext) -> String { employer.name }

    func record(_ id: Int64, by principal: Principal) async throws -> Employer { try await services.registry.employer(id, by: principal) }

    func mayChange(_ employer: Employer, by principal: Principal) -> Bool { principal.may(.employerWrite, in: employer.region) }

    func register(key: String?, _ input: EmployerDetails.Input, reason: String?, by principal: Principal) async throws -> Employer {
        try await services.registry.registerEmployer(creditCode: key, input, reason: reason, by: principal)
    }

    func change(_ id: Int64, _ input: EmployerDetails.Input, expectedVersion: Int64?, reason: String?, by principal: Principal) async throws -> Employer {
        try await services.registry.updateEmployer(id, input, expectedVersion: expectedVersion, reason: reason, by: principal)
    }
}
