import Foundation
import Hummingbird
import ShebaoCore
import ShebaoStore

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

/// One person's full registry record; reading it is audited.
struct PersonDTO: ResponseEncodable, Decodable, Sendable {
    var id: Int64
    var residentID: String
    var name: String
    var sex: String
    var birthDate: String
    var hukouType: String
    var regionCode: String
    var residenceRegionCode: String?
    var address: String?
    var phone: String?
    var bankName: String?
    var bankAccount: String?
    var disabilityCategory: String?
    var disabilityGrade: Int?
    var status: String
    var deathDate: String?
    var householdID: Int64?
    var mergedInto: Int64?
    var version: Int64

    init(_ person: Person) {
        self.id = person.id
        self.residentID = person.residentID.value
        self.name = person.name
        self.sex = person.sex.rawValue
        self.birthDate = person.birthDate.description
        self.hukouType = person.hukouType.rawValue
        self.regionCode = person.region.value
        self.residenceRegionCode = person.residenceRegion?.value
        self.address = person.address
        self.phone = person.phone
        self.bankName = person.bankName
        self.bankAccount = person.bankAccount
        self.disabilityCategory = person.disability?.category.rawValue
        self.disabilityGrade = person.disability?.grade
        self.status = person.status.rawValue
        self.deathDate = person.deathDate?.description
        self.householdID = person.householdID
        self.mergedInto = person.mergedInto
        self.version = person.version
    }
}

/// A page of a list on the API.
struct ListDTO<Item: Codable & Sendable>: ResponseEncodable, Decodable, Sendable {
    var items: [Item]
    var page: Int
    var perPage: Int
    var total: Int
}

/// The body of `POST /api/v1/persons` and `PATCH /api/v1/persons/{id}` (absent fields keep their value on PATCH).
struct PersonBody: Decodable, Sendable {
    var residentID: String?
    var name: String?
    var hukouType: String?
    var regionCode: String?
    var residenceRegionCode: String?
    var address: String?
    var phone: LenientText?
    var bankName: String?
    var bankAccount: LenientText?
    var disabilityCategory: String?
    var disabilityGrade: LenientText?
    var status: String?
    var deathDate: String?
    var reason: String?
    var version: Int64?

    /// The input, with `current` filling whatever the body leaves out.
    func input(over current: Person?) -> PersonDetails.Input {
        PersonDetails.Input(
            name: name ?? current?.name, hukouType: hukouType ?? current?.hukouType.rawValue, region: regionCode ?? current?.region.value,
            residenceRegion: residenceRegionCode ?? current?.residenceRegion?.value, address: address ?? current?.address,
            phone: phone?.text ?? current?.phone, bankName: bankName ?? current?.bankName, bankAccount: bankAccount?.text ?? current?.bankAccount,
            disabilityCategory: disabilityCategory ?? current?.disability?.category.rawValue,
            disabilityGrade: disabilityGrade?.text ?? current?.disability.map { String($0.grade) },
            status: status ?? current?.status.rawValue, deathDate: deathDate ?? current?.deathDate?.description)
    }
}

/// One version in a person's history on the API.
struct PersonVersionDTO: Codable, Sendable {
    var version: Int64
    var changedAt: String
    var changedBy: String
    var reason: String
    var person: PersonDTO
}

/// The one view of a person on the API: the record and every program's section.
struct PersonViewDTO: ResponseEncodable, Sendable {
    var person: PersonDTO
    var panels: [PersonPanel]

    func encode(to encoder: any Encoder) throws {
        enum Key: String, CodingKey { case person, panels }
        struct PanelKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(person, forKey: .person)
        var panelContainer = container.nestedContainer(keyedBy: PanelKey.self, forKey: .panels)
        for panel in panels {
            try panel.data.encode(to: panelContainer.superEncoder(forKey: PanelKey(stringValue: panel.id)))
        }
    }
}

extension Problem {
    /// 422 with one entry per field issue, each with its localized text.
    static func invalid(_ issues: [FieldIssue], pages: PageRenderer, context: ShebaoRequestContext) -> Problem {
        Problem(.unprocessableContent, code: "validation", fieldErrors: issues.map {
            FieldError(field: $0.field, code: $0.code, detail: pages.text($0, context))
        })
    }

    static func versionConflict(_ current: Int64) -> Problem {
        Problem(.conflict, code: "version_conflict", arguments: ["version": String(current)])
    }
}
