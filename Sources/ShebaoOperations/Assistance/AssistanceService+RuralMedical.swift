import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What enrolling a household in the rural cooperative medical scheme would give.
public struct NcmsDraft: Sendable {
    public var household: Household
    public var year: Int
    /// The members who may take part: alive, in no employees' or own-account medical insurance.
    public var participants: [Int64]
    /// Of them, members of a household paid dibao: their own part is the district's and the town's.
    public var assisted: Int
    public var result: RuleResult<RuralMedicalFinancingRule.Output>
}

/// A township's participation against the year's target.
public struct NcmsTownship: Sendable {
    public var participation: NcmsParticipation
    public var target: Rate?

    /// Enrolled ÷ eligible, in basis points (0 when nobody may enrol).
    public var rateBasisPoints: Int { participation.eligible == 0 ? 0 : participation.enrolled * 10_000 / participation.eligible }
    /// The townships of `rows` added up, as `scope`'s line.
    public static func total(of rows: [NcmsTownship], scope: RegionCode) -> NcmsTownship {
        NcmsTownship(participation: NcmsParticipation(township: scope, households: rows.reduce(0) { $0 + $1.participation.households },
                                                      enrolled: rows.reduce(0) { $0 + $1.participation.enrolled },
                                                      eligible: rows.reduce(0) { $0 + $1.participation.eligible }),
                     target: rows.first?.target)
    }

    public var meetsTarget: Bool? {
        guard let target else { return nil }
        return Int64(participation.enrolled) * Rate.nanosPerUnit >= Int64(participation.eligible) * target.nanos
    }
}

extension AssistanceService {
    /// The year's enrolment of `personID`'s household (PROGRAMS.md §4.3): whole households, every
    /// member who may take part; the financing split by ``RuralMedicalFinancingRule``, with the
    /// own part of the members of a household paid dibao borne by the district and the town.
    public func ncmsDraft(person personID: Int64, year text: String, by principal: Principal) async throws(ServiceError) -> NcmsDraft {
        guard let year = Int(text.trimmingUnicodeWhitespace()), (2003...context.today.year + 1).contains(year) else {
            throw .invalid("year", "field.out_of_range", ["min": "2003", "max": String(context.today.year + 1)])
        }
        let found = try await context.read { db -> (Household, [Int64], Bool)? in
            guard let membership = try await HouseholdStore().membership(of: personID, on: db),
                  let household = try await HouseholdStore().find(id: membership.householdID, on: db) else { return nil }
            let dibao = try await DibaoStore().grants(ofHousehold: household.id, on: db).contains { $0.endsFrom == nil }
            return (household, try await RuralMedicalStore().eligibleMembers(of: household.id, year: year, on: db), dibao)
        }
        guard let (household, participants, dibao) = found, principal.may(.householdRead, in: household.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: household.region)
        guard !participants.isEmpty else { throw .conflict("ncms.nobody_eligible") }
        let input = RuralMedicalFinancingRule.Input(year: year, participants: participants.count, assisted: dibao ? participants.count : 0)
        let book = try await policy.book()
        let region = try await installation.required().region
        do {
            return NcmsDraft(household: household, year: year, participants: participants, assisted: input.assisted,
                             result: try RuralMedicalFinancingRule.evaluate(input, book: book, region: region))
        } catch {
            throw .rule(error)
        }
    }

    /// Enrols the household for the year, once: the enrolment with its split, and the year's
    /// financing receivable in the rural medical fund — the participants' part as contributions,
    /// the town's, district's and city's as subsidies.
    public func enrolNcms(person personID: Int64, year: String, by principal: Principal) async throws(ServiceError) -> NcmsEnrolment {
        let draft = try await ncmsDraft(person: personID, year: year, by: principal)
        let output = draft.result.output
        let enrolment = NcmsEnrolment(householdID: draft.household.id, year: draft.year, region: draft.household.region,
                                      participants: draft.participants.count, assisted: draft.assisted, financing: output)
        let district = try await installation.required().region
        let memo = context.strings.text("ledger.memo.ncms", .zhHans, ["year": String(enrolment.year), "household": draft.household.registerNumber])
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        return try await context.write { db in
            guard try await RuralMedicalStore().enrolment(household: enrolment.householdID, year: enrolment.year, on: db) == nil else {
                throw ServiceError.conflict("ncms.enrolled_already", ["year": String(enrolment.year)])
            }
            try await RuralMedicalStore().record(enrolment, by: actor, at: now, on: db)
            let subsidies = output.town + output.district + output.city
            var lines = [LedgerLine(.receivable, debit: output.total)]
            if output.participantsPay.fen > 0 { lines.append(LedgerLine(.contributionIncome, credit: output.participantsPay)) }
            if subsidies.fen > 0 { lines.append(LedgerLine(.subsidyIncome, credit: subsidies)) }
            let draft = LedgerEntryDraft(fund: .ruralMedical, occurredOn: today, memo: memo, source: "ncms:\(enrolment.householdID)", lines: lines)
            _ = try await LedgerStore().post(draft, region: district, key: "ncms:\(enrolment.householdID):\(enrolment.year)", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "ncms_enrolment", entityID: String(enrolment.householdID),
                                                region: enrolment.region,
                                                after: ["year": String(enrolment.year), "participants": String(enrolment.participants),
                                                        "assisted": String(enrolment.assisted), "total": output.total.yuanText]), on: db, at: now)
            return enrolment
        }
    }

    /// Participation per township of the reader's scope in `year`, against the year's target.
    public func ncmsParticipation(year: Int, by principal: Principal) async throws(ServiceError) -> [NcmsTownship] {
        try principal.require(.householdRead)
        let scope = principal.scope
        let book = try await policy.book()
        let district = try await installation.required().region
        var target: Rate?
        if case .rate(let rate)? = try? book.resolve("ncms.participation_target", region: district, on: LocalDate(year: year, month: 1, day: 1)!).value {
            target = rate
        }
        let rows = try await context.read { db in try await RuralMedicalStore().participation(year: year, in: scope, on: db) }
        return rows.map { NcmsTownship(participation: $0, target: target) }
    }
}

/// What a catastrophic-illness claim would pay: the scheme's share and medical assistance, explained.
public struct NcmsClaimDraft: Sendable {
    public var person: Person
    public var request: RuralMedicalClaim.Request
    public var result: RuleResult<RuralMedicalReimbursementRule.Output>
    public var assistance: RuleResult<RuralMedicalReimbursementRule.Output>?
}

extension AssistanceService {
    /// The case type with its effect: on approval the stay is recorded against the person's year,
    /// the scheme's share is owed from the rural medical fund and medical assistance from its own,
    /// both paid by the next payroll run. The year's figures must still be those the claim was
    /// computed with (another claim approved meanwhile changes the room under the caps).
    public static let ncmsClaims = CaseHandler(
        type: RuralMedicalClaim.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(RuralMedicalClaim.Request.self, from: Data(step.record.payload.utf8))
            let year = try await RuralMedicalStore().claimsToDate(person: request.personID, year: request.admittedOn.year, on: step.db)
            guard year.reimbursed == (request.input.paidThisYear ?? .zero), year.assistance == (request.assistanceInput?.paidThisYear ?? .zero) else {
                throw ServiceError.conflict("medical.year_changed")
            }
            try await RuralMedicalStore().recordClaim(request, case: step.record.id, region: step.record.region, by: step.actor, at: step.now, on: step.db)
            for (kind, fund, amount) in [("ncms", Fund.ruralMedical, request.reimbursement.reimbursement),
                                         ("medical_assistance", Fund.medicalAssistance, request.assistance?.reimbursement ?? .zero)] where amount.fen > 0 {
                try await PayrollStore().owe(source: "\(kind):\(step.record.id)", kind: kind, person: request.personID, region: step.record.region, fund: fund,
                                             amount: amount, paymentPoint: request.paymentPointID, account: request.account, at: step.now, on: step.db)
            }
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "ncms_claim", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "reimbursed": request.reimbursement.reimbursement.yuanText,
                                   "assistance": (request.assistance?.reimbursement ?? .zero).yuanText, "handler": request.handler.rawValue]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(RuralMedicalClaim.Request.self, from: Data(payload.utf8)) else { return [] }
            var facts = [
                CaseFact(labelKey: "medical.admitted_on", value: request.admittedOn.description),
                CaseFact(labelKey: "medical.discharged_on", value: request.dischargedOn.description),
                CaseFact(labelKey: "input.hospitalLevel", value: request.input.hospitalLevel?.rawValue ?? "—"),
                CaseFact(labelKey: "medical.total_cost", value: request.totalCost.formatted),
                CaseFact(labelKey: "input.eligibleCost", value: request.input.cost.formatted),
                CaseFact(labelKey: "ncms_claim.reimbursed", value: request.reimbursement.reimbursement.formatted),
                CaseFact(labelKey: "ncms_claim.handler", value: "ncms_handler." + request.handler.rawValue),
            ]
            if let assistance = request.assistance {
                facts.append(CaseFact(labelKey: "ncms_claim.assistance", value: assistance.reimbursement.formatted))
            }
            return facts
        })

    /// The scheme's share of `personID`'s stay: the household enrolled for the year of admission
    /// and the person outside employees' medical insurance that month; the hospital designated
    /// and open that day; the rate by its level; the year's earlier claims against the cap. A
    /// person assisted that month (a dibao household's member, five-guarantees support) also
    /// gets medical assistance on what is left to pay.
    public func ncmsClaim(person personID: Int64, institution: String, admittedOn: String, dischargedOn: String, totalCost: String, eligibleCost: String,
                          handler: String, paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> NcmsClaimDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }),
              principal.may(.householdRead, in: person.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: person.region)
        var issues: [FieldIssue] = []
        let stay = try await context.hospitalStay(institution: institution, admittedOn: admittedOn, dischargedOn: dischargedOn, totalCost: totalCost,
                                                  eligibleCost: eligibleCost, issues: &issues)
        let handledBy = RuralMedicalClaim.Handler(rawValue: handler)
        if handledBy == nil { issues.append(FieldIssue("handler", "field.not_in_list", ["value": handler])) }
        let payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let stay, let handledBy, let payee else { throw .invalid(issues) }
        let month = stay.admitted.period
        let (enrolled, employee, year, repeated, assisted) = try await context.read { db in
            try await BenefitsService.requireNoOpenClaim(RuralMedicalClaim.caseType, person: personID, busy: "ncms_claim.open", on: db)
            let household = try await HouseholdStore().membership(of: personID, on: db)?.householdID
            let enrolment = try await household.asyncMap { try await RuralMedicalStore().enrolment(household: $0, year: stay.admitted.year, on: db) } ?? nil
            let medical = try await InsuranceStore().enrolments(of: personID, on: db).contains {
                $0.scheme == .medical && $0.start <= month && ($0.end.map { month <= $0 } ?? true)
            }
            return (enrolment != nil, medical, try await RuralMedicalStore().claimsToDate(person: personID, year: stay.admitted.year, on: db),
                    try await RuralMedicalStore().claimed(person: personID, institution: stay.hospital.id, admittedOn: stay.admitted, on: db),
                    try await RuralMedicalStore().assisted(person: personID, in: month, on: db))
        }
        guard enrolled, !employee else { throw .conflict("ncms_claim.not_enrolled", ["year": String(stay.admitted.year)]) }
        guard !repeated else { throw .conflict("medical.stay_claimed", ["date": stay.admitted.description]) }
        let book = try await policy.book()
        let region = try await installation.required().region
        let input = RuralMedicalReimbursementRule.Input(date: stay.admitted, scheme: .ruralCooperative, cost: stay.eligible, paidThisYear: year.reimbursed,
                                                        hospitalLevel: stay.hospital.level)
        do {
            let result = try RuralMedicalReimbursementRule.evaluate(input, book: book, region: region)
            var assistance: RuleResult<RuralMedicalReimbursementRule.Output>?
            var assistanceInput: RuralMedicalReimbursementRule.Input?
            if assisted {
                let left = RuralMedicalClaim.Request.leftToPay(totalCost: stay.total, reimbursed: result.output.reimbursement)
                let next = RuralMedicalReimbursementRule.Input(date: stay.admitted, scheme: .medicalAssistance, cost: left, paidThisYear: year.assistance)
                assistance = try RuralMedicalReimbursementRule.evaluate(next, book: book, region: region)
                assistanceInput = next
            }
            let request = RuralMedicalClaim.Request(
                personID: personID, institutionID: stay.hospital.id, admittedOn: stay.admitted, dischargedOn: stay.discharged, totalCost: stay.total,
                handler: handledBy, input: input, reimbursement: result.output, assistanceInput: assistanceInput, assistance: assistance?.output,
                paymentPointID: payee.point.id, account: payee.account)
            return NcmsClaimDraft(person: person, request: request, result: result, assistance: assistance)
        } catch {
            throw .rule(error)
        }
    }

    /// Opens the claim the same figures give; one claim at a time per person.
    public func openNcmsClaim(person personID: Int64, institution: String, admittedOn: String, dischargedOn: String, totalCost: String, eligibleCost: String,
                              handler: String, paymentPoint: String, account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await ncmsClaim(person: personID, institution: institution, admittedOn: admittedOn, dischargedOn: dischargedOn, totalCost: totalCost,
                                        eligibleCost: eligibleCost, handler: handler, paymentPoint: paymentPoint, account: account, by: principal)
        return try await context.openClaim(RuralMedicalClaim.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                           busy: "ncms_claim.open", by: principal)
    }
}
