import Hummingbird
import ShebaoCore

/// A person in a list: the resident ID masked, as lists leave the screen easily (RELIABILITY §A3).
struct PersonSummaryDTO: ResponseEncodable, Decodable, Sendable {
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
    var status: String
    var deathDate: String?
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
        self.status = person.status.rawValue
        self.deathDate = person.deathDate?.description
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
