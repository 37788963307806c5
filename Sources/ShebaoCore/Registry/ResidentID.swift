/// Sex as encoded in a resident ID: the sequence digit is odd for men, even for women.
public enum Sex: String, Sendable, Codable, CaseIterable {
    case male
    case female
}

/// A citizen's identity number (公民身份号码) under GB 11643-1999: 18 characters, normalised.
///
/// Validated at the boundary (RULES.md §12.1): 17 digits and a check character computed with
/// ISO 7064 MOD 11-2; a lowercase `x` is accepted and upper-cased; a 15-character legacy number
/// is converted. The address code is **not** checked against today's divisions: an ID keeps the
/// code of the place that issued it, even after that place was merged or renamed.
public struct ResidentID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 18 normalised characters.
    public let value: String
    public let birthDate: LocalDate
    public let sex: Sex

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432")

    /// The 6-digit GB/T 2260 address code at issuance.
    public var areaCode: String { String(value.prefix(6)) }

    /// `3310**********0017`: the staff-screen mask (first 4, last 4) of RELIABILITY §A3.
    public var masked: String { String(value.prefix(4)) + String(repeating: "*", count: 10) + String(value.suffix(4)) }

    public var description: String { value }

    /// The check character for the first 17 digits.
    public static func checkCharacter(forDigits digits: [Int]) -> Character {
        precondition(digits.count == 17)
        var sum = 0
        for (digit, weight) in zip(digits, weights) { sum += digit * weight }
        return checkCharacters[sum % 11]
    }

    /// Parses and normalises an 18- or 15-character number. `today` bounds the birth date.
    public init(_ text: String, today: LocalDate) throws(ResidentIDError) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty { throw .empty }
        if trimmed.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) }) {
            throw .fullWidthCharacters
        }
        var characters = Array(trimmed.uppercased())
        switch characters.count {
        case 18:
            break
        case 15:
            guard characters.allSatisfy(\.isASCIIDigit) else { throw .invalidCharacter(position: Self.firstNonDigit(characters) + 1) }
            characters.insert(contentsOf: ["1", "9"], at: 6)
            let digits = characters.map { Int(String($0))! }
            characters.append(Self.checkCharacter(forDigits: digits))
        default:
            throw .wrongLength(characters.count)
        }
        let body = Array(characters.prefix(17))
        guard body.allSatisfy(\.isASCIIDigit) else { throw .invalidCharacter(position: Self.firstNonDigit(body) + 1) }
        let last = characters[17]
        guard last.isASCIIDigit || last == "X" else { throw .invalidCharacter(position: 18) }
        let digits = body.map { Int(String($0))! }
        let expected = Self.checkCharacter(forDigits: digits)
        guard expected == last else { throw .wrongCheckCharacter(expected: expected, found: last) }
        guard let birth = LocalDate(compact: String(body[6..<14])) else { throw .impossibleBirthDate }
        guard birth <= today else { throw .birthDateInFuture }
        guard birth.year >= 1880 else { throw .impossibleBirthDate }
        self.value = String(characters)
        self.birthDate = birth
        self.sex = digits[16] % 2 == 1 ? .male : .female
    }

    /// Builds an ID from its parts, computing the check character; for generators and tests.
    public init(areaCode: String, birthDate: LocalDate, sequence: Int) {
        precondition(areaCode.count == 6 && areaCode.allSatisfy(\.isASCIIDigit) && (0...999).contains(sequence))
        let seq = String(sequence)
        let body = areaCode + birthDate.description.filter { $0 != "-" } + String(repeating: "0", count: 3 - seq.count) + seq
        let digits = body.map { Int(String($0))! }
        self.value = body + String(Self.checkCharacter(forDigits: digits))
        self.birthDate = birthDate
        self.sex = sequence % 2 == 1 ? .male : .female
    }

    /// For values read back from storage, which were validated when written.
    /// Read byte by byte: an export decodes hundreds of thousands of them.
    public init(trusted value: String) {
        let bytes = Array(value.utf8)
        precondition(bytes.count == 18, "stored resident ID is not 18 characters")
        self.value = value
        self.birthDate = LocalDate(digits: bytes[6..<14]) ?? LocalDate(year: 1900, month: 1, day: 1)!
        self.sex = bytes[16] % 2 == 1 ? .male : .female
    }

    private static func firstNonDigit(_ characters: [Character]) -> Int {
        characters.firstIndex(where: { !$0.isASCIIDigit }) ?? 0
    }

    public init(from decoder: any Decoder) throws {
        self.init(trusted: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Why a text is not a valid resident ID.
public enum ResidentIDError: CodedError, Equatable, Sendable {
    case empty
    case wrongLength(Int)
    case fullWidthCharacters
    /// 1-based position of the first character that is not allowed there.
    case invalidCharacter(position: Int)
    case wrongCheckCharacter(expected: Character, found: Character)
    case impossibleBirthDate
    case birthDateInFuture

    public var code: String {
        switch self {
        case .empty: "resident_id.empty"
        case .wrongLength: "resident_id.length"
        case .fullWidthCharacters: "resident_id.full_width"
        case .invalidCharacter: "resident_id.character"
        case .wrongCheckCharacter: "resident_id.check"
        case .impossibleBirthDate: "resident_id.birth_date"
        case .birthDateInFuture: "resident_id.future"
        }
    }

    /// Values to put into the localized message.
    public var arguments: [String: String] {
        switch self {
        case .wrongLength(let count): ["count": String(count)]
        case .invalidCharacter(let position): ["position": String(position)]
        case .wrongCheckCharacter(let expected, let found): ["expected": String(expected), "found": String(found)]
        default: [:]
        }
    }
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and line breaks.
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var sub = Substring(self)
        while let first = sub.first, isSpace(first) { sub = sub.dropFirst() }
        while let last = sub.last, isSpace(last) { sub = sub.dropLast() }
        return String(sub)
    }
}
