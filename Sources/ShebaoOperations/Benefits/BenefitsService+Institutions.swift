import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A designated institution with its inspections and what the fund owes it.
public struct InstitutionDetail: Sendable {
    public var institution: MedicalInstitution
    public var inspections: [InspectionRecord]
    public var account: InstitutionAccount
}

extension BenefitsService {
    /// The designated hospitals and pharmacies in the reader's scope.
    public func medicalInstitutions(by principal: Principal) async throws(ServiceError) -> [MedicalInstitution] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await MedicalStore().institutions(in: scope, on: db) }
    }

    /// What the fund owes each institution in the reader's scope for purchases not yet settled.
    public func institutionsOwed(by principal: Principal) async throws(ServiceError) -> [Int64: Money] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await MedicalStore().owed(in: scope, on: db) }
    }

    /// One institution, its inspections (the latest first) and its account; outside the reader's scope it does not exist.
    public func medicalInstitution(_ id: Int64, by principal: Principal) async throws(ServiceError) -> InstitutionDetail {
        try principal.require(.insuranceRead)
        return try await context.read { db in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            return InstitutionDetail(institution: institution, inspections: try await MedicalStore().inspections(of: id, on: db),
                                     account: try await MedicalStore().account(of: id, on: db))
        }
    }

    /// Adds a designated institution under a service agreement from `from` to `to`: a hospital
    /// has a level, a pharmacy none; the code (the agreement's number) is unique.
    public func addMedicalInstitution(code: String, name: String, kind: String, level: String, region: String, agreementFrom: String,
                                      agreementTo: String, by principal: Principal) async throws(ServiceError) -> MedicalInstitution {
        var issues: [FieldIssue] = []
        let code = code.trimmingUnicodeWhitespace().uppercased()
        if !(2...20).contains(code.count) || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            issues.append(FieldIssue("code", "institution.bad_code"))
        }
        let name = name.trimmingUnicodeWhitespace()
        if name.isEmpty || name.count > 60 { issues.append(FieldIssue("name", name.isEmpty ? "field.required" : "field.too_long", ["max": "60"])) }
        let kind = MedicalInstitution.Kind(rawValue: kind)
        if kind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": ""])) }
        let level = InstitutionLevel(rawValue: level.trimmingUnicodeWhitespace())
        if kind == .hospital && level == nil { issues.append(FieldIssue("level", "institution.level_required")) }
        if kind == .pharmacy && level != nil { issues.append(FieldIssue("level", "institution.pharmacy_level")) }
        let regionCode = try? RegionCode(region.trimmingUnicodeWhitespace())
        let known: Bool
        if let regionCode { known = (try? await context.regions.contains(regionCode)) ?? false } else { known = false }
        if regionCode == nil || !known { issues.append(FieldIssue("region", "region_code.unknown", ["code": region])) }
        let from = LocalDate(iso: agreementFrom.trimmingUnicodeWhitespace())
        let to = LocalDate(iso: agreementTo.trimmingUnicodeWhitespace())
        if from == nil || from!.year < 1998 { issues.append(FieldIssue("agreementFrom", "institution.bad_date", ["value": agreementFrom])) }
        if to == nil || (from.map { to! < $0 } ?? false) || to!.year > 2100 { issues.append(FieldIssue("agreementTo", "institution.bad_end", ["value": agreementTo])) }
        guard issues.isEmpty, let kind, let regionCode, let from, let to else { throw .invalid(issues) }
        try principal.require(.medicalInstitutionManage, in: regionCode)
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard try await MedicalStore().institution(code: code, on: db) == nil else { throw ServiceError.invalid("code", "institution.code_taken", ["code": code]) }
            let id = try await MedicalStore().addInstitution(code: code, name: name, kind: kind, level: kind == .hospital ? level : nil, region: regionCode,
                                                              agreementFrom: from, agreementTo: to, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "medical_institution", entityID: String(id), region: regionCode,
                                                after: ["code": code, "kind": kind.rawValue, "agreement_to": to.description]), on: db, at: now)
            guard let institution = try await MedicalStore().institution(id, on: db) else { throw ServiceError.notFound }
            return institution
        }
    }

    /// Renews (or extends) an active or suspended institution's agreement to `until`; an exit is final.
    public func renewAgreement(_ id: Int64, until text: String, version: Int64, by principal: Principal) async throws(ServiceError) -> MedicalInstitution {
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            try principal.require(.medicalInstitutionManage, in: institution.region)
            guard institution.status != .exited else { throw ServiceError.conflict("institution.exited") }
            guard let until = LocalDate(iso: text.trimmingUnicodeWhitespace()), until > institution.agreementTo, until.year <= 2100 else {
                throw ServiceError.invalid("agreementTo", "institution.bad_renewal", ["current": institution.agreementTo.description])
            }
            guard try await MedicalStore().renewAgreement(id, until: until, version: version, on: db) else {
                throw ServiceError.versionConflict(current: institution.version)
            }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "medical_institution", entityID: String(id), region: institution.region,
                                                before: ["agreement_to": institution.agreementTo.description], after: ["agreement_to": until.description]),
                                     on: db, at: now)
            guard let renewed = try await MedicalStore().institution(id, on: db) else { throw ServiceError.notFound }
            return renewed
        }
    }

    // MARK: Inspections

    /// Records an inspection (定点稽核) with its findings and the measure proposed; nothing takes
    /// effect until a reviewer confirms it. A fine names its amount; other measures carry none.
    public func recordInspection(institution id: Int64, kind: String, inspectedOn: String, findings: String, measure: String, fine: String,
                                 by principal: Principal) async throws(ServiceError) -> Int64 {
        var issues: [FieldIssue] = []
        let kind = MedicalInspection.Kind(rawValue: kind)
        if kind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": ""])) }
        let date = LocalDate(iso: inspectedOn.trimmingUnicodeWhitespace())
        if date == nil || date! > context.today || date!.year < 1998 { issues.append(FieldIssue("inspectedOn", "inspection.bad_date", ["value": inspectedOn])) }
        let findings = findings.trimmingUnicodeWhitespace()
        if findings.isEmpty || findings.count > 2000 { issues.append(FieldIssue("findings", findings.isEmpty ? "field.required" : "field.too_long", ["max": "2000"])) }
        let measure = MedicalInspection.Measure(rawValue: measure)
        if measure == nil { issues.append(FieldIssue("measure", "field.not_in_list", ["value": ""])) }
        let fineText = fine.trimmingUnicodeWhitespace()
        var amount = Money.zero
        if !fineText.isEmpty {
            if let parsed = try? Money.parse(fineText), parsed.fen >= 0, parsed <= Money.inputLimit { amount = parsed } else {
                issues.append(FieldIssue("fine", "inspection.bad_fine"))
            }
        }
        if measure == .fine && amount.fen == 0 { issues.append(FieldIssue("fine", "inspection.fine_required")) }
        if (measure == MedicalInspection.Measure.none || measure == .warning) && amount.fen > 0 { issues.append(FieldIssue("fine", "inspection.fine_without_measure")) }
        guard issues.isEmpty, let kind, let date, let measure else { throw .invalid(issues) }
        let fine = amount
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            try principal.require(.medicalInstitutionManage, in: institution.region)
            guard institution.status != .exited else { throw ServiceError.conflict("institution.exited") }
            let inspection = try await MedicalStore().recordInspection(institution: id, kind: kind, on: date, findings: findings, measure: measure, fine: fine,
                                                                       by: actor, inspectorID: principal.userID, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "medical_inspection", entityID: String(inspection), region: institution.region,
                                                after: ["institution": String(id), "measure": measure.rawValue, "fine": fine.yuanText]), on: db, at: now)
            return inspection
        }
    }

    /// The institution an inspection is of, when the reader may see it.
    public func inspectionInstitution(_ id: Int64, by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.insuranceRead)
        return try await context.read { db in
            guard let inspection = try await MedicalStore().inspection(id, on: db),
                  let institution = try await MedicalStore().institution(inspection.institutionID, on: db),
                  principal.may(.insuranceRead, in: institution.region) else { throw ServiceError.notFound }
            return institution.id
        }
    }

    /// Inspections waiting for a reviewer in the reader's scope.
    public func proposedInspections(by principal: Principal) async throws(ServiceError) -> [InspectionRecord] {
        try principal.require(.insuranceRead)
        let scope = principal.scope
        return try await context.read { db in try await MedicalStore().proposedInspections(in: scope, on: db) }
    }

    /// A reviewer who did not inspect confirms or rejects the measure. Confirmed: a fine becomes a
    /// receivable of the pooled fund; a suspension or exit takes effect today (an exit is final).
    public func decideInspection(_ id: Int64, confirm: Bool, note: String, by principal: Principal) async throws(ServiceError) {
        let note = note.trimmingUnicodeWhitespace()
        guard note.count <= 500 else { throw .invalid("note", "field.too_long", ["max": "500"]) }
        if !confirm && note.isEmpty { throw .invalid("note", "inspection.note_required") }
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        let memo = context.strings.text("ledger.memo.medical_fine", .zhHans, ["inspection": String(id)])
        let region = try await installation.required().region
        try await context.write { db in
            guard let inspection = try await MedicalStore().inspection(id, on: db),
                  let institution = try await MedicalStore().institution(inspection.institutionID, on: db),
                  principal.may(.insuranceRead, in: institution.region) else { throw ServiceError.notFound }
            try principal.require(.medicalInspectionDecide, in: institution.region)
            let status: ProposalStatus = inspection.state == .proposed ? .proposed : .approved
            try await context.checkDecision(status: status, maker: inspection.inspectorID, decider: principal.userID, on: db)
            guard try await MedicalStore().decideInspection(id, confirm ? .confirmed : .rejected, note: note, by: actor, at: now, on: db) else {
                throw ServiceError.conflict("maker_checker.not_pending")
            }
            if confirm {
                if let status = inspection.measure.status, institution.status != .exited {
                    guard try await MedicalStore().setStatus(institution.id, status, since: today, version: institution.version, on: db) else {
                        throw ServiceError.versionConflict(current: institution.version)
                    }
                    try await context.append(AuditEvent(actor: actor, action: .update, entity: "medical_institution", entityID: String(institution.id),
                                                        region: institution.region, before: ["status": institution.status.rawValue],
                                                        after: ["status": status.rawValue, "inspection": String(id)]), on: db, at: now)
                }
                if inspection.fine.fen > 0 {
                    let draft = LedgerEntryDraft(fund: .medicalPooled, occurredOn: today, memo: memo, source: "medical-inspection:\(id)",
                                                 lines: [LedgerLine(.receivable, debit: inspection.fine), LedgerLine(.otherIncome, credit: inspection.fine)])
                    _ = try await LedgerStore().post(draft, region: region, key: "medical-fine:\(id)", by: actor, at: now, on: db)
                }
            }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "medical_inspection", entityID: String(id), region: institution.region,
                                                before: ["state": "proposed"], after: ["state": confirm ? "confirmed" : "rejected"]), on: db, at: now)
        }
    }

    /// A reviewer reinstates a suspended agreement once the institution has put things right.
    public func reinstateInstitution(_ id: Int64, version: Int64, note: String, by principal: Principal) async throws(ServiceError) -> MedicalInstitution {
        let note = note.trimmingUnicodeWhitespace()
        guard !note.isEmpty, note.count <= 500 else { throw .invalid("note", note.isEmpty ? "institution.reinstate_note" : "field.too_long", ["max": "500"]) }
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        return try await context.write { db in
            guard let institution = try await MedicalStore().institution(id, on: db), principal.may(.insuranceRead, in: institution.region) else {
                throw ServiceError.notFound
            }
            try principal.require(.medicalInspectionDecide, in: institution.region)
            guard institution.status == .suspended else { throw ServiceError.conflict("institution.not_suspended") }
            guard try await MedicalStore().setStatus(id, .active, since: today, version: version, on: db) else {
                throw ServiceError.versionConflict(current: institution.version)
            }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "medical_institution", entityID: String(id), region: institution.region,
                                                before: ["status": "suspended"], after: ["status": "active", "note": note]), on: db, at: now)
            guard let reinstated = try await MedicalStore().institution(id, on: db) else { throw ServiceError.notFound }
            return reinstated
        }
    }
}
