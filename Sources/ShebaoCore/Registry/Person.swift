/// Household registration type (户口性质).
public enum HukouType: String, Sendable, Codable, CaseIterable {
    case agricultural
    case nonAgricultural = "non_agricultural"
}

/// Whether the person is alive; benefits stop the month after death (RULES.md §1.7).
public enum PersonStatus: String, Sendable, Codable, CaseIterable {
    case living
    case deceased
}

/// A person in the registry (人员), identified by resident ID.
public struct Person: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var residentID: ResidentID
    /// Any Unicode: rare characters (𠮷) and the middle dot of minority names (阿依古丽·买买提) included.
    public var name: String
    public var sex: Sex
    public var birthDate: LocalDate
    public var hukouType: HukouType
    /// Place of household registration (户籍地); it decides who may see the record.
    public var region: RegionCode
    /// Place of residence, when different.
    public var residenceRegion: RegionCode?
    public var address: String?
    public var phone: String?
    public var status: PersonStatus
    public var deathDate: LocalDate?
    /// Incremented by every change; each earlier version is kept.
    public var version: Int64

    public init(
        id: Int64, residentID: ResidentID, name: String, hukouType: HukouType, region: RegionCode,
        residenceRegion: RegionCode? = nil, address: String? = nil, phone: String? = nil,
        status: PersonStatus = .living, deathDate: LocalDate? = nil, version: Int64 = 1
    ) {
        self.id = id
        self.residentID = residentID
        self.name = name
        self.sex = residentID.sex
        self.birthDate = residentID.birthDate
        self.hukouType = hukouType
        self.region = region
        self.residenceRegion = residenceRegion
        self.address = address
        self.phone = phone
        self.status = status
        self.deathDate = deathDate
        self.version = version
    }
}

/// Masks for names and numbers shown outside the office (RELIABILITY §A3).
public enum Masking {
    /// `张*` for two characters, `张*明` for three, `欧阳**` for four or more (first two kept).
    public static func name(_ name: String) -> String {
        let characters = Array(name)
        switch characters.count {
        case 0, 1: return name
        case 2: return String(characters[0]) + "*"
        case 3: return String(characters[0]) + "*" + String(characters[2])
        default: return String(characters[0..<2]) + String(repeating: "*", count: characters.count - 2)
        }
    }

    /// `138****1234`.
    public static func phone(_ phone: String) -> String {
        let characters = Array(phone)
        guard characters.count >= 7 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(4))
    }
}
