import Foundation
public import Hummingbird
public import ShebaoCore
public import ShebaoOperations

/// An error answered as RFC 9457 `application/problem+json` on the API (and as an error page on
/// the staff pages). `code` is stable: clients match on it, never on the text.
public struct Problem: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    /// Arguments for the localized detail text.
    public var arguments: [String: String]
    /// Arguments whose values are string-table keys (`|` between several), labelled in the reader's language.
    public var labels: [String: String]
    /// Field-level errors (e.g. of a form or a JSON body).
    public var fieldIssues: [FieldIssue]

    public init(_ status: HTTPResponse.Status, code: String, arguments: [String: String] = [:], labels: [String: String] = [:],
                fieldIssues: [FieldIssue] = []) {
        self.status = status
        self.code = code
        self.arguments = arguments
        self.labels = labels
        self.fieldIssues = fieldIssues
    }

    /// The problem a service error is on the web: the same code, the status its kind implies.
    public init(_ error: ServiceError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalid: .unprocessableContent
        case .conflict, .versionConflict: .conflict
        case .tooLarge: .contentTooLarge
        case .failure: .internalServerError
        }
        self.init(status, code: error.code, arguments: error.arguments, labels: error.labelArguments, fieldIssues: error.fieldIssues)
    }

    public static let unauthenticated = Problem(.unauthorized, code: "auth.required")
    public static let forbidden = Problem(.forbidden, code: "auth.forbidden")
    public static let notFound = Problem(.notFound, code: "not_found")
    public static let csrf = Problem(.forbidden, code: "auth.csrf")
    public static func badRequest(_ code: String, _ arguments: [String: String] = [:]) -> Problem {
        Problem(.badRequest, code: code, arguments: arguments)
    }

    /// A field that failed validation: its name, the error code and the localized text.
    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var code: String
        public var detail: String
    }

    /// The detail text in `language`, labels translated.
    func detail(_ strings: StringTables, _ language: Language) -> String {
        ServiceError(.invalid, code, arguments, labels: labels).message(strings, language)
    }

    /// The JSON document of RFC 9457, with `code` and `errors` as extension members.
    func document(language: Language, strings: StringTables = .bundled) -> some Codable & Sendable {
        DocumentValue(
            type: "urn:shebao:problem:\(code)",
            title: strings.text("problem.title.\(status.code)", language),
            status: status.code,
            detail: detail(strings, language),
            code: code,
            errors: fieldIssues.isEmpty ? nil : fieldIssues.map { FieldError(field: $0.field, code: $0.code, detail: strings.error($0.code, language, $0.arguments)) })
    }

    struct DocumentValue: Codable, Sendable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var errors: [FieldError]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = (context as? ShebaoRequestContext)?.language ?? .default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(document(language: language))
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"shebao\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
