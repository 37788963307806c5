import Foundation
public import Logging
import SQLKit
public import ShebaoCore

/// Builds the demo district of DESIGN.md §10 deterministically from a seed: the 6 streets and
/// 4 towns of Luqiao (331004) with generated communities and villages, `410,000 × scale` persons
/// living in households, employers in the seed's proportions (PROGRAMS.md §6) with their
/// insurance schemes and staff, and one user per role.
public struct DemoDistrict: Sendable {
    public static let district = RegionCode(trusted: "331004000000")
    public static let districtName = "路桥区"
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

    /// The district's opening funds: the pension fund transferred from Huangyan in 1995-01, work
    /// injury at its start in 1996-01, maternity from the local development fund in 1998-12.
    public static let openingFunds: [(fund: Fund, date: LocalDate, amount: Money, memo: String)] = [
        (.enterprisePension, LocalDate(year: 1995, month: 1, day: 1)!, Money(fen: 680_000_000), "ledger.opening.pension"),
        (.workInjury, LocalDate(year: 1996, month: 1, day: 1)!, Money(fen: 40_000_000), "ledger.opening.work_injury"),
        (.maternity, LocalDate(year: 1998, month: 12, day: 1)!, Money(fen: 20_000_000), "ledger.opening.maternity"),
    ]

    /// Every employee enrolled in each scheme of their unit from the month they started, and one
    /// person in 97 of those aged 25–55 in 2024 without a unit (19 in the default demo) insured on
    /// their own account in pension and medical from 2024-01; each with a declared base for
    /// 2024–2026 spread from below the floor to above the ceiling (a few percent a year apart) and
    /// the wage reported — one person in seventeen declared at 70% of it, so the
    /// under-declaration check has something to find — set-based.
    static func enrolEmployees(at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
            SELECT m.person_id, m.employer_id, s.scheme, 'employee', p.region_code,
                CAST(substr(m.start_date, 1, 4) || substr(m.start_date, 6, 2) AS BIGINT), \(bind: now.iso8601), 'system:demo'
            FROM employments m JOIN employer_schemes s ON s.employer_id = m.employer_id JOIN persons p ON p.id = m.person_id
            ORDER BY m.person_id, s.scheme
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
            SELECT p.id, NULL, s.scheme, 'self_employed', p.region_code, 202401, \(bind: now.iso8601), 'system:demo'
            FROM persons p CROSS JOIN (SELECT 'medical' AS scheme UNION ALL SELECT 'pension') s
            WHERE p.id % 97 = 5 AND p.birth_date BETWEEN '1969-01-01' AND '1999-01-01'
                AND NOT EXISTS (SELECT 1 FROM employments m WHERE m.person_id = p.id)
            ORDER BY p.id, s.scheme
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO contribution_bases (person_id, year, declared_fen, declared_at, wage_fen, declared_by)
            SELECT w.person_id, y.year,
                CASE WHEN w.person_id % 17 = 0 THEN (w.wage + w.wage * (y.year - 2024) * 4 / 100) * 7 / 10 ELSE w.wage + w.wage * (y.year - 2024) * 4 / 100 END,
                \(bind: now.iso8601), w.wage + w.wage * (y.year - 2024) * 4 / 100, 'system:demo'
            FROM (SELECT DISTINCT person_id, 300000 + (person_id * 7919) % 1500000 AS wage FROM enrolments) w
            CROSS JOIN (SELECT 2024 AS year UNION ALL SELECT 2025 UNION ALL SELECT 2026) y
            """
        ).run()
    }

    /// The demo accounts: username, display name, role, region.
    public static let accounts: [(username: String, displayName: String, role: Role, region: String)] = [
        ("admin", "系统管理员", .admin, "331004000000"),
        // A second administrator: a privileged account is approved by another one (issue 9).
        ("admin2", "系统管理员 赵刚", .admin, "331004000000"),
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

    /// What `build` created, counted back from the database.
    public struct Summary: Sendable {
        public var regions: Int
        public var users: Int
        public var persons: Int
        public var households: Int
        public var employers: EmployerCounts
    }

    /// Creates the demo district in an empty database (migrated). Refuses a database that
    /// already holds users, so a demo never mixes with real data.
    public func build(in database: ShebaoDatabase, hasher: PasswordHasher = PasswordHasher(), clock: any WallClock = SystemClock(),
                      logger: Logger, progress: (@Sendable (String, Int, Int) -> Void)? = nil) async throws -> Summary {
        let users = UserStore(database: database, clock: clock, hasher: hasher)
        guard try await users.list().isEmpty, try await database.read({ db in try await InstallationStore().current(on: db) }) == nil else {
            throw DemoError.notEmpty
        }
        let actor = AuditActor.system("demo")
        var random = DeterministicRandom(seed: seed)

        let places = Self.communitiesAndVillages(random: &random)
        let regionCount = try await database.write { db in
            try await RegionStore().insertMissing(try RegionStore.bundledRegions() + places, on: db)
        }
        logger.info("demo regions loaded", metadata: ["count": "\(regionCount)"])

        let households = Self.households(persons: max(1, Int((Double(Self.population) * scale).rounded())), places: places, random: &random)
        let personIDs = try await writeHouseholds(households, to: database, by: actor, at: clock.now(), progress: progress)

        let employers = Self.employers(scale: scale, places: places, random: &random)
        let people = households.flatMap(\.members)
        let now = clock.now()
        let dialect = database.dialect
        let employerIDs = try await database.write { db in
            let ids = try await EmployerStore().insert(employers.map { ($0.code, $0.details) }, by: actor, reason: "演示区建档", at: now, on: db)
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .create, entity: "employer", entityID: "demo", after: ["employers": employers.count]),
                on: db, dialect: dialect, at: now)
            return ids
        }
        let jobs = Self.employments(employers: employers, employerIDs: employerIDs, people: people, personIDs: personIDs, random: &random)
        try await database.write { db in
            try await EmployerStore().insertEmployments(jobs, on: db)
            try await Self.enrolEmployees(at: now, on: db)
            // The demo serves Luqiao: record it as the installation, as `shebao init` would.
            try await InstallationStore().initialize(region: Self.district, name: Self.districtName, at: now, on: db)
            try await DemoPaymentPoints.write(scale: scale, on: db)
            // The funds the district started with (PROGRAMS.md §2, context table), in the fiscal special account.
            for opening in Self.openingFunds {
                let draft = LedgerEntryDraft.opening(opening.fund, amount: opening.amount, on: opening.date,
                                                     memo: StringTables.bundled.text(opening.memo, .zhHans))
                _ = try await LedgerStore().post(draft, region: Self.district, key: LedgerStore.openingKey(region: Self.district, fund: opening.fund),
                                                 by: actor, at: now, on: db)
            }
        }
        progress?("employers", employers.count, employers.count)

        // The demo citizen and employer agent are linked to real records, so their portal has data.
        // The citizen works at an insured unit since before 2024, so their rights record has months and an account.
        let longEmployed = Set(jobs.filter { $0.start < LocalDate(year: 2024, month: 1, day: 1)! }.map(\.personID))
        let resident = { (index: Int) in people[index].person.region.value.hasPrefix("331004002") && people[index].person.residentID.birthDate.age(on: Self.referenceDate) >= 30 }
        let citizenIndex = people.indices.first { resident($0) && longEmployed.contains(personIDs[$0]) } ?? people.indices.first(where: resident) ?? 0
        let agentEmployer = employers.firstIndex { $0.details.ownershipType == .privateEnterprise } ?? 0
        for account in Self.accounts {
            let isCitizen = account.role == .citizen
            _ = try await users.create(
                username: account.username,
                displayName: isCitizen ? people[citizenIndex].person.name : account.displayName,
                role: account.role,
                region: isCitizen ? people[citizenIndex].person.region : RegionCode(trusted: account.region),
                password: Self.demoPassword,
                personID: isCitizen ? personIDs[citizenIndex] : nil,
                employerID: account.role == .employerAgent && !employerIDs.isEmpty ? employerIDs[agentEmployer] : nil,
                by: actor)
        }
        return try await database.read { db in
            Summary(
                regions: regionCount, users: Self.accounts.count,
                persons: try await PersonStore().count(in: Self.district, on: db),
                households: try await HouseholdStore().count(on: db),
                employers: try await EmployerStore().counts(in: Self.district, on: db))
        }
    }

    /// Writes households, their members and persons in one transaction, set-based in chunks.
    private func writeHouseholds(_ households: [GeneratedHousehold], to database: ShebaoDatabase, by actor: AuditActor, at now: Timestamp,
                                 progress: (@Sendable (String, Int, Int) -> Void)?) async throws -> [Int64] {
        let dialect = database.dialect
        let total = households.reduce(0) { $0 + $1.members.count }
        return try await database.write { db in
            var householdIDs: [String: Int64] = [:]
            for chunk in households.chunked(into: 1000) {
                let insert = db.insert(into: "households").columns("register_number", "region_code", "address", "version", "created_at", "updated_at")
                for household in chunk {
                    let row: [any SQLExpression] = [
                        SQLBind(household.registerNumber), SQLBind(household.region.value), SQLBind(household.address), SQLBind(Int64(1)),
                        SQLBind(now.iso8601), SQLBind(now.iso8601),
                    ]
                    insert.values(row)
                }
                for row in try await insert.returning("id", "register_number").all() {
                    householdIDs[try row.decode(column: "register_number", as: String.self)] = try row.decode(column: "id", as: Int64.self)
                }
            }
            var people: [NewPerson] = []
            var homes: [Int64?] = []
            var relations: [HouseholdRelation] = []
            people.reserveCapacity(total)
            for household in households {
                for member in household.members {
                    people.append(member.person)
                    homes.append(householdIDs[household.registerNumber])
                    relations.append(member.relation)
                }
            }
            var ids: [Int64] = []
            for start in stride(from: 0, to: people.count, by: 50_000) {
                let end = min(start + 50_000, people.count)
                ids += try await PersonStore().insert(Array(people[start..<end]), householdIDs: Array(homes[start..<end]), by: actor,
                                                      reason: "演示区建档", at: now, on: db)
                progress?("persons", end, people.count)
            }
            for chunk in Array(zip(ids, zip(homes, relations))).chunked(into: 1000) {
                let insert = db.insert(into: "household_members").columns("household_id", "person_id", "relation", "joined_on")
                for (id, (home, relation)) in chunk {
                    let row: [any SQLExpression] = [SQLBind(home), SQLBind(id), SQLBind(relation.rawValue), SQLBind(Self.referenceDate.description)]
                    insert.values(row)
                }
                try await insert.run()
            }
            try await HouseholdStore().recordFirstVersions(by: actor, reason: "演示区建档", at: now, on: db)
            try await AuditLog.append(
                AuditEvent(actor: actor, action: .create, entity: "person", entityID: "demo", after: ["persons": ids.count, "households": households.count]),
                on: db, dialect: dialect, at: now)
            return ids
        }
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

    // MARK: - Households and persons

    struct GeneratedHousehold: Sendable {
        var registerNumber: String
        var region: RegionCode
        var address: String
        var members: [(person: NewPerson, relation: HouseholdRelation)]
    }

    /// Share of adults by five-year band from 20–24 to 85+ (per mille of adults): a coastal
    /// Zhejiang district in the mid-2020s, with the large 1960s–1970s birth cohorts.
    static let adultPyramid: [Int] = [62, 66, 88, 94, 80, 80, 100, 96, 71, 68, 53, 34, 21, 14]
    /// Household sizes 1…6, per hundred households (mean about 2.9, as in Zhejiang's 2020 census).
    static let householdSizes: [Int] = [14, 30, 26, 17, 8, 5]

    static let surnames = Array("王李张陈林郑黄周吴徐杨金潘蒋叶应陶梁卢罗泮管江蔡何朱胡许章赵颜洪阮柯")
    static let givenCharacters = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲斌辉宇晨浩然欣怡子涵梓轩雨萱佳琪晓东海燕春梅")
    /// A few names a registry must carry intact: a rare character outside GB 2312 and minority names with the middle dot.
    static let unusualNames = ["𠮷祥", "吉𠮷", "阿依古丽·买买提", "努尔·艾力", "扎西·次仁", "龚䶮"]
    /// Places of issue for people who moved their household registration into the district.
    static let migrantAreaCodes = ["522101", "511521", "342401", "362421", "412726"]
    static let banks = ["中国农业银行台州路桥支行", "中国工商银行台州路桥支行", "浙江泰隆商业银行", "台州银行", "路桥农村商业银行"]

    /// Households until `persons` people exist: a head, a spouse, children and sometimes a parent,
    /// with ages that fit together and one surname passed from father to children.
    static func households(persons target: Int, places: [Region], random: inout DeterministicRandom) -> [GeneratedHousehold] {
        var generator = PersonGenerator(random: random)
        var households: [GeneratedHousehold] = []
        var numberInPlace: [RegionCode: Int] = [:]
        var count = 0
        let cumulativeSizes = householdSizes.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
        let cumulativeAges = adultPyramid.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
        while count < target {
            let place = places[Int(generator.next() % UInt64(places.count))]
            let sizeRoll = Int(generator.next() % 100)
            var size = (cumulativeSizes.firstIndex { sizeRoll < $0 } ?? 0) + 1
            size = min(size, target - count)
            let ageRoll = Int(generator.next() % UInt64(cumulativeAges.last!))
            let band = cumulativeAges.firstIndex { ageRoll < $0 } ?? 0
            let headAge = 22 + band * 5 + Int(generator.next() % 5) - (band == 0 ? 0 : 2)
            let headMale = generator.next() % 100 < 76
            let urban = place.areaType != .rural
            let hukou: HukouType = generator.next() % 100 < (urban ? 60 : 12) ? .nonAgricultural : .agricultural
            let number = numberInPlace[place.code, default: 0] + 1
            numberInPlace[place.code] = number
            let address = place.name + String(number) + "号"
            let headSurname = generator.surname()
            var members: [(NewPerson, HouseholdRelation)] = []
            func add(age: Int, male: Bool, surname: Character, relation: HouseholdRelation) {
                guard members.count < size else { return }
                members.append((generator.person(age: max(0, age), male: male, surname: surname, place: place, hukou: hukou, address: address), relation))
            }
            add(age: headAge, male: headMale, surname: headSurname, relation: .head)
            let spouseSurname = generator.surname()
            if size >= 2 && !(headAge < 30 && generator.next() % 100 < 40) {
                let gap = Int(generator.next() % 6)
                add(age: headMale ? headAge - gap + 1 : headAge + gap - 1, male: !headMale, surname: spouseSurname, relation: .spouse)
            }
            if size >= 5 && headAge <= 60 && generator.next() % 100 < 70 {
                add(age: headAge + 24 + Int(generator.next() % 8), male: generator.next() % 2 == 0, surname: headSurname, relation: .parent)
            }
            let familySurname = headMale ? headSurname : spouseSurname
            var childAge = headAge - 23 - Int(generator.next() % 8)
            while members.count < size {
                if childAge < 0 {
                    add(age: Int(generator.next() % UInt64(max(1, headAge - 18))), male: generator.next() % 2 == 0, surname: headSurname, relation: .sibling)
                } else {
                    add(age: childAge, male: generator.next() % 100 < 52, surname: familySurname, relation: .child)
                }
                childAge -= 2 + Int(generator.next() % 5)
            }
            households.append(GeneratedHousehold(registerNumber: place.code.value + "-" + String(number), region: place.code, address: address, members: members))
            count += members.count
        }
        random = generator.random
        return households
    }

    /// Makes persons with unique, valid IDs.
    struct PersonGenerator {
        var random: DeterministicRandom
        var seen: Set<String> = []
        var made = 0

        mutating func next() -> UInt64 { random.next() }

        mutating func surname() -> Character { DemoDistrict.surnames[Int(next() % UInt64(DemoDistrict.surnames.count))] }

        mutating func person(age: Int, male: Bool, surname: Character, place: Region, hukou: HukouType, address: String) -> NewPerson {
            made += 1
            let ageInDays = age * 365 + Int(next() % 365)
            let birth = LocalDate(daysSinceEpoch: DemoDistrict.referenceDate.daysSinceEpoch - min(ageInDays, 105 * 365))
            let origin = next() % 100
            let area: String
            if origin < 2 {
                area = DemoDistrict.migrantAreaCodes[Int(next() % UInt64(DemoDistrict.migrantAreaCodes.count))]
            } else if birth.year < 1995 && origin < 70 {
                area = "331003"  // issued when the area still belonged to Huangyan, before November 1994
            } else {
                area = "331004"
            }
            var id: ResidentID
            repeat {
                id = ResidentID(areaCode: area, birthDate: birth, sequence: Int(next() % 500) * 2 + (male ? 1 : 0))
            } while !seen.insert(id.value).inserted
            let name: String
            if made % 9973 == 17 {
                name = DemoDistrict.unusualNames[(made / 9973) % DemoDistrict.unusualNames.count]
            } else {
                let given = (0..<(next() % 10 < 7 ? 2 : 1)).map { _ in DemoDistrict.givenCharacters[Int(next() % UInt64(DemoDistrict.givenCharacters.count))] }
                name = String(surname) + String(given)
            }
            let adult = age >= 16
            let phone = adult ? "1" + String(3 + next() % 7) + String(100_000_000 + next() % 900_000_000) : nil
            var bankName: String?
            var bankAccount: String?
            if adult && next() % 100 < 45 {
                bankName = DemoDistrict.banks[Int(next() % UInt64(DemoDistrict.banks.count))]
                bankAccount = "6228" + String(100_000_000_000_000 + next() % 900_000_000_000_000)
            }
            var disability: Disability?
            if next() % 1000 < 22 {
                disability = Disability(category: DisabilityCategory.allCases[Int(next() % 7)], grade: 1 + Int(next() % 4))
            }
            return NewPerson(residentID: id, details: PersonDetails(
                name: name, hukouType: hukou, region: place.code, address: address, phone: phone, bankName: bankName,
                bankAccount: bankAccount, disability: disability))
        }
    }

    // MARK: - Employers

    struct GeneratedEmployer: Sendable {
        var code: CreditCode
        var details: EmployerDetails
        /// Staff to assign (the register's staff count equals it).
        var staff: Int
    }

    /// Units per ownership type at scale 1, and their total staff. Enterprises add up to the seed's
    /// 2,045 in pension insurance, 1,827 of them non-public, with 37,268 employees (24,861 non-public).
    static let unitPlan: [(type: OwnershipType, units: Int, staff: Int)] = [
        (.state, 90, 7_407), (.collective, 128, 5_000),
        (.privateEnterprise, 1_420, 16_861), (.shareholdingCooperative, 340, 6_000), (.foreignInvested, 67, 2_000),
        (.governmentOrgan, 45, 1_350), (.publicInstitution, 110, 4_400), (.socialOrganisation, 12, 60),
        (.privateNonEnterprise, 25, 200), (.individualBusiness, 150, 450),
    ]

    static let industryWeights: [(Industry, Int)] = [(.C, 55), (.F, 8), (.G, 12), (.H, 5), (.I, 3), (.K, 2), (.L, 3), (.M, 2), (.N, 3), (.E, 2), (.A, 3), (.D, 2)]

    static func employers(scale: Double, places: [Region], random: inout DeterministicRandom) -> [GeneratedEmployer] {
        var units: [GeneratedEmployer] = []
        var usedCodes: Set<String> = []
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY").filter { !"IOSVZ".contains($0) }
        for plan in unitPlan {
            let count = max(scale >= 0.001 ? 1 : 0, Int((Double(plan.units) * scale).rounded()))
            guard count > 0 else { continue }
            // Sizes: a long tail (a few large units, many small ones), scaled to the plan's staff total.
            let weights = (0..<count).map { _ in 1.0 / pow(Double(1 + random.next() % 1000) / 1000.0, 0.85) }
            let staffTotal = max(count, Int((Double(plan.staff) * scale).rounded()))
            let sum = weights.reduce(0, +)
            var sizes = weights.map { max(1, Int((Double(staffTotal) * $0 / sum).rounded())) }
            // Put the rounding difference on the largest unit, so totals match the plan exactly.
            if let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) {
                sizes[largest] = max(1, sizes[largest] + staffTotal - sizes.reduce(0, +))
            }
            for size in sizes {
                let place = places[Int(random.next() % UInt64(places.count))]
                let industry = plan.type.isEnterprise ? pickIndustry(&random) : (plan.type == .individualBusiness ? .G : .S)
                var code: CreditCode
                repeat {
                    let organisation = (0..<8).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                    let check = CreditCode.organisationCheckCharacter(for: organisation) ?? "0"
                    code = CreditCode(body: authority(plan.type) + "331004" + String(organisation) + String(check))
                } while !usedCodes.insert(code.value).inserted
                let contact = String(surnames[Int(random.next() % UInt64(surnames.count))]) + String(givenCharacters[Int(random.next() % UInt64(givenCharacters.count))])
                units.append(GeneratedEmployer(code: code, details: EmployerDetails(
                    name: unitName(plan.type, industry: industry, place: place, index: units.count, random: &random),
                    ownershipType: plan.type, industry: industry, riskClass: industry.typicalRiskClass, region: place.code, staffCount: size,
                    contactName: contact, contactPhone: "0576" + String(8_200_0000 + random.next() % 9_999_999),
                    address: place.name + String(1 + random.next() % 200) + "号", status: .active, schemes: []), staff: size))
            }
        }
        assignSchemes(&units, scale: scale)
        return units
    }

    /// Scheme registration in the seed's counts (PROGRAMS.md §6): every enterprise in pension; 556
    /// units in medical insurance, 185 enterprises in work injury, 140 units in maternity; for
    /// unemployment, which the seed does not count, all public and half the non-public enterprises
    /// (an assumption, stated here and in ARCHITECTURE.md).
    static func assignSchemes(_ units: inout [GeneratedEmployer], scale: Double) {
        func quota(_ value: Int) -> Int { Int((Double(value) * scale).rounded()) }
        let byStaff = units.indices.sorted { units[$0].staff > units[$1].staff }
        let enterprises = byStaff.filter { units[$0].details.ownershipType.isEnterprise }
        let publicSector = byStaff.filter { [.governmentOrgan, .publicInstitution].contains(units[$0].details.ownershipType) }
        for index in enterprises { units[index].details.schemes.insert(.pension) }
        for index in publicSector + enterprises.prefix(max(0, quota(556) - publicSector.count)) { units[index].details.schemes.insert(.medical) }
        let risky = enterprises.sorted { (units[$0].details.riskClass, units[$0].staff) > (units[$1].details.riskClass, units[$1].staff) }
        for index in risky.prefix(quota(185)) { units[index].details.schemes.insert(.workInjury) }
        for index in (publicSector + enterprises).prefix(quota(140)) { units[index].details.schemes.insert(.maternity) }
        var nonPublicSeen = 0
        for index in enterprises {
            if units[index].details.ownershipType.isNonPublic {
                nonPublicSeen += 1
                if nonPublicSeen % 2 == 0 { continue }
            }
            units[index].details.schemes.insert(.unemployment)
        }
    }

    static func pickIndustry(_ random: inout DeterministicRandom) -> Industry {
        let total = industryWeights.reduce(0) { $0 + $1.1 }
        var roll = Int(random.next() % UInt64(total))
        for (industry, weight) in industryWeights {
            if roll < weight { return industry }
            roll -= weight
        }
        return .C
    }

    static func authority(_ type: OwnershipType) -> String {
        switch type {
        case .governmentOrgan: "11"
        case .publicInstitution: "12"
        case .socialOrganisation: "51"
        case .privateNonEnterprise: "52"
        case .individualBusiness: "92"
        default: "91"
        }
    }

    static let tradeWords = ["机电", "汽摩配件", "塑料制品", "模具", "五金", "电器", "鞋业", "服饰", "食品", "建设", "物流", "商贸", "包装", "水泵", "阀门", "眼镜"]
    static let brandWords = Array("永兴宏达华盛金鑫恒泰新欣瑞丰隆源鼎利通安康")

    static func unitName(_ type: OwnershipType, industry: Industry, place: Region, index: Int, random: inout DeterministicRandom) -> String {
        let brand = String(brandWords[Int(random.next() % UInt64(brandWords.count))]) + String(brandWords[Int(random.next() % UInt64(brandWords.count))])
        let trade = tradeWords[Int(random.next() % UInt64(tradeWords.count))]
        let place = String(place.name.dropLast(place.name.hasSuffix("社区") ? 2 : 1))
        switch type {
        case .state: return "台州市路桥\(brand)\(trade)公司"
        case .collective: return "路桥区\(place)\(trade)厂"
        case .privateEnterprise: return "台州市\(brand)\(trade)有限公司"
        case .shareholdingCooperative: return "路桥\(brand)\(trade)股份合作公司"
        case .foreignInvested: return "\(brand)\(trade)（台州）有限公司"
        case .governmentOrgan: return "台州市路桥区" + ["发展和改革局", "财政局", "民政局", "人力资源和社会保障局", "自然资源和规划分局", "教育局", "卫生健康局"][index % 7] + (index >= 7 ? "\(place)分局" : "")
        case .publicInstitution: return "路桥区\(place)" + ["中心小学", "初级中学", "卫生院", "文化站", "农业技术服务中心"][index % 5]
        case .socialOrganisation: return "路桥区\(trade)行业协会"
        case .privateNonEnterprise: return "路桥区\(place)\(brand)幼儿园"
        case .individualBusiness: return "路桥区\(place)\(brand)\(trade)店"
        }
    }

    /// Working-age persons (18 to the old retirement ages) join units until each has its staff.
    static func employments(employers: [GeneratedEmployer], employerIDs: [Int64], people: [(person: NewPerson, relation: HouseholdRelation)],
                            personIDs: [Int64], random: inout DeterministicRandom) -> [(personID: Int64, employerID: Int64, start: LocalDate)] {
        var candidates = people.indices.filter { index in
            let id = people[index].person.residentID
            let age = id.birthDate.age(on: referenceDate)
            return age >= 18 && age < (id.sex == .male ? 60 : 50)
        }
        for index in candidates.indices.reversed() {
            candidates.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        var jobs: [(personID: Int64, employerID: Int64, start: LocalDate)] = []
        var next = 0
        for (unit, employerID) in zip(employers, employerIDs) {
            for _ in 0..<unit.staff where next < candidates.count {
                let person = people[candidates[next]].person
                let adult = person.residentID.birthDate.daysSinceEpoch + 18 * 365
                let earliest = max(adult, referenceDate.daysSinceEpoch - 20 * 365)
                let start = LocalDate(daysSinceEpoch: earliest + Int(random.next() % UInt64(max(1, referenceDate.daysSinceEpoch - earliest))))
                jobs.append((personIDs[candidates[next]], employerID, start))
                next += 1
            }
        }
        return jobs
    }
}

public enum DemoError: Error, CustomStringConvertible {
    case notEmpty

    public var description: String {
        "the database already has users; the demo district is only created in an empty database"
    }
}
