import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The demo district's unemployed, lived through the same services: a couple who both lost their
/// jobs this autumn (the second claim flagged for it), each approved by the reviewer so the
/// payroll pays them month by month, and a course for the husband whose training subsidy waits
/// for the reviewer.
public struct DemoUnemployment: Sendable {
    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    public func run() async throws(ServiceError) {
        let benefits = operations.benefits
        let clerk = try await operations.access.principal(named: "district")
        let reviewer = try await operations.access.principal(named: "reviewer")
        let today = operations.clock.now().dateInChina
        // A household's head and spouse, both with a year or more paid into unemployment insurance.
        guard let couple = try await perform({ try await operations.database.read { db in
            try await db.raw(
                """
                SELECT h.person_id AS head, s.person_id AS spouse, p.region_code FROM household_members h
                JOIN household_members s ON s.household_id = h.household_id AND s.relation = 'spouse'
                JOIN persons p ON p.id = h.person_id
                WHERE h.relation = 'head'
                    AND (SELECT COUNT(*) FROM paid_months m WHERE m.person_id = h.person_id AND m.scheme = 'unemployment') >= 12
                    AND (SELECT COUNT(*) FROM paid_months m WHERE m.person_id = s.person_id AND m.scheme = 'unemployment') >= 12
                ORDER BY h.household_id LIMIT 1
                """
            ).first().map { (try $0.decode(column: "head", as: Int64.self), try $0.decode(column: "spouse", as: Int64.self),
                             try $0.decode(column: "region_code", as: String.self)) }
        } }), let point = try await benefits.paymentPoints(by: clerk).first(where: { couple.2.hasPrefix($0.region.scopePrefix) }) else { return }
        let registered = today.period.previous.previous.firstDay.adding(days: 2).description
        for person in [couple.1, couple.0] {
            let id = try await benefits.openUnemploymentClaim(personID: person, registeredOn: registered, involuntary: true, carriedOverMonths: "",
                                                              paymentPoint: String(point.id), account: DemoPayroll.account(person: person, version: 1), by: clerk)
            try await operations.cases.checkAndApprove(id, documents: UnemploymentClaim.caseType.attachmentKinds, reference: "路人社失登〔\(today.year)〕\(id)号", note: "终止劳动合同证明、失业登记核实",
                                                        clerk: clerk, reviewer: reviewer)
        }
        _ = try await benefits.openEmploymentSubsidy(personID: couple.0, kind: "training", provider: "路桥区职业技能培训中心", cost: "1580.00",
                                                     paymentPoint: String(point.id), account: DemoPayroll.account(person: couple.0, version: 1), by: clerk)
    }
}
