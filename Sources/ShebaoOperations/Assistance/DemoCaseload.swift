import Foundation
public import ShebaoCore
import ShebaoStore
import SQLKit

/// The seed's assistance caseload (issue 12 item 12; PROGRAMS.md §4.1–4.2), scaled to the demo
/// district and lived through the same workflows a district uses, not written as final states:
/// 127 urban and 2,297 rural dibao households, 215 persons in centralised and 84 in dispersed
/// five-guarantees support at scale 1. It starts 75 days ago on a clock of its own: the towns open,
/// survey, appraise and review every application and the reviewer approves it onto the notice
/// boards; eight days later, the notice run, the clerks grant the dibao and the reviewer approves
/// the support. The grants are paid from the month after, so the demo's payroll of the last two
/// months (run after this) pays them.
public struct DemoCaseload: Sendable {
    let operations: Operations

    public init(operations: Operations) {
        self.operations = operations
    }

    /// The seed's figures at scale 1.
    static let urbanDibao = 127
    static let ruralDibao = 2_297
    static let centralised = 215
    static let dispersed = 84

    /// What the caseload came to.
    public struct Summary: Sendable {
        public var urbanHouseholds: Int
        public var ruralHouseholds: Int
        public var centralised: Int
        public var dispersed: Int
    }

    /// A clock a fixed number of days behind another.
    private struct Behind: WallClock {
        let base: any WallClock
        let days: Int64
        func now() -> Timestamp { base.now().adding(seconds: -days * 86_400) }
    }

    @discardableResult
    public func run() async throws(ServiceError) -> Summary {
        let clock = TrainingClock(base: Behind(base: operations.clock, days: 75))
        let past = operations.on(clock)
        let clerk = try await past.access.principal(named: "district")
        let reviewer = try await past.access.principal(named: "reviewer")
        let database = past.database
        let persons = try await perform { try await database.read { db in try await PersonStore().count(in: .nation, on: db) } }
        let scale = Double(persons) / Double(DemoDistrict.population)
        func scaled(_ figure: Int) -> Int { max(1, Int((Double(figure) * scale).rounded())) }
        let points = try await past.benefits.paymentPoints(by: clerk)
        func point(for region: String) -> String? {
            (points.first { region.hasPrefix($0.region.scopePrefix) } ?? points.first).map { String($0.id) }
        }

        // The households applying: the heads of street and town communities' households for the
        // urban count, of villages' for the rural; the demo's other applications take the first
        // households, so these come from the last.
        let urban = try await heads(areaTypes: ["street", "town"], count: scaled(Self.urbanDibao))
        let rural = try await heads(areaTypes: ["rural"], count: scaled(Self.ruralDibao))
        var applications: [Int64] = []
        for (person, region) in urban + rural {
            guard let point = point(for: region) else { break }
            let id = try await past.assistance.openDibao(person: person, monthlyIncome: String(format: "%d.00", Int(person % 4) * 40), threeWithouts: false,
                                                         paymentPoint: point, account: DemoPayroll.account(person: person, version: 1), by: clerk)
            _ = try await past.cases.addDocument(id, kind: DibaoApplication.Document.incomeSurvey.rawValue, reference: DemoAssistance.certificateNumber(id, "入户调查表"), note: nil, by: clerk)
            _ = try await past.cases.take(id, transition: "survey", note: nil, expectedVersion: nil, by: clerk)
            _ = try await past.cases.addDocument(id, kind: DibaoApplication.Document.appraisalRecord.rawValue, reference: DemoAssistance.certificateNumber(id, "评议记录"), note: nil, by: clerk)
            _ = try await past.cases.take(id, transition: "appraise", note: "民主评议通过", expectedVersion: nil, by: clerk)
            _ = try await past.cases.take(id, transition: "review", note: "镇审核同意", expectedVersion: nil, by: clerk)
            _ = try await past.cases.take(id, transition: "approve", note: "同意，予以公示", expectedVersion: nil, by: reviewer)
            applications.append(id)
        }

        // Five-guarantees support for the oldest villagers living alone, in the two homes or at home.
        let supported = try await loneElders(count: scaled(Self.centralised) + scaled(Self.dispersed), excluding: Set((urban + rural).map(\.0)))
        let inHomes = min(scaled(Self.centralised), supported.count)
        // Three in five in the district's welfare home, the others in the town's nursing home.
        let inFirst = (inHomes * 3 + 4) / 5
        let homes = try await DemoAssistance.homes(beds: (inFirst + 20, inHomes - inFirst + 20), near: supported.first?.1, clerk: clerk, in: past)
        var support: [Int64] = []
        for (index, (person, region)) in supported.enumerated() {
            guard let point = point(for: region) else { break }
            let centralised = index < inHomes
            let id = try await past.assistance.openSupport(
                person: person, kind: SupportKind.fiveGuarantees.rawValue, ground: SupportGround.elderly.rawValue,
                arrangement: (centralised ? SupportArrangement.institution : .fosterAgreement).rawValue,
                institution: centralised ? String(index < inFirst ? homes.0 : homes.1) : "",
                paymentPoint: point, account: DemoPayroll.account(person: person, version: 1), by: clerk)
            for document in SupportApplication.Document.allCases {
                _ = try await past.cases.addDocument(id, kind: document.rawValue, reference: DemoAssistance.certificateNumber(id), note: nil, by: clerk)
            }
            _ = try await past.cases.take(id, transition: "appraise", note: "村民代表会议评议同意", expectedVersion: nil, by: clerk)
            support.append(id)
        }

        // The notices have run.
        _ = clock.advance(days: 8)
        for id in applications {
            _ = try await past.cases.take(id, transition: "grant", note: "公示期满无异议", expectedVersion: nil, by: clerk)
        }
        for id in support {
            _ = try await past.cases.take(id, transition: "review", note: "镇审核同意", expectedVersion: nil, by: clerk)
            _ = try await past.cases.take(id, transition: "approve", note: "同意供养", expectedVersion: nil, by: reviewer)
        }
        return Summary(urbanHouseholds: urban.count, ruralHouseholds: rural.count, centralised: inHomes, dispersed: supported.count - inHomes)
    }

    /// The heads of the last `count` households in communities of `areaTypes`, with their region.
    private func heads(areaTypes: [String], count: Int) async throws(ServiceError) -> [(Int64, String)] {
        let database = operations.database
        return try await perform { try await database.read { db in
            try await db.raw(
                """
                SELECT m.person_id, h.region_code FROM households h JOIN household_members m ON m.household_id = h.id AND m.relation = 'head'
                    JOIN persons p ON p.id = m.person_id AND p.status = 'living'
                    JOIN regions r ON r.code = h.region_code AND r.area_type IN (\(binds: areaTypes))
                ORDER BY h.id DESC LIMIT \(literal: count)
                """
            ).all().map { (try $0.decode(column: "person_id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }
    }

    /// The oldest living villagers of 62 and over who are their household's only member.
    private func loneElders(count: Int, excluding: Set<Int64>) async throws(ServiceError) -> [(Int64, String)] {
        let database = operations.database
        let born = LocalDate(year: operations.clock.now().dateInChina.year - 62, month: 1, day: 1)!.description
        let found = try await perform { try await database.read { db in
            try await db.raw(
                """
                SELECT p.id, p.region_code FROM persons p JOIN household_members m ON m.person_id = p.id
                WHERE p.hukou_type = 'agricultural' AND p.status = 'living' AND p.birth_date <= \(bind: born)
                    AND (SELECT COUNT(*) FROM household_members o WHERE o.household_id = m.household_id) = 1
                ORDER BY p.birth_date, p.id LIMIT \(literal: count + excluding.count)
                """
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_code", as: String.self)) }
        } }
        return Array(found.filter { !excluding.contains($0.0) }.prefix(count))
    }
}
