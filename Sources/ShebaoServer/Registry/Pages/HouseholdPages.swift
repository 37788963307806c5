import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Households on the staff pages: list, register, change of head, moving a member in.
struct HouseholdPages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct ListPage {
        struct Row {
            var href: String
            var registerNumber: String
            var region: String
            var head: String
            var size: Int
        }
        var action: String
        var q: String
        var rows: [Row]
        var regions: [FormFieldView.Option]
        var summary: String
        var create: String?
        var pager: Pager
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let region = request.query("region")
        let q = request.query("q")
        let page = try await services.registry.households(region: region, matching: q, paging: request.paging(perPage: 50), by: principal)
        // One household found by number or head opens it, as one person found does.
        if page.total == 1, q != nil, let only = page.items.first { return .redirect(to: Route.household.path(only.id), type: .found) }
        let labels = try await services.regions.labels(of: page.items.map(\.region))
        let content = ListPage(
            action: Route.households.path(), q: q ?? "",
            rows: page.items.map {
                ListPage.Row(href: Route.household.path($0.id), registerNumber: $0.registerNumber, region: labels[$0.region] ?? $0.region.value,
                             head: $0.head?.name ?? "—", size: $0.members.count)
            },
            regions: try await services.regionOptions(in: principal.scope, selected: region, blank: pages.text("search.any_region", context)),
            summary: pages.text("households.summary", context, ["total": String(page.total)]),
            create: AccessPolicy.allows(principal.role, .householdWrite) ? Route.householdNew.path() : nil,
            pager: Pager(page, route: .households, query: Self.query(region: region, q: q), pages: pages, context: context))
        return pages.render("households", title: pages.text("households.title", context), content: content, request: request, context: context)
    }

    /// The list's query string for its pages, escaped.
    static func query(region: String?, q: String?) -> String {
        var items = URLComponents()
        items.queryItems = [("region", region), ("q", q)].compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        return items.percentEncodedQuery ?? ""
    }

    struct ShowPage {
        struct Member {
            var personID: Int64
            var href: String
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
        var registerNumber: String
        var region: String
        var address: String?
        var version: Int64
        var members: [Member]
        var history: [Entry]
        var changeHead: String?
        var headForm: FieldForm
        var moveIn: String?
        var moveInForm: FieldForm
        /// Every member's insurance and assistance at a glance (the assistance program's section).
        var overview: HouseholdAssistanceSection
        var problem: String?
        var notice: String?
    }

    /// The household's two forms: a refusal is told beside the refused one's fields, what was typed kept.
    enum Form {
        case head, moveIn
    }

    private func renderShow(_ household: Household, _ request: Request, _ context: ShebaoRequestContext, error: ServiceError? = nil,
                            form: (Form, FormData)? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let canEdit = principal.may(.householdWrite, in: household.region)
        let typed = form?.1
        func fields(_ which: Form, _ fields: [FormFieldView]) -> FieldForm {
            FieldForm(fields, refusedBy: form?.0 == which ? error : nil, pages: pages, context: context)
        }
        let relations = HouseholdRelation.allCases.filter { $0 != .head }.map { ($0.rawValue, pages.label($0, context)) }
        let headForm = fields(.head, [
            FormFieldView.select("personID", label: pages.text("household.new_head", context), value: typed?["personID"],
                                 options: household.members.filter { $0.relation != .head }.map { (String($0.personID), $0.name) }, required: true, blank: nil)
                .identified(as: "personID"),
            FormFieldView.select("formerHeadRelation", label: pages.text("household.former_head_relation", context), value: typed?["formerHeadRelation"],
                                 options: relations, required: true, blank: nil).identified(as: "formerHeadRelation"),
            FormFieldView.input("reason", label: pages.text("form.reason", context), value: typed?["reason"], required: true).identified(as: "head-reason"),
        ])
        let moveInForm = fields(.moveIn, [
            FormFieldView.input("residentID", label: pages.text("person.resident_id", context), value: typed?["residentID"], required: true)
                .identified(as: "move-id"),
            FormFieldView.select("relation", label: pages.text("household.relation", context), value: typed?["relation"], options: relations,
                                 required: true, blank: nil).identified(as: "move-relation"),
            FormFieldView.input("reason", label: pages.text("form.reason", context), value: typed?["reason"], required: true).identified(as: "move-reason"),
        ])
        // A refusal no field holds (the version changed, a rule of households) is told above, in full.
        let problem = form == nil ? error.map { pages.messageWithIssues($0, context) } : FieldForm.above(headForm.problems + moveInForm.problems)
        let content = ShowPage(
            registerNumber: household.registerNumber, region: try await services.regions.label(household.region), address: household.address,
            version: household.version,
            members: household.members.map {
                ShowPage.Member(personID: $0.personID, href: Route.person.path($0.personID), name: $0.name, maskedID: $0.residentID.masked,
                                relation: pages.label($0.relation, context), isHead: $0.relation == .head)
            },
            history: try await services.registry.householdHistory(household.id, by: principal).map {
                .init(version: $0.version, changedAt: Timestamp.shown($0.changedAt), changedBy: pages.actor($0.changedBy, context), reason: $0.reason)
            },
            changeHead: canEdit ? Route.householdHead.path(household.id) : nil, headForm: headForm,
            moveIn: canEdit ? Route.householdMembers.path(household.id) : nil, moveInForm: moveInForm,
            overview: try await HouseholdAssistanceSection.build(household, services: services, principal: principal, context: context),
            problem: problem, notice: request.query("saved") != nil ? pages.text("household.saved", context) : nil)
        return pages.render("household", title: pages.text("household.title_number", context, ["number": household.registerNumber]),
                            content: content, request: request, context: context, status: error.map(formStatus) ?? .ok)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderShow(try await services.registry.household(try context.id(), by: try context.requirePrincipal()), request, context)
    }

    @Sendable func changeHead(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let household = try await services.registry.changeHead(id, to: form.int("personID"), formerHeadRelation: form.text("formerHeadRelation"),
                                                                   expectedVersion: form.int("version"), reason: form["reason"], by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderShow(try await services.registry.household(id, by: principal), request, context, error: error, form: (.head, form))
        }
    }

    @Sendable func moveIn(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let household = try await services.registry.moveIn(id, residentID: form["residentID"] ?? "", relation: form["relation"] ?? "",
                                                               expectedVersion: form.int("version"), reason: form["reason"], by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderShow(try await services.registry.household(id, by: principal), request, context, error: error, form: (.moveIn, form))
        }
    }

    /// The person joins another household (from the household panel of their page).
    @Sendable func join(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.registry.joinHousehold(person: id, registerNumber: form["registerNumber"], relation: form["relation"],
                                                          reason: form["reason"], by: principal)
            return .saved(.person, id)
        } rerender: { error in
            try await renderMembership(id, form: form, leaving: false, error: error, request, context)
        }
    }

    /// The person leaves their household.
    @Sendable func leave(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.registry.leaveHousehold(person: id, expectedVersion: form.int("version"), reason: form["reason"], by: principal)
            return .saved(.person, id)
        } rerender: { error in
            try await renderMembership(id, form: form, leaving: true, error: error, request, context)
        }
    }

    /// A refused join or leave comes back as its own form, with what was typed and the problems beside it.
    private func renderMembership(_ personID: Int64, form: FormData, leaving: Bool, error: ServiceError, _ request: Request,
                                  _ context: ShebaoRequestContext) async throws -> Response {
        let person = try await services.registry.person(personID, by: try context.requirePrincipal())
        let reason = FormFieldView.input("reason", label: pages.text("form.reason", context), value: form["reason"], required: true)
        let fields: [FormFieldView] = leaving ? [reason] : [
            .input("registerNumber", label: pages.text("household.join_number", context), value: form["registerNumber"], required: true),
            .select("relation", label: pages.text("household.relation", context), value: form["relation"],
                    options: HouseholdRelation.allCases.filter { $0 != .head }.map { ($0.rawValue, pages.label($0, context)) }, required: true, blank: ""),
            reason,
        ]
        let action = leaving ? Route.personHouseholdLeave.path(personID) : Route.personHousehold.path(personID)
        let content = RecordFormPage(action: action, cancel: Route.person.path(personID), version: form["version"] ?? "",
                                     fixed: [.init(label: pages.text("person.name", context), value: person.name)], fields: fields, error: error,
                                     pages: pages, context: context)
        return pages.render("record-form", title: pages.text(leaving ? "household.leave" : "household.join", context), content: content, request: request,
                            context: context, status: formStatus(error))
    }

    @Sendable func new(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .householdWrite) else { throw Problem.forbidden }
        return try await renderNew(FormData(fields: [:]), error: nil, request, context)
    }

    /// The one-form registration: the household's village, address and the registration type of
    /// anyone new, then a row per member — the head first — with errors beside their cells.
    struct NewPage {
        struct Cell {
            var name: String
            var value: String
            var error: String?
        }
        struct Row {
            var number: Int
            var residentID: Cell
            var name: Cell
            var phone: Cell
            var relation: Cell
            var relations: [FormFieldView.Option]
            /// Sex and birth date read from a valid ID already typed (shown when the form comes back).
            var derived: String?
        }
        var form: RecordFormPage
        var hint: String
        var rows: [Row]
        var rowCount: Int
    }

    static let newRows = 6
    static let maxRows = HouseholdRegistration.maxMembers

    private func renderNew(_ form: FormData, error: ServiceError?, _ request: Request, _ context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let villages = try await services.regionOptions(in: principal.scope, selected: form["region"], blank: "", villagesOnly: true)
        let fields: [FormFieldView] = [
            .select("region", label: pages.text("household.village", context), value: form["region"], options: villages.dropFirst().map { ($0.value, $0.label) },
                    required: true, blank: nil),
            .input("address", label: pages.text("household.address", context), value: form["address"]),
            .select("hukouType", label: pages.text("household.hukou_for_new", context), value: form["hukouType"] ?? HukouType.agricultural.rawValue,
                    options: pages.options(HukouType.self, context), required: false, blank: nil),
            .input("reason", label: pages.text("form.reason", context), value: form["reason"], hint: pages.text("form.reason_hint", context)),
        ]
        let rowIssues = error?.fieldIssues.filter { $0.field.hasPrefix("members.") } ?? []
        let rest = error.map { error in
            error.fieldIssues.isEmpty ? error : ServiceError.invalid(error.fieldIssues.filter { !$0.field.hasPrefix("members.") })
        }
        let typed = Self.rows(form)
        let shown = max(Self.newRows, typed.count, min(Int(form["rows"] ?? "") ?? 0, Self.maxRows))
        let wanted = min(Self.maxRows, shown + (form["_more"] != nil ? 4 : 0))
        let today = services.today
        let rows = (0..<wanted).map { index in
            let row = index < typed.count ? typed[index] : HouseholdRegistration.Row()
            func cell(_ column: String, _ value: String?) -> NewPage.Cell {
                let field = HouseholdRegistration.field(index, column)
                return NewPage.Cell(name: field, value: value ?? "", error: rowIssues.first { $0.field == field }.map { pages.text($0, context) })
            }
            // Rows after the head start blank, so that an untouched row is no member.
            let relations: [FormFieldView.Option] = (index == 0 ? [] : [.init(value: "", label: "", selected: (row.relation ?? "").isEmpty)])
                + (index == 0 ? [HouseholdRelation.head] : HouseholdRelation.allCases.filter { $0 != .head })
                .map { .init(value: $0.rawValue, label: pages.label($0, context), selected: $0.rawValue == row.relation) }
            let derived = (try? ResidentID(row.residentID ?? "", today: today)).map { id in
                pages.label(id.sex, context) + " · " + id.birthDate.description
            }
            return NewPage.Row(number: index + 1, residentID: cell("residentID", row.residentID), name: cell("name", row.name), phone: cell("phone", row.phone),
                               relation: cell("relation", row.relation), relations: relations, derived: derived)
        }
        // A problem with no row (a form posted without any) is told above the form.
        var formPage = RecordFormPage(action: Route.households.path(), cancel: Route.households.path(), fields: fields, error: rest, pages: pages, context: context)
        formPage.problems += rowIssues.filter { issue in !rows.contains { [$0.residentID.name, $0.name.name, $0.phone.name, $0.relation.name].contains(issue.field) } }
            .map { pages.text($0, context) }
        let content = NewPage(form: formPage, hint: pages.text("household.form_hint", context), rows: rows, rowCount: wanted)
        return pages.render("household-new", title: pages.text("household.new", context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    /// The member rows as posted (`members.0.residentID` …), up to the last one with anything in it.
    static func rows(_ form: FormData) -> [HouseholdRegistration.Row] {
        var rows = (0..<maxRows).map { index in
            HouseholdRegistration.Row(residentID: form[HouseholdRegistration.field(index, "residentID")], name: form[HouseholdRegistration.field(index, "name")],
                                      relation: form[HouseholdRegistration.field(index, "relation")], phone: form[HouseholdRegistration.field(index, "phone")])
        }
        while let last = rows.last, last.isBlank { rows.removeLast() }
        return rows
    }

    @Sendable func create(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        // "More rows" comes back with what was typed and four blank rows more; nothing is saved.
        if form["_more"] != nil { return try await renderNew(form, error: nil, request, context) }
        return try await submitForm {
            let household = try await services.registry.registerHousehold(
                HouseholdRegistration(region: form["region"], address: form["address"], hukouType: form["hukouType"], rows: Self.rows(form),
                                      reason: form["reason"]),
                by: principal)
            return .saved(.household, household.id)
        } rerender: { error in
            try await renderNew(form, error: error, request, context)
        }
    }
}
