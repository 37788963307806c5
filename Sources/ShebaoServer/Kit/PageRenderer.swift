import Foundation
import Hummingbird
import Mustache
public import ShebaoCore
import ShebaoOperations

/// Renders a page: a view model plus a template, inside the one layout (STYLE.md §9).
///
/// Templates are loaded once at start; a missing one fails at start, not on a user's click.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let strings: StringTables
    let stylesheets: [String: String]
    /// The navigation of every program, in order (``Program/navigation``).
    let navigation: [NavigationItem]
    /// The district this server serves, shown in every page's header.
    let districtName: String
    /// The string tables with `.` in keys turned into `_`, since Mustache reads a dot as a path:
    /// templates write `{{s.login_username}}` for the key `login.username`.
    let templateStrings: [Language: [String: String]]
    /// A training installation's clock: every page then says its date is simulated.
    var trainingClock: TrainingClock?
    /// The installation's clock, for the time a printed page says it was printed.
    var clock: any WallClock = SystemClock()

    init(library: MustacheLibrary, strings: StringTables, stylesheets: [String: String], navigation: [NavigationItem], districtName: String) {
        self.library = library
        self.strings = strings
        self.stylesheets = stylesheets
        self.navigation = navigation
        self.districtName = districtName
        var templateStrings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            templateStrings[language] = Dictionary(uniqueKeysWithValues: strings.table(language).map {
                ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value)
            })
        }
        self.templateStrings = templateStrings
    }

    /// Templates every page uses, whichever program renders it.
    static let sharedTemplates = ["layout", "error", "fields", "record-form", "explanation", "pager", "rejected-file"]

    /// Loads the templates and stylesheets; every template a program names must exist.
    public static func load(programs: [Program], districtName: String, strings: StringTables = .bundled) async throws -> PageRenderer {
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources"),
            let statics = Bundle.module.url(forResource: "static", withExtension: nil, subdirectory: "Resources")
        else { throw PageRendererError.missingResources }
        let library = try await MustacheLibrary(directory: templates.path)
        for name in sharedTemplates + programs.templates where library.getTemplate(named: name) == nil {
            throw PageRendererError.missingTemplate(name)
        }
        var stylesheets: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: statics.path) {
            stylesheets[file] = try String(contentsOf: statics.appendingPathComponent(file), encoding: .utf8)
        }
        return PageRenderer(library: library, strings: strings, stylesheets: stylesheets, navigation: programs.navigation, districtName: districtName)
    }

    /// The HTML response for `template` with `content`, in the request's language.
    func render<Content>(_ template: String, title: String, content: Content, request: Request,
                         context: ShebaoRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let view = PageView(
            s: templateStrings[context.language] ?? [:],
            lang: context.language.htmlTag,
            title: title,
            chrome: PageChrome(request: request, context: context, strings: strings, navigation: navigation, districtName: districtName,
                               trainingDate: trainingClock.map { $0.now().dateInChina.description }, printedAt: clock.now().chinaMinute),
            content: content)
        let html = library.render(view, withTemplate: template) ?? "<!doctype html><title>Shebao</title><p>template \(template) failed</p>"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func text(_ key: String, _ context: ShebaoRequestContext, _ arguments: [String: String] = [:]) -> String {
        strings.text(key, context.language, arguments)
    }

    /// The label of a value of a closed list.
    /// Who did something, as a page names them: a user by name; the system's own work
    /// (`system:demo`, `system:import`, …) as "the system", never its internal tag.
    func actor(_ name: String, _ context: ShebaoRequestContext) -> String {
        name.hasPrefix("system:") ? text("actor.system", context) : name
    }

    func label(_ value: some Labelled, _ context: ShebaoRequestContext) -> String {
        strings.label(value, context.language)
    }

    /// A service error as a sentence in the reader's language.
    func message(_ error: ServiceError, _ context: ShebaoRequestContext) -> String {
        error.message(strings, context.language)
    }

    /// A refusal and each of its field issues, one sentence after another: for a step or action
    /// that has no field to put them beside.
    func messageWithIssues(_ error: ServiceError, _ context: ShebaoRequestContext) -> String {
        ([message(error, context)] + error.fieldIssues.map { text($0, context) }).joined(separator: " ")
    }

    /// A service error with what it says of each field, for a form that shows its problem in
    /// one sentence above the fields ("数据有误" alone would not say which).
    func messageNamingFields(_ error: ServiceError, _ context: ShebaoRequestContext) -> String {
        let table = strings.table(context.language)
        return ([message(error, context)] + error.fieldIssues.map { issue in
            let text = strings.text("error." + issue.code, context.language, issue.arguments)
            // The field by its label when the tables have one (`field.<name>`, else the rules' `input.<name>`).
            guard let label = table["field." + issue.field] ?? table["input." + issue.field] else { return text }
            return "\(label)：\(text)"
        }).joined(separator: " ")
    }

    /// A problem's detail in the reader's language.
    func detail(of problem: Problem, _ context: ShebaoRequestContext) -> String {
        problem.detail(strings, context.language)
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

/// Navigation and account parts of the layout, built from the programs' navigation.
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
    var district: String
    var home: String
    var logout: String
    var password: String
    var stylesheet: String
    var printStylesheet: String
    var navigation: [Link]
    var languages: [Link]
    /// Stored, not computed: Mustache reads values through reflection.
    var hasNavigation: Bool
    /// The simulated date of a training installation.
    var trainingDate: String?
    /// When the page was made, as a printed page's header says (the minute in China).
    var printedAt: String
    var script: String

    init(request: Request, context: ShebaoRequestContext, strings: StringTables, navigation items: [NavigationItem], districtName: String,
         trainingDate: String? = nil, printedAt: String = "") {
        self.trainingDate = trainingDate
        self.printedAt = printedAt
        self.script = Route.stylesheet.path("shebao.js")
        let path = request.uri.path
        let language = context.language
        self.user = context.principal?.displayName
        self.roleLabel = context.principal.map { strings.label($0.role, language) }
        self.csrf = context.session?.csrfToken
        self.district = districtName
        self.home = Route.home.path()
        self.logout = Route.logout.path()
        self.password = Route.password.path()
        self.stylesheet = Route.stylesheet.path("shebao.css")
        self.printStylesheet = Route.stylesheet.path("print.css")
        var navigation: [Link] = []
        if let principal = context.principal {
            func add(_ href: String, _ key: String) {
                navigation.append(Link(href: href, label: strings.text(key, language), current: path == href || (href != "/" && path.hasPrefix(href + "/"))))
            }
            let surface: NavigationItem.Surface = principal.role.isStaff ? .staff : .portal
            if surface == .staff { add(Route.home.path(), "nav.home") }
            for item in items where item.surface == surface && item.visible(principal) { add(item.route.path(), item.labelKey) }
        }
        self.navigation = navigation
        self.hasNavigation = !navigation.isEmpty
        let back = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        self.languages = Language.allCases.map { candidate in
            Link(code: candidate.rawValue, href: Route.language.path(query: "to=\(candidate.rawValue)&back=\(back)"),
                 label: strings.text("language.name", candidate), current: candidate == language)
        }
    }
}
