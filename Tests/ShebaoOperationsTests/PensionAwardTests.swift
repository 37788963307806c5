import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The pension award as a case (issue 11): the award is the rule's on the archive's figures and
/// the record's; a person short of the minimum years cannot be awarded; a clerk opens it, another
/// checks the archive, a reviewer who did neither approves — and only then does the pension start.
@Suite("Pension award")
struct PensionAwardTests {
    @Test(arguments: TestDatabaseKind.available)
    func aPensionStartsOnlyWhenAnotherPersonApprovesTheAward(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let benefits = operations.benefits
            let cases = operations.cases
            let clerk = try await operations.access.principal(named: "district")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let agent = try await operations.access.principal(named: "employer")
            // Three persons joining a unit this year: a man born in 1964, a man born in 1985 and a woman born in 1975.
            let (unit, region) = try await operations.database.read { db in
                let row = try #require(try await db.raw(
                    """
                    SELECT s.employer_id, (SELECT region_code FROM persons ORDER BY id LIMIT 1) AS region FROM employer_schemes s
                    WHERE s.scheme = 'pension' ORDER BY s.employer_id LIMIT 1
                    """
                ).first())
                return (try row.decode(column: "employer_id", as: Int64.self), try row.decode(column: "region", as: String.self))
            }
            func joining(_ name: String, born: LocalDate, sequence: Int) async throws -> Int64 {
                let id = ResidentID(areaCode: "331004", birthDate: born, sequence: sequence)
                let person = try await operations.registry.registerPerson(
                    residentID: id.value, PersonDetails.Input(name: name, hukouType: "non_agricultural", region: region), reason: nil, by: clerk)
                _ = try await operations.insurance.enrol(residentID: id.value, employer: unit, from: "2026-01", by: clerk)
                return person.id
            }
            let person = try await joining("退休甲", born: LocalDate(year: 1964, month: 3, day: 1)!, sequence: 991)
            let younger = try await joining("年轻乙", born: LocalDate(year: 1985, month: 3, day: 1)!, sequence: 993)
            let woman = try await joining("退休丙", born: LocalDate(year: 1975, month: 3, day: 1)!, sequence: 992)
            do {
                _ = try await benefits.pensionAward(personID: younger, retirementDate: "2026-12-01", averageIndex: "0.85", deemedMonths: "240",
                                                    monthsBefore1998: "", by: clerk)
                Issue.record("a man born after 1980 may not retire in 2026")
            } catch let error as ServiceError {
                #expect(error.fieldIssues.map(\.code) == ["pension_award.too_early"] && error.fieldIssues.map(\.field) == ["retirementDate"])
            }
            await #expect(throws: ServiceError.invalid("category", "pension_award.category_required")) {
                _ = try await benefits.pensionAward(personID: woman, retirementDate: "2026-12-01", averageIndex: "0.85", deemedMonths: "240",
                                                    monthsBefore1998: "", by: clerk)
            }
            // A woman worker born in 1975 may retire now (50, and the reform's months).
            #expect(try await benefits.pensionAward(personID: woman, retirementDate: "2027-11-01", category: "female_worker", averageIndex: "0.85",
                                                    deemedMonths: "240", monthsBefore1998: "", by: clerk).result.output.eligible)
            // Too few years: no monthly pension (the rule offers the alternatives instead).
            let short = try await benefits.pensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "",
                                                        monthsBefore1998: "", by: clerk)
            #expect(!short.result.output.eligible && short.result.output.minimumContributionMonths >= 180)
            await #expect(throws: ServiceError.self) {
                _ = try await benefits.openPensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "",
                                                        monthsBefore1998: "", by: clerk)
            }
            for (date, index, deemed) in [("2026-13-01", "0.85", "240"), ("2027-01-01", "abc", "240"), ("2027-01-01", "0.85", "-1"), ("2027-01-01", "9", "240")] {
                await #expect(throws: ServiceError.self) {
                    _ = try await benefits.pensionAward(personID: person, retirementDate: date, averageIndex: index, deemedMonths: deemed, monthsBefore1998: "",
                                                        by: clerk)
                }
            }
            await #expect(throws: ServiceError.self) {
                _ = try await benefits.pensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "240",
                                                    monthsBefore1998: "", by: agent)
            }

            // With 20 years deemed from the archive: the rule's award, explained.
            let draft = try await benefits.pensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "240",
                                                        monthsBefore1998: "120", by: clerk)
            let expected = try PensionAwardRule.evaluate(draft.input, book: try await operations.policy.book(), region: DemoDistrict.district)
            #expect(draft.result.output.eligible && draft.result.output == expected.output && draft.result.output.total.fen > 0)
            #expect(!draft.result.explanation.steps.isEmpty && draft.start == Period(year: 2027, month: 2)!)
            #expect(draft.input.deemedMonths == 240 && draft.input.monthsBefore1998 == 120)

            let id = try await benefits.openPensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "240",
                                                         monthsBefore1998: "120", by: clerk)
            await #expect(throws: ServiceError.conflict("pension_award.open", ["case": String(id)])) {
                _ = try await benefits.openPensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "240",
                                                        monthsBefore1998: "120", by: clerk)
            }
            let view = try await cases.view(id, by: reviewer)
            #expect(view.facts.last?.value == draft.result.output.total.formatted)

            // The clerk who opened it checks the archive; the reviewer approves; the pension starts.
            for document in PensionAward.Document.allCases {
                _ = try await cases.addDocument(id, kind: document.rawValue, reference: "档案", note: nil, by: clerk)
            }
            _ = try await cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
            #expect(try await benefits.pension(of: person, by: clerk) == nil, "nothing is paid before approval")
            await #expect(throws: ServiceError.forbidden) { _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }
            let approved = try await cases.take(id, transition: "approve", note: "档案核实无误", expectedVersion: nil, by: reviewer)
            #expect(approved.state == "approved")
            let pension = try #require(try await benefits.pension(of: person, by: clerk))
            #expect(pension.monthly == draft.result.output.total && pension.start == Period(year: 2027, month: 2)! && pension.caseID == id)
            #expect(pension.basic.fen + pension.account.fen + pension.transitional.fen + pension.topUp.fen == pension.monthly.fen)
            let listed = try await benefits.pensions(by: clerk)
            #expect(listed.total == 1 && listed.items.map(\.personID) == [person])
            await #expect(throws: ServiceError.conflict("pension_award.paying")) {
                _ = try await benefits.openPensionAward(personID: person, retirementDate: "2027-01-01", averageIndex: "0.85", deemedMonths: "240",
                                                        monthsBefore1998: "120", by: clerk)
            }
            #expect(try await AuditLog.verify(operations.database).isIntact)
        }
    }
}
