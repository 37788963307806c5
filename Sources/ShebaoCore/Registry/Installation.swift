/// The district a server serves, set once at set-up (`shebao init --region 331004`, or by the
/// demo) and stored in the database: the default region of calculations and parameter lists,
/// never a constant in the code.
public struct Installation: Sendable, Hashable, Codable {
    /// The county-level code the installation serves (its townships and villages lie under it).
    public var region: RegionCode
    public var name: String
    /// The townships with their area types (街道 / 镇 / 乡), which select standards such as dibao.
    public var townships: [Township]
    public var initializedAt: String

    public struct Township: Sendable, Hashable, Codable {
        public var code: RegionCode
        public var name: String
        public var areaType: AreaType?

        public init(code: RegionCode, name: String, areaType: AreaType?) {
            self.code = code
            self.name = name
            self.areaType = areaType
        }
    }

    public init(region: RegionCode, name: String, townships: [Township], initializedAt: String) {
        self.region = region
        self.name = name
        self.townships = townships
        self.initializedAt = initializedAt
    }
}
