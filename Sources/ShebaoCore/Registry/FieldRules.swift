/// A value that failed validation: which field, a stable code and its arguments. The message
/// is the string `error.<code>`.
///
/// The same issues serve an import's error report (row, column), a form's messages and the
/// API's problem document.
public struct FieldIssue: Error, Sendable, Hashable, Codable {
    public var field: String
    public var code: String
    public var arguments: [String: String]

    public init(_ field: String, _ code: String, _ arguments: [String: String] = [:]) {
        self.field = field
        self.code = code
        self.arguments = arguments
    }
}

/// Every issue found in one record (a form, a body, an import row).
/// A refusal of a value that names itself by a string-table code with arguments (an ID with a
/// wrong check character, a malformed region code).
public protocol CodedError: Error {
    var code: String { get }
    var arguments: [String: String] { get }
}

extension FieldIssue {
    /// `error` as the issue of `field`.
    public init(_ field: String, _ error: some CodedError) {
        self.init(field, error.code, error.arguments)
    }
}

public struct FieldIssues: Error, Sendable, Hashable {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) { self.issues = issues }
}

/// Field rules shared by persons, households and employers: names, phones, accounts, free text.
public enum FieldRules {
    /// Characters sometimes typed for the middle dot of minority names; stored as U+00B7.
    static let middleDotLookalikes: Set<Character> = ["•", "・", "．", "‧", "∙"]

    /// A person's name: 1–30 characters, no digits or control characters; look-alike dots become
    /// `·`; white space of any script trimmed (a name of only an ideographic space is no name),
    /// so "王小明　" and "王小明" are the same name.
    public static func personName(_ text: String, field: String = "name") -> Result<String, FieldIssue> {
        if text.hasControlOrFormatCharacters { return .failure(FieldIssue(field, "field.control_characters")) }
        let trimmed = text.trimmingUnicodeWhitespace().collapsingWhitespace
        if trimmed.isEmpty { return .failure(FieldIssue(field, "field.required")) }
        let normalised = String(trimmed.map { middleDotLookalikes.contains($0) ? "·" : $0 })
        if normalised.count > 30 { return .failure(FieldIssue(field, "field.too_long", ["max": "30"])) }
        for character in normalised {
            // Decimal digits only: 一, 二, 万 are numerals too (Character.isNumber) and common in names.
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .decimalNumber }) {
                return .failure(FieldIssue(field, "name.digits"))
            }
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
                return .failure(FieldIssue(field, "field.control_characters"))
            }
        }
        return .success(normalised)
    }

    /// Free text such as an address or a unit's name: at most `max` characters; no control or
    /// format characters (a bidi override can make an address read backwards); white space of any
    /// script trimmed and collapsed; full-width digits and letters as ASCII (`１２号` is `12号`).
    public static func text(_ text: String?, field: String, max: Int, required: Bool = false) -> Result<String?, FieldIssue> {
        let raw = text ?? ""
        if raw.hasControlOrFormatCharacters { return .failure(FieldIssue(field, "field.control_characters")) }
        let trimmed = raw.trimmingUnicodeWhitespace().collapsingWhitespace.withASCIIAlphanumerics
        if trimmed.isEmpty { return required ? .failure(FieldIssue(field, "field.required")) : .success(nil) }
        if trimmed.count > max { return .failure(FieldIssue(field, "field.too_long", ["max": String(max)])) }
        return .success(trimmed)
    }

    /// A phone number: a mobile (11 digits from 1) or a landline with area code; spaces and dashes dropped.
    public static func phone(_ text: String?, field: String = "phone") -> Result<String?, FieldIssue> {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        if trimmed.isEmpty { return .success(nil) }
        let digits = trimmed.filter { $0 != " " && $0 != "-" }
        guard digits.allSatisfy(\.isASCIIDigit), (7...15).contains(digits.count) else {
            return .failure(FieldIssue(field, "phone.invalid"))
        }
        if digits.count == 11 && digits.first == "1" { return .success(digits) }
        if digits.first == "0" && digits.count >= 10 { return .success(digits) }
        if digits.count <= 8 { return .success(digits) }
        return .failure(FieldIssue(field, "phone.invalid"))
    }

    /// A bank account or card number: 12–30 digits, spaces dropped.
    public static func bankAccount(_ text: String?, field: String = "bankAccount") -> Result<String?, FieldIssue> {
        let digits = (text ?? "").filter { $0 != " " && $0 != "-" }
        if digits.isEmpty { return .success(nil) }
        guard digits.allSatisfy(\.isASCIIDigit), (12...30).contains(digits.count) else {
            return .failure(FieldIssue(field, "bank_account.invalid"))
        }
        return .success(digits)
    }

    /// An integer within bounds.
    public static func integer(_ text: String?, field: String, range: ClosedRange<Int>, required: Bool = false) -> Result<Int?, FieldIssue> {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        if trimmed.isEmpty { return required ? .failure(FieldIssue(field, "field.required")) : .success(nil) }
        guard trimmed.allSatisfy(\.isASCIIDigit), let value = Int(trimmed), range.contains(value) else {
            return .failure(FieldIssue(field, "field.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)]))
        }
        return .success(value)
    }

    /// A region code the registry knows and the user's scope contains.
    public static func region(_ text: String?, field: String, known: (RegionCode) -> Bool, scope: RegionCode, required: Bool) -> Result<RegionCode?, FieldIssue> {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        if trimmed.isEmpty { return required ? .failure(FieldIssue(field, "field.required")) : .success(nil) }
        let code: RegionCode
        do {
            code = try RegionCode(trimmed)
        } catch {
            return .failure(FieldIssue(field, error))
        }
        guard known(code) else { return .failure(FieldIssue(field, "region_code.unknown", ["code": code.value])) }
        guard scope.contains(code) else { return .failure(FieldIssue(field, "region.outside_scope", ["code": code.value])) }
        return .success(code)
    }

    /// A value of a closed list, given by its code (`agricultural`) or by a label in any language (`农业户口`, `农业`).
    public static func choice<T: RawRepresentable & CaseIterable>(
        _ text: String?, field: String, labels: (T) -> [String], required: Bool
    ) -> Result<T?, FieldIssue> where T.RawValue == String {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        if trimmed.isEmpty { return required ? .failure(FieldIssue(field, "field.required")) : .success(nil) }
        if let value = T(rawValue: trimmed) { return .success(value) }
        for value in T.allCases where labels(value).contains(where: { $0.caseInsensitiveEquals(trimmed) }) {
            return .success(value)
        }
        return .failure(FieldIssue(field, "field.not_in_list", ["value": trimmed]))
    }
}

extension FieldRules {
    /// A disability grade as the certificate writes it (残疾人证: 一级 … 四级) or as a digit: "二级",
    /// "二" and "2级" are all 2. Anything else is passed on as typed, to be refused as no grade.
    static func disabilityGrade(_ text: String?) -> String? {
        guard var typed = text?.trimmingUnicodeWhitespace(), !typed.isEmpty else { return text }
        if typed.hasSuffix("级") { typed.removeLast() }
        let numerals: [String: String] = ["一": "1", "二": "2", "三": "3", "四": "4", "壹": "1", "贰": "2", "叁": "3", "肆": "4"]
        return numerals[typed] ?? typed
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}

extension PersonDetails {
    /// The raw text of a person form, an API body or an import row.
    public struct Input: Sendable, Codable, Hashable {
        public var name: String?
        public var hukouType: String?
        public var region: String?
        public var residenceRegion: String?
        public var address: String?
        public var phone: String?
        public var bankName: String?
        public var bankAccount: String?
        public var disabilityCategory: String?
        public var disabilityGrade: String?
        public var status: String?
        public var deathDate: String?

        public init(name: String? = nil, hukouType: String? = nil, region: String? = nil, residenceRegion: String? = nil,
                    address: String? = nil, phone: String? = nil, bankName: String? = nil, bankAccount: String? = nil,
                    disabilityCategory: String? = nil, disabilityGrade: String? = nil, status: String? = nil, deathDate: String? = nil) {
            self.name = name
            self.hukouType = hukouType
            self.region = region
            self.residenceRegion = residenceRegion
            self.address = address
            self.phone = phone
            self.bankName = bankName
            self.bankAccount = bankAccount
            self.disabilityCategory = disabilityCategory
            self.disabilityGrade = disabilityGrade
            self.status = status
            self.deathDate = deathDate
        }
    }

    /// Validates every field and returns the details or every issue found (not just the first).
    public static func validate(_ input: Input, labels: @escaping (String) -> [String], knownRegion: (RegionCode) -> Bool,
                                scope: RegionCode, today: LocalDate) -> Result<PersonDetails, FieldIssues> {
        var issues: [FieldIssue] = []
        func take<T>(_ result: Result<T, FieldIssue>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let issue): issues.append(issue); return nil
            }
        }
        let name = take(FieldRules.personName(input.name ?? ""))
        let hukou = take(FieldRules.choice(input.hukouType, field: "hukouType", labels: { (value: HukouType) in labels(value.labelKey) }, required: true)) ?? nil
        let region = take(FieldRules.region(input.region, field: "region", known: knownRegion, scope: scope, required: true)) ?? nil
        // Residence may be anywhere the registry knows: people live outside their clerk's town.
        let residence = take(FieldRules.region(input.residenceRegion, field: "residenceRegion", known: knownRegion, scope: .nation, required: false)) ?? nil
        let address = take(FieldRules.text(input.address, field: "address", max: 200)) ?? nil
        let phone = take(FieldRules.phone(input.phone)) ?? nil
        let bankName = take(FieldRules.text(input.bankName, field: "bankName", max: 60)) ?? nil
        let bankAccount = take(FieldRules.bankAccount(input.bankAccount)) ?? nil
        if bankAccount != nil && bankName == nil { issues.append(FieldIssue("bankName", "field.required")) }
        let category = take(FieldRules.choice(input.disabilityCategory, field: "disabilityCategory", labels: { (value: DisabilityCategory) in labels(value.labelKey) }, required: false)) ?? nil
        let grade = take(FieldRules.integer(FieldRules.disabilityGrade(input.disabilityGrade), field: "disabilityGrade", range: 1...4)) ?? nil
        if category != nil && grade == nil { issues.append(FieldIssue("disabilityGrade", "field.required")) }
        if category == nil && grade != nil { issues.append(FieldIssue("disabilityCategory", "field.required")) }
        let status = take(FieldRules.choice(input.status, field: "status", labels: { (value: PersonStatus) in labels(value.labelKey) }, required: false)) ?? nil
        var deathDate: LocalDate?
        if let text = input.deathDate?.trimmingASCIIWhitespace(), !text.isEmpty {
            if let date = LocalDate(iso: text), date <= today { deathDate = date } else { issues.append(FieldIssue("deathDate", "date.invalid")) }
        }
        if status == .deceased && deathDate == nil && !issues.contains(where: { $0.field == "deathDate" }) {
            issues.append(FieldIssue("deathDate", "field.required"))
        }
        if status != .deceased && deathDate != nil { issues.append(FieldIssue("status", "person.death_date_needs_deceased")) }
        guard issues.isEmpty, let name, let hukou, let region else { return .failure(FieldIssues(issues)) }
        return .success(PersonDetails(
            name: name, hukouType: hukou, region: region, residenceRegion: residence, address: address, phone: phone,
            bankName: bankName, bankAccount: bankAccount, disability: category.map { Disability(category: $0, grade: grade ?? 4) },
            status: status ?? .living, deathDate: deathDate))
    }
}
