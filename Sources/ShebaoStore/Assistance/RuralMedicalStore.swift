public import SQLKit
public import ShebaoCore

/// A household's enrolment in the rural cooperative medical scheme for a year.
public struct NcmsEnrolment: Sendable, Hashable {
    public var householdID: Int64
    public var year: Int
    public var region: RegionCode
    public var participants: Int
    public var assisted: Int
    public var financing: RuralMedicalFinancingRule.Output

    public init(householdID: Int64, year: Int, region: RegionCode, participants: Int, assisted: Int, financing: RuralMedicalFinancingRule.Output) {
        self.householdID = householdID
        self.year = year
        self.region = region
        self.participants = participants
        self.assisted = assisted
        self.financing = financing
    }
}

/// A township's participation in a year: persons enrolled of those who may enrol.
public struct NcmsParticipation: Sendable, Hashable {
    public var township: RegionCode
    public var households: Int
    public var enrolled: Int
    public var eligible: Int

    public init(township: RegionCode, households: Int, enrolled: Int, eligible: Int) {
        self.township = township
        self.households = households
        self.enrolled = enrolled
        self.eligible = eligible
    }
}

/// Rural cooperative medical enrolments (0034) and the participation per township.
public struct RuralMedicalStore: Sendable {
    public init() {}

    /// The members of a household who may take part in `year`: alive, and with no employees' or
    /// own-account medical insurance in January of that year (PROGRAMS.md §4.3).
    public func eligibleMembers(of household: Int64, year: Int, on db: any SQLDatabase) async throws -> [Int64] {
        let january = Int64(year * 100 + 1)
        return try await db.raw(
            """
            SELECT m.person_id FROM household_members m JOIN persons p ON p.id = m.person_id
            WHERE m.household_id = \(bind: household) AND p.status = 'living'
                AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.scheme = 'medical'
                    AND e.start_period <= \(bind: january) AND (e.end_period IS NULL OR e.end_period >= \(bind: january)))
            ORDER BY m.person_id
            """
        ).all().map { try $0.decode(column: "person_id", as: Int64.self) }
    }

    public func enrolment(household: Int64, year: Int, on db: any SQLDatabase) async throws -> NcmsEnrolment? {
        try await enrolments(where: "household_id = \(bind: household) AND year = \(bind: Int64(year))", on: db).first
    }

    public func enrolments(ofHousehold household: Int64, on db: any SQLDatabase) async throws -> [NcmsEnrolment] {
        try await enrolments(where: "household_id = \(bind: household)", on: db)
    }

    public func record(_ enrolment: NcmsEnrolment, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws {
        let f = enrolment.financing
        try await db.raw(
            """
            INSERT INTO ncms_enrolments (household_id, year, region_code, participants, assisted, per_person_fen, participants_fen, town_fen, district_fen,
                city_fen, total_fen, enrolled_at, enrolled_by)
            VALUES (\(bind: enrolment.householdID), \(bind: Int64(enrolment.year)), \(bind: enrolment.region.value), \(bind: Int64(enrolment.participants)),
                \(bind: Int64(enrolment.assisted)), \(bind: f.perPerson.fen), \(bind: f.participantsPay.fen), \(bind: f.town.fen), \(bind: f.district.fen),
                \(bind: f.city.fen), \(bind: f.total.fen), \(bind: now.iso8601), \(bind: actor.name))
            """
        ).run()
    }

    /// Per township of `scope` in `year`: households and persons enrolled, and the living persons
    /// registered there who are in no employees' or own-account medical insurance in January.
    public func participation(year: Int, in scope: RegionCode, on db: any SQLDatabase) async throws -> [NcmsParticipation] {
        let january = Int64(year * 100 + 1)
        let enrolled = try await db.raw(
            """
            SELECT substr(region_code, 1, 9) AS township, CAST(COUNT(*) AS BIGINT) AS households, CAST(SUM(participants) AS BIGINT) AS persons
            FROM ncms_enrolments WHERE year = \(bind: Int64(year)) AND \(SQLPieces.scope(scope, column: "region_code"))
            GROUP BY substr(region_code, 1, 9)
            """
        ).all()
        let eligible = try await db.raw(
            """
            SELECT substr(h.region_code, 1, 9) AS township, CAST(COUNT(*) AS BIGINT) AS persons
            FROM households h JOIN household_members m ON m.household_id = h.id JOIN persons p ON p.id = m.person_id AND p.status = 'living'
            WHERE \(SQLPieces.scope(scope, column: "h.region_code"))
                AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.scheme = 'medical'
                    AND e.start_period <= \(bind: january) AND (e.end_period IS NULL OR e.end_period >= \(bind: january)))
            GROUP BY substr(h.region_code, 1, 9)
            """
        ).all()
        var rows: [String: NcmsParticipation] = [:]
        for row in eligible {
            let code = try row.decode(column: "township", as: String.self)
            guard let township = try? RegionCode(code + "000") else { continue }
            rows[code] = NcmsParticipation(township: township, households: 0, enrolled: 0, eligible: Int(try row.decode(column: "persons", as: Int64.self)))
        }
        for row in enrolled {
            let code = try row.decode(column: "township", as: String.self)
            guard let township = try? RegionCode(code + "000") else { continue }
            var entry = rows[code] ?? NcmsParticipation(township: township, households: 0, enrolled: 0, eligible: 0)
            entry.households = Int(try row.decode(column: "households", as: Int64.self))
            entry.enrolled = Int(try row.decode(column: "persons", as: Int64.self))
            rows[code] = entry
        }
        return rows.values.sorted { $0.township.value < $1.township.value }
    }

    private func enrolments(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [NcmsEnrolment] {
        try await db.raw("SELECT * FROM ncms_enrolments WHERE \(condition) ORDER BY year DESC").all().map { row in
            let reader = try RowReader(row, table: "ncms_enrolments", keyColumn: "household_id")
            return NcmsEnrolment(
                householdID: try reader.int("household_id"), year: Int(try reader.int("year")), region: try reader.region("region_code"),
                participants: Int(try reader.int("participants")), assisted: Int(try reader.int("assisted")),
                financing: RuralMedicalFinancingRule.Output(
                    perPerson: Money(fen: try reader.int("per_person_fen")), participantsPay: Money(fen: try reader.int("participants_fen")),
                    town: Money(fen: try reader.int("town_fen")), district: Money(fen: try reader.int("district_fen")), city: Money(fen: try reader.int("city_fen")),
                    total: Money(fen: try reader.int("total_fen"))))
        }
    }

    // MARK: Catastrophic-illness claims (0036)

    /// What a person's approved claims of `year` paid: the scheme's share, and medical assistance.
    public func claimsToDate(person: Int64, year: Int, on db: any SQLDatabase) async throws -> (reimbursed: Money, assistance: Money) {
        let row = try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(reimbursed_fen), 0) AS BIGINT) AS reimbursed, CAST(COALESCE(SUM(assistance_fen), 0) AS BIGINT) AS assistance
            FROM ncms_claims WHERE person_id = \(bind: person) AND year = \(bind: Int64(year))
            """).first()
        return (Money(fen: try row?.decode(column: "reimbursed", as: Int64.self) ?? 0), Money(fen: try row?.decode(column: "assistance", as: Int64.self) ?? 0))
    }

    /// Whether the stay was claimed already (same hospital, same admission).
    public func claimed(person: Int64, institution: Int64, admittedOn: LocalDate, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS n FROM ncms_claims WHERE person_id = \(bind: person) AND institution_id = \(bind: institution)
                AND admitted_on = \(bind: admittedOn.description)
            """).first() != nil
    }

    public func recordClaim(_ request: RuralMedicalClaim.Request, case caseID: Int64, region: RegionCode, by actor: AuditActor, at now: Timestamp,
                            on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO ncms_claims (case_id, person_id, region_code, year, institution_id, admitted_on, discharged_on, total_cost_fen, eligible_fen,
                reimbursed_fen, assistance_fen, handler, approved_at, approved_by)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: Int64(request.admittedOn.year)), \(bind: request.institutionID),
                \(bind: request.admittedOn.description), \(bind: request.dischargedOn.description), \(bind: request.totalCost.fen), \(bind: request.input.cost.fen),
                \(bind: request.reimbursement.reimbursement.fen), \(bind: request.assistance?.reimbursement.fen ?? 0), \(bind: request.handler.rawValue),
                \(bind: now.iso8601), \(bind: actor.name))
            """
        ).run()
    }

    /// Whether `person` is assisted in `month`: a member of a household paid dibao then, or in
    /// five-guarantees or three-withouts support then.
    public func assisted(person: Int64, in month: Period, on db: any SQLDatabase) async throws -> Bool {
        let p = Int64(month.yyyymm)
        return try await db.raw(
            """
            SELECT 1 AS n FROM household_members m JOIN dibao_grants g ON g.household_id = m.household_id
            WHERE m.person_id = \(bind: person) AND g.monthly_from <= \(bind: p) AND (g.ends_from IS NULL OR g.ends_from > \(bind: p))
            UNION ALL
            SELECT 1 AS n FROM support_grants s
            WHERE s.person_id = \(bind: person) AND s.monthly_from <= \(bind: p) AND (s.ends_from IS NULL OR s.ends_from > \(bind: p))
            """).first() != nil
    }
}
