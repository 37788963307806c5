/// A small pull scanner for the XML inside XLSX packages: elements, attributes and text, nothing
/// else. It refuses any DTD and any entity but the five predefined and numeric ones, so an
/// uploaded file cannot reach outside itself (XXE) or expand without bound (billion laughs).
///
/// We read XLSX with this rather than Foundation's `XMLParser` for two reasons: no DTD or entity
/// processing can be switched on by a file, and the server does not need libxml2 at run time.
struct XMLScanner {
    enum Event {
        case start(name: Substring, attributes: [Substring: String], selfClosing: Bool)
        case end(name: Substring)
        case text(String)
    }

    private let text: Substring.UTF8View
    private let source: Substring
    private var index: Substring.UTF8View.Index

    init(_ source: String) {
        self.source = Substring(source)
        self.text = self.source.utf8
        self.index = self.text.startIndex
    }

    /// The next event, nil at the end.
    mutating func next() throws(TableFileError) -> Event? {
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "<") {
                let after = text.index(after: index)
                guard after < text.endIndex else { throw .notASpreadsheet }
                switch text[after] {
                case UInt8(ascii: "?"):
                    try skip(past: "?>")
                    continue
                case UInt8(ascii: "!"):
                    if hasPrefix("<!--") {
                        try skip(past: "-->")
                        continue
                    }
                    if hasPrefix("<![CDATA[") {
                        let start = text.index(index, offsetBy: 9)
                        guard let end = find("]]>", from: start) else { throw .notASpreadsheet }
                        let content = String(source[start..<end])
                        index = text.index(end, offsetBy: 3)
                        return .text(content)
                    }
                    throw .unsafeXML  // <!DOCTYPE or <!ENTITY
                case UInt8(ascii: "/"):
                    let nameStart = text.index(after: after)
                    guard let close = find(">", from: nameStart) else { throw .notASpreadsheet }
                    let name = trimmed(source[nameStart..<close])
                    index = text.index(after: close)
                    return .end(name: name)
                default:
                    return try startTag()
                }
            }
            let start = index
            while index < text.endIndex && text[index] != UInt8(ascii: "<") { index = text.index(after: index) }
            return .text(try Self.unescape(source[start..<index]))
        }
        return nil
    }

    private mutating func startTag() throws(TableFileError) -> Event {
        var cursor = text.index(after: index)
        let nameStart = cursor
        while cursor < text.endIndex, !Self.isSpace(text[cursor]), text[cursor] != UInt8(ascii: ">"), text[cursor] != UInt8(ascii: "/") {
            cursor = text.index(after: cursor)
        }
        let name = source[nameStart..<cursor]
        var attributes: [Substring: String] = [:]
        while true {
            while cursor < text.endIndex && Self.isSpace(text[cursor]) { cursor = text.index(after: cursor) }
            guard cursor < text.endIndex else { throw .notASpreadsheet }
            if text[cursor] == UInt8(ascii: ">") {
                index = text.index(after: cursor)
                return .start(name: name, attributes: attributes, selfClosing: false)
            }
            if text[cursor] == UInt8(ascii: "/") {
                guard let close = find(">", from: cursor) else { throw .notASpreadsheet }
                index = text.index(after: close)
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            let attributeStart = cursor
            while cursor < text.endIndex, text[cursor] != UInt8(ascii: "="), !Self.isSpace(text[cursor]) { cursor = text.index(after: cursor) }
            let attributeName = source[attributeStart..<cursor]
            while cursor < text.endIndex && (Self.isSpace(text[cursor]) || text[cursor] == UInt8(ascii: "=")) { cursor = text.index(after: cursor) }
            guard cursor < text.endIndex else { throw .notASpreadsheet }
            let quote = text[cursor]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw .notASpreadsheet }
            let valueStart = text.index(after: cursor)
            var valueEnd = valueStart
            while valueEnd < text.endIndex && text[valueEnd] != quote { valueEnd = text.index(after: valueEnd) }
            guard valueEnd < text.endIndex else { throw .notASpreadsheet }
            attributes[attributeName] = try Self.unescape(source[valueStart..<valueEnd])
            cursor = text.index(after: valueEnd)
        }
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        source[index...].utf8.starts(with: prefix.utf8)
    }

    private func find(_ needle: String, from start: Substring.UTF8View.Index) -> Substring.UTF8View.Index? {
        let bytes = Array(needle.utf8)
        var cursor = start
        while cursor < text.endIndex {
            if text[cursor] == bytes[0] && source[cursor...].utf8.starts(with: bytes) { return cursor }
            cursor = text.index(after: cursor)
        }
        return nil
    }

    private mutating func skip(past terminator: String) throws(TableFileError) {
        guard let end = find(terminator, from: index) else { throw .notASpreadsheet }
        index = text.index(end, offsetBy: terminator.utf8.count)
    }

    private func trimmed(_ name: Substring) -> Substring {
        var name = name
        while let last = name.utf8.last, Self.isSpace(last) { name = name.dropLast() }
        return name
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The five predefined entities and numeric references; anything else is refused.
    static func unescape(_ raw: Substring) throws(TableFileError) -> String {
        guard raw.contains("&") else { return String(raw) }
        var output = ""
        var rest = raw
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw .unsafeXML }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "lt": output += "<"
            case "gt": output += ">"
            case "amp": output += "&"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                guard entity.hasPrefix("#") else { throw .unsafeXML }
                let number = entity.dropFirst()
                let value = number.hasPrefix("x") ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
                guard let value, let scalar = Unicode.Scalar(value) else { throw .unsafeXML }
                output.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        output += rest
        return output
    }
}
