import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The demo district's land requisition, relief and charity, lived through the services: a
/// village's land taken last spring with its farmers — the elderly already paid monthly, those of
/// working age on the training list, the children compensated once; donations into the charity
/// and education-aid funds; two units and a cadre paired with households, two of them on the
/// special-hardship register; one person's temporary
/// relief approved and owed, another's waiting for a reviewer; the welfare home's extension
/// subsidised, to be paid.
struct DemoLandAndRelief: Sendable {
    let operations: Operations

    func run(clerk: Principal, reviewer: Principal, points: [PaymentPoint]) async throws(ServiceError) {
        try await land(clerk: clerk, points: points)
        try await charity(clerk: clerk, reviewer: reviewer, points: points)
        try await homeSubsidy(clerk: clerk, reviewer: reviewer)
    }

    /// The district's welfare home extended last month — 20 new beds, 3,600 m² for 100 residents
    /// after the works — its subsidy approved and waiting for the transfer.
    private func homeSubsidy(clerk: Principal, reviewer: Principal) async throws(ServiceError) {
        guard let home = try await operations.assistance.institutions(by: clerk).first(where: { $0.kind == .welfareHome }) else { return }
        let id = try await operations.assistance.openHomeSubsidy(
            home: String(home.id), date: operations.clock.now().dateInChina.adding(days: -20).description, renovationCost: "450000", newBeds: "20",
            floorArea: "3600", residents: "100", by: clerk)
        for document in HomeSubsidy.Document.allCases {
            _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
        }
        _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
        _ = try await operations.cases.take(id, transition: "approve", note: "经审计和验收，同意补助", expectedVersion: nil, by: reviewer)
    }

    /// Twelve farmers of one township's village: four elderly and four of working age with an
    /// account on record, four children.
    private func land(clerk: Principal, points: [PaymentPoint]) async throws(ServiceError) {
        let today = operations.clock.now().dateInChina
        let day = today.adding(days: -120)
        guard let point = points.first else { return }
        let database = operations.database
        let farmers = try await perform { try await database.read { db -> (String, [String]) in
            guard let village = try await db.raw(
                """
                SELECT region_code FROM persons WHERE hukou_type = 'agricultural' AND status = 'living' AND bank_account IS NOT NULL
                GROUP BY region_code ORDER BY COUNT(*) DESC, region_code LIMIT 1
                """
            ).first()?.decode(column: "region_code", as: String.self) else { return ("", []) }
            func some(_ condition: SQLQueryString, account: Bool) async throws -> [String] {
                try await db.raw(
                    """
                    SELECT resident_id FROM persons WHERE region_code = \(bind: village) AND status = 'living' AND \(condition)
                        \(unsafeRaw: account ? "AND bank_account IS NOT NULL" : "") ORDER BY id LIMIT 4
                    """
                ).all().map { try $0.decode(column: "resident_id", as: String.self) }
            }
            let sixty = LocalDate(year: day.year - 61, month: 1, day: 1)!.description
            let working = (LocalDate(year: day.year - 50, month: 1, day: 1)!.description, LocalDate(year: day.year - 20, month: 1, day: 1)!.description)
            let child = LocalDate(year: day.year - 15, month: 1, day: 1)!.description
            return (village, try await some("birth_date < \(bind: sixty)", account: true)
                + some("birth_date BETWEEN \(bind: working.0) AND \(bind: working.1)", account: true)
                + some("birth_date > \(bind: child)", account: false))
        } }
        guard let village = try? RegionCode(farmers.0), !farmers.1.isEmpty else { return }
        let town = village.parent ?? village
        _ = try await operations.assistance.recordLandRequisition(
            LandRequisitionForm(town: town.value, village: "东岙村", area: "126.40", compensation: "3800000", landSaleIncome: "12000000",
                                requisitionedOn: day.description, tier: "260", contribution: "36000", paymentPoint: String(point.id),
                                members: farmers.1.joined(separator: "\n")),
            by: clerk)
    }

    private func charity(clerk: Principal, reviewer: Principal, points: [PaymentPoint]) async throws(ServiceError) {
        let today = operations.clock.now().dateInChina
        let accountant = try await operations.access.principal(named: "accountant")
        let assistance = operations.assistance
        let earlier = max(LocalDate(year: today.year, month: 1, day: 15)!, today.adding(days: -40))
        _ = try await assistance.recordDonation(fund: DonationFund.charity.rawValue, donor: "区工商联", amount: "120000", receivedOn: earlier.description,
                                                purpose: "慈善一日捐", by: accountant)
        _ = try await assistance.recordDonation(fund: DonationFund.educationAid.rawValue, donor: "区教育基金会", amount: "30000", receivedOn: today.description,
                                                purpose: "贫困学生助学", by: accountant)
        let households = try await perform { try await operations.database.read { db in
            try await db.raw("SELECT register_number FROM households ORDER BY id LIMIT 3").all().map { try $0.decode(column: "register_number", as: String.self) }
        } }
        for (household, (kind, helper, pledged)) in zip(households, [("unit", "区财政局", "3000"), ("unit", "区人民医院", "2400"), ("cadre", "王建国", "1200")]) {
            let id = try await assistance.pair(helperKind: kind, helper: helper, household: household, year: String(today.year), pledged: pledged, by: clerk)
            if kind == "unit" { _ = try await assistance.deliver(id, amount: "1000", by: clerk) }
        }
        // The two families helped by units are on the special-hardship register.
        for (household, (needs, reason)) in zip(households, [(["employment", "living"], "户主因病丧失劳动能力"), (["schooling", "living"], "房屋遭台风损毁，子女在读")]) {
            _ = try await assistance.designateHardship(household: household, needs: needs, reason: reason, by: clerk)
        }
        let people = try await perform { try await operations.database.read { db in
            try await db.raw("SELECT id FROM persons WHERE status = 'living' AND bank_account IS NOT NULL ORDER BY id DESC LIMIT 2").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
        } }
        guard let point = points.first else { return }
        for (index, person) in people.enumerated() {
            let id = try await assistance.openRelief(person: person, reason: (index == 0 ? ReliefReason.illness : .disaster).rawValue,
                                                     requested: index == 0 ? "2000" : "800", note: index == 0 ? "突发重病住院，家庭无力承担" : "台风损毁房屋",
                                                     paymentPoint: String(point.id), account: DemoPayroll.account(person: person, version: 1), by: clerk)
            for document in TemporaryRelief.Document.allCases {
                _ = try await operations.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
            }
            _ = try await operations.cases.take(id, transition: "check", note: nil, expectedVersion: nil, by: clerk)
            if index == 0 { _ = try await operations.cases.take(id, transition: "approve", note: "情况属实，同意救助", expectedVersion: nil, by: reviewer) }
        }
    }
}
