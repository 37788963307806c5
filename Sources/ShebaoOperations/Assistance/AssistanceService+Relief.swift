import Foundation
public import ShebaoCore
public import ShebaoStore

/// What a temporary-relief application would grant, explained.
public struct ReliefDraft: Sendable {
    public var person: Person
    public var request: TemporaryRelief.Request
    public var result: RuleResult<TemporaryReliefRule.Output>
}

/// The year's relief and charity in a reader's scope (PROGRAMS.md §4.7).
public struct CharityYear: Sendable {
    public var year: Int
    public var donations: [Donation]
    public var relief: [ReliefGrant]
    public var pairings: [PairedHelp]

    public var donated: Money { donations.reduce(.zero) { $0 + $1.amount } }
    public var granted: Money { relief.reduce(.zero) { $0 + $1.granted } }
    public var pledged: Money { pairings.reduce(.zero) { $0 + $1.pledged } }
    public var delivered: Money { pairings.reduce(.zero) { $0 + $1.delivered } }
}

extension AssistanceService {
    /// The case type with its effect: on approval the grant is recorded against the person's year
    /// and owed from the charity fund, paid by the next payroll run. The year's relief must still
    /// be what the application was computed with (another grant approved meanwhile uses the room).
    public static let reliefCases = CaseHandler(
        type: TemporaryRelief.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(TemporaryRelief.Request.self, from: Data(step.record.payload.utf8))
            let earlier = try await ReliefStore().granted(person: request.personID, year: request.input.date.year, on: step.db)
            guard earlier == (request.input.grantedThisYear ?? .zero) else { throw ServiceError.conflict("relief.year_changed") }
            guard request.output.granted.fen > 0 else { throw ServiceError.conflict("relief.nothing_left") }
            try await ReliefStore().recordGrant(request, case: step.record.id, region: step.record.region, at: step.now, on: step.db)
            try await PayrollStore().owe(source: "relief:\(step.record.id)", kind: "relief", person: request.personID, region: step.record.region,
                                         fund: .charity, amount: request.output.granted, paymentPoint: request.paymentPointID, account: request.account,
                                         at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "relief_grant", entityID: String(step.record.id), region: step.record.region,
                           after: ["person": String(request.personID), "granted": request.output.granted.yuanText, "reason": request.reason.rawValue]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(TemporaryRelief.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "relief.reason", value: "relief_reason." + request.reason.rawValue),
                CaseFact(labelKey: "relief.note", value: request.note.isEmpty ? "—" : request.note),
                CaseFact(labelKey: "input.requested", value: request.input.requested.formatted),
                CaseFact(labelKey: "input.grantedThisYear", value: (request.input.grantedThisYear ?? .zero).formatted),
                CaseFact(labelKey: "output.granted", value: request.output.granted.formatted),
            ]
        })

    /// What temporary relief `personID` would get: the amount asked, up to what is left of the
    /// year's cap after the relief granted them earlier this year. Nothing left is a refusal.
    public func reliefDraft(person personID: Int64, reason: String, requested: String, note: String, paymentPoint: String, account: String,
                            by principal: Principal) async throws(ServiceError) -> ReliefDraft {
        guard let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }),
              principal.may(.householdRead, in: person.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: person.region)
        var issues: [FieldIssue] = []
        let why = ReliefReason(rawValue: reason)
        if why == nil { issues.append(FieldIssue("reason", "field.not_in_list", ["value": reason])) }
        let asked = try? Money.parse(requested.trimmingUnicodeWhitespace())
        if asked == nil || asked!.fen <= 0 || asked! > Money.inputLimit { issues.append(FieldIssue("requested", "assistance.bad_amount", ["value": requested])) }
        let note = note.trimmingUnicodeWhitespace()
        if note.count > 200 || note.hasControlOrFormatCharacters { issues.append(FieldIssue("note", "field.too_long", ["max": "200"])) }
        let payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        guard issues.isEmpty, let why, let asked, let payee else { throw .invalid(issues) }
        guard person.status == .living else { throw .conflict("relief.deceased") }
        let today = context.today
        let earlier = try await context.read { db in
            try await BenefitsService.requireNoOpenClaim(TemporaryRelief.caseType, person: personID, busy: "relief.open", on: db)
            return try await ReliefStore().granted(person: personID, year: today.year, on: db)
        }
        let input = TemporaryReliefRule.Input(date: today, requested: asked, grantedThisYear: earlier)
        let book = try await policy.book()
        let district = try await installation.required().region
        let result: RuleResult<TemporaryReliefRule.Output>
        do { result = try TemporaryReliefRule.evaluate(input, book: book, region: district) } catch {
            throw .rule(error)
        }
        guard result.output.granted.fen > 0 else { throw .conflict("relief.nothing_left", ["granted": earlier.yuanText]) }
        let request = TemporaryRelief.Request(personID: personID, reason: why, note: note, input: input, output: result.output, paymentPointID: payee.point.id,
                                              account: payee.account)
        return ReliefDraft(person: person, request: request, result: result)
    }

    /// Opens the application the same figures give; one at a time per person.
    public func openRelief(person personID: Int64, reason: String, requested: String, note: String, paymentPoint: String, account: String,
                           by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await reliefDraft(person: personID, reason: reason, requested: requested, note: note, paymentPoint: paymentPoint, account: account,
                                          by: principal)
        return try await context.openClaim(TemporaryRelief.caseType, person: draft.person, payload: try perform { try StoreJSON.text(draft.request) },
                                           busy: "relief.open", by: principal)
    }

    /// Records a donation received into the charity fund or the education-aid fund: the fund's
    /// income account takes the money in, other income of the fund (a fund accountant's posting).
    public func recordDonation(fund: String, donor: String, amount: String, receivedOn: String, purpose: String,
                               by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.ledgerPost)
        var issues: [FieldIssue] = []
        let destination = DonationFund(rawValue: fund)
        if destination == nil { issues.append(FieldIssue("fund", "field.not_in_list", ["value": fund])) }
        let donor = donor.trimmingUnicodeWhitespace()
        if donor.isEmpty || donor.count > 100 || donor.hasControlOrFormatCharacters {
            issues.append(FieldIssue("donor", donor.isEmpty ? "field.required" : "field.too_long", ["max": "100"]))
        }
        let money = try? Money.parse(amount.trimmingUnicodeWhitespace())
        if money == nil || money!.fen <= 0 || money! > Money.inputLimit { issues.append(FieldIssue("amount", "assistance.bad_amount", ["value": amount])) }
        let day = LocalDate(iso: receivedOn.trimmingUnicodeWhitespace())
        if day == nil || day! > context.today || day!.year < 2003 { issues.append(FieldIssue("receivedOn", "land.bad_date", ["value": receivedOn])) }
        let purpose = purpose.trimmingUnicodeWhitespace()
        if purpose.count > 200 || purpose.hasControlOrFormatCharacters { issues.append(FieldIssue("purpose", "field.too_long", ["max": "200"])) }
        guard issues.isEmpty, let destination, let money, let day else { throw .invalid(issues) }
        let district = try await installation.required().region
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        let memo = context.strings.text("ledger.memo.donation", .zhHans, ["donor": donor])
        return try await context.write { db in
            let id = try await ReliefStore().recordDonation(fund: destination, donor: donor, amount: money, receivedOn: day, purpose: purpose, region: district,
                                                            by: actor, at: now, on: db)
            let entry = LedgerEntryDraft(fund: destination.fund, occurredOn: day, memo: memo, source: "donation:\(id)",
                                         lines: [LedgerLine(.incomeDeposit, debit: money), LedgerLine(.otherIncome, credit: money)])
            _ = try await LedgerStore().post(entry, region: district, key: "donation:\(id)", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "donation", entityID: String(id), region: district,
                                                after: ["fund": destination.rawValue, "amount": money.yuanText]), on: db, at: now)
            return id
        }
    }

    /// Records that a unit or a cadre helps a household in `year` with `pledged` (结对帮扶).
    public func pair(helperKind: String, helper: String, household registerNumber: String, year text: String, pledged: String,
                     by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.assistanceManage)
        var issues: [FieldIssue] = []
        let kind = HelperKind(rawValue: helperKind)
        if kind == nil { issues.append(FieldIssue("helperKind", "field.not_in_list", ["value": helperKind])) }
        let helper = helper.trimmingUnicodeWhitespace()
        if helper.isEmpty || helper.count > 100 || helper.hasControlOrFormatCharacters {
            issues.append(FieldIssue("helper", helper.isEmpty ? "field.required" : "field.too_long", ["max": "100"]))
        }
        let number = registerNumber.trimmingUnicodeWhitespace()
        let household = try await context.read { db in try await HouseholdStore().find(registerNumber: number, on: db) }
        if household == nil || !principal.may(.householdRead, in: household!.region) {
            issues.append(FieldIssue("household", "field.not_in_list", ["value": registerNumber]))
        }
        let today = context.today
        let year = Int(text.trimmingUnicodeWhitespace())
        if year == nil || !((today.year - 1)...(today.year + 1)).contains(year!) {
            issues.append(FieldIssue("year", "field.out_of_range", ["min": String(today.year - 1), "max": String(today.year + 1)]))
        }
        let money = try? Money.parse(pledged.trimmingUnicodeWhitespace())
        if money == nil || money!.fen <= 0 || money! > Money.inputLimit { issues.append(FieldIssue("pledged", "assistance.bad_amount", ["value": pledged])) }
        guard issues.isEmpty, let kind, let household, let year, let money else { throw .invalid(issues) }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard let id = try await ReliefStore().pair(kind: kind, helper: helper, household: household.id, region: household.region, year: year, pledged: money,
                                                        by: actor, at: now, on: db) else {
                throw ServiceError.conflict("relief.paired_already", ["helper": helper, "year": String(year)])
            }
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "paired_help", entityID: String(id), region: household.region,
                                                after: ["helper": helper, "household": household.registerNumber, "pledged": money.yuanText]), on: db, at: now)
            return id
        }
    }

    /// Adds what a helper handed over to the pairing's delivered amount.
    public func deliver(_ id: Int64, amount: String, by principal: Principal) async throws(ServiceError) -> PairedHelp {
        try principal.require(.assistanceManage)
        guard let pairing = try await context.read({ db in try await ReliefStore().pairing(id, on: db) }), principal.may(.householdRead, in: pairing.region) else {
            throw .notFound
        }
        let money = try? Money.parse(amount.trimmingUnicodeWhitespace())
        guard let money, money.fen > 0, money <= Money.inputLimit else { throw .invalid("amount", "assistance.bad_amount", ["value": amount]) }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard try await ReliefStore().deliver(id, amount: money, on: db), let updated = try await ReliefStore().pairing(id, on: db) else {
                throw ServiceError.notFound
            }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "paired_help", entityID: String(id), region: pairing.region,
                                                after: ["delivered": updated.delivered.yuanText]), on: db, at: now)
            return updated
        }
    }

    /// The year's donations (district-wide: the funds are the district's), and the relief and
    /// pairings in the reader's scope.
    public func charityYear(_ year: Int, by principal: Principal) async throws(ServiceError) -> CharityYear {
        try principal.require(.householdRead)
        let scope = principal.scope
        return try await context.read { db in
            CharityYear(year: year, donations: try await ReliefStore().donations(year: year, on: db),
                        relief: try await ReliefStore().grants(year: year, in: scope, on: db),
                        pairings: try await ReliefStore().pairings(year: year, in: scope, on: db))
        }
    }

    /// A person's relief grants and their household's paired help, for their page.
    public func reliefAndHelp(of personID: Int64, by principal: Principal) async throws(ServiceError) -> (relief: [ReliefGrant], help: [PairedHelp]) {
        try principal.require(.householdRead)
        return try await context.read { db in
            let household = try await HouseholdStore().membership(of: personID, on: db)?.householdID
            return (try await ReliefStore().grants(of: personID, on: db),
                    try await household.asyncMap { try await ReliefStore().pairings(ofHousehold: $0, on: db) } ?? [])
        }
    }
}

extension AssistanceService {
    /// Puts a household on the register of special-hardship families (特困家庭, PROGRAMS.md §4.7)
    /// with what it needs help with — work, schooling, living — and why; to be reviewed within a
    /// year. A household is on it once at a time.
    public func designateHardship(household registerNumber: String, needs: [String], reason: String,
                                  by principal: Principal) async throws(ServiceError) -> HardshipHousehold {
        try principal.require(.assistanceManage)
        var issues: [FieldIssue] = []
        let number = registerNumber.trimmingUnicodeWhitespace()
        let household = try await context.read { db in try await HouseholdStore().find(registerNumber: number, on: db) }
        if household == nil || !principal.may(.householdRead, in: household!.region) {
            issues.append(FieldIssue("household", "field.not_in_list", ["value": registerNumber]))
        }
        let chosen = needs.map { $0.trimmingUnicodeWhitespace() }.filter { !$0.isEmpty }
        let known = chosen.compactMap(HardshipNeed.init(rawValue:))
        if chosen.isEmpty || known.count != chosen.count {
            issues.append(FieldIssue("needs", chosen.isEmpty ? "field.required" : "field.not_in_list", ["value": chosen.joined(separator: ",")]))
        }
        let reason = reason.trimmingUnicodeWhitespace()
        if reason.isEmpty || reason.count > 200 || reason.hasControlOrFormatCharacters {
            issues.append(FieldIssue("reason", reason.isEmpty ? "field.required" : "field.too_long", ["max": "200"]))
        }
        guard issues.isEmpty, let household else { throw .invalid(issues) }
        let today = context.today
        let reviewBy = LocalDate(year: today.year + 1, month: today.month, day: min(today.day, 28)) ?? today
        let needs = HardshipNeed.allCases.filter(known.contains)
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard let id = try await ReliefStore().designate(household: household.id, region: household.region, needs: needs, reason: reason, on: today,
                                                             reviewBy: reviewBy, by: actor, on: db) else {
                throw ServiceError.conflict("hardship.listed_already", ["household": household.registerNumber])
            }
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "hardship_household", entityID: String(id), region: household.region,
                                                after: ["household": household.registerNumber, "needs": needs.map(\.rawValue).joined(separator: ",")]),
                                     on: db, at: now)
            guard let listed = try await ReliefStore().hardship(id, year: today.year, on: db) else { throw ServiceError.notFound }
            return listed
        }
    }

    /// Takes a family off the register, with the reason (its hardship is over, it moved away).
    public func endHardship(_ id: Int64, reason: String, by principal: Principal) async throws(ServiceError) -> HardshipHousehold {
        try principal.require(.assistanceManage)
        let today = context.today
        guard let listed = try await context.read({ db in try await ReliefStore().hardship(id, year: today.year, on: db) }),
              principal.may(.householdRead, in: listed.region) else { throw .notFound }
        let reason = reason.trimmingUnicodeWhitespace()
        guard !reason.isEmpty, reason.count <= 200, !reason.hasControlOrFormatCharacters else { throw .invalid("reason", "field.required") }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        return try await context.write { db in
            guard try await ReliefStore().endHardship(id, on: today, reason: reason, on: db) else { throw ServiceError.conflict("hardship.ended_already") }
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "hardship_household", entityID: String(id), region: listed.region,
                                                after: ["ended_on": today.description, "reason": reason]), on: db, at: now)
            guard let ended = try await ReliefStore().hardship(id, year: today.year, on: db) else { throw ServiceError.notFound }
            return ended
        }
    }

    /// The special-hardship families in the reader's scope with the help they received this year.
    public func hardshipHouseholds(current: Bool = true, by principal: Principal) async throws(ServiceError) -> [HardshipHousehold] {
        try principal.require(.householdRead)
        let scope = principal.scope
        let year = context.today.year
        return try await context.read { db in try await ReliefStore().hardshipHouseholds(in: scope, year: year, current: current, on: db) }
    }
}
