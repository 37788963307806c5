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
            throw .refused(error.code, error.arguments)
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
