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
    /// The last 4 to 6 characters of a resident ID, as a clerk reads them off a card held up at
    /// the window: every person in scope whose ID ends so.
    public var idEnding: String?

    public init(residentID: ResidentID? = nil, name: String? = nil, birthDate: LocalDate? = nil, region: RegionCode? = nil, status: PersonStatus? = nil,
                idEnding: String? = nil) {
        self.idEnding = idEnding
        self.residentID = residentID
        self.name = name
        self.birthDate = birthDate
        self.region = region
        self.status = status
    }

    public var isEmpty: Bool { residentID == nil && name == nil && birthDate == nil && region == nil && status == nil && idEnding == nil }

    /// How a found person matches the search, when not plainly (a name that begins with the one
    /// typed, or an exact ID): the list says so beside the person, so that a near match is never
    /// taken for the person asked for.
    public enum Match: String, Sendable {
        /// The same length with one character different (a misspelling or a homophone).
        case near
        /// The typed text is the given name, after a one-character surname.
        case givenName
        /// The ID ends with the characters typed.
        case idEnding
    }

    public func match(of name: String) -> Match? {
        if idEnding != nil { return .idEnding }
        guard let typed = self.name, !name.hasPrefix(typed) else { return nil }
        return name.dropFirst().hasPrefix(typed) ? .givenName : .near
    }

    /// `text` as the last 4 to 6 characters of a resident ID (digits, the last maybe X), upper-cased.
    public static func idEnding(_ text: String) -> String? {
        let upper = text.uppercased()
        guard (4...6).contains(upper.count), upper.dropLast().allSatisfy(\.isASCIIDigit), let last = upper.last, last.isASCIIDigit || last == "X" else { return nil }
        return upper
    }

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
