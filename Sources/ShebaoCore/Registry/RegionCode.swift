/// A 12-digit statistical division code (统计用区划代码): 6 digits of county (GB/T 2260),
/// 3 of township, 3 of village (RULES.md §12.3).
///
/// A code is also a scope: a user whose region is a town sees every code under that town's
/// prefix. Trailing zero groups are what makes a code a province, city, county or township.
public struct RegionCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    /// The country as a whole: the scope that contains every code.
    public static let nation = RegionCode(trusted: "000000000000")

    public init(_ text: String) throws(RegionCodeError) {
        // The common case first, byte by byte: twelve digits as stored.
        if text.utf8.count == 12, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            self.value = text
            return
        }
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.count == 12 else {
            // A 6- or 9-digit code is accepted and padded: people write 331004 for the district.
            if (trimmed.count == 6 || trimmed.count == 9), trimmed.allSatisfy(\.isASCIIDigit) {
                self.value = trimmed + String(repeating: "0", count: 12 - trimmed.count)
                return
            }
            throw .wrongLength(trimmed.count)
        }
        guard trimmed.allSatisfy(\.isASCIIDigit) else { throw .notDigits }
        self.value = trimmed
    }

    public init(trusted value: String) { self.value = value }

    public var level: RegionLevel {
        let digits = Array(value)
        if digits.allSatisfy({ $0 == "0" }) { return .nation }
        if digits[2...].allSatisfy({ $0 == "0" }) { return .province }
        if digits[4...].allSatisfy({ $0 == "0" }) { return .city }
        if digits[6...].allSatisfy({ $0 == "0" }) { return .county }
        if digits[9...].allSatisfy({ $0 == "0" }) { return .township }
        return .village
    }

    /// The significant prefix: `331004` for the district, `331004103` for a town.
    public var scopePrefix: String { String(value.prefix(level.prefixLength)) }

    /// The 6-digit county code (GB/T 2260).
    public var countyCode: String { String(value.prefix(6)) }

    /// True when `other` lies inside this code's area (a code contains itself).
    public func contains(_ other: RegionCode) -> Bool { other.value.hasPrefix(scopePrefix) }

    /// The code one level up: village → township → county → city → province → nation.
    public var parent: RegionCode? {
        guard let up = level.parent else { return nil }
        let prefix = value.prefix(up.prefixLength)
        return RegionCode(trusted: prefix + String(repeating: "0", count: 12 - prefix.count))
    }

    /// The smallest area holding both codes: only someone whose scope covers it may see both.
    public func commonScope(with other: RegionCode) -> RegionCode {
        var scope = self
        while !scope.contains(other), let up = scope.parent { scope = up }
        return scope
    }

    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.value < rhs.value }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try RegionCode(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a region code: \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Levels of the division hierarchy.
public enum RegionLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case nation, province, city, county, township, village

    /// Digits of the code that matter at this level.
    public var prefixLength: Int {
        switch self {
        case .nation: 0
        case .province: 2
        case .city: 4
        case .county: 6
        case .township: 9
        case .village: 12
        }
    }

    public var parent: RegionLevel? {
        switch self {
        case .nation: nil
        case .province: .nation
        case .city: .province
        case .county: .city
        case .township: .county
        case .village: .township
        }
    }

    public static func < (lhs: RegionLevel, rhs: RegionLevel) -> Bool { lhs.prefixLength < rhs.prefixLength }
}

public enum RegionCodeError: CodedError, Equatable, Sendable {
    case wrongLength(Int)
    case notDigits
    case unknown(String)

    public var code: String {
        switch self {
        case .wrongLength: "region_code.length"
        case .notDigits: "region_code.digits"
        case .unknown: "region_code.unknown"
        }
    }

    public var arguments: [String: String] {
        switch self {
        case .wrongLength(let count): ["count": String(count)]
        case .unknown(let code): ["code": code]
        case .notDigits: [:]
        }
    }
}

/// The kind of place, which selects standards such as the dibao line (PROGRAMS.md §1).
public enum AreaType: String, Sendable, Codable, CaseIterable {
    /// 街道 / 城区: urban sub-district.
    case street
    /// 建制镇: a town's own residents.
    case town
    /// 农村: villages.
    case rural
}

/// A place in the division hierarchy.
public struct Region: Hashable, Sendable, Codable {
    public var code: RegionCode
    public var name: String
    public var level: RegionLevel
    public var parent: RegionCode?
    /// Set for townships and below; nil for county and above.
    public var areaType: AreaType?

    public init(code: RegionCode, name: String, level: RegionLevel, parent: RegionCode?, areaType: AreaType?) {
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.areaType = areaType
    }

    /// The area type NBS township codes imply (RULES.md §12.3): 000–099 streets, else towns;
    /// village codes 001–199 are residents' committees, 200–399 villagers' committees.
    public static func areaType(for code: RegionCode, townshipIsStreet: Bool) -> AreaType? {
        let township = Int(code.value.dropFirst(6).prefix(3)) ?? 0
        // 200–399 are townships (乡): rural through and through.
        if (200..<400).contains(township) { return code.level >= .township ? .rural : nil }
        switch code.level {
        case .township:
            return townshipIsStreet ? .street : .town
        case .village:
            let village = Int(code.value.suffix(3)) ?? 0
            if village >= 200 { return .rural }
            return townshipIsStreet ? .street : .town
        default:
            return nil
        }
    }

    /// True for a township code in 000–099 (街道).
    public static func isStreet(_ township: RegionCode) -> Bool {
        (Int(township.value.dropFirst(6).prefix(3)) ?? 0) < 100
    }
}
