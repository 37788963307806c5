import Foundation
public import SQLKit
public import ShebaoCore

/// A temporary-relief grant as approved.
public struct ReliefGrant: Sendable, Hashable {
    public var caseID: Int64
    public var personID: Int64
    public var personName: String
    public var region: RegionCode
    public var year: Int
    public var reason: ReliefReason
    public var granted: Money
    public var approvedOn: String
}

/// A donation received.
public struct Donation: Sendable, Hashable {
    public var id: Int64
    public var fund: DonationFund
    public var donor: String
    public var amount: Money
    public var receivedOn: LocalDate
    public var purpose: String
    public var recordedBy: String
}

/// A pairing of paired help for a year.
public struct PairedHelp: Sendable, Hashable {
    public var id: Int64
    public var helperKind: HelperKind
    public var helperName: String
    public var householdID: Int64
    public var householdNumber: String
    public var region: RegionCode
    public var year: Int
    public var pledged: Money
    public var delivered: Money
}

/// A special-hardship family on the register, with the help its members received this year.
public struct HardshipHousehold: Sendable, Hashable {
    public var id: Int64
    public var householdID: Int64
    public var householdNumber: String
    public var region: RegionCode
    public var needs: [HardshipNeed]
    public var reason: String
    public var designatedOn: LocalDate
    public var reviewBy: LocalDate
    public var endedOn: LocalDate?
    /// This year: temporary relief granted to its members, paired help delivered to it, and the
    /// payments made to its members from the education-aid fund.
    public var relief: Money
    public var pairedHelp: Money
    public var educationAid: Money
}

/// Temporary relief, donations, paired help (0039) and the special-hardship register (0041).
public struct ReliefStore: Sendable {
    public init() {}

    // MARK: Temporary relief

    /// Relief granted to `person` in `year` so far.
    public func granted(person: Int64, year: Int, on db: any SQLDatabase) async throws -> Money {
        Money(fen: try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(granted_fen), 0) AS BIGINT) AS total FROM relief_grants WHERE person_id = \(bind: person) AND year = \(bind: Int64(year))
            """
        ).first()?.decode(column: "total", as: Int64.self) ?? 0)
    }

    public func recordGrant(_ request: TemporaryRelief.Request, case caseID: Int64, region: RegionCode, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO relief_grants (case_id, person_id, region_code, year, reason, granted_fen, approved_at)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: Int64(request.input.date.year)),
                \(bind: request.reason.rawValue), \(bind: request.output.granted.fen), \(bind: now.iso8601))
            """
        ).run()
    }

    public func grants(year: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [ReliefGrant] {
        try await grants(where: "g.year = \(bind: Int64(year)) AND \(SQLPieces.scope(scope, column: "g.region_code"))", on: db)
    }

    public func grants(of person: Int64, on db: any SQLDatabase) async throws -> [ReliefGrant] {
        try await grants(where: "g.person_id = \(bind: person)", on: db)
    }

    private func grants(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [ReliefGrant] {
        try await db.raw(
            """
            SELECT g.*, p.name FROM relief_grants g JOIN persons p ON p.id = g.person_id WHERE \(condition) ORDER BY g.approved_at DESC, g.case_id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "relief_grants", keyColumn: "case_id")
            return ReliefGrant(caseID: try reader.int("case_id"), personID: try reader.int("person_id"), personName: try reader.string("name"),
                               region: try reader.region("region_code"), year: Int(try reader.int("year")),
                               reason: try reader.value("reason", as: ReliefReason.self), granted: Money(fen: try reader.int("granted_fen")),
                               approvedOn: String(try reader.string("approved_at").prefix(10)))
        }
    }

    // MARK: Donations

    public func recordDonation(fund: DonationFund, donor: String, amount: Money, receivedOn: LocalDate, purpose: String, region: RegionCode,
                               by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        guard let id = try await db.raw(
            """
            INSERT INTO charity_donations (fund, donor, amount_fen, received_on, purpose, region_code, recorded_at, recorded_by)
            VALUES (\(bind: fund.rawValue), \(bind: donor), \(bind: amount.fen), \(bind: receivedOn.description), \(bind: purpose), \(bind: region.value),
                \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self) else { throw RowDecodingError(table: "charity_donations", column: "id", key: donor, value: nil) }
        return id
    }

    /// The donations received in `year`, the latest first.
    public func donations(year: Int, on db: any SQLDatabase) async throws -> [Donation] {
        try await db.raw(
            """
            SELECT * FROM charity_donations WHERE received_on >= \(bind: "\(year)-01-01") AND received_on <= \(bind: "\(year)-12-31")
            ORDER BY received_on DESC, id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "charity_donations")
            return Donation(id: try reader.int("id"), fund: try reader.value("fund", as: DonationFund.self), donor: try reader.string("donor"),
                            amount: Money(fen: try reader.int("amount_fen")), receivedOn: try reader.date("received_on"), purpose: try reader.string("purpose"),
                            recordedBy: try reader.string("recorded_by"))
        }
    }

    // MARK: Paired help

    /// Records a pairing for a year; nil when the helper already helps the household that year.
    public func pair(kind: HelperKind, helper: String, household: Int64, region: RegionCode, year: Int, pledged: Money, by actor: AuditActor,
                     at now: Timestamp, on db: any SQLDatabase) async throws -> Int64? {
        guard try await db.raw(
            """
            SELECT id FROM paired_help WHERE helper_name = \(bind: helper) AND household_id = \(bind: household) AND year = \(bind: Int64(year))
            """
        ).first() == nil else { return nil }
        return try await db.raw(
            """
            INSERT INTO paired_help (helper_kind, helper_name, household_id, region_code, year, pledged_fen, recorded_at, recorded_by)
            VALUES (\(bind: kind.rawValue), \(bind: helper), \(bind: household), \(bind: region.value), \(bind: Int64(year)), \(bind: pledged.fen),
                \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
    }

    /// Adds `amount` to what a pairing has delivered; false when it is not found.
    public func deliver(_ id: Int64, amount: Money, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("UPDATE paired_help SET delivered_fen = delivered_fen + \(bind: amount.fen) WHERE id = \(bind: id) RETURNING id").all()).isEmpty
    }

    public func pairings(year: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [PairedHelp] {
        try await pairings(where: "h.year = \(bind: Int64(year)) AND \(SQLPieces.scope(scope, column: "h.region_code"))", on: db)
    }

    public func pairings(ofHousehold household: Int64, on db: any SQLDatabase) async throws -> [PairedHelp] {
        try await pairings(where: "h.household_id = \(bind: household)", on: db)
    }

    public func pairing(_ id: Int64, on db: any SQLDatabase) async throws -> PairedHelp? {
        try await pairings(where: "h.id = \(bind: id)", on: db).first
    }

    private func pairings(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [PairedHelp] {
        try await db.raw(
            """
            SELECT h.*, o.register_number FROM paired_help h JOIN households o ON o.id = h.household_id WHERE \(condition)
            ORDER BY h.year DESC, h.region_code, h.id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "paired_help")
            return PairedHelp(id: try reader.int("id"), helperKind: try reader.value("helper_kind", as: HelperKind.self),
                              helperName: try reader.string("helper_name"), householdID: try reader.int("household_id"),
                              householdNumber: try reader.string("register_number"), region: try reader.region("region_code"),
                              year: Int(try reader.int("year")), pledged: Money(fen: try reader.int("pledged_fen")),
                              delivered: Money(fen: try reader.int("delivered_fen")))
        }
    }

    // MARK: Special-hardship families

    /// Puts a household on the register; nil when it is on it already.
    public func designate(household: Int64, region: RegionCode, needs: [HardshipNeed], reason: String, on day: LocalDate, reviewBy: LocalDate,
                          by actor: AuditActor, on db: any SQLDatabase) async throws -> Int64? {
        guard try await db.raw("SELECT id FROM hardship_households WHERE household_id = \(bind: household) AND ended_on IS NULL").first() == nil else {
            return nil
        }
        return try await db.raw(
            """
            INSERT INTO hardship_households (household_id, region_code, needs, reason, designated_on, review_by, designated_by)
            VALUES (\(bind: household), \(bind: region.value), \(bind: needs.map(\.rawValue).joined(separator: ",")), \(bind: reason),
                \(bind: day.description), \(bind: reviewBy.description), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
    }

    /// Takes a household off the register; false when it was not on it.
    public func endHardship(_ id: Int64, on day: LocalDate, reason: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE hardship_households SET ended_on = \(bind: day.description), end_reason = \(bind: reason) WHERE id = \(bind: id) AND ended_on IS NULL
            RETURNING id
            """).all()).isEmpty
    }

    /// The families on the register in `scope` (with those who left it when `current` is false),
    /// each with the help received in `year`.
    public func hardshipHouseholds(in scope: RegionCode, year: Int, current: Bool, on db: any SQLDatabase) async throws -> [HardshipHousehold] {
        try await hardship(where: "\(SQLPieces.scope(scope, column: "h.region_code"))\(unsafeRaw: current ? " AND h.ended_on IS NULL" : "")", year: year, on: db)
    }

    public func hardship(ofHousehold household: Int64, year: Int, on db: any SQLDatabase) async throws -> HardshipHousehold? {
        try await hardship(where: "h.household_id = \(bind: household) AND h.ended_on IS NULL", year: year, on: db).first
    }

    public func hardship(_ id: Int64, year: Int, on db: any SQLDatabase) async throws -> HardshipHousehold? {
        try await hardship(where: "h.id = \(bind: id)", year: year, on: db).first
    }

    private func hardship(where condition: SQLQueryString, year: Int, on db: any SQLDatabase) async throws -> [HardshipHousehold] {
        let y = Int64(year)
        // The payments are keyed month first (0043): a member's are found month by month.
        let months = (1...12).map { Int64(year * 100 + $0) }
        return try await db.raw(
            """
            SELECT h.*, o.register_number,
                (SELECT CAST(COALESCE(SUM(g.granted_fen), 0) AS BIGINT) FROM relief_grants g JOIN household_members m ON m.person_id = g.person_id
                    WHERE m.household_id = h.household_id AND g.year = \(bind: y)) AS relief_fen,
                (SELECT CAST(COALESCE(SUM(p.delivered_fen), 0) AS BIGINT) FROM paired_help p WHERE p.household_id = h.household_id AND p.year = \(bind: y)) AS paired_fen,
                (SELECT CAST(COALESCE(SUM(q.amount_fen), 0) AS BIGINT) FROM pension_payments q JOIN household_members m ON m.person_id = q.person_id
                    WHERE m.household_id = h.household_id AND q.kind = 'education_aid' AND q.state <> 'failed'
                        AND q.period IN (\(binds: months))) AS aid_fen
            FROM hardship_households h JOIN households o ON o.id = h.household_id
            WHERE \(condition) ORDER BY h.ended_on IS NOT NULL, h.designated_on DESC, h.id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "hardship_households")
            return HardshipHousehold(
                id: try reader.int("id"), householdID: try reader.int("household_id"), householdNumber: try reader.string("register_number"),
                region: try reader.region("region_code"),
                needs: try reader.string("needs").split(separator: ",").compactMap { HardshipNeed(rawValue: String($0)) },
                reason: try reader.string("reason"), designatedOn: try reader.date("designated_on"), reviewBy: try reader.date("review_by"),
                endedOn: try reader.optionalDate("ended_on"), relief: Money(fen: try reader.int("relief_fen")),
                pairedHelp: Money(fen: try reader.int("paired_fen")), educationAid: Money(fen: try reader.int("aid_fen")))
        }
    }
}
