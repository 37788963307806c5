import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Persons on the staff pages: search, the one view, register, change, export, and opening a
/// correction of the resident ID. Each handler parses the request, calls one use case of the
/// registry service and renders.
struct PersonsPages: RecordForms {
    let services: ShebaoServices

    var pages: PageRenderer { services.pages }

    // MARK: Search

    struct SearchPage {
        struct Row {
            var href: String
            var name: String
            var maskedID: String
            var sex: String
            var birthDate: String
            var regionName: String
            var status: String
            /// How the person matches when not plainly: a near match, a given name, an ID's ending.
            var match: String?
        }
        var action: String
        var q: String
        var birthDate: String
        var regions: [FormFieldView.Option]
        var statuses: [FormFieldView.Option]
        var head: ListHead
        var imports: String?
        var rows: [Row]
        var pager: Pager
    }

    @Sendable func search(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let text = request.personSearch
        let search = try await ListSearch(perPage: 50, pages: pages, context: context) { () async throws(ServiceError) in
            try await services.registry.searchPersons(text, paging: request.paging(perPage: 50), by: principal)
        }
        let result = search.result
        // One person found plainly by what was typed: the clerk wants that person, not a list of
        // one. A near match is listed with its label, for the clerk to check it is the one.
        let query = text.queryString
        let personQuery = try? text.query(today: services.today).get()
        if result.total == 1, result.page == 1, let person = result.items.first, !text.typed.isEmpty, personQuery?.match(of: person.name) == nil {
            return .redirect(to: Route.person.path(person.id), type: .found)
        }
        let labels = try await services.regions.labels(of: result.items.map(\.region))
        let writable = AccessPolicy.allows(principal.role, .personWrite)
        let content = SearchPage(
            action: Route.persons.path(), q: text.typed, birthDate: text.birthDate ?? "",
            regions: try await services.regionOptions(in: principal.scope, selected: text.region, blank: pages.text("search.any_region", context)),
            statuses: [FormFieldView.Option(value: "", label: pages.text("search.any_status", context), selected: text.status == nil)]
                + PersonStatus.allCases.map { .init(value: $0.rawValue, label: pages.label($0, context), selected: text.status == $0.rawValue) },
            head: search.head(summary: "persons.summary", exports: (.personsExportCSV, .personsExportXLSX), query: query,
                              create: writable ? .personNew : nil, pages: pages, context: context),
            imports: writable ? Route.imports.path() : nil,
            rows: result.items.map { person in
                SearchPage.Row(
                    href: Route.person.path(person.id), name: person.name, maskedID: person.residentID.masked, sex: pages.label(person.sex, context),
                    birthDate: person.birthDate.description, regionName: labels[person.region] ?? person.region.value, status: pages.label(person.status, context),
                    match: personQuery?.match(of: person.name).map { pages.text(Self.matchKeys[$0] ?? "", context) })
            },
            pager: Pager(result, route: .persons, query: query, pages: pages, context: context))
        return pages.render("persons", title: pages.text("persons.title", context), content: content, request: request, context: context,
                            status: search.status)
    }

    static let matchKeys: [PersonQuery.Match: String] = [.near: "search.match_near", .givenName: "search.match_given_name", .idEnding: "search.match_id_ending"]

    @Sendable func export(_ request: Request, _ context: ShebaoRequestContext, format: FileFormat) async throws -> Response {
        .download(try await services.registry.exportPersons(request.personSearch, format: format, language: context.language, by: try context.requirePrincipal()))
    }

    // MARK: The one view

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

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let person = try await services.registry.person(try context.id(), by: try context.requirePrincipal())
        let panels = try await PersonPanels(services: services).panels(for: person, request, context)
        let content = ViewPage(
            panels: panels.map { ViewPage.Panel(id: $0.id, title: $0.title, html: $0.html) },
            notice: request.query("saved") != nil ? pages.text("person.saved", context) : nil,
            merged: person.mergedInto.map { pages.text("merge.this_was_merged", context, ["id": String($0)]) })
        return pages.render("person", title: person.name, content: content, request: request, context: context)
    }

    // MARK: Register and change

    /// The person form's fields from the one field list, filled from `input`.
    func fields(_ input: PersonDetails.Input, key residentID: String?, reason: String?, principal: Principal, context: ShebaoRequestContext,
                editing: Bool) async throws -> [FormFieldView] {
        var fields: [FormFieldView] = []
        if !editing { fields.append(.input(keyField.name, label: pages.text(keyField.labelKey, context), value: residentID, required: true)) }
        for field in PersonField.allCases where editing || field.isRegistered {
            let label = pages.text(field.labelKey, context)
            let value = input[field]
            switch field {
            case .name: fields.append(.input(field.rawValue, label: label, value: value, required: true))
            case .hukouType: fields.append(.select(field.rawValue, label: label, value: value, options: pages.options(HukouType.self, context), required: true, blank: nil))
            case .region:
                // No village is chosen for the clerk: a new person's place is picked, never defaulted to the first.
                let villages = try await services.regionOptions(in: principal.scope, selected: value, blank: "", villagesOnly: true)
                fields.append(.select(field.rawValue, label: label, value: value, options: villages.dropFirst().map { ($0.value, $0.label) }, required: true,
                                      blank: editing ? nil : ""))
            case .residenceRegion:
                // Picked from the district's communities and villages (people live outside their clerk's town); a place
                // outside the district already on record stays on the list.
                let district = (try? RegionCode(String(principal.scope.value.prefix(6)) + "000000")) ?? principal.scope
                var places = try await services.regionOptions(in: district, selected: value, blank: pages.text("person.residence_same", context),
                                                              villagesOnly: true)
                if let value, !value.isEmpty, !places.contains(where: { $0.value == value }) {
                    places.append(.init(value: value, label: (try? await services.regions.label(RegionCode(value))) ?? value, selected: true))
                }
                fields.append(.select(field.rawValue, label: label, value: value, options: places.map { ($0.value, $0.label) }, required: false, blank: nil))
            case .phone: fields.append(.input(field.rawValue, label: label, value: value, type: "tel"))
            case .disabilityCategory: fields.append(.select(field.rawValue, label: label, value: value, options: pages.options(DisabilityCategory.self, context)))
            case .disabilityGrade:
                fields.append(.select(field.rawValue, label: label, value: value,
                                      options: (1...4).map { (String($0), pages.text("disability.grade", context, ["grade": String($0)])) }))
            case .status: fields.append(.select(field.rawValue, label: label, value: value, options: pages.options(PersonStatus.self, context), blank: nil))
            case .deathDate: fields.append(.input(field.rawValue, label: label, value: value, type: "date"))
            case .address, .bankName, .bankAccount: fields.append(.input(field.rawValue, label: label, value: value))
            }
        }
        fields.append(.input("reason", label: pages.text("form.reason", context), value: reason, required: editing, hint: pages.text("form.reason_hint", context)))
        return fields
    }

    /// The person fields of a submitted form (a blank field is given as blank).
    func input(_ form: FormData) -> PersonDetails.Input {
        PersonDetails.Input(reading: { form[$0.rawValue] ?? "" })
    }

    // The four form handlers (new, create, edit, update) come from `RecordForms`.
    let listRoute = Route.persons
    let recordRoute = Route.person
    let keyField = (name: "residentID", labelKey: "person.resident_id")
    let newTitleKey = "person.new"
    let registerAction = Action.personWrite
    var blankInput: PersonDetails.Input { PersonDetails.Input(hukouType: HukouType.agricultural.rawValue) }

    func input(filledFrom person: Person) -> PersonDetails.Input { PersonDetails.Input().filling(from: person) }

    func editTitle(_ person: Person, _ context: ShebaoRequestContext) -> String { pages.text("person.edit_title", context, ["name": person.name]) }

    func record(_ id: Int64, by principal: Principal) async throws -> Person { try await services.registry.person(id, by: principal) }

    /// A merged record is kept as it was: it is not changed any more.
    func mayChange(_ person: Person, by principal: Principal) -> Bool { principal.may(.personWrite, in: person.region) && person.mergedInto == nil }

    func register(key: String?, _ input: PersonDetails.Input, reason: String?, by principal: Principal) async throws -> Person {
        try await services.registry.registerPerson(residentID: key, input, reason: reason, by: principal)
    }

    func change(_ id: Int64, _ input: PersonDetails.Input, expectedVersion: Int64?, reason: String?, by principal: Principal) async throws -> Person {
        try await services.registry.updatePerson(id, input, expectedVersion: expectedVersion, reason: reason, by: principal)
    }

    // MARK: Correcting the resident ID

    private func renderCorrection(_ person: Person, correctedID: String?, error: ServiceError?, _ request: Request,
                                  _ context: ShebaoRequestContext) async throws -> Response {
        let content = RecordFormPage(
            action: Route.personIDCorrection.path(person.id), cancel: Route.person.path(person.id),
            fixed: [.init(label: pages.text("person.name", context), value: person.name),
                    .init(label: pages.text("id_correction.current", context), value: person.residentID.value)],
            fields: [.input("correctedID", label: pages.text("id_correction.corrected", context), value: correctedID, required: true,
                            hint: pages.text("id_correction.hint", context))],
            error: error, pages: pages, context: context)
        return pages.render("record-form", title: pages.text("id_correction.title", context, ["name": person.name]), content: content, request: request,
                            context: context, status: error.map(formStatus) ?? .ok)
    }

    @Sendable func correctionForm(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let person = try await services.registry.person(try context.id(), by: principal)
        guard principal.may(.personWrite, in: person.region), person.mergedInto == nil else { throw Problem.notFound }
        return try await renderCorrection(person, correctedID: nil, error: nil, request, context)
    }

    @Sendable func openCorrection(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let caseID = try await services.registry.openIDCorrection(personID: id, correctedID: form["correctedID"] ?? "", by: principal)
            return .saved(.caseItem, caseID)
        } rerender: { error in
            try await renderCorrection(try await services.registry.person(id, by: principal), correctedID: form["correctedID"], error: error, request, context)
        }
    }
}

/// The person registration sheet (人员登记表): one A4 page with the registry facts, the household
/// and signature lines, to print and file or hand to the person. Reading it is a full read, audited.
extension PersonsPages {
    struct SheetPage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Member {
            var name: String
            var relation: String
            var residentID: String
        }
        var back: String?
        /// Facts in pairs, two to a table row.
        var rows: [[Fact]]
        var householdNumber: String?
        var members: [Member]
    }

    @Sendable func sheet(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let person = try await services.registry.person(try context.id(), by: principal)
        let household = try await services.registry.household(of: person, by: principal)
        let none = pages.text("person.sheet_none", context)
        func fact(_ key: String, _ value: String?) -> SheetPage.Fact { .init(label: pages.text(key, context), value: value ?? none) }
        let regions = services.regions
        let facts = [
            fact("person.name", person.name), fact("person.resident_id", person.residentID.value),
            fact("person.sex", pages.label(person.sex, context)), fact("person.birth_date", person.birthDate.description),
            fact("person.hukou_type", pages.label(person.hukouType, context)), fact("person.status", pages.label(person.status, context)),
            fact("person.region", try await regions.label(person.region)),
            fact("person.residence", try await person.residenceRegion.asyncMap { try await regions.label($0) }),
            fact("person.address", person.address), fact("person.phone", person.phone),
            fact("person.bank_account", person.bankAccount.map { [person.bankName, $0].compactMap { $0 }.joined(separator: " ") }),
            fact("person.disability", person.disability.map {
                pages.label($0.category, context) + " " + pages.text("disability.grade", context, ["grade": String($0.grade)])
            }),
        ]
        let content = SheetPage(
            back: Route.person.path(person.id),
            rows: stride(from: 0, to: facts.count, by: 2).map { Array(facts[$0..<min($0 + 2, facts.count)]) },
            householdNumber: household?.registerNumber,
            members: (household?.members ?? []).map { .init(name: $0.name, relation: pages.label($0.relation, context), residentID: $0.residentID.masked) })
        return pages.render("person-sheet", title: pages.text("person.sheet_title", context, ["name": person.name]), content: content, request: request,
                            context: context)
    }
}
