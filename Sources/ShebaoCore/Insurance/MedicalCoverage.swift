/// What a unit's staff are insured for in medical (PROGRAMS.md §2.8). A struggling enterprise
/// (困难企业) joins inpatient pooling first (住院医疗费统筹): the unit's pooled part alone, with
/// no individual accounts, paid from the disposal of its assets or by its supervising department.
public enum MedicalCoverage: String, Sendable, Codable, CaseIterable {
    case full
    case inpatientOnly = "inpatient_only"
}

extension MedicalCoverage: Labelled { public static let labelPrefix = "medical_coverage" }

/// Where a struggling enterprise's inpatient-pooling contributions come from.
public enum InpatientFunding: String, Sendable, Codable, CaseIterable {
    /// 资产变现: the proceeds of selling the unit's assets.
    case assetDisposal = "asset_disposal"
    /// 主管部门: the unit's supervising department pays.
    case supervisingDepartment = "supervising_department"
}

extension InpatientFunding: Labelled { public static let labelPrefix = "inpatient_funding" }

/// A change of a unit's medical coverage from a month on, proposed by a clerk and approved by a
/// reviewer who did not propose it; approved changes are the unit's coverage history.
public struct MedicalCoverageChange: Sendable, Hashable {
    public var id: Int64
    public var employerID: Int64
    public var employerName: String
    public var region: RegionCode
    public var coverage: MedicalCoverage
    public var from: Period
    /// Inpatient pooling only: who pays.
    public var funding: InpatientFunding?
    public var note: String
    public var state: ProposalStatus
    public var proposerID: Int64
    public var proposedBy: String
    public var decidedBy: String?
    public var decisionNote: String?

    public init(id: Int64, employerID: Int64, employerName: String, region: RegionCode, coverage: MedicalCoverage, from: Period, funding: InpatientFunding?,
                note: String, state: ProposalStatus, proposerID: Int64, proposedBy: String, decidedBy: String?, decisionNote: String?) {
        self.id = id
        self.employerID = employerID
        self.employerName = employerName
        self.region = region
        self.coverage = coverage
        self.from = from
        self.funding = funding
        self.note = note
        self.state = state
        self.proposerID = proposerID
        self.proposedBy = proposedBy
        self.decidedBy = decidedBy
        self.decisionNote = decisionNote
    }
}

extension MedicalCoverage {
    /// The coverage in force in `period` by a unit's approved changes: the latest that started by
    /// then, or full coverage when none has.
    public static func inForce(_ changes: [MedicalCoverageChange], in period: Period) -> MedicalCoverageChange? {
        changes.filter { $0.state == .approved && $0.from <= period }.max { ($0.from, $0.id) < ($1.from, $1.id) }
    }
}
