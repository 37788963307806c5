import Hummingbird
import Synchronization

/// Where a page may send a browser back to (after a login, a language switch): one of our own
/// pages, never another site. A target must start with a single `/`, hold no control character
/// and no backslash — `/%09/evil.example` decodes to `/\t/evil.example`, which browsers read as
/// `//evil.example` — and its path must be one of the routes the router serves to GET.
final class RedirectTargets: Sendable {
    private let templates = Mutex<[[Substring]]>([])

    /// The page routes (GET, outside the API), once the router is built.
    func register(_ router: Router<ShebaoRequestContext>) {
        let paths = router.routes.filter { $0.method == .get && !$0.path.description.hasPrefix(Route.api("").base) }
        templates.withLock { $0 = paths.map { Self.segments($0.path.description) } }
    }

    /// `target` when it is one of our pages, else `fallback`.
    func safe(_ target: String?, otherwise fallback: String) -> String {
        guard let target, Self.isLocal(target) else { return fallback }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let segments = Self.segments(path)
        let known = templates.withLock { templates in templates.contains { Self.matches(segments, $0) } }
        return known ? target : fallback
    }

    /// A path on this site: one leading slash, then no slash, backslash or control or format character.
    static func isLocal(_ target: String) -> Bool {
        guard target.hasPrefix("/"), !target.hasPrefix("//") else { return false }
        return !target.unicodeScalars.contains { scalar in
            scalar == "\\" || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        }
    }

    static func segments(_ path: some StringProtocol) -> [Substring] {
        Substring(path).split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    /// `{name}` in a template matches any one non-empty segment.
    static func matches(_ path: [Substring], _ template: [Substring]) -> Bool {
        guard path.count == template.count else { return false }
        return zip(path, template).allSatisfy { segment, pattern in
            pattern.hasPrefix("{") && pattern.hasSuffix("}") ? !segment.isEmpty : segment == pattern
        }
    }
}
