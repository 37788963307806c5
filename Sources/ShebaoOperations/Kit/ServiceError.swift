public import ShebaoCore
import ShebaoStore

/// Why a use case did not do what was asked: the one typed error of every service function.
///
/// The API answers it as problem+json, a page shows it in the user's language, the command line
/// prints it and exits 1 — the same `kind` and `code` on all three. The text is the string
/// `error.<code>` with `arguments`; `labelArguments` hold string-table keys (a step's name, a
/// document's kind) that the surface translates before filling them in.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Absent, or outside the caller's scope: the two look alike (RELIABILITY A6.6).
        case notFound
        /// The role may not do this at all (or separation of duties forbids it here).
        case forbidden
        /// The input is wrong: `fieldIssues` say where, or `code` says what.
        case invalid
        /// The record is not in a state that allows this (decided already, taken, a notice running).
        case conflict
        /// Someone saved a newer version since the form was opened.
        case versionConflict
        case tooLarge
        /// Something outside the request failed; logged, never shown with its text.
        case failure
    }

    public var kind: Kind
    public var code: String
    public var arguments: [String: String]
    public var labelArguments: [String: String]
    public var fieldIssues: [FieldIssue]
    /// For `.failure`: what went wrong, for the log only (it may hold data).
    public var underlying: String?

    public init(_ kind: Kind, _ code: String, _ arguments: [String: String] = [:], labels: [String: String] = [:],
                fieldIssues: [FieldIssue] = [], underlying: String? = nil) {
        self.kind = kind
        self.code = code
        self.arguments = arguments
        self.labelArguments = labels
        self.fieldIssues = fieldIssues
        self.underlying = underlying
    }

    public static let notFound = ServiceError(.notFound, "not_found")
    public static let forbidden = ServiceError(.forbidden, "auth.forbidden")

    /// One or more fields are wrong.
    public static func invalid(_ issues: [FieldIssue]) -> ServiceError { ServiceError(.invalid, "validation", fieldIssues: issues) }

    public static func invalid(_ field: String, _ code: String, _ arguments: [String: String] = [:]) -> ServiceError {
        .invalid([FieldIssue(field, code, arguments)])
    }

    /// The input is wrong as a whole (not one field).
    public static func refused(_ code: String, _ arguments: [String: String] = [:], labels: [String: String] = [:]) -> ServiceError {
        ServiceError(.invalid, code, arguments, labels: labels)
    }

    public static func conflict(_ code: String, _ arguments: [String: String] = [:], labels: [String: String] = [:]) -> ServiceError {
        ServiceError(.conflict, code, arguments, labels: labels)
    }

    public static func versionConflict(current: Int64) -> ServiceError {
        ServiceError(.versionConflict, "version_conflict", ["version": String(current)])
    }

    public static func failure(_ error: any Error) -> ServiceError {
        ServiceError(.failure, "internal", underlying: String(reflecting: error))
    }

    public var description: String {
        "\(kind.rawValue) \(code)" + (arguments.isEmpty ? "" : " \(arguments.sorted { $0.key < $1.key })")
            + (fieldIssues.isEmpty ? "" : " \(fieldIssues.map { "\($0.field): \($0.code)" })") + (underlying.map { " (\($0))" } ?? "")
    }

    /// The message in `language`: the code's text with its arguments, labels translated.
    public func message(_ strings: StringTables, _ language: Language) -> String {
        var arguments = self.arguments
        for (name, keys) in labelArguments {
            // Several keys are joined by `|`: a list of documents, say.
            arguments[name] = keys.split(separator: "|").map { strings.text(String($0), language) }.joined(separator: language == .en ? ", " : "、")
        }
        return strings.error(code, language, arguments)
    }

    /// One line per field issue, `field: message`, for the command line.
    public func fieldMessages(_ strings: StringTables, _ language: Language) -> [String] {
        fieldIssues.map { "\($0.field): " + strings.error($0.code, language, $0.arguments) }
    }
}

/// Runs the body of a use case, turning what the layers below throw into a ``ServiceError``:
/// refusals the domain and the store know become their codes, anything else is a `.failure`.
func perform<T>(_ body: () async throws -> T) async throws(ServiceError) -> T {
    do {
        return try await body()
    } catch {
        throw ServiceError.from(error)
    }
}

extension ServiceError {
    /// A rule's refusal. No parameter in force on the rule's date (or one of another kind) is the
    /// book's state, not the request's fault: 409, like a record in the wrong state. Anything else
    /// is about the input: 422.
    public static func rule(_ error: RuleError) -> ServiceError {
        switch error {
        case .missingParameter, .wrongKind: .conflict(error.code, error.arguments)
        default: .refused(error.code, error.arguments)
        }
    }

    /// The service error for anything a layer below threw.
    static func from(_ error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError:
            return error
        case let error as FieldIssues:
            return .invalid(error.issues)
        case let error as FieldIssue:
            return .invalid([error])
        case let error as HouseholdError:
            return .refused(error.code, error.arguments)
        case let error as ImportChangedMeanwhile:
            return .conflict("import.changed_meanwhile", ["id": error.residentID])
        case let error as LedgerRefusal:
            return ServiceError(.invalid, error.code, error.arguments)
        case let error as AssessmentRefusal:
            return .conflict(error.code, error.arguments)
        case let error as MakerCheckerRefusal:
            switch error {
            case .ownProposal: return ServiceError(.forbidden, "maker_checker.own_proposal")
            case .notPending: return .conflict("maker_checker.not_pending")
            case .sameAdministrator: return ServiceError(.forbidden, "maker_checker.same_administrator")
            }
        case let error as AppendOnlyTable.Refusal:
            switch error {
            case .keyReused(let key): return .conflict("ledger.key_reused", ["key": key])
            case .alreadyReversed(let id, let by): return .conflict("ledger.already_reversed", ["id": String(id), "by": String(by)])
            case .notFound: return .notFound
            }
        default:
            return .failure(error)
        }
    }
}

extension Principal {
    /// Throws 403 unless the role may `action` at all.
    func require(_ action: Action) throws(ServiceError) {
        guard AccessPolicy.allows(role, action) else { throw .forbidden }
    }

    /// Throws 403 unless the role may `action`, and 404 when `region` lies outside the scope.
    func require(_ action: Action, in region: RegionCode) throws(ServiceError) {
        switch decide(action, in: region) {
        case .allowed: return
        case .forbidden: throw .forbidden
        case .notFound: throw .notFound
        }
    }
}
