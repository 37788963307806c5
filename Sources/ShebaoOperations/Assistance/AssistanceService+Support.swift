import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a person's five-guarantees or three-withouts support would be: the rule's input and
/// result, explained.
public struct SupportDraft: Sendable {
    public var person: Person
    public var request: SupportApplication.Request
    public var result: RuleResult<SupportStandardRule.Output>
}

/// The homes of the reader's scope with the support they pay, and the centralised rate.
public struct SupportOverview: Sendable {
    public var institutions: [WelfareInstitution]
    public var grants: [SupportGrant]
    public var rate: CentralisedRate
}

extension AssistanceService {
    /// The case type with its effect: approved, the support certificate is issued and the
    /// standard is paid every month from the month after — one support at a time per person,
    /// and a home takes no more residents than it has beds.
    public static let supportCases = CaseHandler(
        type: SupportApplication.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(SupportApplication.Request.self, from: Data(step.record.payload.utf8))
            guard try await SupportStore().grants(of: request.personID, on: step.db).allSatisfy({ $0.endsFrom != nil }) else {
                throw ServiceError.conflict("support.granted_already")
            }
            var home: WelfareInstitution?
            if let id = request.institutionID {
                guard let found = try await SupportStore().institution(id, on: step.db) else { throw ServiceError.conflict("support.no_institution") }
                guard found.residents < found.beds else { throw ServiceError.conflict("support.institution_full", ["institution": found.name]) }
                home = found
            }
            let today = step.now.dateInChina
            let from = today.period.next
            // 供养证书: the program's letters, the year and the case (五保 WB, 三无 SW).
            let certificate = "\(request.input.kind == .fiveGuarantees ? "WB" : "SW")\(today.year)-\(step.record.id)"
            try await SupportStore().recordGrant(request, case: step.record.id, region: step.record.region, institutionName: home?.name,
                                                 certificate: certificate, from: from, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "support_grant", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "form": request.form.rawValue, "monthly": request.standard.monthlyStandard.yuanText,
                                   "from": from.description, "certificate": certificate]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(SupportApplication.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.kind", value: request.input.kind.rawValue),
                CaseFact(labelKey: "support.ground", value: request.ground.rawValue),
                CaseFact(labelKey: "support.arrangement", value: request.arrangement.rawValue),
                CaseFact(labelKey: "output.yearlyStandard", value: request.standard.yearlyStandard.formatted),
                CaseFact(labelKey: "output.monthlyStandard", value: request.standard.monthlyStandard.formatted),
                CaseFact(labelKey: "output.districtShare", value: request.standard.districtShare.formatted),
                CaseFact(labelKey: "output.villagesAndTownsShare", value: request.standard.villagesAndTownsShare.formatted),
            ]
        })

    /// The support `personID` would get by the rule this year. Five guarantees are for villagers
    /// (agricultural hukou), three withouts for town residents; the ground must fit the register
    /// (60 or over, under 16, or a disability on record). Centralised support is paid to the
    /// home, which must have a bed free; dispersed support to the person's account.
    public func supportDraft(person personID: Int64, kind: String, ground: String, arrangement: String, institution: String, paymentPoint: String,
                             account: String, by principal: Principal) async throws(ServiceError) -> SupportDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }),
              principal.may(.householdRead, in: person.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: person.region)
        guard person.status == .living else { throw .conflict("support.deceased") }
        let today = context.today
        var issues: [FieldIssue] = []
        let supportKind = SupportKind(rawValue: kind)
        if supportKind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": kind])) }
        let supportGround = SupportGround(rawValue: ground)
        if supportGround == nil { issues.append(FieldIssue("ground", "field.not_in_list", ["value": ground])) }
        let how = SupportArrangement(rawValue: arrangement)
        if how == nil { issues.append(FieldIssue("arrangement", "field.not_in_list", ["value": arrangement])) }
        if let supportKind {
            let villager = person.hukouType == .agricultural
            if villager != (supportKind == .fiveGuarantees) { issues.append(FieldIssue("kind", "support.kind_hukou", ["kind": supportKind.rawValue])) }
        }
        if let supportGround {
            let age = person.birthDate.age(on: today)
            if !supportGround.fits(age: age) { issues.append(FieldIssue("ground", "support.ground_age", ["age": String(age)])) }
            if supportGround == .disabled && person.disability == nil { issues.append(FieldIssue("ground", "support.no_disability")) }
        }
        var home: WelfareInstitution?
        var payee: (point: PaymentPoint, account: String)?
        if how == .institution {
            let id = Int64(institution.trimmingUnicodeWhitespace())
            home = try await context.read { db in try await id.asyncMap { try await SupportStore().institution($0, on: db) } ?? nil }
            if home == nil {
                issues.append(FieldIssue("institution", "field.not_in_list", ["value": institution]))
            } else if let home, home.residents >= home.beds {
                issues.append(FieldIssue("institution", "support.institution_full", ["institution": home.name]))
            }
        } else if how != nil {
            payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        }
        guard issues.isEmpty, let supportKind, let supportGround, let how else { throw .invalid(issues) }
        let input = SupportStandardRule.Input(year: today.year, kind: supportKind, form: how.form)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<SupportStandardRule.Output>
        do {
            result = try SupportStandardRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        guard let paidTo = home.map({ ($0.paymentPointID, $0.account) }) ?? payee.map({ ($0.point.id, $0.account) }) else { throw .invalid(issues) }
        return SupportDraft(person: person, request: SupportApplication.Request(
            personID: personID, ground: supportGround, arrangement: how, institutionID: home?.id, input: input, standard: result.output,
            paymentPointID: paidTo.0, account: paidTo.1), result: result)
    }

    /// Opens the application the same figures give, for a person with no support application
    /// under way and no support being paid.
    public func openSupport(person personID: Int64, kind: String, ground: String, arrangement: String, institution: String, paymentPoint: String,
                            account: String, by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await supportDraft(person: personID, kind: kind, ground: ground, arrangement: arrangement, institution: institution,
                                           paymentPoint: paymentPoint, account: account, by: principal)
        let payload = try await perform { try StoreJSON.text(draft.request) }
        let now = context.now
        let context = self.context
        let type = SupportApplication.caseType
        return try await context.write { db in
            try await BenefitsService.requireNoOpenClaim(type, person: personID, busy: "support.open", on: db)
            guard try await SupportStore().grants(of: personID, on: db).allSatisfy({ $0.endsFrom != nil }) else {
                throw ServiceError.conflict("support.granted_already")
            }
            return try await CaseService.open(type, region: draft.person.region, personID: personID, payload: payload, by: principal, context: context,
                                              at: now, on: db)
        }
    }

    /// Adds a nursing or welfare home with its beds, floor space and the account its residents'
    /// support is paid into (a district clerk's work: homes take residents from every town).
    public func addInstitution(name: String, kind: String, region: String, beds: String, floorArea: String, paymentPoint: String, account: String,
                               by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.assistanceManage)
        guard principal.role == .districtClerk || principal.role == .admin else { throw .forbidden }
        var issues: [FieldIssue] = []
        let name = name.trimmingUnicodeWhitespace()
        if name.isEmpty || name.count > 100 { issues.append(FieldIssue("name", name.isEmpty ? "field.required" : "field.too_long", ["max": "100"])) }
        let institutionKind = InstitutionKind(rawValue: kind)
        if institutionKind == nil { issues.append(FieldIssue("kind", "field.not_in_list", ["value": kind])) }
        let code = try? RegionCode(region.trimmingUnicodeWhitespace())
        var known = false
        if let code, principal.scope.contains(code) {
            let regions = context.regions
            known = try await perform { try await regions.find(code) } != nil
        }
        if !known { issues.append(FieldIssue("region", "field.not_in_list", ["value": region])) }
        let bedCount = Self.count(beds, field: "beds", in: 1...5_000, issues: &issues)
        let area = Self.count(floorArea, field: "floorArea", in: 1...1_000_000, issues: &issues)
        let payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let institutionKind, let code, let bedCount, let area, let payee else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard try await SupportStore().institution(named: name, on: db) == nil else { throw ServiceError.conflict("support.institution_exists", ["name": name]) }
            let id = try await SupportStore().addInstitution(name: name, kind: institutionKind, region: code, beds: bedCount, floorArea: area,
                                                             paymentPoint: payee.point.id, account: payee.account, by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "welfare_institution", entityID: String(id), region: code,
                                                after: ["name": name, "beds": String(bedCount)]), on: db, at: now)
            return id
        }
    }

    /// A whole number typed into `field`, within `range`; nil with an issue otherwise.
    static func count(_ text: String, field: String, in range: ClosedRange<Int>, issues: inout [FieldIssue]) -> Int? {
        guard let value = Int(text.trimmingUnicodeWhitespace()), range.contains(value) else {
            issues.append(FieldIssue(field, "field.out_of_range", ["min": String(range.lowerBound), "max": String(range.upperBound)]))
            return nil
        }
        return value
    }

    /// Every home of the district (any town's supported person may live in any of them).
    public func institutions(by principal: Principal) async throws(ServiceError) -> [WelfareInstitution] {
        try principal.require(.householdRead)
        let district = try await installation.required().region
        return try await context.read { db in try await SupportStore().institutions(in: district, on: db) }
    }

    /// The homes, the support granted in the reader's scope and its centralised rate against the
    /// year's target.
    public func supportOverview(by principal: Principal) async throws(ServiceError) -> SupportOverview {
        try principal.require(.householdRead)
        let scope = principal.scope
        let institutions = try await institutions(by: principal)
        let (grants, counts) = try await context.read { db in
            (try await SupportStore().grants(in: scope, on: db), try await SupportStore().supported(in: scope, on: db))
        }
        let book = try await policy.book()
        let district = try await installation.required().region
        var target = Ratio(0)
        if case .rate(let rate)? = try? book.resolve("five_guarantees.centralised_target", region: district, on: context.today).value { target = Ratio(rate) }
        return SupportOverview(institutions: institutions, grants: grants,
                               rate: CentralisedRate(centralised: counts[.centralised] ?? 0, dispersed: counts[.dispersed] ?? 0, target: target))
    }

    /// A person's support, granted or ended (nil when the person is outside the reader's scope).
    public func supportGrants(of personID: Int64, by principal: Principal) async throws(ServiceError) -> [SupportGrant]? {
        try principal.require(.householdRead)
        let grants = try await context.read { db in try await SupportStore().grants(of: personID, on: db) }
        return grants.filter { principal.may(.householdRead, in: $0.region) }
    }

    /// Ends support from a month not yet paid (the person died, left the home for family, no
    /// longer qualifies — Art. 8), with the reason; nothing is owed for that month or after.
    public func endSupport(_ caseID: Int64, from text: String, reason: String, by principal: Principal) async throws(ServiceError) -> SupportGrant {
        let (from, reason) = try Self.ending(from: text, reason: reason)
        let actor = AuditActor(principal)
        let now = context.now
        let today = context.today
        let context = self.context
        return try await context.write { db in
            guard let grant = try await SupportStore().grant(caseID, on: db), principal.may(.householdRead, in: grant.region) else { throw ServiceError.notFound }
            try principal.require(.assistanceManage, in: grant.region)
            try Self.checkEnd(from: from, endsFrom: grant.endsFrom, paidThrough: grant.paidThrough, monthlyFrom: grant.monthlyFrom, today: today)
            guard try await SupportStore().end(caseID, from: from, reason: reason, on: db) else { throw ServiceError.conflict("dibao.ended") }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "support_grant", entityID: String(caseID), region: grant.region,
                                                after: ["ends_from": from.description, "reason": reason]), on: db, at: now)
            guard let ended = try await SupportStore().grant(caseID, on: db) else { throw ServiceError.notFound }
            return ended
        }
    }
}
