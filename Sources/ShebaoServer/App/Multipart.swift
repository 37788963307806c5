import Foundation
import Hummingbird
import ShebaoStore

/// A `multipart/form-data` body (RFC 7578): the parts of an upload form, bytes kept as bytes.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var fileName: String?
        var bytes: [UInt8]

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    var parts: [Part]

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Reads the body of `request` (at most `limit` bytes).
    static func read(_ request: Request, limit: Int) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundaryRange = type.range(of: "boundary=")
        else { throw Problem.badRequest("upload.not_multipart") }
        var boundary = String(type[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem(.contentTooLarge, code: "too_large")
        }
        guard let form = parse(Array(buffer.readableBytesView), boundary: boundary) else { throw Problem.badRequest("upload.not_multipart") }
        return form
    }

    static func parse(_ body: [UInt8], boundary: String) -> MultipartForm? {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the CRLF after the boundary line.
            if partStart + 1 < body.count && body[partStart] == 13 && body[partStart + 1] == 10 { partStart += 2 }
            var partEnd = end
            if partEnd >= 2 && body[partEnd - 2] == 13 && body[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd, let headerEnd = find([13, 10, 13, 10], in: body, from: partStart), headerEnd <= partEnd else { continue }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            var name: String?
            var fileName: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
                name = attribute("name", in: line)
                fileName = attribute("filename", in: line)
            }
            guard let name else { continue }
            parts.append(Part(name: name, fileName: fileName, bytes: Array(body[(headerEnd + 4)..<partEnd])))
        }
        return MultipartForm(parts: parts)
    }

    private static func attribute(_ key: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";") {
            let trimmed = piece.drop(while: { $0 == " " })
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = trimmed.dropFirst(key.count + 1)
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension MultipartForm {
    /// The form of `request` (at most `limit` bytes), once its CSRF token is the session's.
    static func verified(_ request: Request, _ context: ShebaoRequestContext, limit: Int) async throws -> MultipartForm {
        let form = try await read(request, limit: limit)
        guard let expected = context.session?.csrfToken, let given = form.part("_csrf")?.text, FormData.constantTimeEqual(given, expected) else {
            throw Problem.csrf
        }
        return form
    }

    /// The one file of an upload form (a spreadsheet or CSV within the table limits), after its
    /// CSRF token is checked: its name and bytes.
    static func uploadedFile(_ request: Request, _ context: ShebaoRequestContext) async throws -> (name: String, data: Data) {
        let form = try await verified(request, context, limit: TableLimits.maximumBytes + 1_048_576)
        guard let file = form.part("file"), !file.bytes.isEmpty else { throw Problem.badRequest("upload.no_file") }
        return (file.fileName ?? "upload", Data(file.bytes))
    }
}
