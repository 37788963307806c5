public import Hummingbird
public import ShebaoCore
public import ShebaoOperations
public import ShebaoStore

/// An entry of the navigation (and, with a hint, a tile of the home page), with who sees it.
public struct NavigationItem: Sendable {
    public enum Surface: Sendable { case staff, portal }

    public var route: Route
    /// The label (`nav.<…>`).
    public var labelKey: String
    /// The tile's hint on the home page (`home.hint.<…>`); nil: no tile.
    public var hintKey: String?
    /// Lower comes first.
    public var order: Int
    public var surface: Surface
    /// Who sees it: the same decision the route's handler takes.
    public var visible: @Sendable (Principal) -> Bool

    public init(_ route: Route, label labelKey: String, hint hintKey: String? = nil, order: Int, surface: Surface = .staff,
                visible: @escaping @Sendable (Principal) -> Bool) {
        self.route = route
        self.labelKey = labelKey
        self.hintKey = hintKey
        self.order = order
        self.surface = surface
        self.visible = visible
    }

    /// Shown to roles that may take any of `actions`.
    public static func allowed(_ actions: Action...) -> @Sendable (Principal) -> Bool {
        { principal in actions.contains { AccessPolicy.allows(principal.role, $0) } }
    }
}

/// One program of the system, registered in one place (``Programs``): its schema, rules, case
/// types and batch kinds, its routes on the API and the pages, its navigation, templates and the
/// sections it adds to the one view of a person. The router, the navigation, the home page, the
/// panels, the migrations and the rule catalogue are all built from the list of programs, so a
/// new program is one folder per module and one line.
public struct Program: Sendable {
    public typealias Routes = @Sendable (RouterGroup<ShebaoRequestContext>, ShebaoServices) -> Void

    public var id: String
    public var migrations: [any Migration]
    public var rules: [RuleCatalog.Entry]
    public var caseTypes: [CaseHandler]
    public var batchKinds: [BatchKind]
    /// Mustache templates it renders (checked at start: a missing one stops the server).
    public var templates: [String]
    public var navigation: [NavigationItem]
    public var panels: [any PersonPanelProvider]
    /// Routes under `/api/v1` (bearer token).
    public var api: Routes
    /// Staff pages and the portal (login required).
    public var pages: Routes
    /// Routes anyone may reach (login, health).
    public var open: Routes

    public init(id: String, migrations: [any Migration] = [], rules: [RuleCatalog.Entry] = [], caseTypes: [CaseHandler] = [],
                batchKinds: [BatchKind] = [], templates: [String] = [], navigation: [NavigationItem] = [], panels: [any PersonPanelProvider] = [],
                api: @escaping Routes = { _, _ in }, pages: @escaping Routes = { _, _ in }, open: @escaping Routes = { _, _ in }) {
        self.id = id
        self.migrations = migrations
        self.rules = rules
        self.caseTypes = caseTypes
        self.batchKinds = batchKinds
        self.templates = templates
        self.navigation = navigation
        self.panels = panels
        self.api = api
        self.pages = pages
        self.open = open
    }
}

extension Array where Element == Program {
    public var migrations: [any Migration] { flatMap(\.migrations) }

    /// What the operations layer needs of the programs.
    public var catalog: Catalog {
        Catalog(rules: flatMap(\.rules), caseTypes: flatMap(\.caseTypes), batchKinds: flatMap(\.batchKinds))
    }

    public var templates: [String] { flatMap(\.templates) }

    /// The navigation of every program, in order.
    public var navigation: [NavigationItem] { flatMap(\.navigation).sorted { $0.order < $1.order } }

    public var panels: [any PersonPanelProvider] { flatMap(\.panels).sorted { $0.order < $1.order } }
}
