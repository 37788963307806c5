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
            let owed = after.reduce(Int64(0)) { $0 + $1.outstanding.fen } + after.reduce(Int64(0)) { $0 + $1.surcharge.fen }
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
            let returned = try await operations.insurance.resolveCollection(queue[0].id, creditCode: nil, note: "不是本区单位", by: accountant)
            #expect(returned.state == .returned)
            await #expect(throws: ServiceError.self) {
                _ = try await operations.insurance.resolveCollection(queue[0].id, creditCode: nil, note: "again", by: accountant)
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
