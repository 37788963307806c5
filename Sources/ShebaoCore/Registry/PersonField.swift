/// The fields of a person record a clerk may change, in form order: the one list the form, the
/// API body, the import template, the change history and the store's SQL are built from, so that
/// a field is added in one place.
public enum PersonField: String, Sendable, CaseIterable {
    case name
    case hukouType
    case region
    case residenceRegion
    case address
    case phone
    case bankName
    case bankAccount
    case disabilityCategory
    case disabilityGrade
    case status
    case deathDate

    /// The label on forms and in the history (`person.<…>` in the string tables).
    public var labelKey: String {
        switch self {
        case .name: "person.name"
        case .hukouType: "person.hukou_type"
        case .region: "person.region"
        case .residenceRegion: "person.residence"
        case .address: "person.address"
        case .phone: "person.phone"
        case .bankName: "person.bank_name"
        case .bankAccount: "person.bank_account"
        case .disabilityCategory: "person.disability_category"
        case .disabilityGrade: "person.disability_grade"
        case .status: "person.status"
        case .deathDate: "person.death_date"
        }
    }

    /// The column header of import templates, where files carry codes rather than names.
    public var importLabelKey: String {
        switch self {
        case .region: "person.region_code"
        case .residenceRegion: "person.residence_region_code"
        default: labelKey
        }
    }

    /// The member name in API bodies and documents (region codes are named as codes there).
    public var jsonName: String {
        switch self {
        case .region: "regionCode"
        case .residenceRegion: "residenceRegionCode"
        default: rawValue
        }
    }

    /// The column in the `persons` table.
    public var column: String {
        switch self {
        case .name: "name"
        case .hukouType: "hukou_type"
        case .region: "region_code"
        case .residenceRegion: "residence_region_code"
        case .address: "address"
        case .phone: "phone"
        case .bankName: "bank_name"
        case .bankAccount: "bank_account"
        case .disabilityCategory: "disability_category"
        case .disabilityGrade: "disability_grade"
        case .status: "status"
        case .deathDate: "death_date"
        }
    }

    /// Fields set when a person is first registered (status and death come later, by change).
    public var isRegistered: Bool { self != .status && self != .deathDate }

    /// Sensitive under PIPL Art. 28 (financial accounts, health): masked outside the office.
    public var isSensitive: Bool { self == .bankAccount || self == .disabilityCategory || self == .disabilityGrade }

    /// The field's value in `person` as raw text (codes, ISO dates), nil when empty.
    public func text(of person: Person) -> String? {
        switch self {
        case .name: person.name
        case .hukouType: person.hukouType.rawValue
        case .region: person.region.value
        case .residenceRegion: person.residenceRegion?.value
        case .address: person.address
        case .phone: person.phone
        case .bankName: person.bankName
        case .bankAccount: person.bankAccount
        case .disabilityCategory: person.disability?.category.rawValue
        case .disabilityGrade: person.disability.map { String($0.grade) }
        case .status: person.status.rawValue
        case .deathDate: person.deathDate?.description
        }
    }

    /// The string-table key that labels the field's value, for fields holding a closed list.
    public func valueLabelKey(of person: Person) -> String? {
        switch self {
        case .hukouType: person.hukouType.labelKey
        case .status: person.status.labelKey
        case .disabilityCategory: person.disability?.category.labelKey
        default: nil
        }
    }
}

extension PersonDetails.Input {
    /// The raw text of one field.
    public subscript(field: PersonField) -> String? {
        get {
            switch field {
            case .name: name
            case .hukouType: hukouType
            case .region: region
            case .residenceRegion: residenceRegion
            case .address: address
            case .phone: phone
            case .bankName: bankName
            case .bankAccount: bankAccount
            case .disabilityCategory: disabilityCategory
            case .disabilityGrade: disabilityGrade
            case .status: status
            case .deathDate: deathDate
            }
        }
        set {
            switch field {
            case .name: name = newValue
            case .hukouType: hukouType = newValue
            case .region: region = newValue
            case .residenceRegion: residenceRegion = newValue
            case .address: address = newValue
            case .phone: phone = newValue
            case .bankName: bankName = newValue
            case .bankAccount: bankAccount = newValue
            case .disabilityCategory: disabilityCategory = newValue
            case .disabilityGrade: disabilityGrade = newValue
            case .status: status = newValue
            case .deathDate: deathDate = newValue
            }
        }
    }

    /// An input with each field's text from `value` (a form, an API body, an import row).
    public init(reading value: (PersonField) -> String?) {
        self.init()
        for field in PersonField.allCases { self[field] = value(field) }
    }

    /// The input of a form or body that changes `person`: what was given, else what the record holds.
    public init(_ given: (PersonField) -> String?, over person: Person?) {
        self.init(reading: { field in given(field) ?? person.flatMap { field.text(of: $0) } })
    }
}

extension PersonDetails.Input {
    /// This input with every field it leaves out (nil) taken from `person`: a change that names
    /// only what changes (an API PATCH) keeps the rest.
    public func filling(from person: Person) -> PersonDetails.Input {
        PersonDetails.Input(reading: { self[$0] ?? $0.text(of: person) })
    }
}
