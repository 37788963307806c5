import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Five-guarantees and three-withouts support (issue 12 items 3–4): an application appraised,
/// posted, reviewed by the town and approved by a reviewer who neither opened nor reviewed it;
/// centralised support paid to the home (by its name, with no resident ID) while it has a bed
/// free, dispersed support to the person; the centralised rate against its target; support
/// ended from a month not yet paid.
@Suite("Five-guarantees support")
struct SupportTests {
    /// Living villagers aged 60 or over, the oldest first.
    static func elderlyVillagers(_ operations: Operations, count: Int) async throws -> [Person] {
        let ids = try await operations.database.read { db in
            try await db.raw(
                """
                SELECT id FROM persons WHERE hukou_type = 'agricultural' AND status = 'living' AND birth_date <= '1960-01-01'
                ORDER BY birth_date, id LIMIT \(literal: count)
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
        var persons: [Person] = []
        for id in ids { persons.append(try #require(try await operations.database.read { db in try await PersonStore().find(id: id, on: db) })) }
        return persons
    }

    static func approve(_ id: Int64, _ operations: Operations, clock: TestClock, clerk: Principal, reviewer: Principal) async throws {
        for document in SupportApplication.Document.allCases {
            _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "材料", note: nil, by: clerk)
        }
        _ = try await operations.cases.take(id, transition: "appraise", note: "村民代表会议同意", expectedVersion: nil, by: clerk)
        await #expect(throws: ServiceError.self) { _ = try await operations.cases.take(id, transition: "review", note: nil, expectedVersion: nil, by: clerk) }
        clock.advance(seconds: 8 * 86_400)
        _ = try await operations.cases.take(id, transition: "review", note: nil, expectedVersion: nil, by: clerk)
        await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
        _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
    }

    @Test(arguments: TestDatabaseKind.available)
    func aHomeIsPaidForItsResidentAndAPersonAtHomeIsPaidDirectly(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let town = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let villagers = try await Self.elderlyVillagers(operations, count: 3)
            try #require(villagers.count == 3)
            let (resident, atHome, waiting) = (villagers[0], villagers[1], villagers[2])
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            // A home is added by the district, with a bed for one.
            await #expect(throws: ServiceError.forbidden) {
                _ = try await assistance.addInstitution(name: "新桥镇敬老院", kind: "nursing_home", region: resident.region.value, beds: "1", floorArea: "30",
                                                        paymentPoint: point, account: "6222000011112222", by: town)
            }
            do {
                _ = try await assistance.addInstitution(name: "", kind: "hotel", region: "999999", beds: "0", floorArea: "-1", paymentPoint: point,
                                                        account: "1", by: clerk)
                Issue.record("a bad home was added")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["name", "kind", "region", "beds", "floorArea", "account"])
            }
            let home = try await assistance.addInstitution(name: "新桥镇敬老院", kind: "nursing_home", region: resident.region.value, beds: "1", floorArea: "30",
                                                           paymentPoint: point, account: "6222000011112222", by: clerk)
            // The ground and the kind must fit the register.
            do {
                _ = try await assistance.supportDraft(person: resident.id, kind: "three_withouts", ground: "minor", arrangement: "institution",
                                                      institution: String(home), paymentPoint: "", account: "", by: clerk)
                Issue.record("a villager over 60 passed as an urban minor")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.code)) == ["support.kind_hukou", "support.ground_age"])
            }
            let draft = try await assistance.supportDraft(person: resident.id, kind: "five_guarantees", ground: "elderly", arrangement: "institution",
                                                          institution: String(home), paymentPoint: "", account: "", by: clerk)
            #expect(draft.request.form == .centralised && draft.request.account == "6222000011112222")
            #expect(draft.result.output.monthlyStandard == draft.result.output.yearlyStandard.multiplied(by: 1, dividedBy: 12))
            let first = try await assistance.openSupport(person: resident.id, kind: "five_guarantees", ground: "elderly", arrangement: "institution",
                                                         institution: String(home), paymentPoint: "", account: "", by: clerk)
            await #expect(throws: ServiceError.conflict("support.open", ["case": String(first)])) {
                _ = try await assistance.openSupport(person: resident.id, kind: "five_guarantees", ground: "elderly", arrangement: "foster_agreement",
                                                     institution: "", paymentPoint: point, account: "6222000033334444", by: clerk)
            }
            try await Self.approve(first, operations, clock: clock, clerk: clerk, reviewer: reviewer)
            // The home is full now: a second resident is refused.
            do {
                _ = try await assistance.supportDraft(person: waiting.id, kind: "five_guarantees", ground: "elderly", arrangement: "institution",
                                                      institution: String(home), paymentPoint: "", account: "", by: clerk)
                Issue.record("a full home took a resident")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["support.institution_full"])
            }
            let second = try await assistance.openSupport(person: atHome.id, kind: "five_guarantees", ground: "elderly", arrangement: "foster_agreement",
                                                          institution: "", paymentPoint: point, account: "6222000033334444", by: clerk)
            try await Self.approve(second, operations, clock: clock, clerk: clerk, reviewer: reviewer)
            let overview = try await assistance.supportOverview(by: clerk)
            #expect(overview.rate.centralised == 1 && overview.rate.dispersed == 1 && overview.rate.rate == Ratio(1, 2) && !overview.rate.met)
            #expect(overview.institutions.first { $0.id == home }?.residents == 1)
            let granted = try #require(try await assistance.supportGrants(of: resident.id, by: clerk)?.first)
            #expect(granted.certificate == "WB\(clock.now().dateInChina.year)-\(first)" && granted.institutionName == "新桥镇敬老院")
            // The payroll of the month after pays the home for its resident and the other at home, once each.
            let month = clock.now().dateInChina.period.next
            for period in [month, month.next] {
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: period.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
                if period == month {
                    let written = WrittenFiles()
                    _ = try await operations.benefits.writePayrollFiles(run: run.id, perFile: 10_000, format: .text, by: accountant) { file, data in
                        await written.keep(file.name(run: run.id), data)
                    }
                    let lines = await written.files.values.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\r\n") }
                    let toHome = try #require(lines.first { $0.contains("新桥镇敬老院") })
                    #expect(toHome.contains("6222000011112222") && !toHome.contains(resident.residentID.value) && !toHome.contains(resident.name))
                }
            }
            let paidHome = try await operations.benefits.payments(of: resident.id, by: clerk).filter { $0.kind == "support" }
            let paidAtHome = try await operations.benefits.payments(of: atHome.id, by: clerk).filter { $0.kind == "support" }
            #expect(paidHome.count == 2 && paidHome.allSatisfy { $0.amount == draft.result.output.monthlyStandard })
            #expect(paidAtHome.count == 2)
            // Ended from a month already paid is refused; from the next, nothing more is owed.
            await #expect(throws: ServiceError.self) { _ = try await assistance.endSupport(second, from: month.description, reason: "去世", by: clerk) }
            let ended = try await assistance.endSupport(second, from: month.next.next.description, reason: "随子女生活", by: clerk)
            #expect(ended.endsFrom == month.next.next)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aHomesSubsidyIsApprovedBySomeoneElseAndPaidOnce(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let villager = try #require(try await Self.elderlyVillagers(operations, count: 1).first)
            let town = villager.region.level == .village ? try #require(villager.region.parent) : villager.region
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let home = String(try await assistance.addInstitution(name: "新桥镇敬老院", kind: "nursing_home", region: town.value, beds: "40", floorArea: "1000",
                                                                  paymentPoint: point, account: "6222000011112222", by: clerk))
            let day = clock.now().dateInChina.adding(days: -3).description
            // Bad fields named; 20 new beds with 1,500 m² for 70 residents (21.4 a head) earn no bed subsidy and, with no cost, nothing.
            do {
                _ = try await assistance.openHomeSubsidy(home: "0", date: "2999-01-01", renovationCost: "x", newBeds: "3", floorArea: "", residents: "",
                                                         by: clerk)
                Issue.record("a bad application was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["home", "date", "renovationCost", "floorArea"])
            }
            await #expect(throws: ServiceError.conflict("home_subsidy.space_short")) {
                _ = try await assistance.openHomeSubsidy(home: home, date: day, renovationCost: "", newBeds: "20", floorArea: "1500", residents: "70", by: clerk)
            }
            // 450,000 of works and 20 new beds with 1,750 m² for 70 residents (25 a head): 150,000 + 140,000.
            let draft = try await assistance.homeSubsidyDraft(home: home, date: day, renovationCost: "450000", newBeds: "20", floorArea: "1750", residents: "70",
                                                              by: clerk)
            #expect(draft.result.output.renovationSubsidy == .yuan(150_000) && draft.result.output.bedSubsidy == .yuan(140_000))
            let id = try await assistance.openHomeSubsidy(home: home, date: day, renovationCost: "450000", newBeds: "20", floorArea: "1750", residents: "70",
                                                          by: clerk)
            for document in HomeSubsidy.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "报告", note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            let approved = try #require(try await assistance.homeSubsidies(by: clerk).first)
            #expect(approved.total == .yuan(290_000) && approved.paidOn == nil && approved.newBeds == 20)
            let updated = try #require(try await assistance.institutions(by: clerk).first { String($0.id) == home })
            #expect(updated.beds == 60 && updated.floorArea == 1_750)
            await #expect(throws: ServiceError.forbidden) { _ = try await assistance.payHomeSubsidy(id, reference: "ZF-1", paidOn: day, by: clerk) }
            let paid = try await assistance.payHomeSubsidy(id, reference: "ZF-2026-031", paidOn: clock.now().dateInChina.description, by: accountant)
            #expect(paid.reference == "ZF-2026-031")
            await #expect(throws: ServiceError.conflict("home_subsidy.paid_already")) {
                _ = try await assistance.payHomeSubsidy(id, reference: "ZF-again", paidOn: clock.now().dateInChina.description, by: accountant)
            }
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
