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

/// Disability categories of GB/T 26341-2010 (残疾人残疾分类和分级).
public enum DisabilityCategory: String, Sendable, Codable, CaseIterable {
    case visual, hearing, speech, physical, intellectual, mental, multiple
}

/// A certified disability: category and grade 1 (most severe) to 4. Health data: sensitive.
public struct Disability: Sendable, Codable, Hashable {
    public var category: DisabilityCategory
    /// 1…4.
    public var grade: Int

    public init(category: DisabilityCategory, grade: Int) {
        self.category = category
        self.grade = grade
    }

    /// Grades 1 and 2 are severe (重度): the disabled-employment levy counts such an employee twice.
    public var isSevere: Bool { grade <= 2 }
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
    /// Bank and account for payments. Sensitive (PIPL Art. 28: financial accounts).
    public var bankName: String?
    public var bankAccount: String?
    /// Sensitive (PIPL Art. 28: health).
    public var disability: Disability?
    public var status: PersonStatus
    public var deathDate: LocalDate?
    public var householdID: Int64?
    /// Set when this record was merged into another as a duplicate; it then leaves lists and searches.
    public var mergedInto: Int64?
    /// Incremented by every change; each version is kept.
    public var version: Int64

    public init(
        id: Int64, residentID: ResidentID, name: String, hukouType: HukouType, region: RegionCode,
        residenceRegion: RegionCode? = nil, address: String? = nil, phone: String? = nil,
        bankName: String? = nil, bankAccount: String? = nil, disability: Disability? = nil,
        status: PersonStatus = .living, deathDate: LocalDate? = nil, householdID: Int64? = nil,
        mergedInto: Int64? = nil, version: Int64 = 1
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
        self.bankName = bankName
        self.bankAccount = bankAccount
        self.disability = disability
        self.status = status
        self.deathDate = deathDate
        self.householdID = householdID
        self.mergedInto = mergedInto
        self.version = version
    }

    /// The editable facts, as a draft ready for validation.
    public var details: PersonDetails {
        PersonDetails(
            name: name, hukouType: hukouType, region: region, residenceRegion: residenceRegion, address: address,
            phone: phone, bankName: bankName, bankAccount: bankAccount, disability: disability, status: status,
            deathDate: deathDate)
    }

    /// This person with `details` applied (the resident ID never changes; a wrong one is a merge).
    public func applying(_ details: PersonDetails) -> Person {
        var person = self
        person.name = details.name
        person.hukouType = details.hukouType
        person.region = details.region
        person.residenceRegion = details.residenceRegion
        person.address = details.address
        person.phone = details.phone
        person.bankName = details.bankName
        person.bankAccount = details.bankAccount
        person.disability = details.disability
        person.status = details.status
        person.deathDate = details.deathDate
        return person
    }
}

/// Everything about a person that a clerk may change: validated once, for forms, the API and imports.
public struct PersonDetails: Sendable, Codable, Hashable {
    public var name: String
    public var hukouType: HukouType
    public var region: RegionCode
    public var residenceRegion: RegionCode?
    public var address: String?
    public var phone: String?
    public var bankName: String?
    public var bankAccount: String?
    public var disability: Disability?
    public var status: PersonStatus
    public var deathDate: LocalDate?

    public init(
        name: String, hukouType: HukouType, region: RegionCode, residenceRegion: RegionCode? = nil, address: String? = nil,
        phone: String? = nil, bankName: String? = nil, bankAccount: String? = nil, disability: Disability? = nil,
        status: PersonStatus = .living, deathDate: LocalDate? = nil
    ) {
        self.name = name
        self.hukouType = hukouType
        self.region = region
        self.residenceRegion = residenceRegion
        self.address = address
        self.phone = phone
        self.bankName = bankName
        self.bankAccount = bankAccount
        self.disability = disability
        self.status = status
        self.deathDate = deathDate
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

    /// `6228 **** **** 1234`: first four and last four digits.
    public static func bankAccount(_ account: String) -> String {
        let characters = Array(account)
        guard characters.count > 8 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(4)) + " **** **** " + String(characters.suffix(4))
    }
}
