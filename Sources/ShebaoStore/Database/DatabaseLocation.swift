import Foundation

/// Where the data lives: `sqlite:PATH` (the embedded default) or a `postgres://` URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `./shebao.sqlite`, so a fresh checkout runs without any set-up.
    public static let `default` = DatabaseLocation.sqlite(path: "./shebao.sqlite")

    /// Reads `sqlite:PATH`, `sqlite://PATH`, `postgres://…` or `postgresql://…`.
    public init(_ text: String) throws(DatabaseLocationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .emptyPath }
            self = .sqlite(path: path)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .emptyPath }
            self = .sqlite(path: path)
        } else {
            throw .unknownScheme(String(text.prefix(while: { $0 != ":" })))
        }
    }

    /// The location with any password removed, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://") else { return url }
            let credentials = url[schemeEnd.upperBound..<at]
            let user = credentials.split(separator: ":", maxSplits: 1).first ?? ""
            return String(url[..<schemeEnd.upperBound]) + user + (credentials.contains(":") ? ":***" : "") + String(url[at...])
        }
    }
}

public enum DatabaseLocationError: Error, Equatable, CustomStringConvertible {
    case unknownScheme(String)
    case emptyPath

    public var description: String {
        switch self {
        case .unknownScheme(let scheme):
            "unknown database scheme '\(scheme)': use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        case .emptyPath:
            "sqlite: needs a file path, e.g. sqlite:./shebao.sqlite"
        }
    }
}
