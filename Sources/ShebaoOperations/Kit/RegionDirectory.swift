public import ShebaoCore
import ShebaoStore
import Synchronization

/// The division hierarchy in memory: a few thousand rows that every page names places from,
/// read once and kept (they change only at set-up and when the demo is built, which reload them).
public final class RegionDirectory: Sendable {
    private let database: ShebaoDatabase
    private let cache = Mutex<[RegionCode: Region]?>(nil)

    init(database: ShebaoDatabase) { self.database = database }

    private func regions() async throws -> [RegionCode: Region] {
        if let cached = cache.withLock({ $0 }) { return cached }
        let loaded = try await database.read { db in try await RegionStore().all(on: db) }
        let byCode = Dictionary(loaded.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        cache.withLock { $0 = byCode }
        return byCode
    }

    /// Forgets what was read (after regions were added).
    public func reload() { cache.withLock { $0 = nil } }

    public func find(_ code: RegionCode) async throws -> Region? { try await regions()[code] }

    public func contains(_ code: RegionCode) async throws -> Bool { try await regions()[code] != nil }

    /// Every code, for validating files without a query per row.
    public func allCodes() async throws -> Set<RegionCode> { Set(try await regions().keys) }

    /// Every region inside `scope`, the scope itself included, by code.
    public func all(in scope: RegionCode) async throws -> [Region] {
        try await regions().values.filter { scope.contains($0.code) }.sorted { $0.code < $1.code }
    }

    /// The regions directly under `code`, by code.
    public func children(of code: RegionCode) async throws -> [Region] {
        try await regions().values.filter { $0.parent == code }.sorted { $0.code < $1.code }
    }

    /// A label that says where a place is: `新桥镇 港家社区` for a village, `新桥镇` for a township;
    /// the code itself for a place the register does not know.
    public func label(_ code: RegionCode) async throws -> String {
        let all = try await regions()
        let own = all[code]?.name ?? code.value
        if code.level == .village, let township = code.parent, let name = all[township]?.name { return name + " " + own }
        return own
    }

    public func labels(of codes: some Sequence<RegionCode>) async throws -> [RegionCode: String] {
        var labels: [RegionCode: String] = [:]
        for code in codes { labels[code] = try await label(code) }
        return labels
    }

    public func name(_ code: RegionCode) async throws -> String? { try await regions()[code]?.name }
}
