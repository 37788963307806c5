/// Where a proposal stands: one vocabulary for everything one person proposes and another decides
/// (merges of duplicate records, parameter values, batch runs, payments).
public enum ProposalStatus: String, Sendable, Codable, CaseIterable {
    case proposed
    case approved
    case rejected
}

/// Why a decision was refused.
public enum MakerCheckerRefusal: Error, Sendable, Equatable {
    /// The one who proposed (or computed, or surveyed) cannot decide it.
    case ownProposal
    /// It was decided already.
    case notPending
    /// The same administrator created or changed both the proposer's account and the decider's
    /// within the review window: the two may be one person's two hands.
    case sameAdministrator
}

/// The maker–checker rule (四眼原则): the person who prepared something never approves it, and a
/// decision is taken once. Every proposal kind checks through here, so the rule reads the same
/// for merges, parameters and runs.
public enum MakerChecker {
    /// Whether `decider` may decide a proposal in `status` made by `maker`. `managers` are the
    /// administrators who created or changed each account within the review window
    /// (``AccountPolicy/reviewWindowDays``): the decider's may not include the maker, nor any
    /// administrator who also made or changed the maker's account.
    public static func check(status: ProposalStatus, maker: Int64?, decider: Int64,
                             managers: [Int64: Set<Int64>] = [:]) throws(MakerCheckerRefusal) {
        guard status == .proposed else { throw .notPending }
        guard maker != decider else { throw .ownProposal }
        guard let maker else { return }
        let handsOnDecider = managers[decider] ?? []
        if handsOnDecider.contains(maker) || !handsOnDecider.isDisjoint(with: managers[maker] ?? []) { throw .sameAdministrator }
    }
}
