public import ShebaoCore
public import ShebaoStore
import SQLKit

/// A person insured on their own account (个体工商户、灵活就业人员, PROGRAMS.md §2.1): their
/// pension and medical enrolments without a unit, the base they declare each year, and whether
/// a year's base still may change.
public struct OwnAccountInsurance: Sendable {
    public struct Base: Sendable {
        public var year: Int
        public var declared: Money
        /// What pension and medical assess on it: each within its own bounds of the year.
        public var pension: Money
        public var medical: Money
        /// A posted assessment charged a month of the year on it: it stands.
        public var final: Bool
    }

    public var person: Person
    public var enrolments: [Enrolment]
    public var bases: [Base]
    /// The latest bills (two years of pension and medical), newest first, with what was collected.
    public var bills: [OwnBill]
    /// This year's floor and ceiling of the base for pension (80–300% of the reference wage for
    /// the self-employed) and for medical (60–300%).
    public var pensionBounds: BaseBounds
    public var medicalBounds: BaseBounds
    public var year: Int
}

extension InsuranceService {
    /// What the counter shows of a person's insurance on their own account; clerks who may read
    /// insurance in the person's region.
    public func ownAccount(personID: Int64, by principal: Principal) async throws(ServiceError) -> OwnAccountInsurance {
        let person = try await ownAccountPerson(personID, action: .insuranceRead, by: principal)
        let year = context.today.year
        let book = try await policy.book()
        let region = try await installation.required().region
        func bounds(_ scheme: Scheme, _ year: Int) throws(ServiceError) -> BaseBounds {
            try Self.bounds(scheme, .selfEmployed, year: year, book: book, region: region)
        }
        let (own, declared, bills) = try await context.read { db in
            let store = InsuranceStore()
            let own = try await store.enrolments(of: personID, on: db).filter { $0.payer == .selfEmployed }
            var declared: [(year: Int, declared: Money, final: Bool)] = []
            for base in try await store.bases(of: personID, on: db) {
                declared.append((base.year, base.declared,
                                 try await store.postedLine(person: personID, enrolments: own, year: base.year, kind: InsuranceAssessment.kind.id, on: db)))
            }
            return (own, declared, try await CollectionStore().ownBills(person: personID, limit: 48, on: db))
        }
        var bases: [OwnAccountInsurance.Base] = []
        for base in declared {
            bases.append(.init(year: base.year, declared: base.declared, pension: try bounds(.pension, base.year).assessed(base.declared),
                               medical: try bounds(.medical, base.year).assessed(base.declared), final: base.final))
        }
        let (pension, medical) = (try bounds(.pension, year), try bounds(.medical, year))
        return OwnAccountInsurance(person: person, enrolments: own, bases: bases, bills: bills, pensionBounds: pension, medicalBounds: medical, year: year)
    }

    /// Enrols the person on their own account (pension and medical) from `start`.
    public func enrolOwnAccount(personID: Int64, from start: String, by principal: Principal) async throws(ServiceError) -> [Enrolment] {
        let person = try await ownAccountPerson(personID, action: .enrolmentWrite, by: principal)
        return try await enrol(residentID: person.residentID.value, employer: nil, from: start, by: principal)
    }

    /// The base a person on their own account declares for `year` (one base for pension and
    /// medical, assessed within the year's bounds like a unit's): they must be enrolled on their
    /// own account in the year, and a year a posted assessment charged stands.
    public func declareOwnBase(personID: Int64, year: Int, declared text: String, by principal: Principal) async throws(ServiceError) -> Money {
        guard (1990...context.today.year + 1).contains(year) else {
            throw .invalid("year", "field.out_of_range", ["min": "1990", "max": String(context.today.year + 1)])
        }
        let declared: Money
        do {
            declared = try Money.parse(text)
        } catch {
            throw .invalid("declared", error.code, ["value": text])
        }
        guard declared.fen > 0, declared <= UnitFileImporter.amountLimit else {
            throw .invalid("declared", "base.amount_range", ["max": UnitFileImporter.amountLimit.yuanText])
        }
        let person = try await ownAccountPerson(personID, action: .enrolmentWrite, by: principal)
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            let store = InsuranceStore()
            let own = try await store.enrolments(of: personID, on: db).filter {
                $0.payer == .selfEmployed && $0.start.year <= year && ($0.end?.year ?? Int.max) >= year
            }
            guard !own.isEmpty else { throw ServiceError.conflict("base.not_own_account", ["year": String(year)]) }
            if try await store.postedLine(person: personID, enrolments: own, year: year, kind: InsuranceAssessment.kind.id, on: db) {
                throw ServiceError.conflict("base.year_billed", ["year": String(year)])
            }
            let before = try await store.bases(of: personID, on: db).first { $0.year == year }
            try await store.setBase(person: personID, year: year, declared: declared, by: actor, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: before == nil ? .create : .update, entity: "base_declaration", entityID: String(personID),
                           region: person.region, before: before.map { ["year": String(year), "declared": $0.declared.yuanText] },
                           after: ["year": String(year), "declared": declared.yuanText]),
                on: db, at: now)
            return declared
        }
    }

    /// The same for the person with `residentID` (the command line's way in).
    public func declareOwnBase(residentID text: String, year: Int, declared: String, by principal: Principal) async throws(ServiceError) -> Money {
        let residentID: ResidentID
        do {
            residentID = try ResidentID(text.trimmingUnicodeWhitespace().uppercased(), today: context.today)
        } catch {
            throw .invalid("residentID", error.code, error.arguments)
        }
        guard let personID = try await context.read({ db in try await PersonStore().ids(ofResidentIDs: [residentID], on: db)[residentID.value] }) else {
            throw .invalid("residentID", "base.not_registered", ["id": residentID.masked])
        }
        return try await declareOwnBase(personID: personID, year: year, declared: declared, by: principal)
    }

    /// The person, when `principal` may do `action` in their region (a unit's agent never: a
    /// person on their own account has no unit).
    private func ownAccountPerson(_ personID: Int64, action: Action, by principal: Principal) async throws(ServiceError) -> Person {
        guard principal.role != .employerAgent, principal.role != .citizen,
              let person = try await context.read({ db in try await PersonStore().find(id: personID, on: db) }) else { throw .notFound }
        try principal.require(action, in: person.region)
        return person
    }
}
