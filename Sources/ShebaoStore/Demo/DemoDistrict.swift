public import Logging
public import ShebaoCore

/// Builds the demo district of DESIGN.md §10 deterministically from a seed: the 6 streets and
/// 4 towns of Luqiao (331004) with generated communities and villages, one user per role, and
/// `410,000 × scale` persons whose birth dates follow the district's age pyramid.
public struct DemoDistrict: Sendable {
    public static let district = RegionCode(trusted: "331004000000")
    /// The 6 streets and 4 towns of the seed (the 4xx statistics-only zones are left out).
    public static let townships: [(code: String, name: String)] = [
        ("331004001000", "路南街道"), ("331004002000", "路桥街道"), ("331004003000", "路北街道"),
        ("331004004000", "螺洋街道"), ("331004005000", "桐屿街道"), ("331004006000", "峰江街道"),
        ("331004103000", "新桥镇"), ("331004104000", "横街镇"), ("331004106000", "金清镇"), ("331004107000", "蓬街镇"),
    ]
    public static let population = 410_000
    /// The demo's "today": fixed, so that ages and the generated data are the same on every run.
    public static let referenceDate = LocalDate(year: 2026, month: 6, day: 30)!
    /// Every demo account has this password; it is printed at start-up. Demo use only.
    public static let demoPassword = "shebao-demo-2026"

    public var scale: Double
    public var seed: UInt64

    public init(scale: Double = 0.01, seed: UInt64 = 331_004) {
        self.scale = scale
        self.seed = seed
    }

    /// The demo accounts: username, display name, role, region.
    public static let accounts: [(username: String, displayName: String, role: Role, region: String)] = [
        ("admin", "系统管理员", .admin, "331004000000"),
        ("district", "区经办 王芳", .districtClerk, "331004000000"),
        ("xinqiao", "新桥镇经办 陈磊", .townClerk, "331004103000"),
        ("lunan", "路南街道经办 林静", .townClerk, "331004001000"),
        ("reviewer", "复核 郑伟", .reviewer, "331004000000"),
        ("accountant", "基金会计 周敏", .fundAccountant, "331004000000"),
        ("leader", "统计查询 黄建国", .statisticsViewer, "331004000000"),
        ("auditor", "审计 徐红", .auditor, "331004000000"),
        ("employer", "单位经办人 金晓东", .employerAgent, "331004000000"),
        ("citizen", "参保人", .citizen, "331004002000"),
    ]

    /// What `build` created.
    public struct Summary: Sendable {
        public var regions: Int
        public var users: Int
        public var persons: Int
    }

    /// Creates the demo district in an empty database (migrated). Refuses a database that
    /// already holds users, so a demo never mixes with real data.
    public func build(in database: ShebaoDatabase, hasher: PasswordHasher = PasswordHasher(), clock: any WallClock = SystemClock(),
                      logger: Logger, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        let users = UserStore(database: database, clock: clock, hasher: hasher)
        guard try await users.list().isEmpty else { throw DemoError.notEmpty }
        let regionStore = RegionStore(database: database)
        let actor = AuditActor.system("demo")
        var random = DeterministicRandom(seed: seed)

        let places = Self.communitiesAndVillages(random: &random)
        let regionCount = try await regionStore.insertMissing(try RegionStore.bundledRegions() + places)
        logger.info("demo regions loaded", metadata: ["count": "\(regionCount)"])

        let people = Self.persons(count: max(1, Int((Double(Self.population) * scale).rounded())), places: places, random: &random)
        let personStore = PersonStore(database: database, clock: clock)
        var personIDs: [Int64] = []
        for (index, chunk) in people.chunked(into: 20_000).enumerated() {
            personIDs += try await personStore.insert(Array(chunk), by: actor, auditEach: false)
            progress?(min((index + 1) * 20_000, people.count), people.count)
        }

        // The demo citizen is a real person of the register, so their own-record page has data.
        let citizenIndex = people.firstIndex(where: { $0.region.value.hasPrefix("331004002") }) ?? 0
        for account in Self.accounts {
            let isCitizen = account.role == .citizen
            _ = try await users.create(
                username: account.username,
                displayName: isCitizen ? people[citizenIndex].name : account.displayName,
                role: account.role,
                region: isCitizen ? people[citizenIndex].region : RegionCode(trusted: account.region),
                password: Self.demoPassword,
                personID: isCitizen ? personIDs[citizenIndex] : nil,
                by: actor)
        }
        return Summary(regions: regionCount, users: Self.accounts.count, persons: people.count)
    }

    // MARK: - Places

    static let placeSyllables = Array("东西南北新前后下上中河山洋塘桥岙浦湾头林金蓬峰横里园家庄港湖石竹梅兴安和平马蒋")
    static let placeEndings = Array("桥塘洋岙浦湾头里园庄港山河垟宅家屿")

    /// Communities (001–) and villages (201–) under each township, with plausible two-character names.
    static func communitiesAndVillages(random: inout DeterministicRandom) -> [Region] {
        var regions: [Region] = []
        for township in townships {
            let code = RegionCode(trusted: township.code)
            let isStreet = Region.isStreet(code)
            let communities = isStreet ? 6 : 3
            let villages = isStreet ? 18 : 30
            var used: Set<String> = []
            func uniqueName() -> String {
                while true {
                    let name = String(placeSyllables.randomElement(using: &random)!) + String(placeEndings.randomElement(using: &random)!)
                    if used.insert(name).inserted { return name }
                }
            }
            let prefix = String(township.code.prefix(9))
            for index in 1...communities {
                let village = RegionCode(trusted: prefix + threeDigits(index))
                regions.append(Region(code: village, name: uniqueName() + "社区", level: .village, parent: code,
                                      areaType: Region.areaType(for: village, townshipIsStreet: isStreet)))
            }
            for index in 1...villages {
                let village = RegionCode(trusted: prefix + threeDigits(200 + index))
                regions.append(Region(code: village, name: uniqueName() + "村", level: .village, parent: code,
                                      areaType: Region.areaType(for: village, townshipIsStreet: isStreet)))
            }
        }
        return regions
    }

    static func threeDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: 3 - text.count) + text
    }

    // MARK: - Persons

    /// Share of the population per five-year age band, 0–4 up to 85+ (per mille, sums to 1000):
    /// the shape of a coastal Zhejiang district in the mid-2020s.
    static let agePyramid: [Int] = [40, 55, 60, 56, 53, 56, 75, 80, 68, 68, 85, 82, 60, 58, 45, 29, 18, 12]

    static let surnames = Array("王李张陈林郑黄周吴徐杨金潘蒋叶应陶梁卢罗泮管江蔡何朱胡许章赵颜洪阮柯")
    static let givenCharacters = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲斌辉宇晨浩然欣怡子涵梓轩雨萱佳琪晓东海燕春梅")
    /// A few names a registry must carry intact: a rare character outside GB 2312 and minority names with the middle dot.
    static let unusualNames = ["𠮷祥", "吉𠮷", "阿依古丽·买买提", "努尔·艾力", "扎西·次仁", "龚䶮"]
    /// Places of issue for people who moved their household registration into the district.
    static let migrantAreaCodes = ["522101", "511521", "342401", "362421", "412726"]

    static func persons(count: Int, places: [Region], random: inout DeterministicRandom) -> [NewPerson] {
        let cumulative = agePyramid.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
        var seen: Set<String> = []
        var people: [NewPerson] = []
        people.reserveCapacity(count)
        let reference = referenceDate.daysSinceEpoch
        for index in 0..<count {
            let place = places[Int(random.next() % UInt64(places.count))]
            let roll = Int(random.next() % 1000)
            let band = cumulative.firstIndex(where: { roll < $0 }) ?? agePyramid.count - 1
            let ageInDays = (band * 5 * 365) + Int(random.next() % UInt64(5 * 365))
            let birth = LocalDate(daysSinceEpoch: reference - ageInDays)
            let male = random.next() % 100 < 51
            let area: String
            let origin = random.next() % 100
            if origin < 2 {
                area = migrantAreaCodes[Int(random.next() % UInt64(migrantAreaCodes.count))]
            } else if birth.year < 1995 && origin < 70 {
                area = "331003"  // issued when the area still belonged to Huangyan, before November 1994
            } else {
                area = "331004"
            }
            var id: ResidentID
            repeat {
                let sequence = Int(random.next() % 500) * 2 + (male ? 1 : 0)
                id = ResidentID(areaCode: area, birthDate: birth, sequence: sequence)
            } while !seen.insert(id.value).inserted
            let name: String
            if index % 9973 == 17 {
                name = unusualNames[(index / 9973) % unusualNames.count]
            } else {
                let surname = surnames[Int(random.next() % UInt64(surnames.count))]
                let given = (0..<(random.next() % 10 < 7 ? 2 : 1)).map { _ in
                    givenCharacters[Int(random.next() % UInt64(givenCharacters.count))]
                }
                name = String(surname) + String(given)
            }
            let urban = place.areaType != .rural
            let hukou: HukouType = random.next() % 100 < (urban ? 60 : 12) ? .nonAgricultural : .agricultural
            let phone = birth.year > 2012 ? nil : "1" + String(3 + random.next() % 7) + String(100_000_000 + random.next() % 900_000_000)
            people.append(NewPerson(
                residentID: id, name: name, hukouType: hukou, region: place.code,
                address: place.name + String(1 + random.next() % 300) + "号", phone: phone))
        }
        return people
    }
}

public enum DemoError: Error, CustomStringConvertible {
    case notEmpty

    public var description: String {
        "the database already has users; the demo district is only created in an empty database"
    }
}
