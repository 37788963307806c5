import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The first page after login, with a tile for every program the user may use (the same list as
/// the navigation); the citizens' and employers' portal; the leaders' overview by township.
struct HomePages {
    let services: ShebaoServices

    struct Tile {
        var href: String
        var label: String
        var hint: String
    }

    struct HomePage {
        var greeting: String
        var roleLabel: String
        var scopeName: String
        var personCount: String?
        var tiles: [Tile]
        /// Stored, not computed: Mustache reads values through reflection.
        var hasTiles: Bool
    }

    @Sendable func home(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role.isStaff else { return .redirect(to: Route.portal.path(), type: .found) }
        let pages = services.pages
        let tiles = services.programs.navigation.filter { $0.surface == .staff && $0.hintKey != nil && $0.visible(principal) }.map {
            Tile(href: $0.route.path(), label: pages.text($0.labelKey, context), hint: pages.text($0.hintKey ?? "", context))
        }
        let personCount = AccessPolicy.allows(principal.role, .personList) ? String(try await services.registry.personCount(by: principal)) : nil
        let page = HomePage(
            greeting: pages.text("home.greeting", context, ["name": principal.displayName]),
            roleLabel: pages.label(principal.role, context),
            scopeName: principal.scope == .nation ? pages.text("policy.nation", context) : try await services.regions.label(principal.scope),
            personCount: personCount, tiles: tiles, hasTiles: !tiles.isEmpty)
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
        guard !principal.role.isStaff else { return .redirect(to: Route.home.path(), type: .found) }
        let pages = services.pages
        if let employer = try await services.registry.ownEmployer(by: principal) {
            return try await EmployerPages(services: services).renderShow(employer, request, context,
                                                                          title: pages.text("portal.own_unit", context, ["name": employer.name]))
        }
        var record: PortalPage.OwnRecord?
        if let personID = principal.personID {
            let person = try await services.registry.person(personID, by: principal)
            record = .init(name: person.name, residentID: person.residentID.value, sex: pages.label(person.sex, context),
                           birthDate: person.birthDate.description, regionName: try await services.regions.label(person.region))
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
        let pages = services.pages
        let counts = try await services.registry.countsByTownship(by: principal)
        var rows: [OverviewPage.Row] = []
        for code in counts.keys.sorted() {
            let township = try await services.regions.find(code)
            rows.append(OverviewPage.Row(name: township?.name ?? code.value, areaType: township?.areaType.map { pages.label($0, context) } ?? "",
                                         persons: String(counts[code] ?? 0)))
        }
        let page = OverviewPage(asOf: pages.text("overview.as_of", context, ["time": services.today.description]), rows: rows,
                                total: String(counts.values.reduce(0, +)))
        return pages.render("overview", title: pages.text("overview.title", context), content: page, request: request, context: context)
    }
}
