import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

/// A submitted HTML form (`application/x-www-form-urlencoded`).
struct FormData: Sendable {
    var fields: [String: String]

    subscript(_ name: String) -> String? { fields[name] }

    /// Reads the body (at most 64 KiB) and checks the CSRF token against the session's.
    static func verified(_ request: Request, _ context: ShebaoRequestContext) async throws -> FormData {
        let form = try await read(request, context)
        guard let expected = context.session?.csrfToken, let given = form["_csrf"], constantTimeEqual(given, expected) else {
            throw Problem.csrf
        }
        return form
    }

    static func read(_ request: Request, _ context: ShebaoRequestContext) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormData(fields: parse(String(buffer: buffer)))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            fields[name] = parts.count == 2 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// Compares secrets without an early exit, so timing does not reveal a matching prefix.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
