/// What a user does in the office; decides which actions they may take (DESIGN.md §8).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// System administrator: users, tokens, parameters. Does not read the audit log (三权分立).
    case admin
    /// 区经办: registers and changes records for the whole district.
    case districtClerk = "district_clerk"
    /// 乡镇经办: the same, for one town or street.
    case townClerk = "town_clerk"
    /// 复核 / 审批: checks and approves what a clerk prepared; never approves their own work.
    case reviewer
    /// 基金会计: the fund ledger and payments.
    case fundAccountant = "fund_accountant"
    /// Leaders reading statistics; no person-level data.
    case statisticsViewer = "statistics_viewer"
    /// Read-only, including the audit log.
    case auditor
    /// 单位经办人: an employer's own records, on the portal.
    case employerAgent = "employer_agent"
    /// 参保人: their own records, on the portal.
    case citizen

    /// Staff work in the office pages and API; employers and citizens use the portal.
    public var isStaff: Bool { self != .employerAgent && self != .citizen }

    /// Roles that approve, audit, pay or administer: an account with one of them is created,
    /// re-enabled or given a new password only with a second administrator's approval, so that
    /// one administrator cannot make the reviewer of their own proposals or the auditor of
    /// their own actions (三权分立).
    public var isPrivileged: Bool {
        switch self {
        case .admin, .reviewer, .auditor, .fundAccountant: true
        case .districtClerk, .townClerk, .statisticsViewer, .employerAgent, .citizen: false
        }
    }
}

/// The account rules with a number in them.
public enum AccountPolicy {
    /// How long an administrator's hand in an account keeps its holder from deciding proposals
    /// of other accounts the same administrator made or changed.
    public static let reviewWindowDays = 30
    /// An API token's life unless asked otherwise, and the longest one may ask for.
    public static let tokenDays = 90
    public static let maximumTokenDays = 365
}

/// Something a user may try to do; one case per capability, named by program.
public enum Action: String, Sendable, Codable, CaseIterable {
    case regionRead = "region.read"
    case personList = "person.list"
    /// Opening one person's whole record (audited as a full-record read).
    case personRead = "person.read"
    case personWrite = "person.write"
    case householdRead = "household.read"
    case householdWrite = "household.write"
    case employerRead = "employer.read"
    case employerWrite = "employer.write"
    /// Asking for two person records to be merged as duplicates (a clerk).
    case mergeRequest = "merge.request"
    /// Approving or refusing a merge (a reviewer; never the one who asked).
    case mergeDecide = "merge.decide"
    case importFile = "import.file"
    case parameterRead = "parameter.read"
    /// Entering a (future-dated) policy value.
    case parameterPropose = "parameter.propose"
    /// Approving or rejecting a proposed value (a reviewer; never the one who proposed it).
    case parameterDecide = "parameter.decide"
    /// Evaluating a rule with an explanation.
    case calculate = "rule.calculate"
    /// Downloading a list as CSV or XLSX (audited: exports leave the office).
    case exportList = "export.list"
    case userManage = "user.manage"
    case tokenManage = "token.manage"
    case auditRead = "audit.read"
    case ownRecordRead = "own_record.read"
    /// Reading applications (cases) and their history; taking a step is decided by the case type.
    case caseRead = "case.read"
    /// Reading batch runs and their progress; computing and approving are decided by the run's kind.
    case batchRead = "batch.read"
    /// Counts and indicators without person-level data (the leaders' overview).
    case statisticsRead = "statistics.read"
    /// Reading the fund ledger: balances, payment capacity, entries (no personal data).
    case ledgerRead = "ledger.read"
    /// Posting and reversing journal entries (a fund accountant).
    case ledgerPost = "ledger.post"
    /// Reading bills, collections, arrears and collection rates of units in scope.
    case insuranceRead = "insurance.read"
    /// Importing the tax bureau's collection files and settling the lines that did not match.
    case collectionImport = "collection.import"
    /// Enrolling, ending and transferring enrolments and declaring bases (a clerk in scope, or a
    /// unit's agent for its own staff).
    case enrolmentWrite = "enrolment.write"
    /// Paying pensions through banks: payment points, payroll files, the banks' returns, the
    /// death register and overpayments' recovery (the fund's payment office).
    case payrollManage = "payroll.manage"
    /// Proposing the account a pension is paid into (a reviewer decides).
    case pensionAccountPropose = "pension_account.propose"
    /// Designated hospitals and pharmacies: adding them, renewing agreements, recording
    /// inspections, taking in a pharmacy's purchase file (the district's medical office).
    case medicalInstitutionManage = "medical_institution.manage"
    /// Confirming or rejecting an inspection's measure, reinstating a suspended agreement (a
    /// reviewer; never the inspector).
    case medicalInspectionDecide = "medical_inspection.decide"
    /// Proposing that a struggling enterprise's staff be insured for inpatient pooling only from a
    /// month, or fully again (the district's medical office).
    case medicalCoveragePropose = "medical_coverage.propose"
    /// Approving or rejecting such a change (a reviewer; never the proposer).
    case medicalCoverageDecide = "medical_coverage.decide"
    /// Social assistance at the counter: computing a household's dibao, ending a grant (the
    /// town's or the district's civil-affairs clerk; applications themselves move as cases).
    case assistanceManage = "assistance.manage"
}

/// The one place that decides role × action (function level). Scope is decided by ``Principal``.
public enum AccessPolicy {
    /// Whether `role` may perform `action` at all.
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        switch action {
        case .regionRead:
            return role.isStaff
        case .personList, .personRead:
            return [.admin, .districtClerk, .townClerk, .reviewer, .fundAccountant, .auditor].contains(role)
        case .personWrite, .householdWrite, .employerWrite, .mergeRequest, .importFile:
            return [.districtClerk, .townClerk].contains(role)
        case .householdRead, .employerRead, .exportList:
            return [.admin, .districtClerk, .townClerk, .reviewer, .fundAccountant, .auditor].contains(role)
        case .mergeDecide, .parameterDecide:
            return role == .reviewer
        case .parameterRead, .calculate:
            return role.isStaff
        case .parameterPropose:
            return [.admin, .districtClerk].contains(role)
        case .userManage, .tokenManage:
            return role == .admin
        case .auditRead:
            return role == .auditor
        case .ownRecordRead:
            return role == .citizen || role == .employerAgent
        case .caseRead, .batchRead:
            return [.admin, .districtClerk, .townClerk, .reviewer, .fundAccountant, .auditor].contains(role)
        case .statisticsRead:
            return [.statisticsViewer, .admin].contains(role)
        case .ledgerRead:
            return [.fundAccountant, .auditor, .statisticsViewer].contains(role)
        case .ledgerPost:
            return role == .fundAccountant
        case .insuranceRead:
            return [.districtClerk, .townClerk, .reviewer, .fundAccountant, .auditor, .statisticsViewer].contains(role)
        case .collectionImport:
            return [.districtClerk, .fundAccountant].contains(role)
        case .enrolmentWrite:
            return [.districtClerk, .townClerk, .employerAgent].contains(role)
        case .payrollManage:
            return [.districtClerk, .fundAccountant].contains(role)
        case .pensionAccountPropose:
            return [.districtClerk, .townClerk].contains(role)
        case .medicalInstitutionManage:
            return role == .districtClerk
        case .medicalInspectionDecide, .medicalCoverageDecide:
            return role == .reviewer
        case .medicalCoveragePropose:
            return role == .districtClerk
        case .assistanceManage:
            return [.districtClerk, .townClerk].contains(role)
        }
    }
}

/// Who is asking: a signed-in user with a role and a region scope.
public struct Principal: Sendable, Hashable {
    public var userID: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    /// Every object whose region code lies under this one is in scope.
    public var scope: RegionCode
    /// For citizens: their own person record.
    public var personID: Int64?
    /// For employer agents: their own unit.
    public var employerID: Int64?

    public init(userID: Int64, username: String, displayName: String, role: Role, scope: RegionCode, personID: Int64? = nil, employerID: Int64? = nil) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.personID = personID
        self.employerID = employerID
    }

    /// The decision for `action` on an object in `region` (nil for actions on no object).
    ///
    /// An object outside the caller's scope is `.notFound`, never `.forbidden`, so that a
    /// clerk cannot learn that a record exists in another town (RELIABILITY A6.6, IDOR).
    public func decide(_ action: Action, in region: RegionCode? = nil) -> AccessDecision {
        guard AccessPolicy.allows(role, action) else { return .forbidden }
        if let region, !scope.contains(region) { return .notFound }
        return .allowed
    }
}

extension Principal {
    /// Whether the role may `action` on something in `region` (for buttons and links: the
    /// operations layer decides again when the action is taken).
    public func may(_ action: Action, in region: RegionCode? = nil) -> Bool { decide(action, in: region) == .allowed }
}

public enum AccessDecision: Sendable, Equatable {
    case allowed
    /// The role may not do this at all.
    case forbidden
    /// The object is outside the caller's scope: answered as if it did not exist.
    case notFound
}
