import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// A member name of a JSON document that is only known at run time (a field list's names).
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { self.stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A page of a list on the API.
struct ListDTO<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var page: Int
    var perPage: Int
    var total: Int

    init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    init<Source>(_ page: Page<Source>, _ transform: (Source) -> Item) {
        self.init(items: page.items.map(transform), page: page.page, perPage: page.perPage, total: page.total)
    }

    /// A whole list on one page.
    init(all items: [Item]) {
        self.init(items: items, page: 1, perPage: items.count, total: items.count)
    }
}

/// A person in a list: the resident ID masked, as lists leave the screen easily (RELIABILITY §A3).
struct PersonSummaryDTO: Codable, Sendable {
    var id: Int64
    var name: String
    var residentIDMasked: String
    var sex: String
    var birthDate: String
    var hukouType: String
    var regionCode: String
    var status: String

    init(_ person: Person) {
        self.id = person.id
        self.name = person.name
        self.residentIDMasked = person.residentID.masked
        self.sex = person.sex.rawValue
        self.birthDate = person.birthDate.description
        self.hukouType = person.hukouType.rawValue
        self.regionCode = person.region.value
        self.status = person.status.rawValue
    }
}

/// One person's full registry record (reading it is audited): the identifying facts, then every
/// field of the one field list under its API name.
struct PersonDTO: ResponseEncodable, Sendable {
    var person: Person

    init(_ person: Person) { self.person = person }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(person.id, forKey: DynamicKey("id"))
        try container.encode(person.residentID.value, forKey: DynamicKey("residentID"))
        try container.encode(person.sex.rawValue, forKey: DynamicKey("sex"))
        try container.encode(person.birthDate.description, forKey: DynamicKey("birthDate"))
        for field in PersonField.allCases {
            let key = DynamicKey(field.jsonName)
            if field == .disabilityGrade {
                try container.encodeIfPresent(person.disability?.grade, forKey: key)
            } else {
                try container.encodeIfPresent(field.text(of: person), forKey: key)
            }
        }
        try container.encodeIfPresent(person.householdID, forKey: DynamicKey("householdID"))
        try container.encodeIfPresent(person.mergedInto, forKey: DynamicKey("mergedInto"))
        try container.encode(person.version, forKey: DynamicKey("version"))
    }
}

/// The body of `POST /api/v1/persons` and `PATCH /api/v1/persons/{id}`: the fields of the one
/// field list under their API names (absent fields keep their value on PATCH).
struct PersonBody: Decodable, Sendable {
    var residentID: String?
    var reason: String?
    var version: Int64?
    var input: PersonDetails.Input

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        residentID = try container.decodeIfPresent(String.self, forKey: DynamicKey("residentID"))
        reason = try container.decodeIfPresent(String.self, forKey: DynamicKey("reason"))
        version = try container.decodeIfPresent(Int64.self, forKey: DynamicKey("version"))
        var input = PersonDetails.Input()
        for field in PersonField.allCases {
            input[field] = try container.decodeIfPresent(LenientText.self, forKey: DynamicKey(field.jsonName))?.text
        }
        self.input = input
    }
}

/// One version in a person's history on the API.
struct PersonVersionDTO: Encodable, Sendable {
    var version: Int64
    var changedAt: String
    var changedBy: String
    var reason: String
    var person: PersonDTO

    init(_ version: RecordVersion<Person>) {
        self.version = version.version
        self.changedAt = version.changedAt
        self.changedBy = version.changedBy
        self.reason = version.reason
        self.person = PersonDTO(version.record)
    }
}

/// The one view of a person on the API: the record and every program's section.
struct PersonViewDTO: ResponseEncodable, Sendable {
    var person: PersonDTO
    var panels: [PersonPanel]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(person, forKey: DynamicKey("person"))
        var panelContainer = container.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("panels"))
        for panel in panels {
            try panel.data.encode(to: panelContainer.superEncoder(forKey: DynamicKey(panel.id)))
        }
    }
}

struct HouseholdDTO: ResponseEncodable, Decodable, Sendable {
    struct Member: Codable, Sendable {
        var personID: Int64
        var name: String
        var residentIDMasked: String
        var relation: String
    }
    var id: Int64
    var registerNumber: String
    var regionCode: String
    var address: String?
    var members: [Member]
    var version: Int64

    init(_ household: Household) {
        id = household.id
        registerNumber = household.registerNumber
        regionCode = household.region.value
        address = household.address
        members = household.members.map { Member(personID: $0.personID, name: $0.name, residentIDMasked: $0.residentID.masked, relation: $0.relation.rawValue) }
        version = household.version
    }
}

struct EmployerDTO: ResponseEncodable, Decodable, Sendable {
    var id: Int64
    var creditCode: String
    var name: String
    var ownershipType: String
    var nonPublic: Bool
    var industry: String
    var riskClass: Int
    var regionCode: String
    var staffCount: Int
    var contactName: String?
    var contactPhone: String?
    var address: String?
    var status: String
    var schemes: [String]
    var version: Int64

    init(_ employer: Employer) {
        let d = employer.details
        id = employer.id
        creditCode = employer.creditCode.value
        name = d.name
        ownershipType = d.ownershipType.rawValue
        nonPublic = d.ownershipType.isNonPublic
        industry = d.industry.rawValue
        riskClass = d.riskClass
        regionCode = d.region.value
        staffCount = d.staffCount
        contactName = d.contactName
        contactPhone = d.contactPhone
        address = d.address
        status = d.status.rawValue
        schemes = d.schemes.map(\.rawValue).sorted()
        version = employer.version
    }
}

/// The body of `POST /api/v1/employers` and `PATCH /api/v1/employers/{id}` (absent fields keep their value on PATCH).
struct EmployerBody: Decodable, Sendable {
    var creditCode: String?
    var name: String?
    var ownershipType: String?
    var industry: String?
    var riskClass: LenientText?
    var regionCode: String?
    var staffCount: LenientText?
    var contactName: String?
    var contactPhone: LenientText?
    var address: String?
    var status: String?
    var schemes: [String]?
    var version: Int64?
    var reason: String?

    var input: EmployerDetails.Input {
        EmployerDetails.Input(
            name: name, ownershipType: ownershipType, industry: industry, riskClass: riskClass?.text, region: regionCode, staffCount: staffCount?.text,
            contactName: contactName, contactPhone: contactPhone?.text, address: address, status: status, schemes: schemes?.joined(separator: ","))
    }
}

struct StaffDTO: Codable, Sendable {
    var personID: Int64
    var name: String
    var residentIDMasked: String
    var startDate: String

    init(_ job: Employment) {
        personID = job.personID
        name = job.personName
        residentIDMasked = job.residentID.masked
        startDate = job.startDate.description
    }
}

struct MergeDTO: ResponseEncodable, Decodable, Sendable {
    var id: Int64
    var keptPersonID: Int64
    var mergedPersonID: Int64
    var reason: String
    var status: String
    var requestedBy: Int64
    var requestedAt: String
    var decidedBy: Int64?
    var decisionNote: String?
    /// For a proposed merge: the facts on which the two records disagree (`name`, `sex`, `birth_date`).
    var differences: [String]?

    init(_ request: MergeRequest, differences: [String]? = nil) {
        self.differences = differences
        id = request.id
        keptPersonID = request.keptPersonID
        mergedPersonID = request.mergedPersonID
        reason = request.reason
        status = request.status.rawValue
        requestedBy = request.requestedBy
        requestedAt = request.requestedAt
        decidedBy = request.decidedBy
        decisionNote = request.decisionNote
    }
}
