import Foundation
public import ShebaoCore
import ShebaoStore

/// Correcting a resident ID as a case (``IDCorrection``): a clerk opens it for a person with the
/// certified number, checks the documents, a reviewer who neither opened nor checked it
/// approves, and only then does the record take the new number, as a new version.
extension RegistryService {
    /// The case type with its effect: on approval the person's number changes (a number already
    /// registered to someone else is refused — that is a merge, not a correction).
    public static let idCorrectionCases = CaseHandler(
        type: IDCorrection.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(IDCorrection.Request.self, from: Data(step.record.payload.utf8))
            guard var person = try await PersonStore().lock(id: request.personID, on: step.db), person.mergedInto == nil else {
                throw ServiceError.conflict("id_correction.person_gone")
            }
            guard person.residentID.value == request.currentID else { throw ServiceError.conflict("id_correction.changed") }
            guard try await PersonStore().existingResidentIDs([request.correctedID], on: step.db).isEmpty else {
                throw ServiceError.conflict("id_correction.already_registered", ["id": request.correctedID])
            }
            let before = person
            let corrected = ResidentID(trusted: request.correctedID)
            person.residentID = corrected
            person.sex = corrected.sex
            person.birthDate = corrected.birthDate
            person.version += 1
            try await PersonStore().save(person, at: step.now, on: step.db)
            try await PersonStore().recordVersions(ids: [person.id], by: step.actor, reason: StringTables.bundled.text("id_correction.reason", .zhHans, ["case": String(step.record.id)]),
                                                   at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .update, entity: "person", entityID: String(person.id), region: person.region, before: before,
                           after: person),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(IDCorrection.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "id_correction.applied_with", value: request.currentID),
                CaseFact(labelKey: "id_correction.corrected", value: request.correctedID),
            ]
        })

    /// Opens a correction for a person in the caller's scope: the corrected number must be valid,
    /// differ from the current one and not be registered; one open correction per person.
    public func openIDCorrection(personID: Int64, correctedID text: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.personWrite)
        let corrected: ResidentID
        do {
            corrected = try ResidentID(text, today: context.today)
        } catch {
            throw .invalid("correctedID", error.code, error.arguments)
        }
        let now = context.now
        let context = self.context
        let type = IDCorrection.caseType
        return try await context.write { db in
            guard let person = try await PersonStore().lock(id: personID, on: db), principal.may(.personWrite, in: person.region),
                person.mergedInto == nil
            else { throw ServiceError.notFound }
            guard corrected != person.residentID else { throw ServiceError.invalid("correctedID", "id_correction.same") }
            guard try await PersonStore().existingResidentIDs([corrected.value], on: db).isEmpty else {
                throw ServiceError.invalid("correctedID", "id_correction.already_registered", ["id": corrected.value])
            }
            let open = try await CaseStore().cases(of: person.id, on: db).filter { summary in
                summary.type == type.id && type.state(summary.state)?.isFinal == false
            }
            guard open.isEmpty else { throw ServiceError.conflict("id_correction.open", ["case": String(open[0].id)]) }
            let payload = try StoreJSON.text(IDCorrection.Request(personID: person.id, currentID: person.residentID.value, correctedID: corrected.value))
            return try await CaseService.open(type, region: person.region, personID: person.id, payload: payload, by: principal, context: context,
                                              at: now, on: db)
        }
    }
}
