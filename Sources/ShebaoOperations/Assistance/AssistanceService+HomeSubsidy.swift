import Foundation
public import ShebaoCore
public import ShebaoStore

/// What a home's construction subsidy would be, explained.
public struct HomeSubsidyDraft: Sendable {
    public var institution: WelfareInstitution
    public var request: HomeSubsidy.Request
    public var result: RuleResult<WelfareHomeSubsidyRule.Output>
}

extension AssistanceService {
    /// The case type with its effect: on approval the subsidy is recorded, owed to the home from
    /// the five-guarantees fund, and the home's beds and space become those after the works.
    public static let homeSubsidyCases = CaseHandler(
        type: HomeSubsidy.caseType,
        onStep: { step in
            guard step.transition.id == "approve" else { return }
            let request = try StoreJSON.decoder.decode(HomeSubsidy.Request.self, from: Data(step.record.payload.utf8))
            try await HomeSubsidyStore().record(request, case: step.record.id, region: step.record.region, at: step.now, on: step.db)
            guard let district = try await InstallationStore().current(on: step.db)?.region else { throw ServiceError.conflict("installation.missing") }
            let memo = StringTables.bundled.text("ledger.memo.home_subsidy", .zhHans, ["home": request.institutionName])
            let entry = LedgerEntryDraft(fund: .fiveGuarantees, occurredOn: step.now.dateInChina, memo: memo, source: "home-subsidy:\(step.record.id)",
                                         lines: [LedgerLine(.otherExpense, debit: request.output.total), LedgerLine(.payable, credit: request.output.total)])
            _ = try await LedgerStore().post(entry, region: district, key: "home-subsidy:\(step.record.id)", by: step.actor, at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "home_subsidy", entityID: String(step.record.id), region: step.record.region,
                           after: ["home": String(request.institutionID), "total": request.output.total.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(HomeSubsidy.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "support.home_name", value: request.institutionName),
                CaseFact(labelKey: "input.date", value: request.input.date.description),
                CaseFact(labelKey: "input.renovationCost", value: request.input.renovationCost?.formatted ?? "—"),
                CaseFact(labelKey: "input.newBeds", value: request.input.newBeds.map(String.init) ?? "—"),
                CaseFact(labelKey: "output.renovationSubsidy", value: request.output.renovationSubsidy.formatted),
                CaseFact(labelKey: "output.bedSubsidy", value: request.output.bedSubsidy.formatted),
                CaseFact(labelKey: "output.total", value: request.output.total.formatted),
            ]
        })

    /// A home's subsidy for its works by ``WelfareHomeSubsidyRule``: a third of the approved cost,
    /// and 7,000 a new bed when the space after the works reaches 25 m² a resident. Nothing due is
    /// a refusal naming why.
    public func homeSubsidyDraft(home: String, date: String, renovationCost: String, newBeds: String, floorArea: String, residents: String,
                                 by principal: Principal) async throws(ServiceError) -> HomeSubsidyDraft {
        try principal.require(.assistanceManage)
        var issues: [FieldIssue] = []
        let id = Int64(home.trimmingUnicodeWhitespace())
        let institution = try await context.read { db in try await id.asyncMap { try await SupportStore().institution($0, on: db) } ?? nil }
        if institution == nil || !principal.may(.householdRead, in: institution!.region) { issues.append(FieldIssue("home", "field.not_in_list", ["value": home])) }
        let day = LocalDate(iso: date.trimmingUnicodeWhitespace())
        if day == nil || day! > context.today || day!.year < 2003 { issues.append(FieldIssue("date", "land.bad_date", ["value": date])) }
        let cost = renovationCost.trimmingUnicodeWhitespace().isEmpty ? nil : Self.amount(renovationCost, field: "renovationCost", issues: &issues)
        let beds = newBeds.trimmingUnicodeWhitespace().isEmpty ? nil : Self.count(newBeds, field: "newBeds", in: 0...5_000, issues: &issues)
        let area = floorArea.trimmingUnicodeWhitespace().isEmpty ? nil : Self.count(floorArea, field: "floorArea", in: 1...1_000_000, issues: &issues)
        let people = residents.trimmingUnicodeWhitespace().isEmpty ? nil : Self.count(residents, field: "residents", in: 1...10_000, issues: &issues)
        if (beds ?? 0) > 0 && (area == nil || people == nil) { issues.append(FieldIssue(area == nil ? "floorArea" : "residents", "field.required")) }
        guard issues.isEmpty, let institution, let day else { throw .invalid(issues) }
        let input = WelfareHomeSubsidyRule.Input(date: day, renovationCost: cost, newBeds: beds, floorArea: area, residents: people)
        let result: RuleResult<WelfareHomeSubsidyRule.Output>
        let book = try await policy.book()
        let district = try await installation.required().region
        do { result = try WelfareHomeSubsidyRule.evaluate(input, book: book, region: district) } catch {
            throw .rule(error)
        }
        guard result.output.total.fen > 0 else { throw .conflict(result.output.spaceStandardMet ? "home_subsidy.nothing" : "home_subsidy.space_short") }
        return HomeSubsidyDraft(institution: institution,
                                request: HomeSubsidy.Request(institutionID: institution.id, institutionName: institution.name, input: input, output: result.output),
                                result: result)
    }

    /// Opens the application the same figures give, for the home's region.
    public func openHomeSubsidy(home: String, date: String, renovationCost: String, newBeds: String, floorArea: String, residents: String,
                                by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await homeSubsidyDraft(home: home, date: date, renovationCost: renovationCost, newBeds: newBeds, floorArea: floorArea,
                                               residents: residents, by: principal)
        let payload = try await perform { try StoreJSON.text(draft.request) }
        let now = context.now
        let context = self.context
        return try await context.write { db in
            try await CaseService.open(HomeSubsidy.caseType, region: draft.institution.region, personID: nil, payload: payload, by: principal, context: context,
                                       at: now, on: db)
        }
    }

    /// The subsidies approved in the reader's scope, the latest first.
    public func homeSubsidies(by principal: Principal) async throws(ServiceError) -> [HomeSubsidyRecord] {
        try principal.require(.householdRead)
        let scope = principal.scope
        return try await context.read { db in try await HomeSubsidyStore().subsidies(in: scope, on: db) }
    }

    /// Records the transfer that paid an approved subsidy (a fund accountant): the special
    /// account funds the expenditure account, which pays the home; once.
    public func payHomeSubsidy(_ caseID: Int64, reference: String, paidOn dayText: String, by principal: Principal) async throws(ServiceError) -> HomeSubsidyRecord {
        try principal.require(.ledgerPost)
        var issues: [FieldIssue] = []
        let reference = reference.trimmingUnicodeWhitespace()
        if reference.isEmpty || reference.count > 60 || reference.hasControlOrFormatCharacters {
            issues.append(FieldIssue("reference", reference.isEmpty ? "field.required" : "field.too_long", ["max": "60"]))
        }
        let day = LocalDate(iso: dayText.trimmingUnicodeWhitespace())
        if day == nil || day! > context.today { issues.append(FieldIssue("paidOn", "levy.bad_date", ["value": dayText])) }
        guard issues.isEmpty, let day else { throw .invalid(issues) }
        guard let subsidy = try await context.read({ db in try await HomeSubsidyStore().subsidy(caseID, on: db) }), principal.may(.householdRead, in: subsidy.region)
        else { throw .notFound }
        guard subsidy.paidOn == nil else { throw .conflict("home_subsidy.paid_already") }
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        let district = try await installation.required().region
        let memo = context.strings.text("ledger.memo.home_subsidy_paid", .zhHans, ["home": subsidy.institutionName, "reference": reference])
        return try await context.write { db in
            guard try await HomeSubsidyStore().pay(caseID, on: day, reference: reference, by: actor, on: db) else { throw ServiceError.conflict("home_subsidy.paid_already") }
            let funding = LedgerEntryDraft(fund: .fiveGuarantees, occurredOn: day, memo: memo, source: "home-subsidy:\(caseID)",
                                           lines: [LedgerLine(.expenditureDeposit, debit: subsidy.total), LedgerLine(.specialDeposit, credit: subsidy.total)])
            _ = try await LedgerStore().post(funding, region: district, key: "home-subsidy:\(caseID):funding", by: actor, at: now, on: db)
            let payment = LedgerEntryDraft(fund: .fiveGuarantees, occurredOn: day, memo: memo, source: "home-subsidy:\(caseID)",
                                           lines: [LedgerLine(.payable, debit: subsidy.total), LedgerLine(.expenditureDeposit, credit: subsidy.total)])
            _ = try await LedgerStore().post(payment, region: district, key: "home-subsidy:\(caseID):paid", by: actor, at: now, on: db)
            try await context.append(AuditEvent(actor: actor, action: .update, entity: "home_subsidy", entityID: String(caseID), region: subsidy.region,
                                                after: ["paid_on": day.description, "reference": reference]), on: db, at: now)
            guard let paid = try await HomeSubsidyStore().subsidy(caseID, on: db) else { throw ServiceError.notFound }
            return paid
        }
    }
}
