import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Persons, households, employers and merges through the registry service, on both databases:
/// each use case with its access decision, its transaction, its audit row and its typed error.
@Suite("Registry service")
struct RegistryServiceTests {
    /// An export holds every row in scope, the same in CSV and XLSX, with one audit row counting
    /// them; a reader that goes away ends it without harm.
    @Test(arguments: TestDatabaseKind.available)
    func exportsHoldTheWholeListInScope(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let expected = try await registeredCount(operations.database, in: clerk.scope)
            let csv = try await operations.registry.exportPersons(PersonSearchText(), format: .csv, language: .zhHans, by: clerk)
            let audit = try #require(try await latestAudit(operations.database).first)
            #expect(audit.action == "export" && audit.entityID == "rows:\(expected)" && csv.rows == expected)
            let csvRows = try CSV.read(try await csv.data()).rows.dropFirst().map { $0.cells.map(\.text) }
            let xlsx = try await operations.registry.exportPersons(PersonSearchText(), format: .xlsx, language: .zhHans, by: clerk)
            let xlsxRows = try XLSX.read(try await xlsx.data()).rows.dropFirst().map { $0.cells.map(\.text) }
            #expect(csvRows.count == expected && csvRows == xlsxRows)
            #expect(csvRows.allSatisfy { $0[3].hasPrefix("331004103") })
            #expect(Set(csvRows.map { $0[0] }).count == expected)

            struct Gone: Error {}
            let units = try await operations.registry.exportEmployers(EmployerSearchText(), format: .csv, language: .zhHans, by: clerk)
            await #expect(throws: ServiceError.self) { try await units.write { _ in throw Gone() } }
            #expect(try CSV.read(try await units.data()).rows.count == units.rows + 1)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func changesAreVersionsWithWhoWhenAndWhy(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "xinqiao")
            let person = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            let change = PersonDetails.Input(address: "新桥镇新地址 8 号")
            let updated = try await registry.updatePerson(person.id, change, expectedVersion: person.version, reason: "住址更正", by: clerk)
            #expect(updated.version == person.version + 1)
            #expect(updated.address == "新桥镇新地址 8 号")
            #expect(updated.name == person.name, "what the change leaves out keeps its value")
            // A second save from the same old form is refused, not silently merged.
            await #expect(throws: ServiceError.versionConflict(current: updated.version)) {
                _ = try await registry.updatePerson(person.id, change, expectedVersion: person.version, reason: "again", by: clerk)
            }
            await #expect(throws: ServiceError.invalid("reason", "field.required")) {
                _ = try await registry.updatePerson(person.id, change, expectedVersion: updated.version, reason: " ", by: clerk)
            }
            let history = try await registry.personHistory(person.id, by: clerk)
            #expect(history.count == 2)
            #expect(history[0].reason == "住址更正")
            #expect(history[0].changedBy == clerk.displayName, "who changed it, by the name the office knows them by")
            #expect(history[0].record.address == "新桥镇新地址 8 号")
            #expect(history[1].record.address == person.address)
            // The snapshot built in SQL decodes to exactly the record.
            #expect(history[0].record == updated)
            // Another town's clerk cannot change it, and cannot tell that it exists.
            let lunan = try await operations.access.principal(named: "lunan")
            await #expect(throws: ServiceError.notFound) {
                _ = try await registry.updatePerson(person.id, change, expectedVersion: updated.version, reason: "x", by: lunan)
            }
            await #expect(throws: ServiceError.notFound) { _ = try await registry.person(person.id, by: lunan) }
            // A role that may not write at all is told so.
            let leader = try await operations.access.principal(named: "leader")
            await #expect(throws: ServiceError.forbidden) {
                _ = try await registry.updatePerson(person.id, change, expectedVersion: updated.version, reason: "x", by: leader)
            }
            #expect(try await AuditLog.verify(operations.database).isIntact)
        }
    }

    /// A search by name or ID is audited once, whichever surface asks; a list of everyone is not.
    @Test(arguments: TestDatabaseKind.available)
    func searchesByNameOrIDAreAudited(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "xinqiao")
            let before = try await latestAudit(operations.database).first?.seq ?? 0
            _ = try await operations.registry.searchPersons(PersonSearchText(), by: clerk)
            #expect(try await latestAudit(operations.database).first?.seq == before, "a plain list writes no audit row")
            let someone = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            _ = try await operations.registry.searchPersons(PersonSearchText(q: someone.name), by: clerk)
            let row = try #require(try await latestAudit(operations.database).first)
            #expect(row.seq == before + 1)
            #expect(row.action == "search")
            #expect(row.entity == "person")
            #expect(row.actor == "xinqiao")
            let refused = await #expect(throws: ServiceError.self) {
                _ = try await operations.registry.searchPersons(PersonSearchText(q: "331004197506154410"), by: clerk)
            }
            #expect(refused?.fieldIssues.map(\.code) == ["resident_id.check"])
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsChangeHeadAndMembersMoveWithTheirRegistration(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "xinqiao")
            let page = try await registry.households(region: nil, paging: Paging(perPage: 200), by: clerk)
            let family = try #require(page.items.first { $0.members.count >= 2 })
            let single = try #require(page.items.first { $0.members.count == 1 && $0.id != family.id })
            let head = try #require(family.head)
            let other = try #require(family.members.first { $0.relation != .head })

            let changed = try await registry.changeHead(family.id, to: other.personID, formerHeadRelation: "spouse", expectedVersion: family.version,
                                                        reason: "原户主申请", by: clerk)
            #expect(changed.head?.personID == other.personID)
            #expect(changed.members.first { $0.personID == head.personID }?.relation == .spouse)
            #expect(changed.version == family.version + 1)

            // The head of a household with others cannot leave; a single-person household's head can.
            let otherPerson = try #require(try await operations.database.read { db in try await PersonStore().find(id: other.personID, on: db) })
            await #expect(throws: ServiceError.refused("household.head_cannot_leave")) {
                _ = try await registry.moveIn(single.id, residentID: otherPerson.residentID.value, relation: "other", expectedVersion: single.version,
                                              reason: "x", by: clerk)
            }
            let lone = try #require(single.head)
            let joined = try await registry.moveIn(family.id, residentID: lone.residentID.value, relation: "child", expectedVersion: changed.version,
                                                   reason: "投靠", by: clerk)
            #expect(joined.members.contains { $0.personID == lone.personID && $0.relation == .child })
            let moved = try #require(try await operations.database.read { db in try await PersonStore().find(id: lone.personID, on: db) })
            #expect(moved.householdID == family.id)
            #expect(moved.region == family.region)
            #expect(try await registry.householdHistory(family.id, by: clerk).count == 3)
            // Another town's clerk sees none of it.
            let lunan = try await operations.access.principal(named: "lunan")
            await #expect(throws: ServiceError.notFound) { _ = try await registry.household(family.id, by: lunan) }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aHouseholdIsRegisteredInOneFormWithItsNewMembersAndANumberOfTheSystems(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "xinqiao")
            let households = try await registry.households(region: nil, paging: Paging(perPage: 200), by: clerk).items
            let village = try #require(households.first).region
            let numbersBefore = households.filter { $0.region == village }.map(\.registerNumber)
            let head = TestResidentIDs.make(born: "19800101", serial: 901)
            let spouse = TestResidentIDs.make(born: "19820202", serial: 902)
            let child = TestResidentIDs.make(born: "20100303", serial: 903)
            var form = HouseholdRegistration(region: village.value, address: "新桥镇 1 号", hukouType: "agricultural", rows: [
                .init(residentID: head, name: "周建国", relation: nil, phone: "13800000001"),
                .init(residentID: spouse, name: nil, relation: "spouse"),
                .init(),
                .init(residentID: head, name: "周小红", relation: "child"),
            ], reason: "立户")
            // Every problem at once, beside its row: the spouse new without a name, the head typed twice.
            let refused = await #expect(throws: ServiceError.self) { _ = try await registry.registerHousehold(form, by: clerk) }
            #expect(refused?.fieldIssues.map(\.field).sorted() == ["members.1.name", "members.3.residentID"])
            #expect(try await operations.database.read { db in try await PersonStore().existingResidentIDs([head, spouse], on: db) }.isEmpty)

            form.rows[1].name = "吴秀英"
            form.rows[3].residentID = child
            let household = try await registry.registerHousehold(form, by: clerk)
            #expect(household.members.map(\.relation) == [.head, .spouse, .child])
            #expect(household.registerNumber == Household.nextRegisterNumber(in: village, taken: numbersBefore))
            let child1 = try #require(household.members.first { $0.relation == .child })
            let person = try await registry.person(child1.personID, by: clerk)
            #expect(person.name == "周小红" && person.birthDate == LocalDate(year: 2010, month: 3, day: 3)! && person.region == village)
            #expect(person.householdID == household.id && person.address == "新桥镇 1 号")

            // Found by number or by the head's name; another registration with the head is refused, naming the household.
            #expect(try await registry.households(region: nil, matching: household.registerNumber, by: clerk).items.map(\.id) == [household.id])
            #expect(try await registry.households(region: nil, matching: "周建", by: clerk).items.map(\.id) == [household.id])
            let again = await #expect(throws: ServiceError.self) {
                _ = try await registry.registerHousehold(HouseholdRegistration(region: village.value, rows: [.init(residentID: head)]), by: clerk)
            }
            #expect(again?.fieldIssues == [FieldIssue("members.0.residentID", "household.member_elsewhere", ["name": "周建国", "number": household.registerNumber])])

            // The child leaves and joins another household by its number; the head cannot leave.
            let other = try #require(households.first { $0.id != household.id && !$0.members.isEmpty })
            let left = try await registry.leaveHousehold(person: child1.personID, expectedVersion: household.version, reason: "分户", by: clerk)
            #expect(left.members.count == 2)
            #expect(try await registry.person(child1.personID, by: clerk).householdID == nil)
            let joined = try await registry.joinHousehold(person: child1.personID, registerNumber: other.registerNumber, relation: "grandchild",
                                                          reason: "投靠", by: clerk)
            #expect(joined.members.contains { $0.personID == child1.personID && $0.relation == .grandchild })
            let headID = try #require(household.head).personID
            await #expect(throws: ServiceError.refused("household.head_cannot_leave")) {
                _ = try await registry.leaveHousehold(person: headID, expectedVersion: left.version, reason: "x", by: clerk)
            }
            // Another town's clerk cannot register in this village.
            let lunan = try await operations.access.principal(named: "lunan")
            let outside = await #expect(throws: ServiceError.self) {
                _ = try await registry.registerHousehold(HouseholdRegistration(region: village.value, hukouType: "agricultural",
                                                                              rows: [.init(residentID: TestResidentIDs.make(born: "19900101", serial: 904), name: "钱多")]), by: lunan)
            }
            #expect(outside?.fieldIssues.map(\.code) == ["region.outside_scope"])
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func householdsRegisteredAtOnceInOneVillageGetTheirOwnNumbers(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "xinqiao")
            let village = try #require(try await registry.households(region: nil, paging: Paging(perPage: 1), by: clerk).items.first).region
            // Four clerks' counters at once: on PostgreSQL the village's row lock orders them, where
            // each would otherwise read the same highest number and all but one fail on its uniqueness.
            let numbers = await withTaskGroup(of: Result<String, ServiceError>.self) { group in
                for serial in 911...914 {
                    group.addTask {
                        let form = HouseholdRegistration(region: village.value, hukouType: "agricultural", rows: [
                            .init(residentID: TestResidentIDs.make(born: "19750505", serial: serial), name: "孙立" + ["一", "二", "三", "四"][serial - 911]),
                        ], reason: "立户")
                        do throws(ServiceError) {
                            return .success(try await registry.registerHousehold(form, by: clerk).registerNumber)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: [Result<String, ServiceError>]()) { $0.append($1) }
            }
            #expect(Set(try numbers.map { try $0.get() }).count == 4)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func employersKeepVersionsAndCountAsTheSeedDoes(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "district")
            let counts = try await operations.database.read { db in try await EmployerStore().counts(in: DemoDistrict.district, on: db) }
            // At 0.001 each ownership type keeps one unit: 5 enterprise types, 3 of them non-public.
            #expect(counts.enterprisesInPension == 5)
            #expect(counts.nonPublicEnterprisesInPension == 3)
            let employer = try #require(try await registry.searchEmployers(EmployerSearchText(), paging: Paging(perPage: 1), by: clerk).items.first)
            let schemes = (employer.details.schemes.map(\.rawValue) + ["maternity"]).joined(separator: ",")
            let updated = try await registry.updateEmployer(employer.id, EmployerDetails.Input(contactPhone: "057682345678", schemes: schemes),
                                                            expectedVersion: employer.version, reason: "联系人变更", by: clerk)
            #expect(updated.details.schemes.contains(.maternity))
            #expect(updated.name == employer.name)
            let history = try await registry.employerHistory(updated, by: clerk)
            #expect(history.map(\.version) == [2, 1])
            #expect(history[0].record.details.contactPhone == "057682345678")
            await #expect(throws: ServiceError.invalid("creditCode", "import.already_registered", ["id": employer.creditCode.value])) {
                _ = try await registry.registerEmployer(creditCode: employer.creditCode.value, EmployerDetails.Input().filling(from: updated), reason: nil, by: clerk)
            }
            #expect(try await registry.searchEmployers(EmployerSearchText(q: employer.creditCode.value), by: clerk).items.first?.id == employer.id)
            #expect(try await registry.searchEmployers(EmployerSearchText(q: String(employer.name.prefix(3))), by: clerk).total >= 1)
            // A filter that means nothing is refused, not silently ignored.
            await #expect(throws: ServiceError.invalid("scheme", "field.not_in_list", ["value": "pets"])) {
                _ = try await registry.searchEmployers(EmployerSearchText(scheme: "pets"), by: clerk)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func mergesNeedADifferentReviewerAndKeepBothHistories(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let original = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            // A legacy record of the same person under another number.
            let legacy = ResidentID(areaCode: "332603", birthDate: original.birthDate, sequence: original.sex == .male ? 11 : 12)
            let twin = try await registry.registerPerson(
                residentID: legacy.value, PersonDetails.Input(name: original.name, hukouType: original.hukouType.rawValue, region: original.region.value),
                reason: nil, by: clerk)
            let candidates = try await registry.duplicateCandidates(by: clerk)
            #expect(candidates.contains { Set([$0.first.id, $0.second.id]) == Set([original.id, twin.id]) })

            let request = try await registry.proposeMerge(keep: original.id, merge: twin.id, reason: "旧身份证号档案", by: clerk)
            #expect(request.status == .proposed)
            await #expect(throws: ServiceError.conflict("merge.already_requested")) {
                _ = try await registry.proposeMerge(keep: original.id, merge: twin.id, reason: "again", by: clerk)
            }
            // A clerk may not decide; a reviewer may, once.
            await #expect(throws: ServiceError.forbidden) { _ = try await registry.decideMerge(request.id, approve: true, note: nil, by: clerk) }
            let decided = try await registry.decideMerge(request.id, approve: true, note: "核实无误", by: reviewer)
            #expect(decided.status == .approved)
            await #expect(throws: ServiceError.conflict("maker_checker.not_pending")) {
                _ = try await registry.decideMerge(request.id, approve: false, note: nil, by: reviewer)
            }

            #expect(try await registry.searchPersons(PersonSearchText(residentID: legacy.value), by: clerk).total == 0)
            #expect(try await operations.database.read { db in try await PersonStore().find(id: twin.id, on: db) }?.mergedInto == original.id)
            let history = try await registry.personHistory(original.id, by: clerk)
            #expect(history.contains { $0.ownerID == twin.id })
            #expect(history.contains { $0.ownerID == original.id && $0.reason.contains("旧身份证号档案") })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aMergeRequesterCannotApproveTheirOwn(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let reviewer = try await operations.access.principal(named: "reviewer")
            let clerk = try await operations.access.principal(named: "district")
            let pair = try await mergeablePair(operations.database, in: clerk.scope)
            let request = try await operations.registry.proposeMerge(keep: pair.kept.id, merge: pair.merged.id, reason: "x", by: clerk)
            // The same user deciding with a reviewer's role: maker–checker refuses.
            var sameUser = reviewer
            sameUser.userID = clerk.userID
            await #expect(throws: ServiceError(.forbidden, "maker_checker.own_proposal")) {
                _ = try await operations.registry.decideMerge(request.id, approve: true, note: nil, by: sameUser)
            }
        }
    }
}
