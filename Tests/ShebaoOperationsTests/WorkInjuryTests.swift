import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Work-injury benefits as a case (issue 11): RULES.md §4 example 1 — injured in 2012, grade 7,
/// own wage 5,000.00 — is a one-time subsidy of 65,000.00 with its explanation; a report after a
/// year is refused, one after 30 days marked late; approval by another person makes the subsidy
/// owed by the work-injury fund.
@Suite("Work injury")
struct WorkInjuryTests {
    @Test(arguments: TestDatabaseKind.available)
    func aGradeSevenInjuryIsSixtyFiveThousandAndOwedOnceApproved(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let person = try #require(try await registeredPersons(operations.database).items.first)
            let draft = try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                      ownWage: "5000.00", by: clerk)
            #expect(draft.result.output.lumpSum == Money.yuan(65_000) && !draft.request.lateReport)
            #expect(draft.result.explanation.steps.contains { $0.key == "explain.injury.lump_sum" && $0.result.contains("65,000.00") },
                    "\(draft.result.explanation.steps.map(\.result))")
            // Reported after 30 days: late; after a year: refused, naming the field.
            #expect(try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-07-01", grade: "7",
                                                                  ownWage: "5000.00", by: clerk).request.lateReport)
            do {
                _ = try await operations.benefits.workInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2013-06-01", grade: "11",
                                                                  ownWage: "-1", by: clerk)
                Issue.record("a report after a year was accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["reportedOn", "grade", "ownWage"])
            }
            let id = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                       ownWage: "5000.00", by: clerk)
            await #expect(throws: ServiceError.self) {
                _ = try await operations.benefits.openWorkInjuryAward(personID: person.id, injuryDate: "2012-05-10", reportedOn: "2012-05-20", grade: "7",
                                                                      ownWage: "5000.00", by: clerk)
            }
            for document in WorkInjuryAward.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "文书 \(document.rawValue)", note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
            #expect(try await operations.benefits.workInjuryAwards(of: person.id, by: clerk).isEmpty)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
            _ = try await operations.cases.take(id, transition: "approve", note: "认定与鉴定核实", expectedVersion: nil, by: reviewer)
            let awards = try await operations.benefits.workInjuryAwards(of: person.id, by: clerk)
            #expect(awards.count == 1 && awards[0].lumpSum == Money.yuan(65_000) && awards[0].grade == 7)
            let payable = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db)
                    .first { $0.fund == .workInjury && $0.account == .payable }?.balance
            }
            #expect(payable == Money.yuan(65_000))
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
