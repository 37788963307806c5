import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Collection with the tax bureau (issue 10): bills go out when an approved assessment is posted;
/// a tax file is matched to them line by line — paid, partly paid, overpaid, late with its
/// surcharge — with an unknown credit code waiting in the queue; months paid in full are credited;
/// every yuan lands in the ledger once; a malformed file is rejected whole.
@Suite("Collection with the tax bureau")
struct CollectionTests {
    static let period = Period(year: 2026, month: 7)!

    static func billedJuly(_ operations: Operations) async throws -> [Bill] { try await closeMonth(operations, period) }

    static func csv(_ rows: [[String]]) -> Data { collectionFile(rows) }

    static func ledgerCounts(_ database: ShebaoDatabase) async throws -> (entries: Int, lines: Int, collections: Int, months: Int) {
        try await database.read { db in
            (try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ledger_entries"),
             try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ledger_lines"),
             try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM collections"),
             try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM paid_months"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aTaxFileIsMatchedToTheBillsWithTheUnknownCodeQueued(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let bills = try await Self.billedJuly(operations)
            #expect(bills.count >= 4)
            let accountant = try await operations.access.principal(named: "accountant")
            // Bill 0 paid in part, bill 1 late (September), bill 2 overpaid by 10.00, the rest on time.
            var rows: [[String]] = []
            for (index, bill) in bills.enumerated() {
                var amount = bill.assessed
                var day = "2026-07-20"
                switch index {
                case 0: amount = Money(fen: bill.assessed.fen / 2)
                case 1: day = "2026-09-10"
                case 2: amount = Money(fen: bill.assessed.fen + 1_000)
                default: break
                }
                rows.append([bill.creditCode, "2026-07", bill.scheme.rawValue, amount.decimalString, day, "V\(index)", String(bill.headcount)])
            }
            rows.append([CreditCode(body: "91331004MA2DEMKQ9").value, "2026-07", "养老保险", "1234.56", "2026-07-21", "VX", ""])
            let file = Self.csv(rows)
            let outcome = try await operations.insurance.importCollections(file, fileName: "tax-2026-07.csv", by: accountant)
            #expect(outcome.accepted && outcome.matched == bills.count && outcome.unmatched == 1)

            let list = try await operations.insurance.bills(period: Self.period, employer: nil, by: accountant)
            let after = list.page.items
            #expect(list.page.total == after.count && list.summary.count == after.count)
            #expect(list.summary.assessed.fen == after.reduce(0) { $0 + $1.assessed.fen })
            #expect(list.summary.collected.fen == after.reduce(0) { $0 + $1.collected.fen })
            // A page at a time: the same bills in the same order, the totals always of all of them.
            var paged: [Bill] = []
            for number in 1...after.count {
                let page = try await operations.insurance.bills(period: Self.period, employer: nil, paging: Paging(page: number, perPage: 1), by: accountant)
                #expect(page.page.total == after.count && page.summary == list.summary && page.page.items.count == 1)
                paged += page.page.items
            }
            #expect(paged == after)
            func bill(_ b: Bill) -> Bill { after.first { $0.employerID == b.employerID && $0.scheme == b.scheme }! }
            #expect(bill(bills[0]).state == .partlyPaid && bill(bills[1]).state == .paid && bill(bills[2]).state == .overpaid)
            #expect(after.filter { $0.state == .paid }.count == bills.count - 2)
            // The late bill owes the surcharge of the rule: from the day after July's end to the day paid.
            let expected = try LateSurchargeRule.evaluate(
                .init(amount: bills[1].assessed, from: LocalDate(year: 2026, month: 8, day: 1)!, paidOn: LocalDate(year: 2026, month: 9, day: 10)!),
                book: try await operations.policy.book(), region: DemoDistrict.district).output.surcharge
            #expect(bill(bills[1]).surcharge == expected && expected.fen > 0)
            #expect(bill(bills[0]).surcharge == .zero)

            // Every assessed person of a bill paid in full has the month; nobody of the part-paid bill has.
            let counts = try await Self.ledgerCounts(operations.database)
            let fullyPaid = after.filter { $0.state != .partlyPaid }.reduce(Int64(0)) { $0 + $1.headcount }
            #expect(Int64(counts.months) == fullyPaid)
            let queue = try await operations.insurance.unmatchedCollections(by: accountant)
            #expect(queue.count == 1 && queue[0].voucher == "VX" && queue[0].note == "collection.unknown_unit")

            // The ledger: balanced; what was billed and not collected is still receivable, with the surcharge.
            #expect(try await operations.ledger.verify(by: accountant).isIntact)
            let balances = try await operations.database.read { db in try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2026, month: 12, day: 31)!, on: db) }
            func balance(_ fund: Fund, _ account: LedgerAccountKind) -> Int64 { balances.first { $0.fund == fund && $0.account == account }?.balance.fen ?? 0 }
            // The demo's persons on their own account have July's bills too, none paid in this file.
            let ownBilled = try await Self.ownBilled(operations)
            let owed = after.reduce(Int64(0)) { $0 + $1.outstanding.fen } + after.reduce(Int64(0)) { $0 + $1.surcharge.fen } + ownBilled.total
            // Arrears: the open bills a page at a time, the totals of all of them.
            let arrears = try await operations.insurance.arrears(paging: Paging(page: 1, perPage: 1), by: accountant)
            let everyOpen = try await operations.insurance.arrears(by: accountant)
            #expect(arrears.page.items.count == 1 && arrears.page.total == after.filter { $0.outstanding.fen > 0 }.count)
            #expect(everyOpen.page.items.count == arrears.page.total && arrears.outstanding.fen == after.reduce(0) { $0 + $1.outstanding.fen })
            #expect(arrears.surcharge.fen == everyOpen.page.items.reduce(0) { $0 + ($1.surcharge?.output.surcharge.fen ?? 0) })
            let receivable = Fund.allCases.reduce(Int64(0)) { $0 + balance($1, .receivable) }
            #expect(receivable == owed)
            let cash = Fund.allCases.reduce(Int64(0)) { $0 + balance($1, .incomeDeposit) }
            let paidIn = rows.reduce(Int64(0)) { $0 + (try! Money.parse($1[3]).fen) }
            #expect(cash == paidIn)
            #expect(Fund.allCases.reduce(Int64(0)) { $0 + balance($1, .payable) } == 1_000 + 123_456)

            // The same file again: nothing new anywhere.
            let again = try await operations.insurance.importCollections(file, fileName: "tax-2026-07 (copy).csv", by: accountant)
            #expect(again.accepted && again.repeated)
            #expect(try await Self.ledgerCounts(operations.database) == counts)

            // The queued line is returned to the tax bureau: out of the queue, out of the funds.
            let returned = try await operations.insurance.resolveCollection(queue[0].id, .returnToTaxBureau, note: "不是本区单位", by: accountant)
            #expect(returned.state == .returned)
            await #expect(throws: ServiceError.self) {
                _ = try await operations.insurance.resolveCollection(queue[0].id, .returnToTaxBureau, note: "again", by: accountant)
            }
            let cashAfter = try await operations.database.read { db in try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2026, month: 12, day: 31)!, on: db) }
            #expect(cashAfter.filter { $0.account == .payable }.reduce(Int64(0)) { $0 + $1.balance.fen } == 1_000)
            #expect(try await operations.ledger.verify(by: accountant).isIntact)

            // The rest of the part-paid bill comes later: the month is credited, with a surcharge on the late half.
            let rest = Money(fen: bills[0].assessed.fen - bills[0].assessed.fen / 2)
            let back = Self.csv([[bills[0].creditCode, "2026-07", bills[0].scheme.rawValue, rest.decimalString, "2026-10-15", "V-BACK", ""]])
            #expect(try await operations.insurance.importCollections(back, fileName: "tax-2026-10.csv", by: accountant).matched == 1)
            let settled = try await operations.insurance.bills(period: Self.period, employer: bills[0].employerID, by: accountant).page.items
                .first { $0.scheme == bills[0].scheme }!
            #expect(settled.state == .paid && settled.surcharge.fen > 0)
            #expect(try await Self.ledgerCounts(operations.database).months == Int(fullyPaid + bills[0].headcount))
        }
    }

    /// July's own-account bills of the test district's persons on their own account, with their total.
    static func ownBilled(_ operations: Operations, except person: Int64? = nil) async throws -> (bills: [OwnBill], total: Int64) {
        let bills = try await operations.database.read { db in try await CollectionStore().ownBills(period: period, in: .nation, on: db) }
            .filter { $0.personID != person }
        return (bills, bills.reduce(0) { $0 + $1.assessed.fen })
    }

    /// The tax file with the resident-ID column: a unit's rows leave it empty, a person's the credit code.
    static func payerFile(_ rows: [[String]]) -> Data {
        CSV.write(header: ["统一社会信用代码", "公民身份号码", "费款所属期", "险种", "实缴金额", "入库日期", "电子税票号", "缴费人数"], rows: rows)
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPersonOnTheirOwnAccountIsBilledAndCollectedByResidentID(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let accountant = try await operations.access.principal(named: "accountant")
            let (person, residentID) = try await operations.database.read { db in
                let row = try #require(try await db.raw(
                    """
                    SELECT id, resident_id FROM persons WHERE id NOT IN (SELECT person_id FROM enrolments) AND birth_date BETWEEN '1970-01-01' AND '2000-01-01'
                    ORDER BY id LIMIT 1
                    """
                ).first())
                return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "resident_id", as: String.self))
            }
            _ = try await operations.insurance.enrolOwnAccount(personID: person, from: "2026-06", by: clerk)
            _ = try await operations.insurance.declareOwnBase(personID: person, year: 2026, declared: "5000.00", by: clerk)
            let units = try await Self.billedJuly(operations)

            // The approved July makes the person's own bills, pension and medical, receivable like a unit's.
            let own = try await operations.insurance.ownAccount(personID: person, by: clerk).bills
            #expect(own.map(\.scheme).sorted { $0.rawValue < $1.rawValue } == [.medical, .pension] && own.allSatisfy { $0.state == .unpaid && $0.assessed.fen > 0 })
            let pension = try #require(own.first { $0.scheme == .pension })
            let medical = try #require(own.first { $0.scheme == .medical })
            func receivable() async throws -> Int64 {
                try await operations.database.read { db in
                    try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2026, month: 12, day: 31)!, on: db)
                }.filter { $0.account == .receivable }.reduce(0) { $0 + $1.balance.fen }
            }
            let others = try await Self.ownBilled(operations, except: person)
            #expect(try await receivable() == units.reduce(0) { $0 + $1.assessed.fen } + others.total + pension.assessed.fen + medical.assessed.fen)

            // A line naming both a unit and a person, or a person's line with a headcount, rejects the file.
            let code = units[0].creditCode
            let bad = Self.payerFile([
                [code, residentID, "2026-07", "pension", "10.00", "2026-07-20", "B1", ""],
                ["", residentID, "2026-07", "pension", "10.00", "2026-07-20", "B2", "1"],
                ["", "33100419800101999", "2026-07", "pension", "10.00", "2026-07-20", "B3", ""],
            ])
            let rejected = try await operations.insurance.importCollections(bad, fileName: "bad.csv", by: accountant)
            #expect(!rejected.accepted && rejected.issues.map(\.row) == [2, 3, 4])
            #expect(rejected.issues.map(\.code) == ["collection.two_payers", "collection.headcount_of_person", "resident_id.length"])

            // Medical paid in full, pension in half, and a stranger's ID waits in the queue.
            let stranger = ResidentID(areaCode: "331004", birthDate: LocalDate(year: 1980, month: 1, day: 1)!, sequence: 997)
            #expect(try await operations.database.read { db in try await PersonStore().ids(ofResidentIDs: [stranger], on: db) }.isEmpty)
            let half = Money(fen: pension.assessed.fen / 2)
            let rest = Money(fen: pension.assessed.fen - half.fen)
            let file = Self.payerFile([
                [units[0].creditCode, "", "2026-07", units[0].scheme.rawValue, units[0].assessed.decimalString, "2026-07-20", "U0", ""],
                ["", residentID, "2026-07", "医疗保险", medical.assessed.decimalString, "2026-07-18", "P-MED", ""],
                ["", residentID.lowercased(), "2026-07", "pension", half.decimalString, "2026-07-18", "P-PEN", ""],
                ["", stranger.value, "2026-07", "pension", rest.decimalString, "2026-07-25", "P-ODD", ""],
            ])
            let outcome = try await operations.insurance.importCollections(file, fileName: "tax-own.csv", by: accountant)
            #expect(outcome.accepted && outcome.matched == 3 && outcome.unmatched == 1)
            var bills = try await operations.insurance.ownAccount(personID: person, by: clerk).bills
            #expect(bills.first { $0.scheme == .medical }?.state == .paid && bills.first { $0.scheme == .pension }?.state == .partlyPaid)
            var record = try await operations.insurance.contributionRecord(of: person, by: clerk).record
            #expect(record.months.map(\.scheme) == [.medical] && record.unpaid.map(\.scheme) == [.pension])
            #expect(record.medicalAccount.fen > 0)
            let queue = try await operations.insurance.unmatchedCollections(by: accountant)
            #expect(queue.count == 1 && queue[0].note == "collection.unknown_person" && queue[0].payer.residentID == stranger)
            #expect(try await operations.ledger.verify(by: accountant).isIntact)

            // The rates count the person: July's pension billed is the units' and the person's.
            let rates = try await operations.insurance.rates(period: Self.period, by: .scheme, by: accountant)
            let billedPension = units.filter { $0.scheme == .pension }.reduce(0) { $0 + $1.assessed.fen } + pension.assessed.fen
                + others.bills.filter { $0.scheme == .pension }.reduce(0) { $0 + $1.assessed.fen }
            #expect(rates.first { $0.key == "pension" }?.assessed.fen == billedPension)

            // The clerk learns the stranger's payment was the person's rest: matched by resident ID, the month completes.
            await #expect(throws: ServiceError.self) {
                _ = try await operations.insurance.resolveCollection(queue[0].id, .match(creditCode: code, residentID: residentID), note: "两个都填", by: accountant)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await operations.insurance.resolveCollection(queue[0].id, .match(creditCode: nil, residentID: stranger.value), note: "查无此人", by: accountant)
            }
            let matched = try await operations.insurance.resolveCollection(queue[0].id, .match(creditCode: nil, residentID: residentID), note: "税务确认为本人补缴",
                                                                           by: accountant)
            #expect(matched.state == .matched && matched.personID == person && matched.employerID == nil)
            bills = try await operations.insurance.ownAccount(personID: person, by: clerk).bills
            #expect(bills.allSatisfy { $0.state == .paid })
            record = try await operations.insurance.contributionRecord(of: person, by: clerk).record
            #expect(Set(record.months.map(\.scheme)) == [.medical, .pension] && record.unpaid.isEmpty)
            #expect(try await receivable() == units.dropFirst().reduce(0) { $0 + $1.assessed.fen } + others.total)
            #expect(try await operations.ledger.verify(by: accountant).isIntact)
        }
    }

    /// A unit pays August before its bill exists, so the line waits in the queue with its cash in
    /// the enterprise pension fund; the unit, restructured into a public institution, is billed
    /// August by the institution fund; settling the line moves the cash to that fund.
    @Test(arguments: TestDatabaseKind.available)
    func aQueuedLineSettledToAnotherFundMovesItsCash(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let accountant = try await operations.access.principal(named: "accountant")
            let july = try await Self.billedJuly(operations)
            let unit = try #require(july.first { $0.scheme == .pension })
            let early = Self.csv([[unit.creditCode, "2026-08", "pension", "100.00", "2026-08-05", "EARLY", ""]])
            #expect(try await operations.insurance.importCollections(early, fileName: "early.csv", by: accountant).unmatched == 1)
            let queued = try #require(try await operations.insurance.unmatchedCollections(by: accountant).first)
            #expect(queued.note == "collection.no_bill" && queued.receivedFund == .enterprisePension)
            try await operations.database.write { db in
                try await db.raw("UPDATE employers SET ownership_type = 'public_institution' WHERE id = \(bind: unit.employerID)").run()
            }
            let august = try await closeMonth(operations, Period(year: 2026, month: 8)!)
            let bill = try #require(august.first { $0.employerID == unit.employerID && $0.scheme == .pension })
            func balance(_ fund: Fund, _ account: LedgerAccountKind) async throws -> Int64 {
                try await operations.database.read { db in
                    try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2026, month: 12, day: 31)!, on: db)
                }.first { $0.fund == fund && $0.account == account }?.balance.fen ?? 0
            }
            let before = (try await balance(.enterprisePension, .payable), try await balance(.institutionPension, .receivable),
                          try await balance(.institutionPension, .incomeDeposit))
            let settled = try await operations.insurance.resolveCollection(queued.id, .match(creditCode: unit.creditCode, residentID: nil),
                                                                          note: "单位改制后的8月养老保险", by: accountant)
            #expect(settled.state == .matched && settled.employerID == unit.employerID)
            #expect(try await balance(.enterprisePension, .payable) == before.0 - 10_000)
            #expect(try await balance(.institutionPension, .receivable) == before.1 - min(10_000, bill.assessed.fen))
            #expect(try await balance(.institutionPension, .incomeDeposit) == before.2 + 10_000)
            #expect(try await operations.ledger.verify(by: accountant).isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aMalformedFileIsRejectedWholeWithItsRowsAndColumns(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let bills = try await Self.billedJuly(operations)
            let accountant = try await operations.access.principal(named: "accountant")
            let good = bills[0]
            let before = try await Self.ledgerCounts(operations.database)
            let valid = CreditCode(body: "91331004MA2DEMKQ9").value
            let wrongCheck = String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
            let file = Self.csv([
                [good.creditCode, "2026-07", good.scheme.rawValue, good.assessed.decimalString, "2026-07-20", "OK1", ""],
                [wrongCheck, "2026-07", "pension", "10.00", "2026-07-20", "BAD1", ""],
                [good.creditCode, "2026-13", "pension", "10.00", "2026-07-20", "BAD2", ""],
                [good.creditCode, "2026-07", "pension", "12.345", "2026-07-20", "BAD3", ""],
                [good.creditCode, "2026-07", "lottery", "10.00", "2026-07-20", "BAD4", ""],
                [good.creditCode, "2026-07", "pension", "10.00", "2026-06-30", "BAD5", ""],
                [good.creditCode, "2026-07", "pension", "10.00", "2026-07-20", "OK1", "-3"],
            ])
            let outcome = try await operations.insurance.importCollections(file, fileName: "bad.csv", by: accountant)
            #expect(!outcome.accepted)
            let places = Set(outcome.issues.map { "\($0.row)\($0.column):\($0.code)" })
            #expect(places.contains("3A:credit_code.check"))
            #expect(places.contains("4B:period.invalid"))
            #expect(places.contains("5D:money.too_many_decimals"))
            #expect(places.contains("6C:field.not_in_list"))
            #expect(places.contains("7E:collection.bad_paid_on"))
            #expect(places.contains("8F:collection.voucher_twice"))
            #expect(places.contains("8G:collection.bad_headcount"))
            #expect(!outcome.issues.contains { $0.row == 2 })
            #expect(try await Self.ledgerCounts(operations.database) == before)
        }
    }
}
