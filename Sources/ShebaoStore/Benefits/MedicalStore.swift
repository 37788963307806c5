public import SQLKit
public import ShebaoCore

/// An inspection as recorded, with its decision once a second person made it.
public struct InspectionRecord: Sendable, Hashable {
    public var id: Int64
    public var institutionID: Int64
    public var kind: MedicalInspection.Kind
    public var inspectedOn: LocalDate
    public var findings: String
    public var measure: MedicalInspection.Measure
    public var fine: Money
    public var state: MedicalInspection.State
    public var inspector: String
    public var inspectorID: Int64
    public var decidedBy: String?
    public var decisionNote: String?
}

/// An approved inpatient claim: the stay and what the fund paid.
public struct InpatientStay: Sendable, Hashable {
    public var caseID: Int64
    public var institutionID: Int64
    public var institution: String
    public var admittedOn: LocalDate
    public var dischargedOn: LocalDate
    public var eligibleCost: Money
    public var deductible: Money
    public var fundPays: Money
}

/// One purchase paid from an individual account, as a pharmacy's file reported it.
public struct AccountPurchase: Sendable, Hashable {
    public var institutionID: Int64
    public var receipt: String
    public var personID: Int64
    public var region: RegionCode
    public var spentOn: LocalDate
    public var amount: Money

    public init(institutionID: Int64, receipt: String, personID: Int64, region: RegionCode, spentOn: LocalDate, amount: Money) {
        self.institutionID = institutionID
        self.receipt = receipt
        self.personID = personID
        self.region = region
        self.spentOn = spentOn
        self.amount = amount
    }
}

/// A purchase as the person's page lists it.
public struct AccountPurchaseLine: Sendable, Hashable {
    public var institution: String
    public var receipt: String
    public var spentOn: LocalDate
    public var amount: Money
}

/// What the fund owes an institution for purchases not yet settled, and what it settled.
public struct InstitutionAccount: Sendable, Hashable {
    public struct Settlement: Sendable, Hashable {
        public var id: Int64
        public var purchases: Int
        public var amount: Money
        public var reference: String
        public var settledBy: String
        public var settledAt: String

        public init(id: Int64, purchases: Int, amount: Money, reference: String, settledBy: String, settledAt: String) {
            self.id = id
            self.purchases = purchases
            self.amount = amount
            self.reference = reference
            self.settledBy = settledBy
            self.settledAt = settledAt
        }
    }
    public var openPurchases: Int
    public var owed: Money
    public var settlements: [Settlement]
}

/// Designated institutions, inspections, inpatient claims and account spending, inside the
/// caller's transaction.
public struct MedicalStore: Sendable {
    public init() {}

    // MARK: Institutions

    public func addInstitution(code: String, name: String, kind: MedicalInstitution.Kind, level: InstitutionLevel?, region: RegionCode,
                               agreementFrom: LocalDate, agreementTo: LocalDate, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO medical_institutions (code, name, kind, level, region_code, agreement_from, agreement_to, status, status_since, version, created_at)
            VALUES (\(bind: code), \(bind: name), \(bind: kind.rawValue), \(bind: level?.rawValue), \(bind: region.value),
                \(bind: agreementFrom.description), \(bind: agreementTo.description), 'active', \(bind: agreementFrom.description), 1, \(bind: now.iso8601))
            """)
    }

    public func institutions(in scope: RegionCode, on db: any SQLDatabase) async throws -> [MedicalInstitution] {
        try await institutions(where: SQLPieces.scope(scope, column: "region_code"), on: db)
    }

    public func institution(_ id: Int64, on db: any SQLDatabase) async throws -> MedicalInstitution? {
        try await institutions(where: "id = \(bind: id)", on: db).first
    }

    public func institution(code: String, on db: any SQLDatabase) async throws -> MedicalInstitution? {
        try await institutions(where: "code = \(bind: code)", on: db).first
    }

    private func institutions(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [MedicalInstitution] {
        try await db.raw("SELECT * FROM medical_institutions WHERE \(condition) ORDER BY kind, CASE level WHEN 'city' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, region_code, code").all().map { row in
            let reader = try RowReader(row, table: "medical_institutions")
            return MedicalInstitution(
                id: try reader.int("id"), code: try reader.string("code"), name: try reader.string("name"),
                kind: try reader.value("kind", as: MedicalInstitution.Kind.self), level: try reader.optionalValue("level", as: InstitutionLevel.self),
                region: try reader.region("region_code"), agreementFrom: try reader.date("agreement_from"), agreementTo: try reader.date("agreement_to"),
                status: try reader.value("status", as: MedicalInstitution.Status.self), statusSince: try reader.date("status_since"),
                version: try reader.int("version"))
        }
    }

    /// Moves the institution to `status` from `since` if it is still at `version`; false when someone changed it first.
    public func setStatus(_ id: Int64, _ status: MedicalInstitution.Status, since: LocalDate, version: Int64, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE medical_institutions SET status = \(bind: status.rawValue), status_since = \(bind: since.description), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: version) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Extends (or renews) the agreement to `until` if the institution is still at `version`.
    public func renewAgreement(_ id: Int64, until: LocalDate, version: Int64, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE medical_institutions SET agreement_to = \(bind: until.description), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: version) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    // MARK: Inspections

    public func recordInspection(institution: Int64, kind: MedicalInspection.Kind, on date: LocalDate, findings: String, measure: MedicalInspection.Measure,
                                 fine: Money, by actor: AuditActor, inspectorID: Int64, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.insertReturningID(
            """
            INSERT INTO medical_inspections (institution_id, kind, inspected_on, findings, measure, fine_fen, state, inspector, inspector_id, recorded_at)
            VALUES (\(bind: institution), \(bind: kind.rawValue), \(bind: date.description), \(bind: findings), \(bind: measure.rawValue), \(bind: fine.fen),
                'proposed', \(bind: actor.name), \(bind: inspectorID), \(bind: now.iso8601))
            """)
    }

    public func inspections(of institution: Int64, on db: any SQLDatabase) async throws -> [InspectionRecord] {
        try await inspections(where: "institution_id = \(bind: institution)", on: db)
    }

    public func inspection(_ id: Int64, on db: any SQLDatabase) async throws -> InspectionRecord? {
        try await inspections(where: "id = \(bind: id)", on: db).first
    }

    /// Inspections waiting for a decision in `scope`, the oldest first.
    public func proposedInspections(in scope: RegionCode, on db: any SQLDatabase) async throws -> [InspectionRecord] {
        try await inspections(where: """
            state = 'proposed' AND institution_id IN (SELECT id FROM medical_institutions WHERE \(SQLPieces.scope(scope, column: "region_code")))
            """, on: db)
    }

    private func inspections(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [InspectionRecord] {
        try await db.raw("SELECT * FROM medical_inspections WHERE \(condition) ORDER BY inspected_on DESC, id DESC").all().map { row in
            let reader = try RowReader(row, table: "medical_inspections")
            return InspectionRecord(
                id: try reader.int("id"), institutionID: try reader.int("institution_id"), kind: try reader.value("kind", as: MedicalInspection.Kind.self),
                inspectedOn: try reader.date("inspected_on"), findings: try reader.string("findings"),
                measure: try reader.value("measure", as: MedicalInspection.Measure.self), fine: Money(fen: try reader.int("fine_fen")),
                state: try reader.value("state", as: MedicalInspection.State.self), inspector: try reader.string("inspector"),
                inspectorID: try reader.int("inspector_id"), decidedBy: try reader.optionalString("decided_by"),
                decisionNote: try reader.optionalString("decision_note"))
        }
    }

    /// Records the decision on a proposed inspection; false when it was decided already.
    public func decideInspection(_ id: Int64, _ state: MedicalInspection.State, note: String, by actor: AuditActor, at now: Timestamp,
                                 on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE medical_inspections SET state = \(bind: state.rawValue), decided_by = \(bind: actor.name), decided_at = \(bind: now.iso8601),
                decision_note = \(bind: note)
            WHERE id = \(bind: id) AND state = 'proposed' RETURNING id
            """).all()
        return !rows.isEmpty
    }

    // MARK: Inpatient claims

    public func recordClaim(_ request: InpatientClaim.Request, case caseID: Int64, region: RegionCode, by actor: AuditActor, at now: Timestamp,
                            on db: any SQLDatabase) async throws {
        let paid = request.reimbursement
        try await db.raw(
            """
            INSERT INTO medical_claims (case_id, person_id, region_code, institution_id, admitted_on, discharged_on, year, total_cost_fen,
                eligible_cost_fen, deductible_fen, fund_pays_fen, approved_at, approved_by)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: request.institutionID), \(bind: request.admittedOn.description),
                \(bind: request.dischargedOn.description), \(bind: Int64(request.admittedOn.year)), \(bind: request.totalCost.fen),
                \(bind: request.input.eligibleCost.fen), \(bind: paid.deductible.fen), \(bind: paid.fundPays.fen), \(bind: now.iso8601), \(bind: actor.name))
            """
        ).run()
    }

    /// The deductible borne and the fund's payments in `year` by the person's approved stays
    /// (a stay counts in the year it began).
    public func yearToDate(person: Int64, year: Int, on db: any SQLDatabase) async throws -> (deductible: Money, paid: Money) {
        let row = try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(deductible_fen), 0) AS BIGINT) AS deductible, CAST(COALESCE(SUM(fund_pays_fen), 0) AS BIGINT) AS paid
            FROM medical_claims WHERE person_id = \(bind: person) AND year = \(bind: Int64(year))
            """).first()
        return (Money(fen: try row?.decode(column: "deductible", as: Int64.self) ?? 0), Money(fen: try row?.decode(column: "paid", as: Int64.self) ?? 0))
    }

    public func stays(of person: Int64, on db: any SQLDatabase) async throws -> [InpatientStay] {
        try await db.raw(
            """
            SELECT c.*, i.name FROM medical_claims c JOIN medical_institutions i ON i.id = c.institution_id
            WHERE c.person_id = \(bind: person) ORDER BY c.admitted_on DESC, c.case_id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "medical_claims", keyColumn: "case_id")
            return InpatientStay(caseID: try reader.int("case_id"), institutionID: try reader.int("institution_id"), institution: try reader.string("name"), admittedOn: try reader.date("admitted_on"),
                                 dischargedOn: try reader.date("discharged_on"), eligibleCost: Money(fen: try reader.int("eligible_cost_fen")),
                                 deductible: Money(fen: try reader.int("deductible_fen")), fundPays: Money(fen: try reader.int("fund_pays_fen")))
        }
    }

    // MARK: Individual accounts

    /// Each person's medical account: what was credited (paid months) and what was spent.
    public func accountBalances(of persons: [Int64], on db: any SQLDatabase) async throws -> [Int64: (credited: Money, spent: Money)] {
        var found: [Int64: (credited: Money, spent: Money)] = [:]
        for chunk in Array(Set(persons)).sorted().chunked(into: 500) {
            let rows = try await db.raw(
                """
                SELECT x.person_id, CAST(SUM(x.credited) AS BIGINT) AS credited, CAST(SUM(x.spent) AS BIGINT) AS spent FROM (
                    SELECT person_id, account_credit_fen AS credited, 0 AS spent FROM paid_months
                    WHERE scheme = 'medical' AND person_id IN (\(binds: Array(chunk)))
                    UNION ALL
                    SELECT person_id, 0, amount_fen FROM medical_account_spending WHERE person_id IN (\(binds: Array(chunk)))
                ) x GROUP BY x.person_id
                """).all()
            for row in rows {
                found[try row.decode(column: "person_id", as: Int64.self)] = (Money(fen: try row.decode(column: "credited", as: Int64.self)),
                                                                             Money(fen: try row.decode(column: "spent", as: Int64.self)))
            }
        }
        return found
    }

    /// The receipts among `receipts` the institution has already reported.
    public func knownReceipts(institution: Int64, _ receipts: [String], on db: any SQLDatabase) async throws -> Set<String> {
        var known: Set<String> = []
        for chunk in receipts.chunked(into: 500) {
            for row in try await db.raw(
                "SELECT receipt FROM medical_account_spending WHERE institution_id = \(bind: institution) AND receipt IN (\(binds: Array(chunk)))").all() {
                known.insert(try row.decode(column: "receipt", as: String.self))
            }
        }
        return known
    }

    public func recordPurchases(_ purchases: [AccountPurchase], fileName: String, by actor: AuditActor, at now: Timestamp,
                                on db: any SQLDatabase) async throws {
        for chunk in purchases.chunked(into: 200) {
            let values = chunk.map { p -> SQLQueryString in
                """
                (\(bind: p.institutionID), \(bind: p.receipt), \(bind: p.personID), \(bind: p.region.value), \(bind: p.spentOn.description), \(bind: p.amount.fen),
                    \(bind: fileName), \(bind: actor.name), \(bind: now.iso8601))
                """
            }
            try await db.raw(
                """
                INSERT INTO medical_account_spending (institution_id, receipt, person_id, region_code, spent_on, amount_fen, file_name, recorded_by, recorded_at)
                VALUES \(values.joined(separator: ", "))
                """).run()
        }
    }

    /// A person's purchases, the latest first.
    public func purchases(of person: Int64, limit: Int = 50, on db: any SQLDatabase) async throws -> [AccountPurchaseLine] {
        try await db.raw(
            """
            SELECT s.receipt, s.spent_on, s.amount_fen, i.name FROM medical_account_spending s JOIN medical_institutions i ON i.id = s.institution_id
            WHERE s.person_id = \(bind: person) ORDER BY s.spent_on DESC, s.id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "medical_account_spending")
            return AccountPurchaseLine(institution: try reader.string("name"), receipt: try reader.string("receipt"), spentOn: try reader.date("spent_on"),
                                       amount: Money(fen: try reader.int("amount_fen")))
        }
    }

    /// What the fund owes each institution in `scope` for purchases not yet settled, in one pass.
    public func owed(in scope: RegionCode, on db: any SQLDatabase) async throws -> [Int64: Money] {
        var owed: [Int64: Money] = [:]
        for row in try await db.raw(
            """
            SELECT s.institution_id, CAST(SUM(s.amount_fen) AS BIGINT) AS total FROM medical_account_spending s
            JOIN medical_institutions i ON i.id = s.institution_id
            WHERE s.settlement_id IS NULL AND \(SQLPieces.scope(scope, column: "i.region_code")) GROUP BY s.institution_id
            """).all() {
            owed[try row.decode(column: "institution_id", as: Int64.self)] = Money(fen: try row.decode(column: "total", as: Int64.self))
        }
        return owed
    }

    public func account(of institution: Int64, on db: any SQLDatabase) async throws -> InstitutionAccount {
        let open = try await db.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS total
            FROM medical_account_spending WHERE institution_id = \(bind: institution) AND settlement_id IS NULL
            """).first()
        let settlements = try await db.raw(
            "SELECT * FROM medical_settlements WHERE institution_id = \(bind: institution) ORDER BY id DESC LIMIT 24").all().map { row in
            let reader = try RowReader(row, table: "medical_settlements")
            return InstitutionAccount.Settlement(id: try reader.int("id"), purchases: Int(try reader.int("purchases")), amount: Money(fen: try reader.int("amount_fen")),
                                                 reference: try reader.string("reference"), settledBy: try reader.string("settled_by"),
                                                 settledAt: try reader.string("settled_at"))
        }
        return InstitutionAccount(openPurchases: Int(try open?.decode(column: "n", as: Int64.self) ?? 0),
                                  owed: Money(fen: try open?.decode(column: "total", as: Int64.self) ?? 0), settlements: settlements)
    }

    /// Settles every purchase the institution reported and the fund has not yet paid: one
    /// settlement carrying them all, or nil when nothing is owed.
    public func settle(institution: Int64, reference: String, by actor: AuditActor, at now: Timestamp,
                       on db: any SQLDatabase) async throws -> (id: Int64, purchases: Int, amount: Money)? {
        // The settlement takes exactly the rows it marks, so a purchase recorded meanwhile waits for the next one.
        let id = try await db.insertReturningID(
            """
            INSERT INTO medical_settlements (institution_id, purchases, amount_fen, reference, settled_by, settled_at)
            VALUES (\(bind: institution), 0, 0, \(bind: reference), \(bind: actor.name), \(bind: now.iso8601))
            """)
        let amounts = try await db.raw(
            """
            UPDATE medical_account_spending SET settlement_id = \(bind: id) WHERE institution_id = \(bind: institution) AND settlement_id IS NULL
            RETURNING amount_fen
            """).all().map { try $0.decode(column: "amount_fen", as: Int64.self) }
        guard !amounts.isEmpty else {
            try await db.raw("DELETE FROM medical_settlements WHERE id = \(bind: id)").run()
            return nil
        }
        let total = Money(fen: amounts.reduce(0, +))
        try await db.raw(
            "UPDATE medical_settlements SET purchases = \(bind: Int64(amounts.count)), amount_fen = \(bind: total.fen) WHERE id = \(bind: id)").run()
        return (id, amounts.count, total)
    }

    /// Persons by resident ID with their region, for a file's rows.
    public func persons(ofResidentIDs ids: [ResidentID], on db: any SQLDatabase) async throws -> [String: (id: Int64, region: RegionCode)] {
        var found: [String: (id: Int64, region: RegionCode)] = [:]
        for chunk in Array(Set(ids.map(\.value))).sorted().chunked(into: 500) {
            for row in try await db.raw(
                "SELECT id, resident_id, region_code FROM persons WHERE resident_id IN (\(binds: Array(chunk))) AND merged_into IS NULL").all() {
                let reader = try RowReader(row, table: "persons")
                found[try reader.string("resident_id")] = (try reader.int("id"), try reader.region("region_code"))
            }
        }
        return found
    }
}
