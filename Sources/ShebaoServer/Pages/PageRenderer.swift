import Foundation
import Hummingbird
import Mustache
public import ShebaoCore

/// Renders a page: a view model plus a template, inside the one layout (STYLE.md §9).
///
/// Templates are loaded once at start; a missing one fails at start, not on a user's click.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let strings: StringTables
    let stylesheets: [String: String]
    /// The string tables with `.` in keys turned into `_`, since Mustache reads a dot as a path:
    /// templates write `{{s.login_username}}` for the key `login.username`.
    let templateStrings: [Language: [String: String]]

    init(library: MustacheLibrary, strings: StringTables, stylesheets: [String: String]) {
        self.library = library
        self.strings = strings
        self.stylesheets = stylesheets
        var templateStrings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            templateStrings[language] = Dictionary(uniqueKeysWithValues: strings.table(language).map {
                ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value)
            })
        }
        self.templateStrings = templateStrings
    }

    /// Every template the server renders; checked at start.
    static let templateNames = [
        "layout", "login", "home", "persons", "person", "portal", "users", "audit", "overview", "error", "fields", "record-form",
        "panel-registry", "panel-household", "panel-employment", "panel-history", "households", "household", "employers", "employer",
        "imports", "duplicates", "explanation", "calculate", "calculate-rule", "policy", "policy-history", "policy-pending",
    ]

    public static func load(strings: StringTables = .bundled) async throws -> PageRenderer {
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources"),
            let statics = Bundle.module.url(forResource: "static", withExtension: nil, subdirectory: "Resources")
        else { throw PageRendererError.missingResources }
        let library = try await MustacheLibrary(directory: templates.path)
        for name in templateNames where library.getTemplate(named: name) == nil {
            throw PageRendererError.missingTemplate(name)
        }
        var stylesheets: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: statics.path) {
            stylesheets[file] = try String(contentsOf: statics.appendingPathComponent(file), encoding: .utf8)
        }
        return PageRenderer(library: library, strings: strings, stylesheets: stylesheets)
    }

    /// The HTML response for `template` with `content`, in the request's language.
    func render<Content>(_ template: String, title: String, content: Content, request: Request,
                         context: ShebaoRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let view = PageView(
            s: templateStrings[context.language] ?? [:],
            lang: context.language.htmlTag,
            title: title,
            chrome: PageChrome(request: request, context: context, strings: strings),
            content: content)
        let html = library.render(view, withTemplate: template) ?? "<!doctype html><title>Shebao</title><p>template \(template) failed</p>"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func text(_ key: String, _ context: ShebaoRequestContext, _ arguments: [String: String] = [:]) -> String {
        strings.text(key, context.language, arguments)
    }

    /// A value a rule produced, in the reader's language (``StringTables/value(_:_:)``).
    func value(_ value: String, _ context: ShebaoRequestContext) -> String {
        strings.value(value, context.language)
    }
}

enum PageRendererError: Error, CustomStringConvertible {
    case missingResources
    case missingTemplate(String)

    var description: String {
        switch self {
        case .missingResources: "the server's templates and stylesheets were not found next to the program"
        case .missingTemplate(let name): "template \(name).mustache is missing"
        }
    }
}

/// The root object every template sees: strings `s`, the language, the title, the chrome
/// (user, navigation, language switch, CSRF token) and the page's own `content`.
struct PageView<Content> {
    var s: [String: String]
    var lang: String
    var title: String
    var chrome: PageChrome
    var content: Content
}

/// Navigation and account parts of the layout.
struct PageChrome {
    struct Link {
        var code: String = ""
        var href: String
        var label: String
        var current: Bool
    }

    var user: String?
    var roleLabel: String?
    var csrf: String?
    var navigation: [Link]
    var languages: [Link]
    /// Stored, not computed: Mustache reads values through reflection.
    var hasNavigation: Bool

    init(request: Request, context: ShebaoRequestContext, strings: StringTables) {
        let path = request.uri.path
        let language = context.language
        self.user = context.principal?.displayName
        self.roleLabel = context.principal.map { strings.text("role.\($0.role.rawValue)", language) }
        self.csrf = context.session?.csrfToken
        var navigation: [Link] = []
        if let principal = context.principal {
            func add(_ href: String, _ key: String) {
                navigation.append(Link(href: href, label: strings.text(key, language), current: path == href || (href != "/" && path.hasPrefix(href + "/"))))
            }
            if principal.role.isStaff {
                add("/", "nav.home")
                if AccessPolicy.allows(principal.role, .personList) { add("/persons", "nav.persons") }
                if AccessPolicy.allows(principal.role, .householdRead) { add("/households", "nav.households") }
                if AccessPolicy.allows(principal.role, .employerRead) { add("/employers", "nav.employers") }
                if AccessPolicy.allows(principal.role, .importFile) { add("/imports", "nav.imports") }
                if AccessPolicy.allows(principal.role, .mergeRequest) || AccessPolicy.allows(principal.role, .mergeDecide) { add("/duplicates", "nav.duplicates") }
                if AccessPolicy.allows(principal.role, .parameterRead) { add("/policy", "nav.policy") }
                if AccessPolicy.allows(principal.role, .calculate) { add("/calculate", "nav.calculate") }
                if principal.role == .statisticsViewer { add("/overview", "nav.overview") }
                if AccessPolicy.allows(principal.role, .userManage) { add("/admin/users", "nav.users") }
                if AccessPolicy.allows(principal.role, .auditRead) { add("/audit", "nav.audit") }
            } else {
                add("/portal", "nav.portal")
            }
        }
        self.navigation = navigation
        self.hasNavigation = !navigation.isEmpty
        let back = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        self.languages = Language.allCases.map { candidate in
            Link(code: candidate.rawValue, href: "/language?to=\(candidate.rawValue)&back=\(back)", label: strings.text("language.name", candidate), current: candidate == language)
        }
    }
}
