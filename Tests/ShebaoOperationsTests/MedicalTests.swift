import Foundation
import SQLKit
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// Employees' medical insurance at the point of care (issue 11 item 8): designated institutions
/// under agreements, inspections whose measure a second person confirms, inpatient claims by the
/// rule (level, retiree, the year's deductible and cap) paid by the payroll from the pooled fund,
/// and pharmacies' purchase files taken whole or not at all, settled by the fund accountant.
@Suite("Medical")
struct MedicalTests {
    struct Staff {
        var clerk: Principal
        var reviewer: Principal
        var accountant: Principal

        init(_ operations: Operations) async throws {
            clerk = try await operations.access.principal(named: "district")
            reviewer = try await operations.access.principal(named: "reviewer")
            accountant = try await operations.access.principal(named: "accountant")
        }
    }

    /// A person of working age insured in medical since January last year, with `credit` fen in
    /// the individual account (one paid month).
    static func insured(_ operations: Operations, offset: Int = 0, credit: Int64 = 0) async throws -> Int64 {
        let today = operations.clock.now().dateInChina
        return try await operations.database.write { db in
            let row = try #require(try await db.raw(
                """
                SELECT p.id, p.region_code FROM persons p WHERE p.birth_date BETWEEN '1975-01-01' AND '2000-01-01'
                ORDER BY p.id LIMIT 1 OFFSET \(unsafeRaw: String(offset))
                """).first())
            let person = try row.decode(column: "id", as: Int64.self)
            let start = Int64((today.year - 1) * 100 + 1)
            try await db.raw(
                """
                INSERT INTO enrolments (person_id, scheme, payer_type, region_code, start_period, created_at, created_by)
                VALUES (\(bind: person), 'medical', 'self_employed', \(bind: try row.decode(column: "region_code", as: String.self)), \(bind: start),
                    '2026-01-01T00:00:00Z', 'test')
                """).run()
            if credit > 0 {
                try await db.raw(
                    """
                    INSERT INTO paid_months (person_id, scheme, period, base_fen, individual_fen, account_credit_fen, employer_transfer_fen, credited_on)
                    VALUES (\(bind: person), 'medical', \(bind: start), 300000, \(bind: credit), \(bind: credit), 0, '2026-01-01')
                    """).run()
            }
            return person
        }
    }

    static func hospital(_ operations: Operations, _ code: String, level: InstitutionLevel, by clerk: Principal) async throws -> MedicalInstitution {
        try await operations.benefits.addMedicalInstitution(code: code, name: "医院 \(code)", kind: "hospital", level: level.rawValue,
                                                            region: DemoDistrict.district.value, agreementFrom: "2001-01-01", agreementTo: "2099-12-31", by: clerk)
    }

    @Test(arguments: TestDatabaseKind.available)
    func aStayIsPaidByTheRuleAndTheYearsStaysCount(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let staff = try await Staff(operations)
            let benefits = operations.benefits
            let district = try await Self.hospital(operations, "YB-Q1", level: .district, by: staff.clerk)
            let person = try await Self.insured(operations)
            let point = String(try #require(try await benefits.paymentPoints(by: staff.clerk).first).id)
            let today = operations.clock.now().dateInChina
            let admitted = max(today.period.advanced(by: -2), Period(year: today.year, month: 1)!).firstDay
            func claim(_ eligible: String, at hospital: MedicalInstitution = district, on day: LocalDate = admitted) async throws -> InpatientDraft {
                try await benefits.inpatientClaim(personID: person, institution: String(hospital.id), admittedOn: day.description,
                                                  dischargedOn: day.adding(days: 5).description, totalCost: "90000.00", eligibleCost: eligible,
                                                  paymentPoint: point, account: "6222000055556666", by: staff.clerk)
            }
            let book = try await operations.policy.book()
            let first = try await claim("20000.00")
            let expected = try MedicalReimbursementRule.evaluate(.init(date: admitted, eligibleCost: .yuan(20_000), deductibleMet: .zero, paidThisYear: .zero,
                                                                       hospitalLevel: .district), book: book, region: DemoDistrict.district)
            #expect(first.result.output == expected.output && first.result.output.payRate == Rate(decimal: "0.85")!)
            #expect(first.result.explanation.steps.contains { $0.key == "explain.medical.computed" })
            // Bad figures are named by field; the in-list part cannot exceed the bill.
            do {
                _ = try await benefits.inpatientClaim(personID: person, institution: "0", admittedOn: "2100-01-01", dischargedOn: "1990-01-01",
                                                      totalCost: "100.00", eligibleCost: "200.00", paymentPoint: point, account: "12", by: staff.clerk)
                Issue.record("bad figures accepted")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["institution", "admittedOn", "dischargedOn", "eligibleCost", "account"])
            }
            let id = try await benefits.openInpatientClaim(personID: person, institution: String(district.id), admittedOn: admitted.description,
                                                           dischargedOn: admitted.adding(days: 5).description, totalCost: "90000.00",
                                                           eligibleCost: "20000.00", paymentPoint: point, account: "6222000055556666", by: staff.clerk)
            // While it is open, another stay cannot be computed on the same year's figures.
            await #expect(throws: ServiceError.conflict("medical.open", ["case": String(id)])) { _ = try await claim("1000.00") }
            for document in InpatientClaim.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: "票据", note: nil, by: staff.clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: staff.clerk)
            await #expect(throws: ServiceError.forbidden) { _ = try await operations.cases.take(id, transition: "approve", note: nil, expectedVersion: nil, by: staff.clerk) }
            _ = try await operations.cases.take(id, transition: "approve", note: "核对无误", expectedVersion: nil, by: staff.reviewer)
            let record = try await benefits.medicalRecord(of: person, by: staff.clerk)
            #expect(record.stays.count == 1 && record.stays[0].fundPays == expected.output.fundPays && record.stays[0].deductible == expected.output.deductible)
            // The same stay again is refused; a second stay this year meets no deductible, and the cap counts what was paid.
            await #expect(throws: ServiceError.self) { _ = try await claim("20000.00") }
            let second = try await claim("50000.00", on: admitted.adding(days: 10))
            #expect(second.request.input.deductibleMet == expected.output.deductible && second.request.input.paidThisYear == expected.output.fundPays)
            #expect(second.result.output.deductible == .zero)
            // The next payroll pays the first stay from the pooled fund, pending until the bank answers.
            let run = try await operations.batches.start(kind: PensionPayroll.kind.id, period: today.period.description, by: staff.clerk)
            _ = try await operations.batches.decide(run.id, approve: true, note: nil, by: staff.reviewer)
            _ = try await operations.batches.post(run.id, by: staff.accountant)
            let payment = try #require(try await benefits.payments(of: person, by: staff.clerk).first { $0.kind == "medical" })
            #expect(payment.amount == expected.output.fundPays && payment.state == "pending")
            let balances = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db).filter { $0.fund == .medicalPooled }
            }
            #expect(balances.first { $0.account == .benefitExpense }?.balance == expected.output.fundPays)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anInspectionsMeasureTakesEffectWhenAnotherConfirmsIt(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let staff = try await Staff(operations)
            let benefits = operations.benefits
            let hospital = try await Self.hospital(operations, "YB-M1", level: .district, by: staff.clerk)
            // Duplicates and contradictions are named by field.
            await #expect(throws: ServiceError.invalid("code", "institution.code_taken", ["code": "YB-M1"])) {
                _ = try await Self.hospital(operations, "yb-m1", level: .city, by: staff.clerk)
            }
            do {
                _ = try await benefits.addMedicalInstitution(code: "Y", name: "", kind: "pharmacy", level: "city", region: "999999999999",
                                                             agreementFrom: "2020-01-01", agreementTo: "2019-01-01", by: staff.clerk)
                Issue.record("a bad institution was added")
            } catch let error as ServiceError {
                #expect(Set(error.fieldIssues.map(\.field)) == ["code", "name", "level", "region", "agreementTo"])
            }
            await #expect(throws: ServiceError.invalid("fine", "inspection.fine_required")) {
                _ = try await benefits.recordInspection(institution: hospital.id, kind: "scheduled", inspectedOn: "2026-01-05", findings: "x", measure: "fine",
                                                        fine: "", by: staff.clerk)
            }
            let today = operations.clock.now().dateInChina
            let inspection = try await benefits.recordInspection(institution: hospital.id, kind: "unscheduled", inspectedOn: today.description,
                                                                 findings: "挂床住院", measure: "suspend", fine: "12000.00", by: staff.clerk)
            // Proposed only: nothing changed yet, and the clerk may not decide.
            #expect(try await benefits.medicalInstitution(hospital.id, by: staff.clerk).institution.status == .active)
            await #expect(throws: ServiceError.forbidden) { try await benefits.decideInspection(inspection, confirm: true, note: "", by: staff.clerk) }
            await #expect(throws: ServiceError.invalid("note", "inspection.note_required")) {
                try await benefits.decideInspection(inspection, confirm: false, note: "", by: staff.reviewer)
            }
            try await benefits.decideInspection(inspection, confirm: true, note: "属实", by: staff.reviewer)
            await #expect(throws: ServiceError.conflict("maker_checker.not_pending")) {
                try await benefits.decideInspection(inspection, confirm: true, note: "", by: staff.reviewer)
            }
            let suspended = try await benefits.medicalInstitution(hospital.id, by: staff.clerk).institution
            #expect(suspended.status == .suspended && suspended.statusSince == today)
            let receivable = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db)
                    .first { $0.fund == .medicalPooled && $0.account == .receivable }?.balance
            }
            #expect(receivable == Money.yuan(12_000))
            // A stay from the day of suspension is refused; one before it is not the agreement's business.
            let person = try await Self.insured(operations)
            let point = String(try #require(try await benefits.paymentPoints(by: staff.clerk).first).id)
            await #expect(throws: ServiceError.self) {
                _ = try await benefits.inpatientClaim(personID: person, institution: String(hospital.id), admittedOn: today.description,
                                                      dischargedOn: today.description, totalCost: "100.00", eligibleCost: "100.00", paymentPoint: point,
                                                      account: "6222000055556666", by: staff.clerk)
            }
            // Reinstated by the reviewer with a note; an exit is final.
            await #expect(throws: ServiceError.self) { _ = try await benefits.reinstateInstitution(hospital.id, version: suspended.version, note: "", by: staff.reviewer) }
            let active = try await benefits.reinstateInstitution(hospital.id, version: suspended.version, note: "已整改", by: staff.reviewer)
            #expect(active.status == .active)
            let exit = try await benefits.recordInspection(institution: hospital.id, kind: "unscheduled", inspectedOn: today.description,
                                                           findings: "再次挂床住院", measure: "exit", fine: "", by: staff.clerk)
            try await benefits.decideInspection(exit, confirm: true, note: "解除协议", by: staff.reviewer)
            let exited = try await benefits.medicalInstitution(hospital.id, by: staff.clerk).institution
            #expect(exited.status == .exited)
            await #expect(throws: ServiceError.conflict("institution.exited")) {
                _ = try await benefits.renewAgreement(hospital.id, until: "2100-12-31", version: exited.version, by: staff.clerk)
            }
            // Out of a town clerk's scope the institution does not exist.
            let town = try await operations.access.principal(named: "xinqiao")
            await #expect(throws: ServiceError.notFound) { _ = try await benefits.medicalInstitution(hospital.id, by: town) }
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPurchaseFileIsTakenWholeOrNotAtAllAndSettledOnce(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let staff = try await Staff(operations)
            let benefits = operations.benefits
            let pharmacy = try await benefits.addMedicalInstitution(code: "YD-1", name: "药房", kind: "pharmacy", level: "", region: DemoDistrict.district.value,
                                                                    agreementFrom: "2001-01-01", agreementTo: "2099-12-31", by: staff.clerk)
            let person = try await Self.insured(operations, credit: 50_000)
            let id = try await operations.database.read { db in
                try #require(try await db.raw("SELECT resident_id FROM persons WHERE id = \(bind: person)").first()).decode(column: "resident_id", as: String.self)
            }
            let today = operations.clock.now().dateInChina
            func file(_ rows: [String]) -> Data { Data((["单据号,公民身份号码,消费日期,金额"] + rows).joined(separator: "\n").utf8) }
            // 300.00 then 250.00 is more than the 500.00 in the account: the file is refused at row 3, column D.
            let over = try await benefits.importPurchases(institution: pharmacy.id, data: file(["R1,\(id),\(today),300.00", "R2,\(id),\(today),250.00"]),
                                                          fileName: "over.csv", by: staff.clerk)
            #expect(over.recorded == 0 && over.issues.map { "\($0.row)\($0.column) \($0.code)" } == ["3D purchase.balance"])
            let bad = try await benefits.importPurchases(institution: pharmacy.id, data: file(["R1,\(id),2099-01-01,-1", "R1,110101198001010010,\(today),1.00"]),
                                                         fileName: "bad.csv", by: staff.clerk)
            #expect(Set(bad.issues.map(\.code)) == ["purchase.bad_date", "purchase.bad_amount", "purchase.twice"])
            #expect(try await benefits.medicalRecord(of: person, by: staff.clerk).spent == .zero)
            let good = try await benefits.importPurchases(institution: pharmacy.id, data: file(["R1,\(id),\(today),300.00", "R2,\(id),\(today),150.50"]),
                                                          fileName: "good.csv", by: staff.clerk)
            #expect(good.recorded == 2 && good.amount == Money(fen: 45_050))
            #expect(try await benefits.medicalRecord(of: person, by: staff.clerk).balance == Money(fen: 4_950))
            // The same receipts again: refused, nothing doubled.
            let again = try await benefits.importPurchases(institution: pharmacy.id, data: file(["R1,\(id),\(today),1.00"]), fileName: "good.csv", by: staff.clerk)
            #expect(again.issues.map(\.code) == ["purchase.known"])
            // The accountant settles what is owed once; a second settlement finds nothing owed.
            await #expect(throws: ServiceError.forbidden) { _ = try await benefits.settleInstitution(pharmacy.id, reference: "ZZ1", by: staff.clerk) }
            let settled = try await benefits.settleInstitution(pharmacy.id, reference: "ZZ1", by: staff.accountant)
            #expect(settled.purchases == 2 && settled.amount == Money(fen: 45_050))
            await #expect(throws: ServiceError.conflict("settlement.nothing_owed")) {
                _ = try await benefits.settleInstitution(pharmacy.id, reference: "ZZ2", by: staff.accountant)
            }
            let balances = try await operations.database.read { db in
                try await LedgerStore().balances(in: .nation, through: LocalDate(year: 2100, month: 1, day: 1)!, on: db).filter { $0.fund == .medicalAccounts }
            }
            #expect(balances.first { $0.account == .benefitExpense }?.balance == Money(fen: 45_050))
            #expect(balances.first { $0.account == .payable }?.balance == .zero)
            #expect(try await operations.database.read { db in try await LedgerStore().verify(on: db) }.isIntact)
        }
    }
}
