/// 0008: merge requests use the one maker–checker vocabulary (proposed → approved | rejected)
/// that parameter proposals and batch runs use.
public struct MergesSpeakProposals: Migration {
    public init() {}
    public let version = 8
    public let name = "merges speak proposals"

    public func statements(for dialect: Dialect) -> [String] {
        [
            "UPDATE person_merges SET status = 'proposed' WHERE status = 'pending'",
            "UPDATE person_merges SET status = 'rejected' WHERE status = 'refused'",
        ]
    }
}
