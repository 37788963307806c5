/// The five social insurances (五险), as schemes a unit and a person enrol in.
public enum Scheme: String, Sendable, Codable, CaseIterable {
    case pension
    case medical
    case unemployment
    case workInjury = "work_injury"
    case maternity
}

/// Ownership type (经济类型) of an insured unit (PROGRAMS.md §2.1).
public enum OwnershipType: String, Sendable, Codable, CaseIterable {
    case state
    case collective
    case privateEnterprise = "private"
    case foreignInvested = "foreign_invested"
    case shareholdingCooperative = "shareholding_cooperative"
    case individualBusiness = "individual_business"
    case governmentOrgan = "government_organ"
    case publicInstitution = "public_institution"
    case socialOrganisation = "social_organisation"
    case privateNonEnterprise = "private_non_enterprise"

    /// Non-public (非公有制): private, foreign-invested and shareholding cooperative units, reported
    /// separately everywhere (PROGRAMS.md §2.1).
    public var isNonPublic: Bool {
        self == .privateEnterprise || self == .foreignInvested || self == .shareholdingCooperative
    }

    /// Enterprises (企业), as counted in "enterprises in pension insurance".
    public var isEnterprise: Bool {
        switch self {
        case .state, .collective, .privateEnterprise, .foreignInvested, .shareholdingCooperative: true
        default: false
        }
    }
}

/// Whether a unit is open for business with the agency.
public enum EmployerStatus: String, Sendable, Codable, CaseIterable {
    case active
    case suspended
    case closed
}

/// Industry sections of GB/T 4754-2017 (国民经济行业分类), letters A–T.
public enum Industry: String, Sendable, Codable, CaseIterable {
    case A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T

    /// The usual work-injury risk class (1 lowest … 8 highest) of the section under 人社部发〔2015〕71号,
    /// a default the clerk may override for the unit's actual trade.
    public var typicalRiskClass: Int {
        switch self {
        case .A: 3
        case .B: 8
        case .C: 5
        case .D: 4
        case .E: 4
        case .F: 7
        case .G: 2
        case .H: 2
        case .I: 1
        case .J: 1
        case .K: 1
        case .L: 2
        case .M: 1
        case .N: 4
        case .O: 2
        case .P: 1
        case .Q: 1
        case .R: 1
        case .S: 1
        case .T: 1
        }
    }
}

/// An insured unit (参保单位), identified by its unified social credit code.
public struct Employer: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var creditCode: CreditCode
    public var details: EmployerDetails
    public var version: Int64

    public init(id: Int64, creditCode: CreditCode, details: EmployerDetails, version: Int64) {
        self.id = id
        self.creditCode = creditCode
        self.details = details
        self.version = version
    }

    public var name: String { details.name }
    public var region: RegionCode { details.region }
}

extension EmployerDetails.Input {
    /// This input with every field it leaves out (nil) taken from `employer`: a change that names
    /// only what changes (an API PATCH) keeps the rest.
    public func filling(from employer: Employer) -> EmployerDetails.Input {
        let d = employer.details
        return EmployerDetails.Input(
            name: name ?? d.name, ownershipType: ownershipType ?? d.ownershipType.rawValue, industry: industry ?? d.industry.rawValue,
            riskClass: riskClass ?? String(d.riskClass), region: region ?? d.region.value, staffCount: staffCount ?? String(d.staffCount),
            contactName: contactName ?? d.contactName, contactPhone: contactPhone ?? d.contactPhone, address: address ?? d.address,
            status: status ?? d.status.rawValue, schemes: schemes ?? d.schemes.map(\.rawValue).sorted().joined(separator: ","))
    }
}

/// What a clerk may change about a unit.
public struct EmployerDetails: Sendable, Codable, Hashable {
    public var name: String
    public var ownershipType: OwnershipType
    public var industry: Industry
    /// Work-injury industry risk class, 1…8 (人社部发〔2015〕71号).
    public var riskClass: Int
    public var region: RegionCode
    public var staffCount: Int
    public var contactName: String?
    public var contactPhone: String?
    public var address: String?
    public var status: EmployerStatus
    /// The insurances the unit is registered for (单位参保险种).
    public var schemes: Set<Scheme>

    public init(name: String, ownershipType: OwnershipType, industry: Industry, riskClass: Int, region: RegionCode,
                staffCount: Int, contactName: String? = nil, contactPhone: String? = nil, address: String? = nil,
                status: EmployerStatus = .active, schemes: Set<Scheme> = []) {
        self.name = name
        self.ownershipType = ownershipType
        self.industry = industry
        self.riskClass = riskClass
        self.region = region
        self.staffCount = staffCount
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.address = address
        self.status = status
        self.schemes = schemes
    }

    /// The raw text of an employer form, API body or import row.
    public struct Input: Sendable, Codable, Hashable {
        public var name: String?
        public var ownershipType: String?
        public var industry: String?
        public var riskClass: String?
        public var region: String?
        public var staffCount: String?
        public var contactName: String?
        public var contactPhone: String?
        public var address: String?
        public var status: String?
        /// Comma-separated schemes, by code or label: `pension,medical` or `养老,医疗`.
        public var schemes: String?

        public init(name: String? = nil, ownershipType: String? = nil, industry: String? = nil, riskClass: String? = nil,
                    region: String? = nil, staffCount: String? = nil, contactName: String? = nil, contactPhone: String? = nil,
                    address: String? = nil, status: String? = nil, schemes: String? = nil) {
            self.name = name
            self.ownershipType = ownershipType
            self.industry = industry
            self.riskClass = riskClass
            self.region = region
            self.staffCount = staffCount
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.address = address
            self.status = status
            self.schemes = schemes
        }
    }

    public static func validate(_ input: Input, labels: @escaping (String) -> [String], knownRegion: (RegionCode) -> Bool,
                                scope: RegionCode) -> Result<EmployerDetails, FieldIssues> {
        var issues: [FieldIssue] = []
        func take<T>(_ result: Result<T, FieldIssue>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let issue): issues.append(issue); return nil
            }
        }
        let name = take(FieldRules.text(input.name, field: "name", max: 100, required: true)) ?? nil
        let ownership = take(FieldRules.choice(input.ownershipType, field: "ownershipType", labels: { (value: OwnershipType) in labels(value.labelKey) }, required: true)) ?? nil
        let industry = take(FieldRules.choice(input.industry, field: "industry", labels: { (value: Industry) in labels(value.labelKey) }, required: true)) ?? nil
        let risk = take(FieldRules.integer(input.riskClass, field: "riskClass", range: 1...8)) ?? nil
        let region = take(FieldRules.region(input.region, field: "region", known: knownRegion, scope: scope, required: true)) ?? nil
        let staff = take(FieldRules.integer(input.staffCount, field: "staffCount", range: 0...1_000_000)) ?? nil
        let contactName = take(FieldRules.text(input.contactName, field: "contactName", max: 30)) ?? nil
        let contactPhone = take(FieldRules.phone(input.contactPhone, field: "contactPhone")) ?? nil
        let address = take(FieldRules.text(input.address, field: "address", max: 200)) ?? nil
        let status = take(FieldRules.choice(input.status, field: "status", labels: { (value: EmployerStatus) in labels(value.labelKey) }, required: false)) ?? nil
        var schemes: Set<Scheme> = []
        for part in (input.schemes ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0 == ";" }) {
            if let scheme = take(FieldRules.choice(String(part), field: "schemes", labels: { (value: Scheme) in labels(value.labelKey) + labels(value.shortLabelKey) }, required: true)) ?? nil {
                schemes.insert(scheme)
            }
        }
        guard issues.isEmpty, let name, let ownership, let industry, let region else { return .failure(FieldIssues(issues)) }
        return .success(EmployerDetails(
            name: name, ownershipType: ownership, industry: industry, riskClass: risk ?? industry.typicalRiskClass, region: region,
            staffCount: staff ?? 0, contactName: contactName, contactPhone: contactPhone, address: address,
            status: status ?? .active, schemes: schemes))
    }
}
