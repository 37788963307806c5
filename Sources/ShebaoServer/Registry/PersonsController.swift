import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// Persons on the API (`/api/v1/persons`) and on the staff pages (`/persons`), always within
/// the caller's scope; a person of another town is a 404 on both.
struct PersonsController {
    let services: ShebaoServices

    func addAPIRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/persons", use: apiList)
        group.get("/persons/{id}", use: apiShow)
    }

    func addPageRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/persons", use: pageList)
        group.get("/persons/{id}", use: pageShow)
    }

    // MARK: API

    @Sendable func apiList(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PersonSummaryDTO> {
        let principal = try context.require(.personList)
        let page = try await services.persons.list(
            in: principal.scope,
            page: request.queryInt("page", default: 1, range: 1...1_000_000),
            perPage: request.queryInt("perPage", default: 50, range: 1...PersonStore.maximumPerPage))
        return ListDTO(items: page.items.map(PersonSummaryDTO.init), page: page.page, perPage: page.perPage, total: page.total)
    }

    @Sendable func apiShow(_ request: Request, context: ShebaoRequestContext) async throws -> PersonDTO {
        PersonDTO(try await person(context))
    }

    /// The person named in the path, if the caller may open it; 404 otherwise.
    private func person(_ context: ShebaoRequestContext) async throws -> Person {
        let principal = try context.require(.personRead)
        guard let id = context.parameters.get("id", as: Int64.self),
            let person = try await services.persons.read(id: id, by: principal)
        else { throw Problem.notFound }
        return person
    }

    // MARK: Pages

    struct ListPage {
        struct Row {
            var id: Int64
            var name: String
            var maskedID: String
            var sex: String
            var birthDate: String
            var regionName: String
        }
        var summary: String
        var rows: [Row]
        var pageLabel: String
        var previous: String?
        var next: String?
    }

    @Sendable func pageList(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personList)
        let pages = services.pages
        let page = try await services.persons.list(
            in: principal.scope, page: request.queryInt("page", default: 1, range: 1...1_000_000), perPage: 50)
        let names = try await services.regions.labels(of: Set(page.items.map(\.region)))
        let rows = page.items.map { person in
            ListPage.Row(
                id: person.id, name: person.name, maskedID: person.residentID.masked,
                sex: pages.text("sex.\(person.sex.rawValue)", context), birthDate: person.birthDate.description,
                regionName: names[person.region] ?? person.region.value)
        }
        let content = ListPage(
            summary: pages.text("persons.summary", context, ["total": String(page.total)]),
            rows: rows,
            pageLabel: pages.text("pager.page", context, ["page": String(page.page), "pages": String(page.pageCount)]),
            previous: page.hasPrevious ? "/persons?page=\(page.page - 1)" : nil,
            next: page.hasNext ? "/persons?page=\(page.page + 1)" : nil)
        return pages.render("persons", title: pages.text("persons.title", context), content: content, request: request, context: context)
    }

    struct DetailPage {
        var name: String
        var residentID: String
        var sex: String
        var birthDate: String
        var hukouType: String
        var regionName: String
        var regionCode: String
        var address: String?
        var phone: String?
        var status: String
    }

    @Sendable func pageShow(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let person = try await person(context)
        let pages = services.pages
        let regionName = try await services.regions.labels(of: [person.region])[person.region] ?? person.region.value
        let content = DetailPage(
            name: person.name, residentID: person.residentID.value, sex: pages.text("sex.\(person.sex.rawValue)", context),
            birthDate: person.birthDate.description, hukouType: pages.text("hukou.\(person.hukouType.rawValue)", context),
            regionName: regionName, regionCode: person.region.value, address: person.address, phone: person.phone,
            status: pages.text("person_status.\(person.status.rawValue)", context))
        return pages.render("person", title: person.name, content: content, request: request, context: context)
    }
}
