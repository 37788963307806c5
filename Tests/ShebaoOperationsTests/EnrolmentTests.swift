import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Enrolment and bases (issue 10): a person enrolled in each of the unit's schemes once; an end
/// never before a billed month; a transfer ends here and starts there; the headcount of any month;
/// a staff-changes file applied whole or not at all; bases held to their bounds, flagged below the
/// wage, final once billed.
@Suite("Enrolment and bases")
struct EnrolmentTests {
    /// Two units with schemes and a registered adult enrolled nowhere.
    static func setting(_ operations: Operations) async throws -> (unit: Int64, other: Int64, otherCode: String, person: Int64, residentID: String) {
        try await operations.database.read { db in
            let units = try await db.raw(
                "SELECT e.id, e.credit_code FROM employers e WHERE EXISTS (SELECT 1 FROM employer_schemes s WHERE s.employer_id = e.id) ORDER BY e.id LIMIT 2"
            ).all()
            let person = try await db.raw(
                """
                SELECT id, resident_id FROM persons WHERE id NOT IN (SELECT person_id FROM enrolments) AND birth_date < '2000-01-01' AND birth_date > '1970-01-01'
                ORDER BY id LIMIT 1
                """
            ).first()!
            return (try units[0].decode(column: "id", as: Int64.self), try units[1].decode(column: "id", as: Int64.self),
                    try units[1].decode(column: "credit_code", as: String.self), try person.decode(column: "id", as: Int64.self),
                    try person.decode(column: "resident_id", as: String.self))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func enrolEndTransferAndCount(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let (unit, other, otherCode, person, residentID) = try await Self.setting(operations)
            let clerk = try await operations.access.principal(named: "district")
            let before = try await operations.insurance.unitInsurance(unit, period: Period(year: 2026, month: 3)!, by: clerk)
            let created = try await operations.insurance.enrol(residentID: residentID, employer: unit, from: "2026-03", by: clerk)
            #expect(Set(created.map(\.scheme)) == before.schemes && created.allSatisfy { $0.payer == .employee && $0.start == Period(year: 2026, month: 3)! })
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.enrol(residentID: residentID, employer: unit, from: "2026-04", by: clerk) }
            let after = try await operations.insurance.unitInsurance(unit, period: Period(year: 2026, month: 3)!, by: clerk)
            for scheme in before.schemes { #expect(after.headcount[scheme] == (before.headcount[scheme] ?? 0) + 1) }
            // February is before the start: the month's headcount is as it was.
            #expect(try await operations.insurance.unitInsurance(unit, period: Period(year: 2026, month: 2)!, by: clerk).headcount == before.headcount)

            // With a base declared, July is billed: the enrolment cannot end in June; a transfer ends it in July and starts in the other unit.
            #expect(try await operations.insurance.declareBases(unit, year: 2026, entries: [(person, "6000.00", "6000.00")], by: clerk).accepted)
            _ = try await closeMonth(operations, Period(year: 2026, month: 7)!)
            let first = try #require(created.first)
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.endEnrolment(first.id, last: "2026-06", reason: .leftUnit, by: clerk) }
            let moved = try await operations.insurance.transfer(person, from: unit, toCreditCode: otherCode, start: "2026-08", by: clerk)
            #expect(!moved.isEmpty && moved.allSatisfy { $0.employerID == other && $0.start == Period(year: 2026, month: 8)! })
            let ended = try await operations.database.read { db in try await InsuranceStore().enrolment(first.id, on: db) }
            #expect(ended?.end == Period(year: 2026, month: 7)! && ended?.endReason == "transferred")

            // A town clerk outside the unit's town cannot change its staff; an agent only their own unit's.
            let agent = try await operations.access.principal(named: "employer")
            if agent.employerID != unit {
                await #expect(throws: ServiceError.self) { _ = try await operations.insurance.unitInsurance(unit, period: Period(year: 2026, month: 3)!, by: agent) }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aStaffChangesFileIsAppliedWholeOrNotAtAll(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let (unit, _, _, _, residentID) = try await Self.setting(operations)
            let clerk = try await operations.access.principal(named: "district")
            let month = Period(year: 2026, month: 9)!
            let staff = try await operations.insurance.unitInsurance(unit, period: month, by: clerk)
            let leaving = try #require(staff.members.first)
            let header = ["公民身份号码", "增减员", "变动年月", "减员原因"]
            func file(_ rows: [[String]]) -> Data { CSV.write(header: header, rows: rows) }
            // One unregistered ID: nothing happens.
            let bad = try await operations.insurance.importStaffChanges(
                file([[residentID, "增员", "2026-09", ""], [leaving.residentID.value, "减员", "2026-09", "退休"], ["110101199003074514", "增员", "2026-09", ""]]),
                fileName: "bad.csv", employer: unit, by: clerk)
            #expect(!bad.accepted && bad.issues.contains { $0.row == 4 && $0.code == "base.not_registered" })
            #expect(try await operations.insurance.unitInsurance(unit, period: month, by: clerk).headcount == staff.headcount)
            // Removing someone twice in a file is refused when the register sees it: nothing stays.
            let twice = try await operations.insurance.importStaffChanges(
                file([[residentID, "add", "2026-09", ""], [leaving.residentID.value, "remove", "2026-09", "retired"], [leaving.residentID.value, "remove", "2026-10", ""]]),
                fileName: "twice.csv", employer: unit, by: clerk)
            #expect(!twice.accepted && twice.issues.contains { $0.row == 4 && $0.code == "enrolment.not_with_unit" })
            #expect(try await operations.insurance.unitInsurance(unit, period: month, by: clerk).headcount == staff.headcount)
            // The clean file: one in, one out from September.
            let good = try await operations.insurance.importStaffChanges(
                file([[residentID, "增员", "2026-09", ""], [leaving.residentID.value, "减员", "2026-09", "退休"]]), fileName: "good.csv", employer: unit, by: clerk)
            #expect(good.accepted && good.applied == 2)
            let now = try await operations.insurance.unitInsurance(unit, period: month, by: clerk)
            #expect(now.members.contains { $0.residentID.value == residentID } && !now.members.contains { $0.personID == leaving.personID })
            #expect(try await operations.insurance.unitInsurance(unit, period: month.previous, by: clerk).members.contains { $0.personID == leaving.personID })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func basesAreClampedFlaggedAndFinalOnceBilled(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let (unit, _, _, _, _) = try await Self.setting(operations)
            let clerk = try await operations.access.principal(named: "district")
            let (bounds, billed, bases) = try await operations.insurance.declaredBases(unit, year: 2027, by: clerk)
            #expect(!billed && !bases.isEmpty && bounds.floor.fen > 0 && bounds.ceiling.fen == bounds.floor.fen * 5)
            let people = Array(bases.prefix(3))
            // Below the floor, above the ceiling, and below the person's wage.
            let entries: [(personID: Int64, declared: String, wage: String)] = [
                (people[0].personID, "100.00", ""),
                (people[1].personID, Money(fen: bounds.ceiling.fen * 2).decimalString, ""),
            ] + (people.count > 2 ? [(people[2].personID, Money(fen: bounds.floor.fen + 100_00).decimalString, Money(fen: bounds.floor.fen + 900_00).decimalString)] : [])
            let outcome = try await operations.insurance.declareBases(unit, year: 2027, entries: entries, by: clerk)
            #expect(outcome.accepted)
            let after = try await operations.insurance.declaredBases(unit, year: 2027, by: clerk).bases
            func base(_ id: Int64) -> DeclaredBase { after.first { $0.personID == id }! }
            #expect(base(people[0].personID).assessed == bounds.floor && !base(people[0].personID).underDeclared)
            #expect(base(people[1].personID).assessed == bounds.ceiling)
            if people.count > 2 { #expect(base(people[2].personID).underDeclared) }
            await #expect(throws: ServiceError.self) {
                _ = try await operations.insurance.declareBases(unit, year: 2027, entries: [(people[0].personID, "12.345", "")], by: clerk)
            }
            // Once July 2026 is billed, 2026's bases stand.
            _ = try await closeMonth(operations, Period(year: 2026, month: 7)!)
            let billedYear = try await operations.insurance.declaredBases(unit, year: 2026, by: clerk)
            #expect(billedYear.billed)
            let refused = try await operations.insurance.declareBases(unit, year: 2026, entries: [(people[0].personID, "5000.00", "")], by: clerk)
            #expect(!refused.accepted && refused.issues.contains { $0.code == "base.year_billed" })
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func onTheirOwnAccountAPersonDeclaresABaseAndIsAssessedOnIt(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let (_, _, _, person, _) = try await Self.setting(operations)
            let clerk = try await operations.access.principal(named: "district")
            // No own-account enrolment yet: no base to declare.
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.declareOwnBase(personID: person, year: 2026, declared: "5000.00", by: clerk) }
            let enrolled = try await operations.insurance.enrolOwnAccount(personID: person, from: "2026-06", by: clerk)
            #expect(Set(enrolled.map(\.scheme)) == [.pension, .medical] && enrolled.allSatisfy { $0.payer == .selfEmployed && $0.employerID == nil })
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.enrolOwnAccount(personID: person, from: "2026-07", by: clerk) }
            for bad in ["0", "-1", "abc", "99999999999"] {
                await #expect(throws: ServiceError.self) { _ = try await operations.insurance.declareOwnBase(personID: person, year: 2026, declared: bad, by: clerk) }
            }
            #expect(try await operations.insurance.declareOwnBase(personID: person, year: 2026, declared: "5000.00", by: clerk) == Money(fen: 500_000))
            var own = try await operations.insurance.ownAccount(personID: person, by: clerk)
            #expect(own.enrolments.count == 2 && own.bases.map(\.year) == [2026] && own.bases.allSatisfy { !$0.final })

            // July is assessed on the declared base by the self-employed rules, and the year's base then stands.
            _ = try await closeMonth(operations, Period(year: 2026, month: 7)!)
            let book = try await operations.policy.book()
            var assessedBases: [Scheme: Money] = [:]
            for enrolment in enrolled {
                let line = try #require(try await operations.database.read { db in
                    try await db.raw(
                        """
                        SELECT l.base_fen, l.individual_fen, l.employer_fen FROM assessment_lines l JOIN batch_runs r ON r.id = l.run_id
                        WHERE r.period = 202607 AND l.enrolment_id = \(bind: enrolment.id) AND l.employer_id IS NULL
                        """
                    ).first()
                })
                let rule = try ContributionRule.run(.init(scheme: enrolment.scheme, payer: .selfEmployed, wage: Money(fen: 500_000), period: Period(year: 2026, month: 7)!),
                                                    book: book, region: DemoDistrict.district).output
                #expect(try line.decode(column: "base_fen", as: Int64.self) == rule.base.fen)
                #expect(try line.decode(column: "individual_fen", as: Int64.self) == rule.individual.fen)
                #expect(try line.decode(column: "employer_fen", as: Int64.self) == rule.employer.fen)
                assessedBases[enrolment.scheme] = rule.base
            }
            own = try await operations.insurance.ownAccount(personID: person, by: clerk)
            #expect(own.bases.allSatisfy { $0.final })
            // The page shows the bases each scheme charged (the self-employed pension floor is higher than medical's).
            #expect(own.bases.first?.pension == assessedBases[.pension] && own.bases.first?.medical == assessedBases[.medical])
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.declareOwnBase(personID: person, year: 2026, declared: "6000.00", by: clerk) }

            // Nobody outside the person's region, nor a unit's agent, sees or changes it.
            let agent = try await operations.access.principal(named: "employer")
            await #expect(throws: ServiceError.self) { _ = try await operations.insurance.ownAccount(personID: person, by: agent) }
            let region = try await operations.database.read { db in try await PersonStore().find(id: person, on: db)!.region }
            for town in ["xinqiao", "lunan"] {
                let clerkThere = try await operations.access.principal(named: town)
                guard !clerkThere.scope.contains(region) else { continue }
                await #expect(throws: ServiceError.self) { _ = try await operations.insurance.declareOwnBase(personID: person, year: 2027, declared: "5000.00", by: clerkThere) }
            }
        }
    }
}
