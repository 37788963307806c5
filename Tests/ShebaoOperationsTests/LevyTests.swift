import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The disabled-employment levy (issue 12 item 8): a year's bills issued by the district to the
/// units below their quota, each the rule's amount for the unit's counts and wages, once a year;
/// paid whole — on time without a surcharge, late with 5‰ a day — once; the ledger verifies.
@Suite("Disabled-employment levy")
struct LevyTests {
    @Test(arguments: TestDatabaseKind.available)
    func billsAreIssuedOnceAndPaidWithTheSurchargeWhenLate(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let assistance = operations.assistance
            let clerk = try await operations.access.principal(named: "district")
            let town = try await operations.access.principal(named: "xinqiao")
            let accountant = try await operations.access.principal(named: "accountant")
            let year = clock.now().dateInChina.year
            // Two units of 40 more staff each, none disabled, in December of last year (the district's
            // are small, and units of 30 or fewer are exempt), with their declared wages.
            try await operations.database.write { db in
                let persons = try await db.raw("SELECT id FROM persons WHERE status = 'living' AND disability_category IS NULL ORDER BY id LIMIT 80").all()
                    .map { try $0.decode(column: "id", as: Int64.self) }
                let units = try await db.raw("SELECT id, region_code FROM employers ORDER BY id LIMIT 2").all()
                    .map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
                for (index, person) in persons.enumerated() {
                    let (unit, region) = units[index % 2]
                    try await db.raw(
                        """
                        INSERT INTO enrolments (person_id, employer_id, scheme, payer_type, region_code, start_period, created_at, created_by)
                        VALUES (\(bind: person), \(bind: unit), 'pension', 'employee', \(bind: region), \(bind: Int64((year - 1) * 100 + 1)), '2025-01-01T00:00:00Z', 'test')
                        """).run()
                    try await db.raw("DELETE FROM contribution_bases WHERE person_id = \(bind: person) AND year = \(bind: Int64(year - 1))").run()
                    try await db.raw(
                        """
                        INSERT INTO contribution_bases (person_id, year, declared_fen, declared_at)
                        VALUES (\(bind: person), \(bind: Int64(year - 1)), \(bind: Int64(400_000 + index * 1_000)), '2025-01-01T00:00:00Z')
                        """).run()
                }
            }
            await #expect(throws: ServiceError.forbidden) { _ = try await assistance.issueLevyBills(year: String(year), by: town) }
            await #expect(throws: ServiceError.self) { _ = try await assistance.issueLevyBills(year: String(year + 1), by: clerk) }
            let done = try await assistance.issueLevyBills(year: String(year), by: clerk)
            #expect(done.issued > 1 && done.units == done.issued + done.nothingDue, "\(done)")
            let again = try await assistance.issueLevyBills(year: String(year), by: clerk)
            #expect(again.issued == 0 && again.billedBefore == done.issued && again.total == .zero)
            let bills = try await assistance.levyBills(year: year, by: clerk)
            #expect(bills.count == done.issued && bills.reduce(Money.zero) { $0 + $1.levy } == done.total)
            // Each bill is the rule's amount for the unit's counts.
            let book = try await operations.policy.book()
            let district = try await operations.installation.required().region
            let ownership = try await operations.database.read { db in
                try await db.raw("SELECT id, ownership_type FROM employers").all().reduce(into: [Int64: OwnershipType]()) {
                    $0[try $1.decode(column: "id", as: Int64.self)] = OwnershipType(rawValue: try $1.decode(column: "ownership_type", as: String.self))
                }
            }
            for bill in bills {
                let input = DisabledEmploymentLevyRule.Input(year: year, ownershipType: try #require(ownership[bill.employerID]), staff: bill.staff,
                                                             disabledEmployees: bill.disabled, severelyDisabledEmployees: bill.severelyDisabled,
                                                             employerAverageAnnualWage: bill.employerWage)
                #expect(try DisabledEmploymentLevyRule.evaluate(input, book: book, region: district).output.levy == bill.levy)
            }
            let (onTime, late) = (bills[0], bills[1])
            // On the due day: the levy alone; a wrong amount is refused naming what is owed.
            do {
                _ = try await assistance.payLevy(onTime.id, amount: (onTime.levy + Money(fen: 1)).yuanText, paidOn: onTime.dueOn.description, by: accountant)
                Issue.record("a wrong amount was accepted")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["levy.amount_differs"])
            }
            await #expect(throws: ServiceError.forbidden) {
                _ = try await assistance.payLevy(onTime.id, amount: onTime.levy.yuanText, paidOn: onTime.dueOn.description, by: clerk)
            }
            let paid = try await assistance.payLevy(onTime.id, amount: onTime.levy.yuanText, paidOn: onTime.dueOn.description, by: accountant)
            #expect(paid.state == .paid && paid.surcharge == .zero)
            await #expect(throws: ServiceError.conflict("levy.paid_already")) {
                _ = try await assistance.payLevy(onTime.id, amount: onTime.levy.yuanText, paidOn: onTime.dueOn.description, by: accountant)
            }
            // A day late: 5‰ of the levy for the one day.
            let day = late.dueOn.adding(days: 2)
            clock.advance(seconds: 2 * 86_400)
            let surcharge = late.levy.multiplied(by: try #require(Rate(decimal: "0.005")))
            let settled = try await assistance.payLevy(late.id, amount: (late.levy + surcharge).yuanText, paidOn: day.description, by: accountant)
            #expect(settled.surcharge == surcharge)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
