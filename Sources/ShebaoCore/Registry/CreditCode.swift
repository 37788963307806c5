/// An employer's unified social credit code (统一社会信用代码) under GB 32100-2015.
///
/// 18 characters from a 31-symbol alphabet without I, O, S, V and Z; the last is a check
/// character with weights 3^i mod 31 (RULES.md §12.2). Positions 9–17 hold the former
/// organisation code (GB 11714), whose own check may fail on early pilot codes: that is kept as
/// a warning (``organisationCodeConsistent``), not a refusal.
public struct CreditCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String
    /// False when positions 9–17 fail the GB 11714 organisation-code check.
    public let organisationCodeConsistent: Bool

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    private static let organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    public var description: String { value }

    /// The 6-digit division code of the registering authority (positions 3–8).
    public var registrationAreaCode: String { String(Array(value)[2..<8]) }

    /// The check character for the first 17 characters (all from the alphabet).
    public static func checkCharacter(for body: [Character]) -> Character {
        precondition(body.count == 17)
        var sum = 0
        for (character, weight) in zip(body, weights) { sum += alphabet.firstIndex(of: character)! * weight }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    public init(_ text: String) throws(CreditCodeError) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty { throw .empty }
        if trimmed.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) }) {
            throw .fullWidthCharacters
        }
        let characters = Array(trimmed)
        guard characters.count == 18 else { throw .wrongLength(characters.count) }
        for (index, character) in characters.enumerated() {
            if character.isLowercase { throw .lowercase(position: index + 1) }
            if "IOSVZ".contains(character) { throw .excludedLetter(character, position: index + 1) }
            guard Self.alphabet.contains(character) else { throw .invalidCharacter(position: index + 1) }
        }
        guard characters[2..<8].allSatisfy(\.isASCIIDigit) else {
            throw .invalidCharacter(position: (characters[2..<8].firstIndex(where: { !$0.isASCIIDigit }) ?? 2) + 1)
        }
        let expected = Self.checkCharacter(for: Array(characters.prefix(17)))
        guard expected == characters[17] else { throw .wrongCheckCharacter(expected: expected, found: characters[17]) }
        self.value = trimmed
        self.organisationCodeConsistent = Self.organisationCheckHolds(Array(characters[8..<17]))
    }

    /// Builds a valid code from its first 17 characters; for generators and tests.
    public init(body: String) {
        let characters = Array(body)
        self.value = body + String(Self.checkCharacter(for: characters))
        self.organisationCodeConsistent = Self.organisationCheckHolds(Array(characters[8..<17]))
    }

    /// GB 11714: weights 3,7,9,10,5,8,4,2 over 0–9 and A–Z (A = 10); 10 → X, 11 → 0.
    static func organisationCheckHolds(_ code: [Character]) -> Bool {
        organisationCheckCharacter(for: Array(code.prefix(8))) == code[8]
    }

    /// The GB 11714 check character of an 8-character organisation code body.
    public static func organisationCheckCharacter(for body: [Character]) -> Character? {
        var sum = 0
        for (character, weight) in zip(body, organisationWeights) {
            guard let value = character.hexDigitValue ?? Self.letterValue(character) else { return nil }
            sum += value * weight
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let n: return Character(String(n))
        }
    }

    private static func letterValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, (65...90).contains(ascii) else { return nil }
        return Int(ascii) - 55
    }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(String.self)
        self.value = value
        self.organisationCodeConsistent = value.count == 18 && Self.organisationCheckHolds(Array(Array(value)[8..<17]))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Why a text is not a valid unified social credit code.
public enum CreditCodeError: CodedError, Equatable, Sendable {
    case empty
    case wrongLength(Int)
    case fullWidthCharacters
    case lowercase(position: Int)
    /// I, O, S, V and Z are not in the GB 32100 alphabet.
    case excludedLetter(Character, position: Int)
    case invalidCharacter(position: Int)
    case wrongCheckCharacter(expected: Character, found: Character)

    public var code: String {
        switch self {
        case .empty: "credit_code.empty"
        case .wrongLength: "credit_code.length"
        case .fullWidthCharacters: "credit_code.full_width"
        case .lowercase: "credit_code.lowercase"
        case .excludedLetter: "credit_code.excluded_letter"
        case .invalidCharacter: "credit_code.character"
        case .wrongCheckCharacter: "credit_code.check"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .wrongLength(let count): ["count": String(count)]
        case .lowercase(let position), .invalidCharacter(let position): ["position": String(position)]
        case .excludedLetter(let letter, let position): ["letter": String(letter), "position": String(position)]
        case .wrongCheckCharacter(let expected, let found): ["expected": String(expected), "found": String(found)]
        default: [:]
        }
    }
}
