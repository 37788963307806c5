import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Regions, persons and the demo district")
struct RegistryStoreTests {
    @Test(arguments: TestDatabaseKind.available)
    func bundledRegionsLoadOnce(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let store = RegionStore()
            let regions = try RegionStore.bundledRegions()
            #expect(regions.count == 147)
            #expect(try await database.write { db in try await store.insertMissing(regions, on: db) } == 147)
            #expect(try await database.write { db in try await store.insertMissing(regions, on: db) } == 0)
            let all = try await database.read { db in try await store.all(on: db) }
            let district = all.filter { $0.parent == RegionCode(trusted: "331004000000") }
            #expect(district.count == 12)
            #expect(district.first?.name == "路南街道")
            #expect(district.first?.areaType == .street)
            #expect(all.first { $0.code == RegionCode(trusted: "331004103000") }?.areaType == .town)
        }
    }

    /// A person search within a scope never returns anyone outside it.
    @Test(arguments: TestDatabaseKind.available)
    func personsAreReadOnlyWithinScope(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let town = RegionCode(trusted: "331004103000")
            let page = try await registeredPersons(database, in: town, perPage: 200)
            #expect(page.total > 0)
            #expect(page.items.allSatisfy { $0.region.value.hasPrefix("331004103") })
            #expect(try await registeredPersons(database, in: RegionCode(trusted: "331004000000"), perPage: 200).total == 410)
            let outsider = try #require(try await registeredPersons(database, in: RegionCode(trusted: "331004001000"), perPage: 1).items.first)
            let found = try await database.read { db in try await PersonStore().find(residentID: outsider.residentID, in: town, on: db) }
            #expect(found == nil)
        }
    }

    /// Keyset pages (exports) give exactly the rows of the offset pages (the search), in the same
    /// order, across the prefix and one-wrong-character parts of a name search, in any scope.
    @Test(arguments: TestDatabaseKind.available)
    func keysetPagesWalkTheSearchInItsOrder(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let someone = try #require(try await registeredPersons(database, perPage: 1).items.first)
            var wrong = Array(someone.name)
            wrong[wrong.count - 1] = wrong.last == "明" ? "亮" : "明"
            let queries = [PersonQuery(), PersonQuery(name: String(someone.name.prefix(1))), PersonQuery(name: String(wrong)),
                           PersonQuery(status: .living)]
            let store = PersonStore()
            for scope in [RegionCode(trusted: "331004000000"), RegionCode(trusted: "331004103000")] {
                for query in queries {
                    var searched: [Person] = []
                    var total = 0
                    for number in 1... {
                        let page = try await database.read { db in try await store.search(query, in: scope, paging: Paging(page: number, perPage: 50), on: db) }
                        searched += page.items
                        total = page.total
                        if !page.hasNext { break }
                    }
                    var walked: [Person] = []
                    var cursor: PersonCursor?
                    repeat {
                        let after = cursor
                        let (page, next) = try await database.read { db in try await store.page(query, in: scope, after: after, limit: 7, on: db) }
                        #expect(page.count <= 7)
                        walked += page
                        cursor = next
                    } while cursor != nil
                    #expect(walked.map(\.id) == searched.map(\.id) && walked.count == total, "\(query) in \(scope.value)")
                    #expect(try await database.read { db in try await store.count(query, in: scope, on: db) } == total)
                }
            }
            let employers = try await database.read { db in try await EmployerStore().search(EmployerQuery(), in: .nation, paging: Paging(perPage: 200), on: db) }
            var units: [Employer] = []
            var last: Int64?
            repeat {
                let after = last
                let page = try await database.read { db in try await EmployerStore().page(EmployerQuery(), in: .nation, after: after, limit: 3, on: db) }
                units += page
                last = page.last?.id
            } while last != nil
            #expect(units.map(\.id) == employers.items.map(\.id) && !units.isEmpty)
            #expect(units.map(\.details.schemes) == employers.items.map(\.details.schemes))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aDuplicateResidentIDRejectsTheWholeBatch(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            _ = try await database.write { db in try await RegionStore().insertMissing(try RegionStore.bundledRegions(), on: db) }
            let persons = PersonStore()
            let id = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1980, month: 5, day: 1)!, sequence: 11)
            let region = RegionCode(trusted: "331004103000")
            let now = SystemClock().now()
            try await database.write { db in
                _ = try await persons.insert([NewPerson(residentID: id, name: "陈一", hukouType: .agricultural, region: region)], by: .system("test"), reason: "test",
                                             at: now, on: db)
            }
            let other = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1981, month: 5, day: 1)!, sequence: 12)
            await #expect(throws: (any Error).self) {
                try await database.write { db in
                    _ = try await persons.insert([
                        NewPerson(residentID: other, name: "陈二", hukouType: .agricultural, region: region),
                        NewPerson(residentID: id, name: "陈三", hukouType: .agricultural, region: region),
                    ], by: .system("test"), reason: "test", at: now, on: db)
                }
            }
            #expect(try await registeredCount(database, in: .nation) == 1, "the batch is one transaction: nothing of it stays")
        }
    }

    /// What one database stores, the other reads back the same: the same rows written through the
    /// same code to SQLite and PostgreSQL, compared field by field.
    @Test func sqliteAndPostgresReadBackIdentically() async throws {
        let kinds = TestDatabaseKind.available
        var results: [[Person]] = []
        for kind in kinds {
            results.append(try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
                let region = RegionCode(trusted: "331004001000")
                let people = [
                    NewPerson(residentID: ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1949, month: 12, day: 31)!, sequence: 2),
                              name: "阿依古丽·买买提", hukouType: .nonAgricultural, region: region, address: "路南街道 1 号", phone: "13800000000"),
                    NewPerson(residentID: ResidentID(areaCode: "332603", birthDate: LocalDate(year: 2024, month: 2, day: 29)!, sequence: 999),
                              name: "𠮷祥", hukouType: .agricultural, region: region, residenceRegion: RegionCode(trusted: "331004103000")),
                    NewPerson(residentID: ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1900, month: 1, day: 1)!, sequence: 1),
                              name: "O'Brien; DROP TABLE persons;--", hukouType: .agricultural, region: region, address: "=1+1"),
                ]
                let now = SystemClock().now()
                try await database.write { db in
                    try await RegionStore().insertMissing(try RegionStore.bundledRegions(), on: db)
                    _ = try await PersonStore().insert(people, by: .system("test"), reason: "test", at: now, on: db)
                }
                return try await registeredPersons(database, perPage: 10).items
            })
        }
        #expect(results[0].count == 3)
        #expect(results[0][0].name == "阿依古丽·买买提")
        #expect(results[0][1].name == "𠮷祥")
        #expect(results[0][1].birthDate == LocalDate(year: 2024, month: 2, day: 29))
        if results.count == 2 { #expect(results[0] == results[1]) }
    }

    @Test func theDemoIsDeterministicAndShapedLikeTheDistrict() async throws {
        var first = DeterministicRandom(seed: 331_004)
        var second = DeterministicRandom(seed: 331_004)
        let places = DemoDistrict.communitiesAndVillages(random: &first)
        #expect(places == DemoDistrict.communitiesAndVillages(random: &second))
        #expect(places.count == 6 * 24 + 4 * 33)
        let householdsA = DemoDistrict.households(persons: 3000, places: places, random: &first)
        let householdsB = DemoDistrict.households(persons: 3000, places: places, random: &second)
        let a = householdsA.flatMap { $0.members.map(\.person) }
        let b = householdsB.flatMap { $0.members.map(\.person) }
        #expect(a.map(\.residentID) == b.map(\.residentID))
        #expect(a.count == 3000)
        #expect(Set(a.map(\.residentID.value)).count == 3000)
        // Every household has exactly one head, and its members live where it is registered.
        for household in householdsA {
            #expect(household.members.filter { $0.relation == .head }.count == 1)
            #expect(household.members.allSatisfy { $0.person.region == household.region })
        }
        let size = Double(a.count) / Double(householdsA.count)
        #expect((2.5...3.3).contains(size), "mean household size \(size)")
        let today = DemoDistrict.referenceDate
        for person in a { #expect((try? ResidentID(person.residentID.value, today: today)) == person.residentID) }
        let elderly = a.filter { $0.residentID.birthDate.age(on: today) >= 60 }.count
        let children = a.filter { $0.residentID.birthDate.age(on: today) < 15 }.count
        #expect((450...1050).contains(elderly), "\(elderly) aged 60 and over")
        #expect((240...750).contains(children), "\(children) under 15")
        let men = a.filter { $0.residentID.sex == .male }.count
        #expect((1350...1650).contains(men))
    }

    @Test func demoEmployersFollowTheSeedsProportions() {
        var random = DeterministicRandom(seed: 7)
        let places = DemoDistrict.communitiesAndVillages(random: &random)
        let employers = DemoDistrict.employers(scale: 1, places: places, random: &random)
        let enterprises = employers.filter { $0.details.ownershipType.isEnterprise }
        #expect(enterprises.filter { $0.details.schemes.contains(.pension) }.count == 2045)
        #expect(enterprises.filter { $0.details.ownershipType.isNonPublic }.count == 1827)
        #expect(employers.filter { $0.details.schemes.contains(.medical) }.count == 556)
        #expect(employers.filter { $0.details.schemes.contains(.workInjury) }.count == 185)
        #expect(employers.filter { $0.details.schemes.contains(.maternity) }.count == 140)
        #expect(enterprises.reduce(0) { $0 + $1.staff } == 37_268)
        #expect(enterprises.filter { $0.details.ownershipType.isNonPublic }.reduce(0) { $0 + $1.staff } == 24_861)
        #expect(Set(employers.map(\.code.value)).count == employers.count)
        for employer in employers.prefix(200) { #expect((try? CreditCode(employer.code.value)) != nil) }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theDemoRefusesADatabaseWithUsersAndRecordsItsInstallation(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            await #expect(throws: DemoError.self) { try await buildTestDistrict(database) }
            #expect(try await UserStore(database: database).list().count == DemoDistrict.accounts.count)
            let installation = try #require(try await database.read { db in try await InstallationStore().current(on: db) })
            #expect(installation.region == DemoDistrict.district)
            #expect(installation.name == "路桥区")
            #expect(installation.townships.count == 12)
            #expect(installation.townships.first { $0.code.value == "331004103000" }?.areaType == .town)
        }
    }
}
