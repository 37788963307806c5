import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The demo district's dibao applications this month, lived through the same services a town
/// uses: poor households across the townships applying with their declared income, each carried
/// as far as the office has got — some waiting for the home survey, some reviewed by the town and
/// waiting for the district, some approved and on the notice boards (one with an objection
/// recorded), one refused in writing; and four students' education aid — two on the boards, one
/// verified, one just opened; two homes and five elderly villagers' five-guarantees applications.
/// None is granted yet: a notice posted today runs 7 days. The year's disabled-employment levy is
/// issued and one unit has paid. One household in nine has enrolled
/// in the rural cooperative medical scheme this year; two of them claim for a hospital stay. A
/// village's land requisition, donations, paired help and temporary relief (``DemoLandAndRelief``).
public struct DemoAssistance: Sendable {
    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    /// A certificate's number as the issuing office writes it (证明 2026-0042): the year and a
    /// serial, the way a clerk copies it from the paper.
    static func certificateNumber(_ caseID: Int64, _ kind: String = "证明") -> String {
        let serial = String(caseID % 10_000)
        return kind + " 2026-" + String(repeating: "0", count: 4 - serial.count) + serial
    }

    /// How far each application gets, in order.
    enum Stage: CaseIterable {
        case applied, reviewed, notice, objected, refused
    }

    public func run() async throws(ServiceError) {
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let cases = operations.cases
        let heads = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT m.person_id, h.region_code FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                    JOIN regions r ON r.code = h.region_code AND r.area_type IS NOT NULL
                ORDER BY h.id LIMIT 12
                """
            ).all().map { (try $0.decode(column: "person_id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }
        let points = try await operations.benefits.paymentPoints(by: clerk)
        let stages: [Stage] = [.notice, .notice, .notice, .objected, .reviewed, .reviewed, .reviewed, .applied, .applied, .refused, .notice, .reviewed]
        for ((person, region), stage) in zip(heads, stages) {
            guard let point = points.first(where: { region.hasPrefix($0.region.scopePrefix) }) ?? points.first else { return }
            let income = String(format: "%d.00", Int(person % 5) * 60)
            let id = try await operations.assistance.openDibao(person: person, monthlyIncome: income, threeWithouts: false, paymentPoint: String(point.id),
                                                               account: DemoPayroll.account(person: person, version: 1), by: clerk)
            if stage == .applied { continue }
            if stage == .refused {
                _ = try await cases.take(id, transition: "refuse", note: "入户调查发现家庭有经营性收入，人均收入高于保障标准", expectedVersion: nil, by: clerk)
                continue
            }
            _ = try await cases.addDocument(id, kind: DibaoApplication.Document.incomeSurvey.rawValue, reference: DemoAssistance.certificateNumber(id, "入户调查表"), note: nil, by: clerk)
            _ = try await cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: clerk)
            _ = try await cases.addDocument(id, kind: DibaoApplication.Document.appraisalRecord.rawValue, reference: DemoAssistance.certificateNumber(id, "评议记录"), note: nil, by: clerk)
            _ = try await cases.take(id, transition: "appraise", note: "社区评议小组到会 9 人，一致同意", expectedVersion: nil, by: clerk)
            _ = try await cases.take(id, transition: "review", note: "镇社会救助窗口审核同意", expectedVersion: nil, by: clerk)
            if stage == .reviewed { continue }
            _ = try await cases.take(id, transition: "approve", note: "同意，予以公示", expectedVersion: nil, by: reviewer)
            if stage == .objected {
                _ = try await cases.raiseObjection(id, raisedBy: "同村村民（电话反映）", content: "申请人子女在外地工作，有赡养能力", by: clerk)
            }
        }
        try await educationAid(clerk: clerk, reviewer: reviewer, points: points)
        try await ruralMedical(clerk: clerk)
        try await support(clerk: clerk, points: points)
        try await levy(clerk: clerk)
        try await DemoLandAndRelief(operations: operations).run(clerk: clerk, reviewer: reviewer, points: points)
    }

    /// This year's disabled-employment levy issued to the units below their quota, and the first
    /// unit's payment recorded today — with the surcharge when today is past the due day.
    private func levy(clerk: Principal) async throws(ServiceError) {
        let year = operations.clock.now().dateInChina.year
        _ = try await operations.assistance.issueLevyBills(year: String(year), by: clerk)
        guard let first = try await operations.assistance.levyBills(year: year, by: clerk).first else { return }
        let today = operations.clock.now().dateInChina
        let surcharge = try await operations.assistance.levyDue(first, paidOn: today)?.output.surcharge ?? .zero
        let accountant = try await operations.access.principal(named: "accountant")
        _ = try await operations.assistance.payLevy(first.id, amount: (first.levy + surcharge).yuanText, paidOn: today.description, by: accountant)
    }

    /// The district's welfare home and a town's nursing home, and five elderly villagers applying
    /// for five-guarantees support: three to live in a home and one at home under a foster
    /// agreement, appraised and on notice in their village; one just applied. None approved yet:
    /// the notice runs 7 days before the town may review.
    private func support(clerk: Principal, points: [PaymentPoint]) async throws(ServiceError) {
        let villagers = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT id, region_code FROM persons WHERE hukou_type = 'agricultural' AND status = 'living'
                    AND birth_date <= \(bind: LocalDate(year: operations.clock.now().dateInChina.year - 62, month: 1, day: 1)!.description)
                ORDER BY birth_date DESC, id LIMIT 5
                """
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }
        guard let (_, region) = villagers.first, let point = points.first else { return }
        let found = try await Self.homes(beds: (120, 40), near: region, clerk: clerk, in: operations)
        let homes = [found.0, found.1]
        for (index, (person, _)) in villagers.enumerated() {
            let inHome = index < 3
            let id = try await operations.assistance.openSupport(
                person: person, kind: SupportKind.fiveGuarantees.rawValue, ground: SupportGround.elderly.rawValue,
                arrangement: (inHome ? SupportArrangement.institution : .fosterAgreement).rawValue, institution: inHome ? String(homes[index % 2]) : "",
                paymentPoint: String(point.id), account: DemoPayroll.account(person: person, version: 1), by: clerk)
            guard index < 4 else { continue }
            for document in SupportApplication.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "appraise", note: "村民代表会议评议同意", expectedVersion: nil, by: clerk)
        }
    }

    /// The district's welfare home and a town's nursing home — those the caseload added, or added
    /// now in the township of `region` with at least `beds` each and 30 m² a bed.
    static func homes(beds: (Int, Int), near region: String?, clerk: Principal, in operations: Operations) async throws(ServiceError) -> (Int64, Int64) {
        let existing = try await operations.assistance.institutions(by: clerk)
        var ids: [Int64] = []
        for (name, kind, least, account) in [("区社会福利院", InstitutionKind.welfareHome, max(120, beds.0), "6222000090000001"),
                                             ("镇敬老院", InstitutionKind.nursingHome, max(40, beds.1), "6222000090000002")] {
            if let home = existing.first(where: { $0.name == name }) {
                ids.append(home.id)
                continue
            }
            let points = try await operations.benefits.paymentPoints(by: clerk)
            guard let region, let village = try? RegionCode(region),
                  let point = points.first(where: { region.hasPrefix($0.region.scopePrefix) }) ?? points.first else { throw .conflict("support.no_home") }
            ids.append(try await operations.assistance.addInstitution(name: name, kind: kind.rawValue, region: (village.parent ?? village).value, beds: String(least),
                                                                      floorArea: String(least * 30), paymentPoint: String(point.id), account: account, by: clerk))
        }
        return (ids[0], ids[1])
    }

    /// This year's rural cooperative medical enrolment so far: one household in nine, through the
    /// service (each with its financing posted), so the participation page has something to count.
    private func ruralMedical(clerk: Principal) async throws(ServiceError) {
        let year = String(operations.clock.now().dateInChina.year)
        let members = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT MIN(m.person_id) AS person_id FROM household_members m JOIN persons p ON p.id = m.person_id AND p.status = 'living'
                WHERE m.household_id % 9 = 0
                    AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.scheme = 'medical')
                GROUP BY m.household_id ORDER BY m.household_id
                """
            ).all().map { try $0.decode(column: "person_id", as: Int64.self) }
        } }
        for person in members {
            _ = try await operations.assistance.enrolNcms(person: person, year: year, by: clerk)
        }
        // Two participants' hospital stays three weeks ago, handled by the contracted insurer: one
        // checked and waiting for a reviewer, one just opened.
        guard let hospital = try await operations.benefits.claimableHospitals(by: clerk).first(where: { $0.status == .active }),
              let point = try await operations.benefits.paymentPoints(by: clerk).first else { return }
        let admitted = operations.clock.now().dateInChina.adding(days: -21)
        for (index, person) in members.prefix(2).enumerated() where admitted.year == Int(year) {
            let id = try await operations.assistance.openNcmsClaim(
                person: person, institution: String(hospital.id), admittedOn: admitted.description, dischargedOn: admitted.adding(days: 9).description,
                totalCost: index == 0 ? "18600.00" : "7400.00", eligibleCost: index == 0 ? "15200.00" : "6100.00",
                handler: RuralMedicalClaim.Handler.insurer.rawValue, paymentPoint: String(point.id),
                account: DemoPayroll.account(person: person, version: 1), by: clerk)
            guard index == 0 else { continue }
            for document in RuralMedicalClaim.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
        }
    }

    /// Students of school age who are not their household's head: their level by age.
    private func educationAid(clerk: Principal, reviewer: Principal, points: [PaymentPoint]) async throws(ServiceError) {
        let today = operations.clock.now().dateInChina
        let students = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT p.id, p.region_code, p.birth_date FROM persons p JOIN household_members m ON m.person_id = p.id AND m.relation <> 'head'
                WHERE p.status = 'living' AND p.birth_date BETWEEN \(bind: LocalDate(year: today.year - 21, month: 9, day: 1)!.description)
                    AND \(bind: LocalDate(year: today.year - 7, month: 8, day: 31)!.description)
                ORDER BY p.id LIMIT 4
                """
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self),
                           try $0.decode(column: "birth_date", as: String.self)) }
        } }
        for (index, (student, region, birth)) in students.enumerated() {
            let age = today.year - (Int(birth.prefix(4)) ?? today.year)
            let level: SchoolLevel = age < 13 ? .primary : age < 16 ? .juniorSecondary : age < 19 ? .seniorSecondary : .university
            guard let point = points.first(where: { region.hasPrefix($0.region.scopePrefix) }) ?? points.first else { return }
            let id = try await operations.assistance.openEducationAid(student: student, level: level.rawValue, status: StudentStatus.poor.rawValue,
                                                                      paymentPoint: String(point.id), account: DemoPayroll.account(person: student, version: 1),
                                                                      by: clerk)
            guard index < 3 else { continue }
            for document in EducationAidApplication.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "verify", note: "学校出具在读证明，镇核实家庭困难", expectedVersion: nil, by: clerk)
            if index < 2 { _ = try await operations.cases.take(id, transition: "confirm", note: "教育、民政部门确认", expectedVersion: nil, by: reviewer) }
        }
    }
}
