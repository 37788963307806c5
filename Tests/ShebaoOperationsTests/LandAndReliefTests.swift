import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Land-requisitioned farmers (issue 12 item 9) and relief and charity (item 10): a requisition's
/// farmers grouped by age, its contributions split into the special account, the elderly paid
/// monthly at least the month's dibao, the working-age on the training list; temporary relief up
/// to the year's cap, approved by someone else and owed from the charity fund; donations posted;
/// paired help pledged and delivered. Bad input names what is wrong and stores nothing.
@Suite("Land-requisitioned farmers, relief and charity")
struct LandAndReliefTests {
    /// A living person of `sex` born in the years given, in `prefix` (a township's), the first by id.
    static func person(_ operations: Operations, sex: String, born years: ClosedRange<Int>, in prefix: String? = nil) async throws -> Person {
        let id = try await operations.database.read { db in
            try await db.raw(
                """
                SELECT id FROM persons WHERE status = 'living' AND sex = \(bind: sex) AND birth_date >= \(bind: "\(years.lowerBound)-01-01")
                    AND birth_date <= \(bind: "\(years.upperBound)-12-31") AND region_code LIKE \(bind: (prefix ?? "") + "%") ORDER BY id LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int64.self)
        }
        let found = try #require(id)
        return try #require(try await operations.database.read { db in try await PersonStore().find(id: found, on: db) })
    }

    @Test(arguments: TestDatabaseKind.available)
    func farmersAreGroupedFundedAndTheElderlyPaidAtLeastTheDibao(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let town = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let today = clock.now().dateInChina
            let old = try await Self.person(operations, sex: "male", born: 1930...(today.year - 62))
            let township = old.region.level == .village ? try #require(old.region.parent) : old.region
            let prefix = String(township.value.prefix(9))
            let working = try await Self.person(operations, sex: "female", born: (today.year - 45)...(today.year - 30), in: prefix)
            let child = try await Self.person(operations, sex: "male", born: (today.year - 10)...(today.year - 2), in: prefix)
            try await operations.database.write { db in
                try await db.raw("UPDATE persons SET bank_account = '6222000077778888' WHERE id IN (\(bind: old.id), \(bind: working.id))").run()
            }
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            let day = today.period.previous.firstDay.adding(days: 14)
            func form(_ members: String, income: String = "100000", compensation: String = "500000") -> LandRequisitionForm {
                LandRequisitionForm(town: township.value, village: "东岙村", area: "35.5", compensation: compensation, landSaleIncome: income,
                                    requisitionedOn: day.description, tier: "100", contribution: "30000", paymentPoint: point, members: members)
            }
            let list = [old.residentID.value, working.residentID.value, child.residentID.value].joined(separator: "\n")
            // Every problem of the list by its line; the shares against the money they come from; nothing stored.
            do {
                _ = try await assistance.recordLandRequisition(form("\(old.residentID.value)\r\n123\r\n\r\n\(old.residentID.value)"), by: clerk)
                Issue.record("a bad list was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["land.row_bad_id", "land.row_repeated"])
                #expect(error.fieldIssues.map { $0.arguments["row"] } == ["2", "4"])
            }
            do {
                _ = try await assistance.recordLandRequisition(form(list, income: "17999.99", compensation: "41999.99"), by: clerk)
                Issue.record("shares beyond the money were accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["landSaleIncome", "compensation"])
            }
            await #expect(throws: ServiceError.forbidden) { _ = try await assistance.recordLandRequisition(form(list), by: town) }
            #expect(try await assistance.landRequisitions(by: clerk).isEmpty)

            let id = try await assistance.recordLandRequisition(form(list), by: clerk)
            let (requisition, members) = try await assistance.landRequisition(id, by: clerk)
            #expect(requisition.areaCentimu == 3_550 && requisition.members == [.elderly: 1, .workingAge: 1, .child: 1])
            // Two enrolled × 30,000, split 30 / 40 / 30 into the special account.
            #expect(requisition.government == .yuan(18_000) && requisition.collective == .yuan(24_000) && requisition.individual == .yuan(18_000))
            let group = Dictionary(uniqueKeysWithValues: members.map { ($0.personID, $0) })
            #expect(group[old.id]?.group == .elderly && group[old.id]?.monthlyFrom == today.period)
            #expect(group[working.id]?.group == .workingAge && group[child.id]?.group == .child && group[child.id]?.monthlyFrom == nil)
            let birthday = Period(year: working.birthDate.year + 55, month: working.birthDate.month)!
            #expect(group[working.id]?.monthlyFrom == birthday.next)
            #expect(try await assistance.landTrainingList(by: clerk).map(\.personID) == [working.id])
            do {
                _ = try await assistance.recordLandRequisition(form(working.residentID.value), by: clerk)
                Issue.record("a farmer was recorded twice")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["land.row_affected_before"])
            }
            let entries = try await operations.database.read { db in
                try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ledger_entries WHERE fund = 'land_requisition'").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(entries == 1)

            // The month's payroll pays the elderly farmer the dibao (above his tier), once; the others nothing.
            let book = try await operations.policy.book()
            let district = try await operations.installation.required().region
            for period in [today.period, today.period] + [today.period.next] {
                if try await operations.benefits.payments(of: old.id, by: clerk).contains(where: { $0.kind == "land" && $0.period == period }) { continue }
                let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: period.description, by: clerk)
                _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: reviewer)
                _ = try await operations.batches.post(run.id, by: accountant)
            }
            let paid = try await operations.benefits.payments(of: old.id, by: clerk).filter { $0.kind == "land" }
            #expect(paid.count == 2)
            for payment in paid {
                let floor = try LandRequisitionRule.floor(in: payment.period, book: book, region: district)
                #expect(floor > .yuan(100) && payment.amount == floor)
            }
            #expect(try await operations.benefits.payments(of: working.id, by: clerk).filter { $0.kind == "land" }.isEmpty)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func reliefIsCappedAndApprovedBySomeoneElseDonationsArePostedAndHelpIsPaired(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let accountant = try await operations.access.principal(named: "accountant")
            let year = clock.now().dateInChina.year
            let person = try await Self.person(operations, sex: "female", born: 1950...1990)
            let point = String(try #require(try await operations.benefits.paymentPoints(by: clerk).first).id)
            func apply(_ amount: String) async throws -> Int64 {
                try await assistance.openRelief(person: person.id, reason: "illness", requested: amount, note: "住院", paymentPoint: point,
                                                account: "6222000099990000", by: clerk)
            }
            func approve(_ id: Int64) async throws {
                for document in TemporaryRelief.Document.allCases {
                    _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "证明", note: nil, by: clerk)
                }
                _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
                await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
                _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            do {
                _ = try await assistance.openRelief(person: person.id, reason: "boredom", requested: "-5", note: "", paymentPoint: "", account: "1", by: clerk)
                Issue.record("bad relief was accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["reason", "requested", "paymentPoint", "account"])
            }
            let first = try await apply("2000")
            await #expect(throws: ServiceError.self) { _ = try await apply("100") }
            try await approve(first)
            // The cap (3,000 a year, the placeholder) leaves 1,000 for a second application.
            let draft = try await assistance.reliefDraft(person: person.id, reason: "disaster", requested: "2000", note: "", paymentPoint: point,
                                                         account: "6222000099990000", by: clerk)
            #expect(draft.result.output.granted == .yuan(1_000) && draft.result.output.roomAfter == .zero)
            try await approve(try await apply("2000"))
            await #expect(throws: ServiceError.conflict("relief.nothing_left", ["granted": "3,000.00"])) { _ = try await apply("1") }
            let owed = try await operations.database.read { db in
                try await db.raw("SELECT amount_fen FROM benefit_payables WHERE kind = 'relief' AND fund = 'charity' ORDER BY id").all()
                    .map { try $0.decode(column: "amount_fen", as: Int64.self) }
            }
            #expect(owed == [200_000, 100_000])

            // Donations: a fund accountant's, posted; bad fields named and nothing stored.
            await #expect(throws: ServiceError.forbidden) {
                _ = try await assistance.recordDonation(fund: "charity", donor: "某公司", amount: "1", receivedOn: "2026-06-01", purpose: "", by: clerk)
            }
            do {
                _ = try await assistance.recordDonation(fund: "beer", donor: " ", amount: "0", receivedOn: "2999-01-01", purpose: "", by: accountant)
                Issue.record("a bad donation was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["fund", "donor", "amount", "receivedOn"])
            }
            _ = try await assistance.recordDonation(fund: "charity", donor: "新桥商会", amount: "50000", receivedOn: "\(year)-06-01", purpose: "慈善基金", by: accountant)
            _ = try await assistance.recordDonation(fund: "education_aid", donor: "校友会", amount: "8000", receivedOn: "\(year)-06-02", purpose: "", by: accountant)

            // Paired help: once per helper, household and year; deliveries add up.
            let household = try await operations.database.read { db in
                try await db.raw("SELECT register_number FROM households ORDER BY id LIMIT 1").first()?.decode(column: "register_number", as: String.self)
            }
            do {
                _ = try await assistance.pair(helperKind: "unit", helper: "区财政局", household: "nope", year: String(year), pledged: "2000", by: clerk)
                Issue.record("an unknown household was paired")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["household"])
            }
            let pairing = try await assistance.pair(helperKind: "unit", helper: "区财政局", household: try #require(household), year: String(year), pledged: "2000",
                                                    by: clerk)
            await #expect(throws: ServiceError.conflict("relief.paired_already", ["helper": "区财政局", "year": String(year)])) {
                _ = try await assistance.pair(helperKind: "unit", helper: "区财政局", household: household!, year: String(year), pledged: "2000", by: clerk)
            }
            _ = try await assistance.deliver(pairing, amount: "500", by: clerk)
            let delivered = try await assistance.deliver(pairing, amount: "700", by: clerk)
            #expect(delivered.delivered == .yuan(1_200) && delivered.pledged == .yuan(2_000))

            let charity = try await assistance.charityYear(year, by: clerk)
            #expect(charity.donated == .yuan(58_000) && charity.granted == .yuan(3_000) && charity.pledged == .yuan(2_000) && charity.delivered == .yuan(1_200))
            #expect(try await assistance.reliefAndHelp(of: person.id, by: clerk).relief.count == 2)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    /// The register of special-hardship families: a household listed once at a time with what it
    /// needs help with and why, the help it received this year beside it, taken off with a reason.
    @Test(arguments: TestDatabaseKind.available)
    func aSpecialHardshipFamilyIsListedWithTheHelpItReceived(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind, clock: TestClock()) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let accountant = try await operations.access.principal(named: "accountant")
            let (household, number) = try #require(try await operations.database.read { db in
                try await db.raw("SELECT id, register_number FROM households ORDER BY id LIMIT 1").first()
                    .map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "register_number", as: String.self)) }
            })
            do {
                _ = try await assistance.designateHardship(household: "nope", needs: ["luck"], reason: " ", by: clerk)
                Issue.record("a bad designation was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.field) == ["household", "needs", "reason"])
            }
            await #expect(throws: ServiceError.forbidden) {
                _ = try await assistance.designateHardship(household: number, needs: ["living"], reason: "户主重病", by: accountant)
            }
            let listed = try await assistance.designateHardship(household: number, needs: ["schooling", "living"], reason: "户主重病，子女在读", by: clerk)
            #expect(listed.needs == [.schooling, .living] && listed.householdID == household && listed.reviewBy > listed.designatedOn)
            await #expect(throws: ServiceError.conflict("hardship.listed_already", ["household": number])) {
                _ = try await assistance.designateHardship(household: number, needs: ["living"], reason: "再次", by: clerk)
            }
            let year = String(TestClock().now().dateInChina.year)
            let pairing = try await assistance.pair(helperKind: "unit", helper: "区民政局", household: number, year: year, pledged: "2000", by: clerk)
            _ = try await assistance.deliver(pairing, amount: "800", by: clerk)
            let row = try #require(try await assistance.hardshipHouseholds(by: clerk).first { $0.id == listed.id })
            #expect(row.pairedHelp == .yuan(800) && row.relief == .zero)
            #expect(try await assistance.householdOverview(household, by: clerk).hardship?.id == listed.id)
            let ended = try await assistance.endHardship(listed.id, reason: "户主康复就业", by: clerk)
            #expect(ended.endedOn != nil)
            #expect(try await assistance.hardshipHouseholds(by: clerk).isEmpty)
            #expect(try await assistance.hardshipHouseholds(current: false, by: clerk).count == 1)
            await #expect(throws: ServiceError.conflict("hardship.ended_already")) { _ = try await assistance.endHardship(listed.id, reason: "again", by: clerk) }
        }
    }
}
