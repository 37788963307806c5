import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ShebaoCore
import ShebaoOperations
@testable import ShebaoServer
import ShebaoStore
import ShebaoTestSupport
import Synchronization

/// A server over a fresh database holding the small demo district (410 persons), with a bearer
/// token for every demo account and a log that tests can read.
struct TestApp: Sendable {
    let operations: Operations
    let tokens: [String: String]
    let logs: LogCapture

    var database: ShebaoDatabase { operations.database }

    /// A server over a fresh database with the demo district, built from `programs` (every
    /// program unless a test adds one of its own).
    static func run<T: Sendable>(_ kind: TestDatabaseKind, programs: [Program] = Programs.all, clock: any WallClock = SystemClock(),
                                 _ body: @Sendable (any TestClientProtocol, TestApp) async throws -> T) async throws -> T {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws -> T in
            try await Migrator.migrate(database, migrations: programs.migrations)
            try await buildTestDistrict(database, clock: clock)
            let operations = testOperations(database, clock: clock, catalog: programs.catalog)
            var tokens: [String: String] = [:]
            for account in DemoDistrict.accounts {
                tokens[account.username] = try await operations.access.createToken(username: account.username, label: "test")
            }
            let logs = LogCapture()
            let logger = Logger(label: "shebao.test-server", factory: { label in CapturingLogHandler(capture: logs) })
            let app = try await buildApplication(configuration: ServerConfiguration(), operations: operations, logger: logger, programs: programs)
            let testApp = TestApp(operations: operations, tokens: tokens, logs: logs)
            return try await app.test(.router) { client in try await body(client, testApp) }
        }
    }

    func bearer(_ username: String) -> HTTPFields {
        [.authorization: "Bearer " + tokens[username]!]
    }

    func json(_ username: String) -> HTTPFields {
        [.authorization: "Bearer " + tokens[username]!, .contentType: "application/json"]
    }

    /// A person as stored (no access check, no audit row).
    func person(_ id: Int64) async throws -> Person? {
        try await database.read { db in try await PersonStore().find(id: id, on: db) }
    }

    func principal(_ username: String) async throws -> Principal {
        try await operations.access.principal(named: username)
    }
}

/// Every log line a test server wrote, message and metadata, to look for personal data.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
    }
}

/// A browser stand-in: keeps cookies between requests and reads forms' CSRF tokens.
actor Browser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get, body: nil)
    }

    @discardableResult
    func post(_ uri: String, form: [String: String]) async throws -> TestResponse {
        let body = form.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await send(uri, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// A `multipart/form-data` upload with the page's fields and one file.
    @discardableResult
    func upload(_ uri: String, fields: [String: String], fileName: String, file: Data) async throws -> TestResponse {
        try await multipart(uri, fields: fields, file: (fileName, file))
    }

    /// A multipart form as a browser posts it: text fields, and a file when given.
    func multipart(_ uri: String, fields: [String: String], file: (name: String, data: Data)? = nil) async throws -> TestResponse {
        let boundary = "----shebao-test-boundary"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await send(uri, method: .post, bodyBytes: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String? = nil) async throws -> TestResponse {
        try await send(uri, method: method, bodyBytes: body.map { Data($0.utf8) }, contentType: contentType)
    }

    private func send(_ uri: String, method: HTTPRequest.Method, bodyBytes: Data?, contentType: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: bodyBytes.map { ByteBuffer(bytes: $0) })
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if header.contains("Max-Age=0") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    /// The value of the first hidden `_csrf` field in a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    /// Logs in through the form; returns the final response after the redirect.
    @discardableResult
    func logIn(_ username: String, password: String = DemoDistrict.demoPassword) async throws -> TestResponse {
        let page = try await get("/login")
        let token = Self.csrf(in: String(buffer: page.body)) ?? ""
        return try await post("/login", form: ["_csrf": token, "username": username, "password": password, "next": "/"])
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: Data(body.readableBytesView)) }
}
