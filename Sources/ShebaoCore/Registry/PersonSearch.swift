/// What a clerk searches for; every part is optional and they combine with AND.
public struct PersonQuery: Sendable, Hashable, Codable {
    /// A full resident ID (15 or 18 characters): an exact match.
    public var residentID: ResidentID?
    /// A name or the start of one; names of the same length with one wrong character match too.
    public var name: String?
    public var birthDate: LocalDate?
    /// A place inside the caller's scope: only persons registered there.
    public var region: RegionCode?
    public var status: PersonStatus?

    public init(residentID: ResidentID? = nil, name: String? = nil, birthDate: LocalDate? = nil, region: RegionCode? = nil, status: PersonStatus? = nil) {
        self.residentID = residentID
        self.name = name
        self.birthDate = birthDate
        self.region = region
        self.status = status
    }

    public var isEmpty: Bool { residentID == nil && name == nil && birthDate == nil && region == nil && status == nil }

    /// The scope a search runs in: the caller's, narrowed to `region` when that lies inside it;
    /// nil when `region` is outside the caller's scope (nothing can match).
    public func effectiveScope(within scope: RegionCode) -> RegionCode? {
        guard let region else { return scope }
        if scope.contains(region) { return region }
        return nil
    }
}

/// Keys for "one wrong character": the name with each position in turn replaced by `*`.
/// `张小明` gives `*小明`, `张*明`, `张小*`; any name of the same length that differs in one place
/// shares exactly one key with it. Positions are Unicode scalars, as SQL's `substr` counts them.
public enum NameKeys {
    public static let wildcard: Character = "*"

    public static func keys(for name: String) -> [String] {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count >= 2 else { return [] }
        return scalars.indices.map { position in
            var copy = scalars
            copy[position] = "*"
            var text = ""
            text.unicodeScalars.append(contentsOf: copy)
            return text
        }
    }
}
