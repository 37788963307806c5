import Foundation
public import SQLKit
public import ShebaoCore

/// A household's minimum living guarantee as granted.
public struct DibaoGrant: Sendable, Hashable {
    public var caseID: Int64
    public var householdID: Int64
    public var personID: Int64
    public var personName: String
    public var region: RegionCode
    public var householdSize: Int
    public var monthly: Money
    public var monthlyFrom: Period
    public var paidThrough: Period?
    public var endsFrom: Period?
    public var endReason: String?
    public var category: DibaoReviewCategory
    public var nextReview: LocalDate
}

/// One periodic review of a grant, as recorded.
public struct DibaoReview: Sendable, Hashable {
    public var reviewedOn: LocalDate
    public var outcome: DibaoReviewOutcome
    public var note: String
    public var reviewedBy: String
    public var nextReview: LocalDate?
}

/// An application on public notice, as the community's notice board shows it: the name masked,
/// the household's size and amount, the dates — never an ID number, an account or health data.
public struct DibaoNotice: Sendable, Hashable {
    public var caseID: Int64
    public var region: RegionCode
    public var maskedName: String
    public var householdSize: Int
    public var monthly: Money
    public var startsOn: LocalDate
    public var endsOn: LocalDate
}

/// An education-aid application on notice, as the boards show it: the student's name masked,
/// the school level and the year's amount.
public struct EducationAidNotice: Sendable, Hashable {
    public var caseID: Int64
    public var region: RegionCode
    public var maskedName: String
    public var level: SchoolLevel
    public var yearly: Money
    public var startsOn: LocalDate
    public var endsOn: LocalDate
}

/// A person the unemployment office referred when their benefit ended while still jobless and
/// poor (PROGRAMS.md §2.9, §4.1), not yet applying for dibao.
public struct DibaoReferral: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var region: RegionCode
    public var referredOn: LocalDate
}

/// Dibao grants (0033) and the notices of applications being posted.
public struct DibaoStore: Sendable {
    public init() {}

    public func recordGrant(_ request: DibaoApplication.Request, case caseID: Int64, region: RegionCode, from month: Period, nextReview: LocalDate,
                            at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO dibao_grants (case_id, household_id, person_id, region_code, household_size, monthly_fen, payment_point_id, bank_account,
                monthly_from, category, next_review, granted_at)
            VALUES (\(bind: caseID), \(bind: request.householdID), \(bind: request.personID), \(bind: region.value), \(bind: Int64(request.input.householdSize)),
                \(bind: request.benefit.total.fen), \(bind: request.paymentPointID), \(bind: request.account), \(bind: Int64(month.yyyymm)),
                \(bind: request.reviewCategory.rawValue), \(bind: nextReview.description), \(bind: now.iso8601))
            """
        ).run()
    }

    /// The grants still paid in `scope` whose review falls on `today` or before, the most overdue first.
    public func dueForReview(in scope: RegionCode, on today: LocalDate, on db: any SQLDatabase) async throws -> [DibaoGrant] {
        try await grants(where: """
            g.ends_from IS NULL AND g.next_review <= \(bind: today.description) AND \(SQLPieces.scope(scope, column: "g.region_code"))
            """, on: db).sorted { ($0.nextReview, $0.caseID) < ($1.nextReview, $1.caseID) }
    }

    /// Records a review; a grant that continues is reviewed next on `next`.
    public func recordReview(_ caseID: Int64, on day: LocalDate, outcome: DibaoReviewOutcome, note: String, next: LocalDate?, by actor: AuditActor,
                             at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO dibao_reviews (case_id, reviewed_on, outcome, note, reviewed_by, next_review, recorded_at)
            VALUES (\(bind: caseID), \(bind: day.description), \(bind: outcome.rawValue), \(bind: note), \(bind: actor.name), \(bind: next?.description),
                \(bind: now.iso8601))
            """
        ).run()
        if let next {
            try await db.raw("UPDATE dibao_grants SET next_review = \(bind: next.description) WHERE case_id = \(bind: caseID)").run()
        }
    }

    /// A grant's reviews, the latest first.
    public func reviews(of caseID: Int64, on db: any SQLDatabase) async throws -> [DibaoReview] {
        try await db.raw("SELECT * FROM dibao_reviews WHERE case_id = \(bind: caseID) ORDER BY id DESC").all().map { row in
            let reader = try RowReader(row, table: "dibao_reviews")
            return DibaoReview(reviewedOn: try reader.date("reviewed_on"), outcome: try reader.value("outcome", as: DibaoReviewOutcome.self),
                               note: try reader.string("note"), reviewedBy: try reader.string("reviewed_by"), nextReview: try reader.optionalDate("next_review"))
        }
    }

    /// The members of a household who are alive: those a household's dibao counts (a deceased
    /// member stays on the register until the booklet is changed).
    public func livingMembers(of household: Int64, on db: any SQLDatabase) async throws -> Set<Int64> {
        Set(try await db.raw(
            """
            SELECT m.person_id FROM household_members m JOIN persons p ON p.id = m.person_id
            WHERE m.household_id = \(bind: household) AND p.status = 'living'
            """
        ).all().map { try $0.decode(column: "person_id", as: Int64.self) })
    }

    /// The grants in `scope`, the latest first; `current` keeps those still paid.
    public func grants(in scope: RegionCode, current: Bool = false, on db: any SQLDatabase) async throws -> [DibaoGrant] {
        try await grants(where: "\(SQLPieces.scope(scope, column: "g.region_code"))\(unsafeRaw: current ? " AND g.ends_from IS NULL" : "")", on: db)
    }

    public func grants(ofHousehold household: Int64, on db: any SQLDatabase) async throws -> [DibaoGrant] {
        try await grants(where: "g.household_id = \(bind: household)", on: db)
    }

    public func grant(_ caseID: Int64, on db: any SQLDatabase) async throws -> DibaoGrant? {
        try await grants(where: "g.case_id = \(bind: caseID)", on: db).first
    }

    /// Makes the months of each grant in force since the last one paid owed to the household head
    /// (the payroll's accrual; 城乡同一日发放: every town and the country on one run).
    func accrueMonthly(chunk: AssessmentChunk, period p: Int64, scope: RegionCode, on db: any SQLDatabase) async throws {
        try await PayrollStore().accrue(table: "dibao_grants", source: "dibao", kind: "dibao", fund: .dibao, amount: "monthly_fen", payee: "NULL",
                                        only: "(w.ends_from IS NULL OR w.ends_from > \(bind: p))", chunk: chunk, period: p, scope: scope, on: db)
    }

    /// Ends a grant from `month` (nothing is owed for it or after); false when it had ended.
    public func end(_ caseID: Int64, from month: Period, reason: String, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE dibao_grants SET ends_from = \(bind: Int64(month.yyyymm)), end_reason = \(bind: reason)
            WHERE case_id = \(bind: caseID) AND ends_from IS NULL RETURNING case_id
            """).all()
        return !rows.isEmpty
    }

    private func grants(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [DibaoGrant] {
        try await db.raw(
            """
            SELECT g.*, p.name FROM dibao_grants g JOIN persons p ON p.id = g.person_id WHERE \(condition) ORDER BY g.monthly_from DESC, g.case_id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "dibao_grants", keyColumn: "case_id")
            return DibaoGrant(
                caseID: try reader.int("case_id"), householdID: try reader.int("household_id"), personID: try reader.int("person_id"),
                personName: try reader.string("name"), region: try reader.region("region_code"), householdSize: Int(try reader.int("household_size")),
                monthly: Money(fen: try reader.int("monthly_fen")), monthlyFrom: try reader.period("monthly_from"),
                paidThrough: try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) },
                endsFrom: try reader.optionalInt("ends_from").flatMap { Period(yyyymm: Int($0)) }, endReason: try reader.optionalString("end_reason"),
                category: try reader.value("category", as: DibaoReviewCategory.self), nextReview: try reader.date("next_review"))
        }
    }

    /// The persons in `scope` referred by the unemployment office whose household has no dibao
    /// application of `type` opened since the day of the referral (in China) and no grant being
    /// paid, the oldest first. Referrals are few: the household's latest application is read with
    /// each and compared by its day in China, as the referral's day is.
    public func referrals(type: String, in scope: RegionCode, on db: any SQLDatabase) async throws -> [DibaoReferral] {
        try await db.raw(
            """
            SELECT s.person_id, p.name, s.region_code, s.referred_on, MAX(c.opened_at) AS last_opened
            FROM unemployment_spells s JOIN persons p ON p.id = s.person_id
                LEFT JOIN household_members m ON m.person_id = s.person_id
                LEFT JOIN household_members o ON o.household_id = m.household_id
                LEFT JOIN cases c ON c.person_id = o.person_id AND c.case_type = \(bind: type)
            WHERE s.referred_on IS NOT NULL AND \(SQLPieces.scope(scope, column: "s.region_code"))
                AND NOT EXISTS (
                    SELECT 1 FROM household_members h JOIN dibao_grants g ON g.household_id = h.household_id AND g.ends_from IS NULL
                    WHERE h.person_id = s.person_id)
            GROUP BY s.person_id, p.name, s.region_code, s.referred_on
            ORDER BY s.referred_on, s.person_id
            """
        ).all().compactMap { row in
            let reader = try RowReader(row, table: "unemployment_spells", keyColumn: "person_id")
            let referredOn = try reader.date("referred_on")
            if let opened = try reader.optionalString("last_opened").flatMap(Timestamp.init(iso8601:)), opened.dateInChina >= referredOn { return nil }
            return DibaoReferral(personID: try reader.int("person_id"), name: try reader.string("name"), region: try reader.region("region_code"),
                                 referredOn: referredOn)
        }
    }

    /// Education-aid applications whose public notice runs on `today` in `scope`.
    public func educationAidNotices(in scope: RegionCode, on today: LocalDate, on db: any SQLDatabase) async throws -> [EducationAidNotice] {
        try await onNotice(type: EducationAidApplication.caseType.id, in: scope, on: today, on: db).compactMap { row in
            guard let request = try? StoreJSON.decoder.decode(EducationAidApplication.Request.self, from: Data(row.payload.utf8)) else { return nil }
            return EducationAidNotice(caseID: row.caseID, region: row.region, maskedName: maskedName(row.name), level: request.input.level,
                                      yearly: request.aid.yearlyAmount, startsOn: row.startsOn, endsOn: row.endsOn)
        }
    }

    /// The cases of `type` on notice today: what each board line is made from.
    private func onNotice(type: String, in scope: RegionCode, on today: LocalDate, on db: any SQLDatabase) async throws
        -> [(caseID: Int64, region: RegionCode, payload: String, name: String, startsOn: LocalDate, endsOn: LocalDate)] {
        try await db.raw(
            """
            SELECT c.id, c.region_code, c.payload, p.name, n.starts_on, n.ends_on
            FROM cases c JOIN case_notices n ON n.case_id = c.id AND n.state = c.state JOIN persons p ON p.id = c.person_id
            WHERE c.case_type = \(bind: type) AND c.state = 'notice' AND n.ends_on > \(bind: today.description)
                AND \(SQLPieces.scope(scope, column: "c.region_code"))
            ORDER BY c.region_code, c.id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "cases")
            return (try reader.int("id"), try reader.region("region_code"), try reader.string("payload"), try reader.string("name"),
                    try reader.date("starts_on"), try reader.date("ends_on"))
        }
    }

    /// Dibao applications whose public notice runs on `today` in `scope`, by region then case:
    /// what the notice boards show. The payload gives the size and amount; the name is masked here.
    public func notices(in scope: RegionCode, on today: LocalDate, on db: any SQLDatabase) async throws -> [DibaoNotice] {
        try await onNotice(type: DibaoApplication.caseType.id, in: scope, on: today, on: db).compactMap { row in
            guard let request = try? StoreJSON.decoder.decode(DibaoApplication.Request.self, from: Data(row.payload.utf8)) else { return nil }
            return DibaoNotice(caseID: row.caseID, region: row.region, maskedName: maskedName(row.name), householdSize: request.input.householdSize,
                               monthly: request.benefit.total, startsOn: row.startsOn, endsOn: row.endsOn)
        }
    }
}
