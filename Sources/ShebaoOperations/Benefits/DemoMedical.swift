import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The demo district's designated institutions, lived through the same services a district
/// uses: the seed's 22 city and provincial hospitals, 19 hospitals in the district (its own
/// four, the health centre of each street and town, five private ones) and 3 pharmacies, under
/// agreements since 2001. This year's inspections: a warning, a fine confirmed, a private
/// hospital caught keeping patients on empty beds and removed (exit), a pharmacy suspended for
/// selling daily goods on the account card, and one measure still waiting for the reviewer. Two
/// pharmacies' purchase files from individual accounts are taken in, one settled by the fund
/// accountant. One insured worker's stay at the district hospital last month is claimed and
/// approved: the next payroll pays it. Two struggling enterprises: one insured for
/// inpatient pooling only from the first month not yet assessed, one waiting for the reviewer.
public struct DemoMedical: Sendable {
    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    static let cityHospitals = [
        "浙江省台州医院", "台州市中心医院", "台州市立医院", "台州市第一人民医院", "台州市第二人民医院", "台州市中医院", "台州市妇女儿童医院",
        "台州市肿瘤医院", "台州市精神卫生中心", "台州恩泽医院", "台州市博爱医院", "浙江省人民医院", "浙江省中医院", "浙江省肿瘤医院",
        "浙江大学医学院附属第一医院", "浙江大学医学院附属第二医院", "浙江大学医学院附属邵逸夫医院", "浙江大学医学院附属儿童医院",
        "浙江大学医学院附属妇产科医院", "温州医科大学附属第一医院", "宁波市第一医院", "杭州市第一人民医院",
    ]
    static let districtHospitals = ["路桥区人民医院", "路桥区中医院", "路桥区第二人民医院", "路桥区妇幼保健院"]
    static let privateHospitals = ["路桥博爱医院", "路桥康复医院", "路桥仁济医院", "路桥东方医院", "路桥华仁医院"]
    static let pharmacies = ["路桥大药房", "国药控股路桥药店", "金桥医药连锁店"]

    public func run() async throws(ServiceError) {
        let benefits = operations.benefits
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let accountant = try await operations.access.principal(named: "accountant")
        let today = operations.clock.now().dateInChina
        let district = DemoDistrict.district.value
        let until = LocalDate(year: today.year + 2, month: 12, day: 31)!.description
        func add(_ code: String, _ name: String, _ kind: MedicalInstitution.Kind, _ level: InstitutionLevel?, _ region: String,
                 from: String = "2001-01-01") async throws(ServiceError) -> MedicalInstitution {
            try await benefits.addMedicalInstitution(code: code, name: name, kind: kind.rawValue, level: level?.rawValue ?? "", region: region,
                                                     agreementFrom: from, agreementTo: until, by: clerk)
        }
        var hospitals: [MedicalInstitution] = []
        for (index, name) in Self.cityHospitals.enumerated() {
            hospitals.append(try await add(String(format: "YB-S%03d", index + 1), name, .hospital, .city, district))
        }
        for (index, name) in Self.districtHospitals.enumerated() {
            hospitals.append(try await add(String(format: "YB-Q%03d", index + 1), name, .hospital, .district, district))
        }
        for (index, township) in DemoDistrict.townships.enumerated() {
            hospitals.append(try await add(String(format: "YB-W%03d", index + 1), township.name + "卫生院", .hospital, .community, township.code))
        }
        for (index, name) in Self.privateHospitals.enumerated() {
            let township = DemoDistrict.townships[index % DemoDistrict.townships.count]
            hospitals.append(try await add(String(format: "YB-M%03d", index + 1), name, .hospital, .district, township.code, from: "2003-07-01"))
        }
        var stores: [MedicalInstitution] = []
        for (index, name) in Self.pharmacies.enumerated() {
            stores.append(try await add(String(format: "YD-%03d", index + 1), name, .pharmacy, nil, DemoDistrict.townships[index].code, from: "2002-01-01"))
        }

        // This year's inspections, each decided by the reviewer.
        let spring = LocalDate(year: today.year, month: 3, day: 15)!
        let warned = try await benefits.recordInspection(institution: hospitals[22].id, kind: "scheduled", inspectedOn: spring.description,
                                                         findings: "部分处方未按规定留存，病历书写不规范", measure: "warning", fine: "", by: clerk)
        try await benefits.decideInspection(warned, confirm: true, note: "", by: reviewer)
        let fined = try await benefits.recordInspection(institution: hospitals[23].id, kind: "unscheduled", inspectedOn: spring.adding(days: 40).description,
                                                        findings: "超标准收取床位费，串换药品项目 37 项", measure: "fine", fine: "20000.00", by: clerk)
        try await benefits.decideInspection(fined, confirm: true, note: "证据确凿，按协议扣款", by: reviewer)
        let emptyBeds = hospitals[hospitals.count - 1]
        let exit = try await benefits.recordInspection(institution: emptyBeds.id, kind: "unscheduled", inspectedOn: spring.adding(days: 70).description,
                                                       findings: "夜间抽查发现挂床住院 11 人，虚记住院费用", measure: "exit", fine: "50000.00", by: clerk)
        try await benefits.decideInspection(exit, confirm: true, note: "情节严重，解除定点协议", by: reviewer)
        let suspend = try await benefits.recordInspection(institution: stores[2].id, kind: "unscheduled", inspectedOn: today.adding(days: -20).description,
                                                          findings: "个人账户刷卡购买日用品", measure: "suspend", fine: "3000.00", by: clerk)
        try await benefits.decideInspection(suspend, confirm: true, note: "暂停三个月，整改后恢复", by: reviewer)
        _ = try await benefits.recordInspection(institution: hospitals[24].id, kind: "scheduled", inspectedOn: today.adding(days: -3).description,
                                                findings: "门诊慢病处方超量开药 5 例", measure: "fine", fine: "4800.00", by: clerk)

        // Two pharmacies' files of purchases from individual accounts; the first is settled.
        let buyers = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT m.person_id, p.resident_id, CAST(SUM(m.account_credit_fen) AS BIGINT) AS credit
                FROM paid_months m JOIN persons p ON p.id = m.person_id WHERE m.scheme = 'medical'
                GROUP BY m.person_id, p.resident_id HAVING SUM(m.account_credit_fen) >= 60000 ORDER BY m.person_id LIMIT 60
                """
            ).all().map { (try $0.decode(column: "resident_id", as: String.self), try $0.decode(column: "credit", as: Int64.self)) }
        } }
        for (number, store) in stores.prefix(2).enumerated() {
            var lines = ["单据号,公民身份号码,消费日期,金额"]
            for (index, buyer) in buyers.enumerated() where index % 2 == number {
                let amount = Money(fen: 1_000 + (buyer.1 / 7 + Int64(index) * 1_733) % 18_000)
                lines.append("\(store.code)-\(today.year)\(String(format: "%05d", index + 1)),\(buyer.0),\(today.adding(days: -(index % 25) - 1)),\(amount.decimalString)")
            }
            let file = Data((lines.joined(separator: "\n") + "\n").utf8)
            _ = try await benefits.importPurchases(institution: store.id, data: file, fileName: "\(store.code)-\(today.period).csv", by: clerk)
        }
        if !buyers.isEmpty {
            _ = try await benefits.settleInstitution(stores[0].id, reference: "ZZ\(today.year)\(String(format: "%02d", today.month))0001", by: accountant)
        }

        try await stay(at: hospitals[22], today: today, clerk: clerk, reviewer: reviewer)
        try await struggling(clerk: clerk, reviewer: reviewer)
    }

    /// Two enterprises in difficulty (collective or state-owned first): the first joins inpatient pooling only from the
    /// first month not yet assessed, paid from the sale of its workshop, approved by the reviewer;
    /// the second's proposal (its supervising department pays) waits for the reviewer.
    private func struggling(clerk: Principal, reviewer: Principal) async throws(ServiceError) {
        let units = try await perform { try await operations.database.read { db in
            try await db.raw(
                """
                SELECT u.id FROM employers u WHERE u.ownership_type IN ('collective', 'state', 'shareholding_cooperative')
                    AND EXISTS (SELECT 1 FROM enrolments e WHERE e.employer_id = u.id AND e.scheme = 'medical' AND e.end_period IS NULL)
                ORDER BY CASE u.ownership_type WHEN 'collective' THEN 0 WHEN 'state' THEN 1 ELSE 2 END, u.id LIMIT 2
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        } }
        guard units.count == 2 else { return }
        let insurance = operations.insurance
        let from = try await insurance.medicalCoverage(of: units[0], by: clerk).earliestFrom.description
        let first = try await insurance.proposeMedicalCoverage(employer: units[0], coverage: MedicalCoverage.inpatientOnly.rawValue, from: from,
                                                               funding: InpatientFunding.assetDisposal.rawValue,
                                                               note: "企业停产，经区政府批复以厂房变现资金先参加住院医疗费统筹", by: clerk)
        _ = try await insurance.decideMedicalCoverage(first.id, approve: true, note: "批复文件齐全", by: reviewer)
        _ = try await insurance.proposeMedicalCoverage(employer: units[1], coverage: MedicalCoverage.inpatientOnly.rawValue, from: from,
                                                       funding: InpatientFunding.supervisingDepartment.rawValue,
                                                       note: "企业亏损停发工资，主管部门承担住院统筹费用", by: clerk)
    }

    /// An insured worker's stay at the district hospital last month, claimed and approved.
    private func stay(at hospital: MedicalInstitution, today: LocalDate, clerk: Principal, reviewer: Principal) async throws(ServiceError) {
        let month = Int64(today.period.yyyymm)
        guard let patient = try await perform({ try await operations.database.read { db in
            try await db.raw(
                """
                SELECT e.person_id, p.region_code FROM enrolments e JOIN persons p ON p.id = e.person_id
                WHERE e.scheme = 'medical' AND e.end_period IS NULL AND e.start_period <= \(bind: month) - 100 AND p.birth_date > '1970-01-01'
                ORDER BY e.person_id DESC LIMIT 1
                """
            ).first().map { (try $0.decode(column: "person_id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }), let point = try await operations.benefits.paymentPoints(by: clerk).first(where: { patient.1.hasPrefix($0.region.scopePrefix) }) else { return }
        let admitted = today.period.previous.firstDay.adding(days: 4)
        let id = try await operations.benefits.openInpatientClaim(
            personID: patient.0, institution: String(hospital.id), admittedOn: admitted.description, dischargedOn: admitted.adding(days: 9).description,
            totalCost: "23650.00", eligibleCost: "20000.00", paymentPoint: String(point.id), account: DemoPayroll.account(person: patient.0, version: 1),
            by: clerk)
        try await operations.cases.checkAndApprove(id, documents: InpatientClaim.caseType.attachmentKinds, reference: "\(hospital.code)-\(admitted.year)-\(id)", note: "票据、出院小结与费用清单核对无误",
                                                    clerk: clerk, reviewer: reviewer)
    }
}
