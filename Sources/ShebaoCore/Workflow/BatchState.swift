/// Where a batch run (monthly assessment, payroll, a statistics snapshot …) stands
/// (DESIGN.md §5): chunks are computed while it is a draft; once every chunk is in, it is
/// computed and waits for a second person; approved, it may be posted, after which nothing of it
/// changes. A rejected run is kept for the record and a new run may take its place.
public enum BatchState: String, Sendable, Codable, CaseIterable {
    case draft
    case computed
    case approved
    case posted
    case rejected

    /// States a new run of the same kind, period and scope may not coexist with.
    public var holdsItsPeriod: Bool { self != .rejected }
}

/// The key that makes a run unique: one live run per kind, period and scope.
public struct BatchKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: String
    public var period: Period
    public var scope: RegionCode

    public init(kind: String, period: Period, scope: RegionCode) {
        self.kind = kind
        self.period = period
        self.scope = scope
    }

    public var description: String { "\(kind) \(period) \(scope.value)" }
}
