import Foundation
public import Hummingbird
import Mustache
public import ShebaoCore

/// One section of the one view of a person: its HTML for the page and its data for the API.
public struct PersonPanel: Sendable {
    public var id: String
    public var title: String
    public var html: String
    /// The panel's data, encoded under `id` in `GET /api/v1/persons/{id}/view`.
    public var data: any Encodable & Sendable

    public init(id: String, title: String, html: String, data: any Encodable & Sendable) {
        self.id = id
        self.title = title
        self.html = html
        self.data = data
    }
}

/// What a panel may use to build itself.
public struct PanelContext: Sendable {
    public var principal: Principal
    public var request: Request
    public var context: ShebaoRequestContext
    public var services: ShebaoServices

    var pages: PageRenderer { services.pages }

    /// A text of the string tables in the reader's language.
    func text(_ key: String, _ arguments: [String: String] = [:]) -> String { pages.text(key, context, arguments) }

    /// The panel `id` with its title and its own template (`panel-<id>.mustache`) filled from `view`,
    /// which the API gives as the panel's data.
    func panel(_ id: String, title titleKey: String, _ view: some Encodable & Sendable) -> PersonPanel {
        PersonPanel(id: id, title: text(titleKey), html: pages.fragment("panel-" + id, view, context), data: view)
    }
}

/// The extension point of the one view of a person.
///
/// A program adds its section — enrolments, accounts, benefits, assistance — by listing a
/// provider in its ``Program/panels``; the person page and the API view gather whatever the
/// providers return, so no page has to be edited to add one.
public protocol PersonPanelProvider: Sendable {
    /// Where the panel sits: lower first.
    var order: Int { get }
    /// The panel for `person`, or nil when the program has nothing to say about them.
    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel?
}

/// The panels of every program for one person, in order.
struct PersonPanels {
    let services: ShebaoServices

    func panels(for person: Person, _ request: Request, _ context: ShebaoRequestContext) async throws -> [PersonPanel] {
        let panelContext = PanelContext(principal: try context.requirePrincipal(), request: request, context: context, services: services)
        var panels: [PersonPanel] = []
        for provider in services.personPanels {
            if let panel = try await provider.panel(for: person, in: panelContext) { panels.append(panel) }
        }
        return panels
    }
}

extension PageRenderer {
    /// A fragment rendered with its own template, the string tables and the request's language.
    /// A fragment's forms carry the session's CSRF token as a page's do (`{{chrome.csrf}}`).
    func fragment<Content>(_ template: String, _ content: Content, _ context: ShebaoRequestContext) -> String {
        library.render(FragmentView(s: templateStrings[context.language] ?? [:], chrome: .init(csrf: context.session?.csrfToken), content: content),
                       withTemplate: template) ?? ""
    }
}

struct FragmentView<Content> {
    /// What a fragment may need of the page's chrome: the token its forms post.
    struct Chrome {
        var csrf: String?
    }
    var s: [String: String]
    var chrome: Chrome
    var content: Content
}
