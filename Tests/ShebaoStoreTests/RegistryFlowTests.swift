import Foundation
import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

/// Persons, households, employers and merges through the stores, on both databases.
@Suite("Registry flows")
struct RegistryFlowTests {
    static let district = Principal(userID: 2, username: "district", displayName: "d", role: .districtClerk, scope: RegionCode(trusted: "331004000000"))
    static let xinqiao = Principal(userID: 3, username: "xinqiao", displayName: "x", role: .townClerk, scope: RegionCode(trusted: "331004103000"))

    /// The demo's users have ids 1… in account order; principals built from them.
    static func principal(_ database: ShebaoDatabase, _ username: String) async throws -> Principal {
        try #require(try await UserStore(database: database).find(username: username)).principal
    }

    @Test(arguments: TestDatabaseKind.available)
    func changesAreVersionsWithWhoWhenAndWhy(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try await Self.principal(database, "xinqiao")
            let store = PersonStore(database: database)
            let person = try #require(try await store.list(in: clerk.scope, perPage: 1).items.first)
            var details = person.details
            details.address = "新桥镇新地址 8 号"
            let updated = try #require(try await store.update(id: person.id, to: details, expectedVersion: person.version, reason: "住址更正", by: clerk))
            #expect(updated.version == person.version + 1)
            #expect(updated.address == "新桥镇新地址 8 号")
            // A second save from the same old form is refused, not silently merged.
            await #expect(throws: PersonStoreError.versionConflict(current: updated.version)) {
                _ = try await store.update(id: person.id, to: details, expectedVersion: person.version, reason: "again", by: clerk)
            }
            let history = try await store.history(of: person.id)
            #expect(history.count == 2)
            #expect(history[0].reason == "住址更正")
            #expect(history[0].changedBy == "xinqiao")
            #expect(history[0].person.address == "新桥镇新地址 8 号")
            #expect(history[1].person.address == person.address)
            // The snapshot built in SQL decodes to exactly the record.
            #expect(history[0].person == updated)
            // Another town's clerk cannot change it, and cannot tell that it exists.
            let lunan = try await Self.principal(database, "lunan")
            #expect(try await store.update(id: person.id, to: details, expectedVersion: updated.version, reason: "x", by: lunan) == nil)
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func searchFindsByIDNamePrefixOneWrongCharacterAndDate(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await RegionStore(database: database).insertMissing(try RegionStore.bundledRegions())
            let region = RegionCode(trusted: "331004103000")
            let other = RegionCode(trusted: "331004104000")
            let names = ["张小明", "张小明", "张晓明", "张小红", "张小", "李小明", "欧阳小明", "张小明明"]
            var people: [NewPerson] = []
            for (index, name) in names.enumerated() {
                let id = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1980 + index, month: 3, day: 9)!, sequence: 100 + index)
                people.append(NewPerson(residentID: id, name: name, hukouType: .agricultural, region: index == 1 ? other : region))
            }
            let store = PersonStore(database: database)
            try await store.insert(people, by: .system("test"))
            let town = Self.xinqiao.scope

            let exact = try await store.search(PersonQuery(residentID: people[0].residentID), in: town)
            #expect(exact.items.map(\.name) == ["张小明"])
            // Prefix matches first (in name order), then names one character away; never outside scope.
            let byName = try await store.search(PersonQuery(name: "张小明"), in: town)
            #expect(byName.items.map(\.name) == ["张小明", "张小明明", "张小红", "张晓明", "李小明"])
            #expect(byName.total == 5)
            let prefix = try await store.search(PersonQuery(name: "张小"), in: town)
            #expect(Set(prefix.items.map(\.name)) == ["张小", "张小明", "张小红", "张小明明"])
            let typo = try await store.search(PersonQuery(name: "章小明"), in: town)
            #expect(typo.items.map(\.name) == ["张小明", "李小明"])
            let byDate = try await store.search(PersonQuery(birthDate: LocalDate(year: 1982, month: 3, day: 9)), in: town)
            #expect(byDate.items.map(\.name) == ["张晓明"])
            // Paging across the prefix and the one-wrong-character parts.
            let page2 = try await store.search(PersonQuery(name: "张小明"), in: town, page: 2, perPage: 3)
            #expect(page2.items.map(\.name) == ["张晓明", "李小明"])
            // A region outside the scope matches nothing.
            #expect(try await store.search(PersonQuery(region: other), in: town).total == 0)
            #expect(try await store.search(PersonQuery(name: "张小明"), in: RegionCode(trusted: "331004000000")).total == 6)
            // Two characters apart is not a match.
            #expect(try await store.search(PersonQuery(name: "章晓明"), in: town).items.map(\.name) == ["张晓明"])
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aTownClerksSearchesStayInTheirTown(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let store = PersonStore(database: database)
            let everyone = try await store.all(PersonQuery(), in: RegionCode(trusted: "331004000000"), limit: 10_000)
            #expect(everyone.count == 410)
            let surnames = Set(everyone.map { String($0.name.prefix(1)) })
            for surname in surnames {
                for query in [PersonQuery(name: surname), PersonQuery(name: surname + "小"), PersonQuery(region: RegionCode(trusted: "331004104000"))] {
                    let found = try await store.all(query, in: Self.xinqiao.scope, limit: 1000)
                    #expect(found.allSatisfy { $0.region.value.hasPrefix("331004103") })
                }
            }
            for person in everyone.prefix(60) {
                let found = try await store.search(PersonQuery(residentID: person.residentID), in: Self.xinqiao.scope)
                #expect(found.total == (person.region.value.hasPrefix("331004103") ? 1 : 0))
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsChangeHeadAndMembersMoveWithTheirRegistration(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try await Self.principal(database, "xinqiao")
            let households = HouseholdStore(database: database)
            let page = try await households.list(in: clerk.scope, perPage: 200)
            let family = try #require(page.items.first { $0.members.count >= 2 })
            let single = try #require(page.items.first { $0.members.count == 1 && $0.id != family.id })
            let head = try #require(family.head)
            let other = try #require(family.members.first { $0.relation != .head })

            let changed = try #require(try await households.changeHead(householdID: family.id, to: other.personID, formerHeadRelation: .spouse,
                                                                       expectedVersion: family.version, reason: "原户主申请", by: clerk))
            #expect(changed.head?.personID == other.personID)
            #expect(changed.members.first { $0.personID == head.personID }?.relation == .spouse)
            #expect(changed.version == family.version + 1)

            // The head of a household with others cannot leave; a single-person household's head can.
            await #expect(throws: HouseholdError.headCannotLeave) {
                _ = try await households.moveIn(personID: other.personID, to: single.id, relation: .other, expectedVersion: single.version, reason: "x", by: clerk)
            }
            let lone = try #require(single.head)
            let joined = try #require(try await households.moveIn(personID: lone.personID, to: family.id, relation: .child,
                                                                  expectedVersion: changed.version, reason: "投靠", by: clerk))
            #expect(joined.members.contains { $0.personID == lone.personID && $0.relation == .child })
            let moved = try #require(try await PersonStore(database: database).find(id: lone.personID))
            #expect(moved.householdID == family.id)
            #expect(moved.region == family.region)
            #expect(try await households.history(of: family.id).count == 3)
            // Another town's clerk sees none of it.
            let lunan = try await Self.principal(database, "lunan")
            #expect(try await households.find(id: family.id, by: lunan) == nil)
            await #expect(throws: HouseholdError.needsExactlyOneHead(count: 0)) {
                _ = try await households.create(registerNumber: "X-1", region: family.region, address: nil, members: [(lone.personID, .child)], reason: "x", by: clerk)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func employersKeepVersionsAndCountAsTheSeedDoes(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try await Self.principal(database, "district")
            let store = EmployerStore(database: database)
            let counts = try await store.counts(in: DemoDistrict.district)
            // At 0.001 each ownership type keeps one unit: 5 enterprise types, 3 of them non-public.
            #expect(counts.enterprisesInPension == 5)
            #expect(counts.nonPublicEnterprisesInPension == 3)
            let employer = try #require(try await store.search(EmployerQuery(), in: clerk.scope, perPage: 1).items.first)
            var details = employer.details
            details.contactPhone = "057682345678"
            details.schemes.insert(.maternity)
            let updated = try #require(try await store.update(id: employer.id, to: details, expectedVersion: employer.version, reason: "联系人变更", by: clerk))
            #expect(updated.details.schemes.contains(.maternity))
            let history = try await store.history(of: employer.id)
            #expect(history.map(\.version) == [2, 1])
            #expect(history[0].record.details.contactPhone == "057682345678")
            await #expect(throws: EmployerStoreError.duplicateCreditCode) {
                try await store.insert([(employer.creditCode, details)], by: .system("test"))
            }
            #expect(try await store.search(EmployerQuery(text: employer.creditCode.value), in: clerk.scope).items.first?.id == employer.id)
            #expect(try await store.search(EmployerQuery(text: String(employer.name.prefix(3))), in: clerk.scope).total >= 1)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func mergesNeedADifferentReviewerAndKeepBothHistories(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let clerk = try await Self.principal(database, "xinqiao")
            let reviewer = try await Self.principal(database, "reviewer")
            let persons = PersonStore(database: database)
            let original = try #require(try await persons.list(in: clerk.scope, perPage: 1).items.first)
            // A legacy record of the same person under another number.
            let legacy = ResidentID(areaCode: "332603", birthDate: original.birthDate, sequence: original.sex == .male ? 11 : 12)
            let ids = try await persons.insert([NewPerson(residentID: legacy, name: original.name, hukouType: original.hukouType, region: original.region)],
                                               by: AuditActor(clerk))
            let candidates = try await MergeStore(database: database).candidates(in: clerk.scope)
            #expect(candidates.contains { Set([$0.first.id, $0.second.id]) == Set([original.id, ids[0]]) })

            let merges = MergeStore(database: database)
            let request = try #require(try await merges.request(keep: original.id, merge: ids[0], reason: "旧身份证号档案", by: clerk))
            #expect(request.status == .pending)
            await #expect(throws: MergeError.alreadyRequested) { _ = try await merges.request(keep: original.id, merge: ids[0], reason: "again", by: clerk) }
            // A clerk may not decide; a reviewer may, but never their own request.
            #expect(try await merges.decide(id: request.id, approve: true, note: nil, by: clerk) == nil)
            let decided = try #require(try await merges.decide(id: request.id, approve: true, note: "核实无误", by: reviewer))
            #expect(decided.status == .approved)
            await #expect(throws: MergeError.notPending) { _ = try await merges.decide(id: request.id, approve: false, note: nil, by: reviewer) }

            #expect(try await persons.search(PersonQuery(residentID: legacy), in: clerk.scope).total == 0)
            #expect(try await persons.find(id: ids[0])?.mergedInto == original.id)
            let history = try await persons.history(of: original.id)
            #expect(history.contains { $0.person.id == ids[0] })
            #expect(history.contains { $0.person.id == original.id && $0.reason.contains("旧身份证号档案") })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aMergeRequesterCannotApproveTheirOwn(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await buildTestDistrict(database)
            let reviewer = try await Self.principal(database, "reviewer")
            // A reviewer who could also ask (a stand-in with both roles' rights is not possible: roles are single);
            // so the requester is the district clerk and the same user id decides.
            let clerk = try await Self.principal(database, "district")
            let two = try await PersonStore(database: database).list(in: clerk.scope, perPage: 2).items
            let request = try #require(try await MergeStore(database: database).request(keep: two[0].id, merge: two[1].id, reason: "x", by: clerk))
            var sameUser = reviewer
            sameUser.userID = clerk.userID
            await #expect(throws: MergeError.ownRequest) { _ = try await MergeStore(database: database).decide(id: request.id, approve: true, note: nil, by: sameUser) }
        }
    }
}
