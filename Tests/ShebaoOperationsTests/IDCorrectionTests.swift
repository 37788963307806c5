import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Correcting a resident ID: the registry's first case type, end to end through the services.
@Suite("Resident ID corrections")
struct IDCorrectionTests {
    @Test(arguments: TestDatabaseKind.available)
    func aCorrectionAppliesOnlyWhenAnotherPersonApproves(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let registry = operations.registry
            let cases = operations.cases
            let clerk = try await operations.access.principal(named: "xinqiao")
            let reviewer = try await operations.access.principal(named: "reviewer")
            let person = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 1).items.first)
            let corrected = ResidentID(areaCode: "331004", birthDate: person.birthDate, sequence: person.sex == .male ? 997 : 998)
            let other = try #require(try await registeredPersons(operations.database, in: clerk.scope, perPage: 2).items.last)

            await #expect(throws: ServiceError.invalid("correctedID", "id_correction.same")) {
                _ = try await registry.openIDCorrection(personID: person.id, correctedID: person.residentID.value, by: clerk)
            }
            await #expect(throws: ServiceError.invalid("correctedID", "id_correction.already_registered", ["id": other.residentID.value])) {
                _ = try await registry.openIDCorrection(personID: person.id, correctedID: other.residentID.value, by: clerk)
            }
            let lunan = try await operations.access.principal(named: "lunan")
            await #expect(throws: ServiceError.notFound) { _ = try await registry.openIDCorrection(personID: person.id, correctedID: corrected.value, by: lunan) }
            let id = try await registry.openIDCorrection(personID: person.id, correctedID: corrected.value, by: clerk)
            await #expect(throws: ServiceError.conflict("id_correction.open", ["case": String(id)])) {
                _ = try await registry.openIDCorrection(personID: person.id, correctedID: corrected.value, by: clerk)
            }
            let view = try await cases.view(id, by: reviewer)
            #expect(view.facts.map(\.value) == [person.residentID.value, corrected.value])
            #expect(view.record.personID == person.id)

            // The reviewer checks the documents at the counter, so may not approve it.
            for document in [IDCorrection.Document.policeCertificate, .householdRegister] {
                _ = try await cases.addDocument(id, kind: document.rawValue, reference: "证明 2026-11-\(document.rawValue.count)", note: nil, by: reviewer)
            }
            _ = try await cases.take(id, transition: "verify", note: nil, expectedVersion: nil, by: reviewer)
            await #expect(throws: ServiceError(.forbidden, "case.separation_of_duties",
                                               labels: ["transition": IDCorrection.caseType.transitionKey("verify")])) {
                _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: reviewer)
            }
            #expect(try await registry.person(person.id, by: clerk).residentID == person.residentID, "nothing changes before approval")
            await #expect(throws: ServiceError.forbidden) { _ = try await cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: clerk) }

            let second = try await operations.access.createUser(username: "reviewer2", displayName: "复核 二", role: .reviewer, region: reviewer.scope,
                                                                password: "another long secret", by: nil).principal
            let approved = try await cases.take(id, transition: "approve", note: "证明齐全", expectedVersion: nil, by: second)
            #expect(approved.state == "approved")
            let after = try await registry.person(person.id, by: clerk)
            #expect(after.residentID == corrected)
            #expect(after.version == person.version + 1)
            let history = try await registry.personHistory(person.id, by: clerk)
            #expect(history[0].record.residentID == corrected)
            #expect(history[1].record.residentID == person.residentID, "the old number stays in the history")
            #expect(history[0].reason.contains("#\(id)"))
            #expect(try await registry.searchPersons(PersonSearchText(residentID: corrected.value), by: clerk).total == 1)
            #expect(try await AuditLog.verify(operations.database).isIntact)
        }
    }
}
