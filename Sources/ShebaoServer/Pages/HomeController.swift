import Hummingbird
import ShebaoCore
import ShebaoStore

/// The first page after login, one per role; the citizens' and employers' portal; the
/// statistics viewer's overview of the population by township.
struct HomeController {
    let services: ShebaoServices

    func addRoutes(to group: RouterGroup<ShebaoRequestContext>) {
        group.get("/", use: home)
        group.get("/portal", use: portal)
        group.get("/overview", use: overview)
    }

    struct Tile {
        var href: String
        var label: String
        var hint: String
    }

    struct HomePage {
        var greeting: String
        var roleLabel: String
        var scopeName: String
        var scopeCode: String
        var personCount: String?
        var tiles: [Tile]
        /// Stored, not computed: Mustache reads values through reflection.
        var hasTiles: Bool
    }

    @Sendable func home(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role.isStaff else { return .redirect(to: "/portal", type: .found) }
        let pages = services.pages
        let scopeName = try await services.regions.find(principal.scope)?.name ?? principal.scope.value
        var tiles: [Tile] = []
        func tile(_ href: String, _ key: String) {
            tiles.append(Tile(href: href, label: pages.text("nav.\(key)", context), hint: pages.text("home.hint.\(key)", context)))
        }
        var personCount: String?
        if AccessPolicy.allows(principal.role, .personList) {
            tile("/persons", "persons")
            personCount = String(try await services.persons.count(in: principal.scope))
        }
        if AccessPolicy.allows(principal.role, .householdRead) { tile("/households", "households") }
        if AccessPolicy.allows(principal.role, .employerRead) { tile("/employers", "employers") }
        if AccessPolicy.allows(principal.role, .importFile) { tile("/imports", "imports") }
        if AccessPolicy.allows(principal.role, .mergeRequest) || AccessPolicy.allows(principal.role, .mergeDecide) { tile("/duplicates", "duplicates") }
        if principal.role == .statisticsViewer { tile("/overview", "overview") }
        if AccessPolicy.allows(principal.role, .parameterRead) { tile("/policy", "policy") }
        if AccessPolicy.allows(principal.role, .calculate) { tile("/calculate", "calculate") }
        if AccessPolicy.allows(principal.role, .userManage) { tile("/admin/users", "users") }
        if AccessPolicy.allows(principal.role, .auditRead) { tile("/audit", "audit") }
        let page = HomePage(
            greeting: pages.text("home.greeting", context, ["name": principal.displayName]),
            roleLabel: pages.text("role.\(principal.role.rawValue)", context),
            scopeName: scopeName, scopeCode: principal.scope.value, personCount: personCount, tiles: tiles,
            hasTiles: !tiles.isEmpty)
        return pages.render("home", title: pages.text("home.title", context), content: page, request: request, context: context)
    }

    struct PortalPage {
        struct OwnRecord {
            var name: String
            var residentID: String
            var sex: String
            var birthDate: String
            var regionName: String
        }
        var person: OwnRecord?
        var unlinkedMessage: String
    }

    /// A citizen's own record; an employer agent's own unit and staff.
    @Sendable func portal(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard !principal.role.isStaff else { return .redirect(to: "/", type: .found) }
        let pages = services.pages
        if principal.role == .employerAgent, let id = principal.employerID,
            let employer = try await EmployerStore(database: services.database).find(id: id, by: principal)
        {
            return try await EmployersController(services: services).renderShow(employer, request, context, title: pages.text("portal.own_unit", context, ["name": employer.name]))
        }
        var record: PortalPage.OwnRecord?
        if let personID = principal.personID, let person = try await services.persons.read(id: personID, by: principal) {
            let regionName = try await services.regions.labels(of: [person.region])[person.region] ?? person.region.value
            record = .init(
                name: person.name, residentID: person.residentID.value, sex: pages.text("sex.\(person.sex.rawValue)", context),
                birthDate: person.birthDate.description, regionName: regionName)
        }
        let page = PortalPage(person: record, unlinkedMessage: pages.text("portal.unlinked.\(principal.role.rawValue)", context))
        return pages.render("portal", title: pages.text("portal.title", context), content: page, request: request, context: context)
    }

    struct OverviewPage {
        struct Row {
            var name: String
            var areaType: String
            var persons: String
        }
        var asOf: String
        var rows: [Row]
        var total: String
    }

    /// Registered persons per street and town of the viewer's scope, counted now from the register.
    @Sendable func overview(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role == .statisticsViewer || principal.role == .admin else { throw Problem.forbidden }
        let pages = services.pages
        let counts = try await services.persons.countsByTownship(in: principal.scope)
        let names = try await services.regions.names(of: Set(counts.keys))
        let townships = try await services.regions.all(in: principal.scope).filter { $0.level == .township }
        let areaTypes = Dictionary(uniqueKeysWithValues: townships.map { ($0.code, $0.areaType) })
        let rows = counts.keys.sorted().map { code in
            OverviewPage.Row(
                name: names[code] ?? code.value,
                areaType: areaTypes[code].flatMap { $0 }.map { pages.text("area_type.\($0.rawValue)", context) } ?? "",
                persons: String(counts[code] ?? 0))
        }
        let page = OverviewPage(
            asOf: pages.text("overview.as_of", context, ["time": services.clock.now().dateInChina.description]),
            rows: rows, total: String(counts.values.reduce(0, +)))
        return pages.render("overview", title: pages.text("overview.title", context), content: page, request: request, context: context)
    }
}
