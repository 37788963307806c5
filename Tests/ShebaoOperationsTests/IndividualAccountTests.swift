import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Individual accounts and the monthly close (issue 10): the yearly interest in SQL agrees with
/// the 13/24 rule to the fen, part by part, up to large balances; a statement verifies by its
/// code and shows no full ID; an assessment stopped part-way and resumed leaves the rows, bills
/// and ledger of an uninterrupted one.
@Suite("Individual accounts and the monthly close")
struct IndividualAccountTests {
    @Test(arguments: TestDatabaseKind.available)
    func theYearlyInterestInSQLMatchesTheRuleToTheFen(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            var random = DeterministicRandom(seed: 1997)
            let persons = try await operations.database.read { db in
                try await db.raw("SELECT id FROM persons ORDER BY id LIMIT 120").all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            // Last year's closing (up to 30,000,000.00 yuan) and this year's credits, some with a transfer part.
            struct Account {
                var person: Int64
                var opening: (own: Int64, transfer: Int64)?
                var months: [(month: Int, own: Int64, transfer: Int64)]
            }
            var accounts: [Account] = []
            for (index, person) in persons.enumerated() {
                let openingOwn = index % 7 == 0 ? 0 : index == 1 ? 3_000_000_000 : Int64(random.next() % 50_000_000)
                let openingTransfer = index % 3 == 0 ? Int64(random.next() % 5_000_000) : 0
                var months: [(month: Int, own: Int64, transfer: Int64)] = []
                for month in 1...12 where random.next() % 4 != 0 {
                    months.append((month, Int64(random.next() % 300_000), index % 2 == 0 ? Int64(random.next() % 100_000) : 0))
                }
                accounts.append(Account(person: person, opening: index % 5 != 0 ? (openingOwn, openingTransfer) : nil, months: months))
            }
            let written = accounts
            try await operations.database.write { db in
                for account in written {
                    if let opening = account.opening {
                        try await db.raw(
                            """
                            INSERT INTO account_years (person_id, year, run_id, rate_nanos, opening_own_fen, opening_transfer_fen, credited_own_fen,
                                credited_transfer_fen, closing_own_fen, closing_transfer_fen)
                            VALUES (\(bind: account.person), 2023, 0, 0, 0, 0, 0, 0, \(bind: opening.own), \(bind: opening.transfer))
                            """
                        ).run()
                    }
                    for month in account.months {
                        try await db.raw(
                            """
                            INSERT INTO paid_months (person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen, employer_transfer_fen,
                                credited_on)
                            VALUES (\(bind: account.person), 'pension', \(bind: Int64(202400 + month.month)), 1, 0, \(bind: month.own), \(bind: month.own + month.transfer),
                                \(bind: month.transfer), \(bind: "2024-\(month.month < 10 ? "0" : "")\(month.month)-15"))
                            """
                        ).run()
                    }
                }
            }
            var expected: [Int64: (own: (Int64, Int64), transfer: (Int64, Int64))] = [:]
            for account in accounts {
                expected[account.person] = ((account.opening?.own ?? 0, account.months.reduce(0) { $0 + $1.own }),
                                            (account.opening?.transfer ?? 0, account.months.reduce(0) { $0 + $1.transfer }))
            }
            let clerk = try await operations.access.principal(named: "district")
            let run = try await operations.batches.start(kind: "insurance.interest", period: "2024-12", by: clerk)
            #expect(run.state == .computed && run.chunkCount >= 1)
            let book = try await operations.policy.book()
            var checked = 0
            for (person, parts) in expected where parts.own.0 + parts.own.1 + parts.transfer.0 + parts.transfer.1 > 0 {
                let years = try await operations.database.read { db in try await IndividualAccountStore().years(of: person, on: db) }
                let year = try #require(years.last)
                #expect(year.year == 2024)
                func rule(_ opening: Int64, _ credited: Int64) throws -> Money {
                    try AccountInterestRule.evaluate(.init(year: 2024, openingBalance: Money(fen: opening), credited: Money(fen: credited)), book: book,
                                                     region: DemoDistrict.district).output.closingBalance
                }
                #expect(year.closingOwn == (try rule(parts.own.0, parts.own.1)), "person \(person) own part")
                #expect(year.closingTransfer == (try rule(parts.transfer.0, parts.transfer.1)), "person \(person) transfer part")
                checked += 1
            }
            #expect(checked > 90)
            // The year runs once: a second start finds the run; 2025 cannot be closed before 2024 is.
            #expect(try await operations.batches.start(kind: "insurance.interest", period: "2024-12", by: clerk).id == run.id)
            await #expect(throws: ServiceError.self) { _ = try await operations.batches.start(kind: "insurance.interest", period: "2024-11", by: clerk) }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aStatementVerifiesByItsCodeAndShowsNoFullID(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let bills = try await CollectionTests.billedJuly(operations)
            let accountant = try await operations.access.principal(named: "accountant")
            let rows = bills.enumerated().map { index, bill in
                [bill.creditCode, "2026-07", bill.scheme.rawValue, bill.assessed.decimalString, "2026-07-20", "S\(index)", ""]
            }
            #expect(try await operations.insurance.importCollections(CollectionTests.csv(rows), fileName: "t.csv", by: accountant).matched == bills.count)
            let person = try await operations.database.read { db in
                try await db.raw("SELECT person_id FROM paid_months WHERE scheme = 'pension' ORDER BY person_id LIMIT 1").first()!.decode(column: "person_id", as: Int64.self)
            }
            let clerk = try await operations.access.principal(named: "district")
            let (code, content) = try await operations.insurance.issueStatement(of: person, by: clerk)
            let full = try #require(try await operations.database.read { db in try await PersonStore().find(id: person, on: db) }).residentID.value
            #expect(content.residentID != full && content.residentID.hasPrefix(String(full.prefix(4))) && content.residentID.contains("**********"))
            #expect(content.record.months.first { $0.scheme == .pension }?.months == 1)
            #expect(content.record.balance.fen > 0)

            let found = try await operations.insurance.verifyStatement(code: code.lowercased().replacingOccurrences(of: "-", with: " "))
            #expect(found.content.residentID == content.residentID && found.content.record.balance == content.record.balance)
            let json = String(decoding: try JSONEncoder().encode(found.content), as: UTF8.self)
            #expect(!json.contains(full))
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.verifyStatement(code: "2222-2222-2222-2222") }
            // A citizen reads only their own record; a town clerk no record outside the town.
            let xinqiao = try await operations.access.principal(named: "xinqiao")
            let personRegion = try #require(try await operations.database.read { db in try await PersonStore().find(id: person, on: db) }).region
            if !xinqiao.scope.contains(personRegion) {
                await #expect(throws: ServiceError.self) { _ = try await operations.insurance.contributionRecord(of: person, by: xinqiao) }
            }
        }
    }

    /// What a month's close leaves: the lines, the bills and the ledger's lines, comparable across databases.
    static func closeOfJuly(_ operations: Operations, stopAfter chunks: Int?) async throws -> [String] {
        let clerk = try await operations.access.principal(named: "district")
        var run = try await operations.batches.prepare(kind: "insurance.assessment", period: "2026-07", by: clerk)
        #expect(run.chunkCount >= 3)
        if let chunks {
            await #expect(throws: ServiceError.self) {
                _ = try await operations.batches.compute(run, by: clerk, progress: { done, _ in
                    struct Stop: Error {}
                    if done == chunks { throw Stop() }
                })
            }
            run = try await operations.batches.run(run.id, by: clerk)
            #expect(run.state == .draft && run.chunksDone >= chunks && run.chunksDone <= run.chunkCount)
        }
        run = try await operations.batches.resume(run.id, by: clerk)
        _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: try await operations.access.principal(named: "reviewer"))
        let accountant = try await operations.access.principal(named: "accountant")
        _ = try await operations.batches.post(run.id, by: accountant)
        // Posting again is refused and changes nothing.
        await #expect(throws: ServiceError.self) { _ = try await operations.batches.post(run.id, by: accountant) }
        return try await operations.database.read { db in
            let lines = try await db.raw(
                "SELECT enrolment_id, person_id, scheme, base_fen, individual_fen, employer_fen, account_credit_fen, employer_transfer_fen FROM assessment_lines ORDER BY enrolment_id"
            ).all().map { row in
                try ["enrolment_id", "person_id", "base_fen", "individual_fen", "employer_fen", "account_credit_fen", "employer_transfer_fen"].map {
                    String(try row.decode(column: $0, as: Int64.self))
                }.joined(separator: ",")
            }
            let bills = try await db.raw("SELECT employer_id, scheme, headcount, individual_fen, employer_fen FROM bills ORDER BY employer_id, scheme").all().map { row in
                "\(try row.decode(column: "employer_id", as: Int64.self)) \(try row.decode(column: "scheme", as: String.self)) "
                    + "\(try row.decode(column: "headcount", as: Int64.self)) \(try row.decode(column: "individual_fen", as: Int64.self)) \(try row.decode(column: "employer_fen", as: Int64.self))"
            }
            let ledger = try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2026, month: 12, day: 31)!, on: db).map {
                "\($0.fund.rawValue) \($0.account.rawValue) \($0.debits.fen) \($0.credits.fen)"
            }.sorted()
            return lines + bills + ledger
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anAssessmentStoppedPartWayResumesToTheCloseOfAnUninterruptedOne(kind: TestDatabaseKind) async throws {
        let stopped = try await withTestDistrict(kind) { try await Self.closeOfJuly($0, stopAfter: 2) }
        let whole = try await withTestDistrict(kind) { try await Self.closeOfJuly($0, stopAfter: nil) }
        #expect(stopped.count > 50)
        #expect(stopped == whole)
    }
}
