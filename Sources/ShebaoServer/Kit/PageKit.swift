import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Pieces every program's pages share: region choices, query strings, the pager, the record
/// form, downloads and the form-submission pattern.
extension ShebaoServices {
    /// Townships and villages in `scope` as select options, `路南街道 / 路南街道 xx社区`.
    func regionOptions(in scope: RegionCode, selected: String?, blank: String, villagesOnly: Bool = false,
                       townshipsOnly: Bool = false) async throws -> [FormFieldView.Option] {
        let regions = try await self.regions.all(in: scope).filter {
            villagesOnly ? $0.level == .village : townshipsOnly ? $0.level == .township : $0.level >= .township
        }
        let labels = try await self.regions.labels(of: regions.map(\.code))
        var options = [FormFieldView.Option(value: "", label: blank, selected: (selected ?? "").isEmpty)]
        options += regions.map { FormFieldView.Option(value: $0.code.value, label: labels[$0.code] ?? $0.name, selected: $0.code.value == selected) }
        return options
    }
}

extension Request {
    /// A query parameter as text (already percent-decoded; `+` from HTML forms read as a space), nil when absent or blank.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        let trimmed = value.replacingOccurrences(of: "+", with: " ").trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A query parameter as an integer within bounds, or the default.
    func queryInt(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let text = uri.queryParameters[Substring(name)], let number = Int(String(text)) else { return value }
        return min(max(number, range.lowerBound), range.upperBound)
    }

    /// `?page=` and `?perPage=` of a list (pages show 50 a page).
    func paging(perPage fixed: Int? = nil) -> Paging {
        Paging(page: queryInt("page", default: 1, range: 1...1_000_000),
               perPage: fixed ?? queryInt("perPage", default: 50, range: 1...Page<Int>.maximumPerPage))
    }

    /// `?page=` and `?perPage=` of an API list: a value that is not a whole number in its range is
    /// refused naming the parameter (422), never clamped (pages clamp, for a person at a browser).
    func apiPaging() throws(ServiceError) -> Paging {
        func value(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ServiceError) -> Int {
            guard let text = uri.queryParameters[Substring(name)] else { return fallback }
            guard let number = Int(String(text)), range.contains(number) else {
                throw .invalid(name, "field.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)])
            }
            return number
        }
        return Paging(page: try value("page", default: 1, range: 1...1_000_000), perPage: try value("perPage", default: 50, range: 1...Page<Int>.maximumPerPage))
    }

    /// A yes/no filter of an API list: absent is `fallback`; `true` or `false`, anything else
    /// refused naming the parameter (422) — a filter is never silently ignored.
    func apiFlag(_ name: String, default fallback: Bool = false) throws(ServiceError) -> Bool {
        guard let text = uri.queryParameters[Substring(name)].map(String.init) else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalid(name, "field.not_in_list", ["value": text])
        }
    }

    /// A choice among `T`'s values: absent is `fallback`; an unknown value is refused naming the
    /// parameter (422), never replaced by a default.
    func apiChoice<T: RawRepresentable>(_ name: String, default fallback: T? = nil) throws(ServiceError) -> T? where T.RawValue == String {
        guard let text = uri.queryParameters[Substring(name)].map(String.init) else { return fallback }
        guard let value = T(rawValue: text) else { throw .invalid(name, "field.not_in_list", ["value": text]) }
        return value
    }

    /// The person search a query string describes.
    var personSearch: PersonSearchText { PersonSearchText(reading: { query($0) }) }

    /// The employer search a query string describes.
    var employerSearch: EmployerSearchText { EmployerSearchText(reading: { query($0) }) }
}

/// The links and label of a list's pager.
struct Pager {
    var label: String
    var previous: String?
    var next: String?

    init<Item>(_ page: Page<Item>, route: Route, query: String, pages: PageRenderer, context: ShebaoRequestContext) {
        func link(_ number: Int) -> String { route.path(query: (query.isEmpty ? "" : query + "&") + "page=\(number)") }
        label = pages.text("pager.page", context, ["page": String(page.page), "pages": String(page.pageCount)])
        previous = page.hasPrevious ? link(page.page - 1) : nil
        next = page.hasNext ? link(page.page + 1) : nil
    }
}

/// The view model of `record-form.mustache`: one record's fields, fixed facts, problems.
struct RecordFormPage {
    struct Fixed {
        var label: String
        var value: String
    }
    var action: String
    var cancel: String
    var version: String
    var fixed: [Fixed]
    var fields: [FormFieldView]
    var problems: [String]

    /// The form with `error`'s field issues beside their fields and the rest above the form.
    init(action: String, cancel: String, version: String = "", fixed: [Fixed] = [], fields: [FormFieldView], error: ServiceError? = nil,
         pages: PageRenderer, context: ShebaoRequestContext) {
        self.action = action
        self.cancel = cancel
        self.version = version
        self.fixed = fixed
        let form = FieldForm(fields, refusedBy: error, pages: pages, context: context)
        self.fields = form.fields
        self.problems = form.problems
    }
}

/// A form's fields as `{{>fields}}` renders them (`{{#form}}{{>fields}}{{/form}}`), with a
/// refusal's problems beside their fields and, above the form, those no field is for.
struct FieldForm {
    var fields: [FormFieldView]
    var problems: [String]
    /// Stored, not computed (templates read it): a refused form stays open where it is folded.
    var refused: Bool
    /// Stored, not computed (templates read it): every problem no field holds, as one sentence
    /// above the form (one element, one id); nil when there is none.
    var above: String?

    /// Problems joined into what a page says above its forms; nil when there is none.
    static func above(_ problems: [String]) -> String? { problems.isEmpty ? nil : problems.joined(separator: " ") }

    /// A page's one form among row actions (a payment, an ending): a refusal of the form (`ofForm`)
    /// goes beside its fields, a row action's above the page naming its fields. Returns the form
    /// and what the page says above it.
    static func withRowActions(_ fields: [FormFieldView], refusal: ServiceError?, ofForm: Bool, pages: PageRenderer,
                               context: ShebaoRequestContext) -> (form: FieldForm, above: String?) {
        let form = FieldForm(fields, refusedBy: ofForm ? refusal : nil, pages: pages, context: context)
        return (form, ofForm ? form.above : refusal.map { pages.messageNamingFields($0, context) })
    }

    init(_ fields: [FormFieldView], refusedBy error: ServiceError?, pages: PageRenderer, context: ShebaoRequestContext) {
        var fields = fields
        var problems: [String] = []
        if let error {
            problems = fields.attach(error.fieldIssues) { pages.text($0, context) }
            if error.fieldIssues.isEmpty { problems.append(pages.message(error, context)) }
        }
        self.fields = fields
        self.problems = problems
        self.refused = error != nil
        self.above = Self.above(problems)
    }
}

/// The status a form page answers with when `error` refused the submission.
func formStatus(_ error: ServiceError) -> HTTPResponse.Status { Problem(error).status }

extension Response {
    /// A file download, named for the user's language (RFC 6266 / 5987 for non-ASCII names).
    /// The file is written as it is produced (chunked): the first rows leave while later pages are
    /// still being read, and a slow reader slows only the export (the writer waits for the socket).
    static func download(_ file: ExportFile) -> Response {
        Response(status: .ok, headers: downloadHeaders(fileName: file.fileName, asciiName: file.asciiName, contentType: file.contentType),
                 body: ResponseBody { writer in
                     try await file.write { data in try await writer.write(ByteBuffer(bytes: data)) }
                     try await writer.finish(nil)
                 })
    }

    static func download(_ data: Data, fileName: String, asciiName: String, contentType: String) -> Response {
        Response(status: .ok, headers: downloadHeaders(fileName: fileName, asciiName: asciiName, contentType: contentType),
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func downloadHeaders(fileName: String, asciiName: String, contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? asciiName
        headers[.contentDisposition] = "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)"
        headers[.cacheControl] = "no-store"
        return headers
    }

    /// After a successful form: to `route` with a `saved` notice.
    static func saved(_ route: Route, _ id: any CustomStringConvertible) -> Response {
        .redirect(to: route.path(id, query: "saved=1"), type: .found)
    }
}

extension ShebaoRequestContext {
    /// The id in the path, or a 404.
    func id(_ name: String = "id") throws -> Int64 {
        guard let id = parameters.get(name, as: Int64.self) else { throw Problem.notFound }
        return id
    }
}

extension FormData {
    /// A field as an integer, nil when absent or not a number.
    func int(_ name: String) -> Int64? { self[name].flatMap { Int64($0.trimmingASCIIWhitespace()) } }

    /// A field, nil when blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingASCIIWhitespace(), !value.isEmpty else { return nil }
        return value
    }
}

/// Runs a page's form submission: a refusal the user can fix (a wrong field, a conflict, a
/// refusal of the rules) comes back to `rerender` with the error; anything else propagates to
/// the error page.
func submitForm(_ action: () async throws -> Response, rerender: (ServiceError) async throws -> Response) async throws -> Response {
    do {
        return try await action()
    } catch let error as ServiceError {
        switch error.kind {
        case .invalid, .conflict, .versionConflict, .forbidden: return try await rerender(error)
        case .notFound, .tooLarge, .failure: throw error
        }
    }
}

/// What a searchable list shows above its table: the refusal of a malformed query, how many were
/// found, the same list as CSV and XLSX (the same query), and where to register a new record
/// when the reader may.
struct ListHead {
    var problem: String?
    var summary: String
    var exportCSV: String
    var exportXLSX: String
    var create: String?
}

/// The search behind a list page: a query the service refuses as malformed is explained above an
/// empty list (422), not turned into an error page; any other refusal propagates.
struct ListSearch<Item: Sendable> {
    var result: Page<Item>
    var problem: String?
    var status: HTTPResponse.Status { problem == nil ? .ok : .unprocessableContent }

    init(perPage: Int, pages: PageRenderer, context: ShebaoRequestContext,
         _ search: () async throws(ServiceError) -> Page<Item>) async throws(ServiceError) {
        do {
            result = try await search()
        } catch {
            guard error.kind == .invalid else { throw error }
            result = .empty(page: 1, perPage: perPage)
            problem = pages.message(error, context) + error.fieldIssues.map { " " + pages.text($0, context) }.joined()
        }
    }

    /// The head of the list: `summaryKey` with the total, the exports of `query`, `create` if the reader may.
    func head(summary summaryKey: String, exports: (csv: Route, xlsx: Route), query: String, create: Route?, pages: PageRenderer,
              context: ShebaoRequestContext) -> ListHead {
        ListHead(problem: problem, summary: pages.text(summaryKey, context, ["total": String(result.total)]),
                 exportCSV: exports.csv.path(query: query), exportXLSX: exports.xlsx.path(query: query), create: create?.path())
    }
}
