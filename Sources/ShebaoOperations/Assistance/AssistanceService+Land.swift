import Foundation
public import ShebaoCore
public import ShebaoStore

/// A requisition as the district clerk enters it, every field as typed.
public struct LandRequisitionForm: Sendable {
    public var town: String
    public var village: String
    /// Mu, up to two decimals.
    public var area: String
    public var compensation: String
    public var landSaleIncome: String
    public var requisitionedOn: String
    /// The resettlement plan's monthly tier.
    public var tier: String
    /// What each enrolled farmer brings into the special account.
    public var contribution: String
    public var paymentPoint: String
    /// One resident ID a line: the persons whose land was taken.
    public var members: String

    public init(town: String, village: String, area: String, compensation: String, landSaleIncome: String, requisitionedOn: String, tier: String,
                contribution: String, paymentPoint: String, members: String) {
        self.town = town
        self.village = village
        self.area = area
        self.compensation = compensation
        self.landSaleIncome = landSaleIncome
        self.requisitionedOn = requisitionedOn
        self.tier = tier
        self.contribution = contribution
        self.paymentPoint = paymentPoint
        self.members = members
    }
}

extension AssistanceService {
    /// Records a land requisition and its farmers (PROGRAMS.md §4.6; RULES.md §11): each person's
    /// age group on the day by ``LandRequisitionRule`` — children recorded, not enrolled; the
    /// others enrolled, paid monthly by the payroll from the month after 55 (women) or 60 (men),
    /// into the account on their record. Each enrolled farmer's contribution is split between
    /// government, collective and individual; the government's share must come out of the
    /// land-sale income (≥ 30%, 浙政发〔2003〕26号) and the other two out of the compensation,
    /// withheld at source. The whole lands in the special account of the land-requisition fund in
    /// one entry. Every problem of the list is named by its line; nothing is stored unless all is well.
    public func recordLandRequisition(_ form: LandRequisitionForm, by principal: Principal) async throws(ServiceError) -> Int64 {
        try principal.require(.assistanceManage)
        guard principal.role == .districtClerk || principal.role == .admin else { throw .forbidden }
        var issues: [FieldIssue] = []
        let town = try? RegionCode(form.town.trimmingUnicodeWhitespace())
        var known = false
        if let town, principal.scope.contains(town), town.level == .township {
            let regions = context.regions
            known = try await perform { try await regions.find(town) } != nil
        }
        if !known { issues.append(FieldIssue("town", "field.not_in_list", ["value": form.town])) }
        let village = form.village.trimmingUnicodeWhitespace()
        if village.isEmpty || village.count > 60 || village.hasControlOrFormatCharacters {
            issues.append(FieldIssue("village", village.isEmpty ? "field.required" : "field.too_long", ["max": "60"]))
        }
        let area = Self.centimu(form.area)
        if area == nil { issues.append(FieldIssue("area", "land.bad_area", ["value": form.area])) }
        let compensation = Self.amount(form.compensation, field: "compensation", issues: &issues)
        let income = Self.amount(form.landSaleIncome, field: "landSaleIncome", issues: &issues)
        let tier = Self.amount(form.tier, field: "tier", issues: &issues)
        let contribution = Self.amount(form.contribution, field: "contribution", issues: &issues)
        let day = LocalDate(iso: form.requisitionedOn.trimmingUnicodeWhitespace())
        if day == nil || day! > context.today || day!.year < 2003 { issues.append(FieldIssue("requisitionedOn", "land.bad_date", ["value": form.requisitionedOn])) }
        let point = try await context.paymentPoint(form.paymentPoint, issues: &issues)
        let people = try await members(form.members, in: principal.scope, issues: &issues)
        guard issues.isEmpty, let town, let area, let compensation, let income, let tier, let contribution, let day, let point else { throw .invalid(issues) }

        let book = try await policy.book()
        let district = try await installation.required().region
        var members: [(person: Person, group: RequisitionGroup, from: Period?)] = []
        var shares = (government: Money.zero, collective: Money.zero, individual: Money.zero)
        for (row, person) in people {
            let input = LandRequisitionRule.Input(birthDate: person.birthDate, sex: person.sex, requisitionDate: day, tierAmount: tier, contribution: contribution)
            let output: LandRequisitionRule.Output
            do { output = try LandRequisitionRule.evaluate(input, book: book, region: district).output } catch {
                throw .rule(error)
            }
            if output.group != .child {
                if person.bankAccount == nil { issues.append(FieldIssue("members", "land.row_no_account", ["row": String(row), "id": person.residentID.masked])) }
                shares.government += output.government
                shares.collective += output.collective
                shares.individual += output.individual
            }
            members.append((person, output.group, output.benefitStart))
        }
        if shares.government > income {
            issues.append(FieldIssue("landSaleIncome", "land.income_short", ["needed": shares.government.yuanText, "value": income.yuanText]))
        }
        if shares.collective + shares.individual > compensation {
            issues.append(FieldIssue("compensation", "land.compensation_short", ["needed": (shares.collective + shares.individual).yuanText,
                                                                               "value": compensation.yuanText]))
        }
        guard issues.isEmpty else { throw .invalid(issues) }

        let draft = LandRequisitionDraft(region: town, village: village, areaCentimu: area, compensation: compensation, landSaleIncome: income,
                                         requisitionedOn: day, tier: tier, contribution: contribution, government: shares.government,
                                         collective: shares.collective, individual: shares.individual, paymentPointID: point.id, members: members)
        let enrolled = members
        let split = shares
        let actor = AuditActor(principal)
        let now = context.now
        let context = self.context
        let memo = context.strings.text("ledger.memo.land", .zhHans, ["village": village, "date": day.description])
        return try await context.write { db in
            let taken = try await LandStore().affected(enrolled.map(\.person.id), on: db)
            if !taken.isEmpty {
                throw ServiceError.invalid(people.filter { taken.contains($0.person.id) }.map {
                    FieldIssue("members", "land.row_affected_before", ["row": String($0.row), "id": $0.person.residentID.masked])
                })
            }
            let id = try await LandStore().record(draft, by: actor, at: now, on: db)
            let total = split.government + split.collective + split.individual
            if total.fen > 0 {
                var lines = [LedgerLine(.specialDeposit, debit: total)]
                if split.government.fen > 0 { lines.append(LedgerLine(.subsidyIncome, credit: split.government)) }
                if (split.collective + split.individual).fen > 0 { lines.append(LedgerLine(.contributionIncome, credit: split.collective + split.individual)) }
                let entry = LedgerEntryDraft(fund: .landRequisition, occurredOn: day, memo: memo, source: "land:\(id)", lines: lines)
                _ = try await LedgerStore().post(entry, region: district, key: "land:\(id)", by: actor, at: now, on: db)
            }
            try await context.append(AuditEvent(actor: actor, action: .create, entity: "land_requisition", entityID: String(id), region: town,
                                                after: ["village": village, "members": String(enrolled.count), "total": total.yuanText]), on: db, at: now)
            return id
        }
    }

    /// The requisitions in the reader's scope, the latest first.
    public func landRequisitions(by principal: Principal) async throws(ServiceError) -> [LandRequisition] {
        try principal.require(.householdRead)
        let scope = principal.scope
        return try await context.read { db in try await LandStore().requisitions(in: scope, on: db) }
    }

    /// One requisition with its farmers; outside the reader's scope it is not found.
    public func landRequisition(_ id: Int64, by principal: Principal) async throws(ServiceError) -> (LandRequisition, [LandMember]) {
        try principal.require(.householdRead)
        guard let found = try await context.read({ db in try await LandStore().requisition(id, on: db) }), principal.scope.contains(found.region) else {
            throw .notFound
        }
        return (found, try await context.read { db in try await LandStore().members(of: id, on: db) })
    }

    /// A person's membership of a requisition, for their page.
    public func landMember(of personID: Int64, by principal: Principal) async throws(ServiceError) -> LandMember? {
        try principal.require(.householdRead)
        return try await context.read { db in try await LandStore().member(person: personID, on: db) }
    }

    /// The farmers of working age in the reader's scope whose benefit has not begun: the list the
    /// labour office trains (PROGRAMS.md §4.6).
    public func landTrainingList(by principal: Principal) async throws(ServiceError) -> [LandMember] {
        try principal.require(.householdRead)
        let scope = principal.scope
        let month = context.today.period
        return try await context.read { db in try await LandStore().trainingList(in: scope, month: month, on: db) }
    }

    /// The least an enrolled farmer is paid this month: ``LandRequisitionRule/floor(in:book:region:)``.
    public func landFloor() async throws(ServiceError) -> Money {
        do {
            return try LandRequisitionRule.floor(in: context.today.period, book: try await policy.book(), region: try await installation.required().region)
        } catch let error as RuleError {
            throw .rule(error)
        } catch {
            throw .failure(error)
        }
    }

    /// The persons of the list, one resident ID a line (blank lines skipped), each found in
    /// `scope`, living and named once; each problem named by its line.
    private func members(_ text: String, in scope: RegionCode, issues: inout [FieldIssue]) async throws(ServiceError) -> [(row: Int, person: Person)] {
        var found: [(row: Int, person: Person)] = []
        var seen: [String: Int] = [:]
        // By Character: a form's "\r\n" is one Character, so splitting on "\n" would not split it.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard lines.count <= 2_000 else {
            issues.append(FieldIssue("members", "land.too_many", ["max": "2000"]))
            return []
        }
        let today = context.today
        for (index, line) in lines.enumerated() {
            let row = index + 1
            let text = String(line).trimmingUnicodeWhitespace()
            if text.isEmpty { continue }
            guard let id = try? ResidentID(text, today: today) else {
                issues.append(FieldIssue("members", "land.row_bad_id", ["row": String(row)]))
                continue
            }
            if let first = seen[id.value] {
                issues.append(FieldIssue("members", "land.row_repeated", ["row": String(row), "first": String(first)]))
                continue
            }
            seen[id.value] = row
            guard let person = try await context.read({ db in try await PersonStore().find(residentID: id, in: scope, on: db) }) else {
                issues.append(FieldIssue("members", "land.row_unknown", ["row": String(row), "id": id.masked]))
                continue
            }
            if person.status == .deceased { issues.append(FieldIssue("members", "land.row_deceased", ["row": String(row), "id": id.masked])) }
            found.append((row, person))
        }
        if found.isEmpty && issues.allSatisfy({ $0.field != "members" }) { issues.append(FieldIssue("members", "field.required")) }
        return found
    }

    /// An amount in yuan, zero or more.
    static func amount(_ text: String, field: String, issues: inout [FieldIssue]) -> Money? {
        guard let value = try? Money.parse(text.trimmingUnicodeWhitespace()), value.fen >= 0, value <= Money.inputLimit else {
            issues.append(FieldIssue(field, "assistance.bad_amount", ["value": text]))
            return nil
        }
        return value
    }

    /// Mu with up to two decimals, as hundredths; more than zero and at most a million mu.
    static func centimu(_ text: String) -> Int64? {
        let parts = text.trimmingUnicodeWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), parts[0].allSatisfy(\.isASCIIDigit), whole <= 1_000_000 else { return nil }
        var hundredths: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit), let value = Int64(fraction) else { return nil }
            hundredths = fraction.count == 1 ? value * 10 : value
        }
        let total = whole * 100 + hundredths
        return total > 0 ? total : nil
    }
}
