public import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A unit's insurance in a month: its schemes, headcount per scheme, and who is enrolled.
public struct UnitInsurance: Sendable {
    public struct Member: Sendable {
        public var personID: Int64
        public var name: String
        public var residentID: ResidentID
        public var enrolments: [Enrolment]
    }

    public var employer: Employer
    public var period: Period
    public var schemes: Set<Scheme>
    public var headcount: [Scheme: Int]
    public var members: [Member]
}

/// A person's base for a year as the unit declared it, with what is assessed and whether it is
/// below the wage the unit reported.
public struct DeclaredBase: Sendable {
    public var personID: Int64
    public var name: String
    public var residentID: ResidentID
    public var declared: Money?
    public var wage: Money?
    public var assessed: Money?
    public var underDeclared: Bool
}

/// What a unit's file did: rejected with every issue, or applied with how many lines.
public struct UnitFileOutcome: Sendable {
    public var fileName: String
    public var rowCount: Int
    public var issues: [ImportIssue]
    public var applied: Int

    public var accepted: Bool { issues.isEmpty }
}

/// Enrolment (PROGRAMS.md §2.1): start, interruption and stop with reasons, transfer between
/// units, staff changes by file (增减员), and the yearly base declaration (one base for pension,
/// medical and unemployment, held to 60–300% of the reference wage, flagged when below the wage).
extension InsuranceService {
    /// The unit, when the caller may read it; `write` also asks that they may change its staff.
    func unit(_ id: Int64, write: Bool, by principal: Principal) async throws(ServiceError) -> Employer {
        guard let employer = try await context.read({ db in try await EmployerStore().find(id: id, on: db) }) else { throw .notFound }
        if principal.role == .employerAgent {
            guard principal.employerID == employer.id else { throw .notFound }
            return employer
        }
        try principal.require(write ? .enrolmentWrite : .employerRead, in: employer.region)
        return employer
    }

    public func unitInsurance(_ employerID: Int64, period: Period, by principal: Principal) async throws(ServiceError) -> UnitInsurance {
        let employer = try await unit(employerID, write: false, by: principal)
        return try await context.read { db in
            let store = InsuranceStore()
            let running = try await store.enrolled(with: employerID, in: period, on: db)
            let persons = Dictionary(grouping: running, by: \.personID)
            var members: [UnitInsurance.Member] = []
            for (personID, enrolments) in persons {
                guard let person = try await PersonStore().find(id: personID, on: db) else { continue }
                members.append(.init(personID: personID, name: person.name, residentID: person.residentID, enrolments: enrolments))
            }
            members.sort { ($0.name, $0.personID) < ($1.name, $1.personID) }
            return UnitInsurance(employer: employer, period: period, schemes: try await store.schemes(of: employerID, on: db),
                                 headcount: try await store.headcount(of: employerID, in: period, on: db), members: members)
        }
    }

    /// Enrols a registered person (by resident ID) with a unit from `start`, in each of the unit's
    /// schemes, or on their own account (no unit) in pension and medical.
    public func enrol(residentID text: String, employer employerID: Int64?, from start: String, by principal: Principal) async throws(ServiceError) -> [Enrolment] {
        guard let period = Period(start), period.year >= 1990, period.firstDay <= context.today.adding(days: 62) else {
            throw .invalid("start", "period.invalid", ["value": start])
        }
        let residentID: ResidentID
        do {
            residentID = try ResidentID(text.trimmingUnicodeWhitespace().uppercased(), today: context.today)
        } catch {
            throw .invalid("residentID", error.code, error.arguments)
        }
        var employer: Employer?
        if let employerID {
            employer = try await unit(employerID, write: true, by: principal)
        } else {
            try principal.require(.enrolmentWrite)
            guard principal.role != .employerAgent else { throw .forbidden }
        }
        let unit = employer
        let actor = AuditActor(principal)
        let now = context.now
        let scope = principal.scope
        return try await context.write { db in
            let store = InsuranceStore()
            guard let personID = try await PersonStore().ids(ofResidentIDs: [residentID], on: db)[residentID.value],
                  let person = try await PersonStore().find(id: personID, on: db) else {
                throw ServiceError.invalid("residentID", "base.not_registered", ["id": residentID.masked])
            }
            if unit == nil && !scope.contains(person.region) { throw ServiceError.notFound }
            var schemes: [Scheme] = [.pension, .medical]
            if let unit {
                let insured = try await store.schemes(of: unit.id, on: db)
                schemes = Scheme.allCases.filter(insured.contains)
            }
            guard !schemes.isEmpty else { throw ServiceError.conflict("enrolment.unit_without_schemes") }
            var created: [Enrolment] = []
            for scheme in schemes {
                if let open = try await store.openEnrolments(of: personID, scheme: scheme, on: db).first {
                    throw ServiceError.conflict("enrolment.already_open", ["unit": open.employerName ?? "—", "from": open.start.description],
                                                labels: ["scheme": scheme.labelKey])
                }
                // Enrolments in a scheme never overlap: a month is billed once.
                if try await store.overlaps(person: personID, scheme: scheme, from: period, on: db) {
                    throw ServiceError.conflict("enrolment.overlaps", ["from": period.description], labels: ["scheme": scheme.labelKey])
                }
                let id = try await store.enrol(person: personID, employer: unit?.id, scheme: scheme, payer: unit == nil ? .selfEmployed : .employee,
                                               region: person.region, from: period, by: actor, at: now, on: db)
                if let enrolment = try await store.enrolment(id, on: db) { created.append(enrolment) }
            }
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "enrolment", entityID: String(personID), region: person.region,
                           after: ["employer": unit.map { String($0.id) } ?? "", "from": period.description, "schemes": schemes.map(\.rawValue).joined(separator: ",")]),
                on: db, at: now)
            return created
        }
    }

    /// Ends an enrolment with its last month covered: never before a month already billed, never
    /// before it started.
    public func endEnrolment(_ id: Int64, last text: String, reason: EnrolmentEnd, by principal: Principal) async throws(ServiceError) -> Enrolment {
        guard let last = Period(text), last.year >= 1990 else { throw .invalid("last", "period.invalid", ["value": text]) }
        guard let current = try await context.read({ db in try await InsuranceStore().enrolment(id, on: db) }) else { throw .notFound }
        try await requireWrite(current, by: principal)
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            try await Self.end(current, last: last, reason: reason, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "enrolment", entityID: String(id), region: nil,
                           before: ["end": ""], after: ["end": last.description, "reason": reason.rawValue]),
                on: db, at: now)
            guard let ended = try await InsuranceStore().enrolment(id, on: db) else { throw ServiceError.notFound }
            return ended
        }
    }

    static func end(_ enrolment: Enrolment, last: Period, reason: EnrolmentEnd, on db: any SQLDatabase) async throws {
        guard enrolment.end == nil else { throw ServiceError.conflict("enrolment.ended", ["end": enrolment.end!.description]) }
        guard last >= enrolment.start.previous else { throw ServiceError.invalid("last", "enrolment.end_before_start", ["start": enrolment.start.description]) }
        if let billed = try await InsuranceStore().lastBilledPeriod(of: enrolment.id, on: db), last < billed {
            throw ServiceError.invalid("last", "enrolment.end_before_billed", ["billed": billed.description])
        }
        try await InsuranceStore().end(enrolment.id, last: last, reason: reason.rawValue, on: db)
    }

    /// The same, the new unit named by its credit code.
    public func transfer(_ personID: Int64, from oldUnit: Int64, toCreditCode text: String, start: String, by principal: Principal) async throws(ServiceError) -> [Enrolment] {
        let code: String
        do {
            code = try CreditCode(text.trimmingUnicodeWhitespace().uppercased()).value
        } catch {
            throw .invalid("creditCode", error.code, error.arguments)
        }
        guard let target = try await context.read({ db in try await CollectionStore().employers(withCodes: [code], on: db)[code] }) else {
            throw .invalid("creditCode", "collection.unknown_unit")
        }
        return try await transfer(personID, from: oldUnit, to: target.id, start: start, by: principal)
    }

    /// Moves a person's running enrolments with a unit to another unit from `start`: each ends
    /// with the month before (transferred), and the new unit's schemes start.
    public func transfer(_ personID: Int64, from oldUnit: Int64, to newUnit: Int64, start text: String, by principal: Principal) async throws(ServiceError) -> [Enrolment] {
        guard let start = Period(text), start.year >= 1990 else { throw .invalid("start", "period.invalid", ["value": text]) }
        _ = try await unit(oldUnit, write: true, by: principal)
        let target = try await unit(newUnit, write: true, by: principal)
        guard oldUnit != newUnit else { throw .invalid("employer", "enrolment.same_unit") }
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            let store = InsuranceStore()
            let running = try await store.openEnrolments(of: personID, on: db).filter { $0.employerID == oldUnit }
            guard !running.isEmpty, let person = try await PersonStore().find(id: personID, on: db) else { throw ServiceError.notFound }
            for enrolment in running { try await Self.end(enrolment, last: start.previous, reason: .transferred, on: db) }
            var created: [Enrolment] = []
            for scheme in Scheme.allCases where try await store.schemes(of: target.id, on: db).contains(scheme) {
                let id = try await store.enrol(person: personID, employer: target.id, scheme: scheme, payer: .employee, region: person.region, from: start,
                                               by: actor, at: now, on: db)
                if let enrolment = try await store.enrolment(id, on: db) { created.append(enrolment) }
            }
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "enrolment", entityID: String(personID), region: person.region,
                           before: ["employer": String(oldUnit)], after: ["employer": String(target.id), "from": start.description]),
                on: db, at: now)
            return created
        }
    }

    /// A unit's staff changes file (增减员): every row checked first; a clean file adds (each of
    /// the unit's schemes from the month) and removes (every running enrolment with the unit
    /// ended with the month before) in one transaction.
    public func importStaffChanges(_ data: Data, fileName: String, employer employerID: Int64, by principal: Principal) async throws(ServiceError) -> UnitFileOutcome {
        let employer = try await unit(employerID, write: true, by: principal)
        let today = context.today
        let strings = context.strings
        let checked = try await context.read { db in try await UnitFileImporter(strings: strings).staffChanges(data, fileName: fileName, today: today, on: db) }
        guard checked.issues.isEmpty else { return UnitFileOutcome(fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, applied: 0) }
        let actor = AuditActor(principal)
        let now = context.now
        let outcome: Result<Int, UnitFileRefusal> = try await context.writeRefusing { db in
            let store = InsuranceStore()
            let schemes = try await store.schemes(of: employer.id, on: db)
            var issues: [ImportIssue] = []
            func refuse(_ line: StaffChangeLine, _ code: String, _ arguments: [String: String] = [:]) {
                issues.append(ImportIssue(sheet: fileName, row: line.row, column: "", header: "", code: code, arguments: arguments))
            }
            for line in checked.lines {
                guard let person = try await PersonStore().find(id: line.personID, on: db) else { continue }
                let running = try await store.openEnrolments(of: line.personID, on: db)
                switch line.change {
                case .add:
                    if let open = running.first(where: { schemes.contains($0.scheme) }) {
                        refuse(line, "enrolment.already_open", ["unit": open.employerName ?? "—", "from": open.start.description])
                        continue
                    }
                    var overlapping = false
                    for scheme in Scheme.allCases where schemes.contains(scheme) {
                        overlapping = try await store.overlaps(person: line.personID, scheme: scheme, from: line.period, on: db)
                        if overlapping { break }
                    }
                    if overlapping {
                        refuse(line, "enrolment.overlaps", ["from": line.period.description])
                        continue
                    }
                    for scheme in Scheme.allCases where schemes.contains(scheme) {
                        _ = try await store.enrol(person: line.personID, employer: employer.id, scheme: scheme, payer: .employee, region: person.region,
                                                  from: line.period, by: actor, at: now, on: db)
                    }
                case .remove:
                    let withUnit = running.filter { $0.employerID == employer.id }
                    if withUnit.isEmpty {
                        refuse(line, "enrolment.not_with_unit")
                        continue
                    }
                    do {
                        for enrolment in withUnit { try await Self.end(enrolment, last: line.period.previous, reason: line.reason ?? .leftUnit, on: db) }
                    } catch let error as ServiceError {
                        refuse(line, error.code, error.arguments)
                    }
                }
            }
            // A line the register refuses rejects the file: nothing of it stays.
            guard issues.isEmpty else { throw UnitFileRefusal(issues: issues) }
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "staff_changes", entityID: String(employer.id), region: employer.region,
                           after: ["file": fileName, "rows": String(checked.lines.count)]),
                on: db, at: now)
            return checked.lines.count
        }
        switch outcome {
        case .success(let applied): return UnitFileOutcome(fileName: fileName, rowCount: checked.rowCount, issues: [], applied: applied)
        case .failure(let refusal): return UnitFileOutcome(fileName: fileName, rowCount: checked.rowCount, issues: refusal.issues, applied: 0)
        }
    }

    // MARK: Bases

    /// The bounds of `year`'s bases (60–300% of the reference wage in force in January).
    public func baseBounds(year: Int) async throws(ServiceError) -> BaseBounds {
        try Self.bounds(.pension, .employee, year: year, book: try await policy.book(), region: try await installation.required().region)
    }

    /// The floor and ceiling a base is assessed within for `scheme` and `payer` in `year`, by the
    /// rules' own resolution of the parameters (so a page shows what the assessment charges).
    static func bounds(_ scheme: Scheme, _ payer: PayerType, year: Int, book: ParameterBook, region: RegionCode) throws(ServiceError) -> BaseBounds {
        do {
            let rates = try ContributionColumns(scheme: scheme, payer: payer, period: Period(year: year, month: 1)!, book: book, region: region).rates
            return BaseBounds(floor: Money(fen: rates.floor), ceiling: Money(fen: rates.ceiling))
        } catch {
            throw .rule(error)
        }
    }

    /// A unit's declared bases for `year`; `billed` when a month of the year has gone out as a
    /// bill, after which its bases stand.
    public func declaredBases(_ employerID: Int64, year: Int, by principal: Principal) async throws(ServiceError)
        -> (bounds: BaseBounds, billed: Bool, bases: [DeclaredBase]) {
        _ = try await unit(employerID, write: false, by: principal)
        let bounds = try await baseBounds(year: year)
        let (rows, billed) = try await context.read { db in
            (try await InsuranceStore().unitBases(of: employerID, year: year, on: db),
             try await SQLPieces.count(db, """
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM bills WHERE employer_id = \(bind: employerID)
                    AND period BETWEEN \(bind: Int64(year * 100 + 1)) AND \(bind: Int64(year * 100 + 12))
                """) > 0)
        }
        return (bounds, billed, rows.map {
            DeclaredBase(personID: $0.personID, name: $0.name, residentID: $0.residentID, declared: $0.declared, wage: $0.wage,
                         assessed: $0.declared.map(bounds.assessed), underDeclared: $0.declared.map { [wage = $0.wage] declared in bounds.isUnderDeclared(declared, wage: wage) } ?? false)
        })
    }

    /// A unit's base declaration for `year` from its page or its file: each person must be
    /// enrolled with the unit in the year; a year already billed for the person cannot change.
    public func declareBases(_ employerID: Int64, fileName: String, data: Data, by principal: Principal) async throws(ServiceError) -> UnitFileOutcome {
        let employer = try await unit(employerID, write: true, by: principal)
        let today = context.today
        let strings = context.strings
        let checked = try await context.read { db in try await UnitFileImporter(strings: strings).bases(data, fileName: fileName, today: today, on: db) }
        guard checked.issues.isEmpty else { return UnitFileOutcome(fileName: fileName, rowCount: checked.rowCount, issues: checked.issues, applied: 0) }
        return try await writeBases(checked.lines, employer: employer, fileName: fileName, rowCount: checked.rowCount, by: principal)
    }

    /// The same from the page's form: one line per person of the unit.
    public func declareBases(_ employerID: Int64, year: Int, entries: [(personID: Int64, declared: String, wage: String)],
                             by principal: Principal) async throws(ServiceError) -> UnitFileOutcome {
        let employer = try await unit(employerID, write: true, by: principal)
        var lines: [BaseLine] = []
        var issues: [FieldIssue] = []
        for (index, entry) in entries.enumerated() where !entry.declared.trimmingUnicodeWhitespace().isEmpty {
            do {
                let declared = try Money.parse(entry.declared)
                let wageText = entry.wage.trimmingUnicodeWhitespace()
                let wage = wageText.isEmpty ? nil : try Money.parse(wageText)
                guard declared.fen > 0, declared <= UnitFileImporter.amountLimit, (wage?.fen ?? 1) > 0, (wage ?? .zero) <= UnitFileImporter.amountLimit else {
                    issues.append(FieldIssue("declared\(index)", "base.amount_range", ["max": UnitFileImporter.amountLimit.yuanText]))
                    continue
                }
                lines.append(BaseLine(row: index + 1, personID: entry.personID, year: year, declared: declared, wage: wage))
            } catch {
                issues.append(FieldIssue("declared\(index)", error.code, ["value": entry.declared]))
            }
        }
        guard issues.isEmpty else { throw .invalid(issues) }
        return try await writeBases(lines, employer: employer, fileName: "", rowCount: lines.count, by: principal)
    }

    private func writeBases(_ lines: [BaseLine], employer: Employer, fileName: String, rowCount: Int, by principal: Principal) async throws(ServiceError) -> UnitFileOutcome {
        let actor = AuditActor(principal)
        let now = context.now
        let outcome: Result<Int, UnitFileRefusal> = try await context.writeRefusing { db in
            var issues: [ImportIssue] = []
            // Each year's staff and the persons with a bill in it, read once for the file.
            var staff: [Int: Set<Int64>] = [:]
            var billed: [Int: Set<Int64>] = [:]
            for year in Set(lines.map(\.year)) {
                staff[year] = Set(try await InsuranceStore().unitBases(of: employer.id, year: year, on: db).map(\.personID))
                for persons in lines.filter({ $0.year == year }).map(\.personID).chunked(into: 500) {
                    billed[year, default: []].formUnion(try await db.raw(
                        """
                        SELECT DISTINCT l.person_id FROM assessment_lines l JOIN bills b ON b.run_id = l.run_id AND b.employer_id = l.employer_id
                            AND b.scheme = l.scheme AND b.period = l.period
                        WHERE l.period BETWEEN \(bind: Int64(year * 100 + 1)) AND \(bind: Int64(year * 100 + 12)) AND l.person_id IN (\(binds: Array(persons)))
                        """
                    ).all().map { try $0.decode(column: "person_id", as: Int64.self) })
                }
            }
            for line in lines {
                guard staff[line.year]?.contains(line.personID) == true else {
                    issues.append(ImportIssue(sheet: fileName, row: line.row, column: "", header: "", code: "base.not_with_unit", arguments: ["year": String(line.year)]))
                    continue
                }
                if billed[line.year]?.contains(line.personID) == true {
                    issues.append(ImportIssue(sheet: fileName, row: line.row, column: "", header: "", code: "base.year_billed", arguments: ["year": String(line.year)]))
                    continue
                }
                try await InsuranceStore().setBase(person: line.personID, year: line.year, declared: line.declared, wage: line.wage, by: actor, at: now, on: db)
            }
            guard issues.isEmpty else { throw UnitFileRefusal(issues: issues) }
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "base_declaration", entityID: String(employer.id), region: employer.region,
                           after: ["file": fileName, "rows": String(lines.count)]),
                on: db, at: now)
            return lines.count
        }
        switch outcome {
        case .success(let applied): return UnitFileOutcome(fileName: fileName, rowCount: rowCount, issues: [], applied: applied)
        case .failure(let refusal): return UnitFileOutcome(fileName: fileName, rowCount: rowCount, issues: refusal.issues, applied: 0)
        }
    }

    private func requireWrite(_ enrolment: Enrolment, by principal: Principal) async throws(ServiceError) {
        if let employerID = enrolment.employerID {
            _ = try await unit(employerID, write: true, by: principal)
        } else {
            guard principal.role != .employerAgent, let person = try await context.read({ db in try await PersonStore().find(id: enrolment.personID, on: db) })
            else { throw .notFound }
            try principal.require(.enrolmentWrite, in: person.region)
        }
    }
}

/// Lines of a unit's file the register refused while writing it: the transaction rolls back.
struct UnitFileRefusal: Error {
    var issues: [ImportIssue]
}

extension ServiceContext {
    /// One transaction that a ``UnitFileRefusal`` rolls back and hands back as the result, so a
    /// file's line-level refusals reach the user as a report, not as a failure.
    func writeRefusing<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws(ServiceError) -> Result<T, UnitFileRefusal> {
        do {
            return .success(try await database.write(body))
        } catch let refusal as UnitFileRefusal {
            return .failure(refusal)
        } catch {
            throw ServiceError.from(error)
        }
    }
}
