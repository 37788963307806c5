/// A text field of a JSON body that also accepts a whole number (`"grade": 2` or `"grade": "2"`),
/// for clients that send numbers where the API keeps text.
public struct LenientText: Decodable, Sendable, Hashable {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let number = try? container.decode(Int64.self) {
            self.text = String(number)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected text or a number"))
        }
    }
}
