import Foundation
public import SQLKit
public import ShebaoCore

/// A nursing or welfare home (敬老院、福利院) with its beds and floor space, the residents it
/// supports now and the account their support is paid into.
public struct WelfareInstitution: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var kind: InstitutionKind
    public var region: RegionCode
    public var beds: Int
    /// Bed and common-room space in whole square metres.
    public var floorArea: Int
    public var paymentPointID: Int64
    public var account: String
    /// Persons whose centralised support is paid here and has not ended.
    public var residents: Int
}

/// Five-guarantees or three-withouts support as granted.
public struct SupportGrant: Sendable, Hashable {
    public var caseID: Int64
    public var personID: Int64
    public var personName: String
    public var region: RegionCode
    public var kind: SupportKind
    public var form: SupportForm
    public var arrangement: SupportArrangement
    public var institutionID: Int64?
    public var institutionName: String?
    public var monthly: Money
    public var districtYearly: Money
    public var certificate: String
    public var monthlyFrom: Period
    public var paidThrough: Period?
    public var endsFrom: Period?
    public var endReason: String?
}

/// Welfare homes and the support granted (0035).
public struct SupportStore: Sendable {
    public init() {}

    // MARK: Homes

    public func addInstitution(name: String, kind: InstitutionKind, region: RegionCode, beds: Int, floorArea: Int, paymentPoint: Int64, account: String,
                               by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO welfare_institutions (name, kind, region_code, beds, floor_area, payment_point_id, bank_account, added_at, added_by)
            VALUES (\(bind: name), \(bind: kind.rawValue), \(bind: region.value), \(bind: Int64(beds)), \(bind: Int64(floorArea)), \(bind: paymentPoint),
                \(bind: account), \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self) ?? 0
    }

    public func institution(named name: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM welfare_institutions WHERE name = \(bind: name)").first()?.decode(column: "id", as: Int64.self)
    }

    public func institutions(in scope: RegionCode, on db: any SQLDatabase) async throws -> [WelfareInstitution] {
        try await institutions(where: SQLPieces.scope(scope, column: "i.region_code"), on: db)
    }

    public func institution(_ id: Int64, on db: any SQLDatabase) async throws -> WelfareInstitution? {
        try await institutions(where: "i.id = \(bind: id)", on: db).first
    }

    private func institutions(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [WelfareInstitution] {
        try await db.raw(
            """
            SELECT i.*, (SELECT CAST(COUNT(*) AS BIGINT) FROM support_grants g WHERE g.institution_id = i.id AND g.ends_from IS NULL) AS residents
            FROM welfare_institutions i WHERE \(condition) ORDER BY i.region_code, i.name
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "welfare_institutions")
            return WelfareInstitution(
                id: try reader.int("id"), name: try reader.string("name"), kind: try reader.value("kind", as: InstitutionKind.self),
                region: try reader.region("region_code"), beds: Int(try reader.int("beds")), floorArea: Int(try reader.int("floor_area")),
                paymentPointID: try reader.int("payment_point_id"), account: try reader.string("bank_account"), residents: Int(try reader.int("residents")))
        }
    }

    // MARK: Grants

    /// Records the support an approved application grants, paid from `month`; the home's name is
    /// the payee of centralised support.
    public func recordGrant(_ request: SupportApplication.Request, case caseID: Int64, region: RegionCode, institutionName: String?, certificate: String,
                            from month: Period, at now: Timestamp, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO support_grants (case_id, person_id, region_code, kind, form, arrangement, institution_id, monthly_fen, district_yearly_fen,
                payment_point_id, bank_account, payee_name, certificate, monthly_from, granted_at)
            VALUES (\(bind: caseID), \(bind: request.personID), \(bind: region.value), \(bind: request.input.kind.rawValue), \(bind: request.form.rawValue),
                \(bind: request.arrangement.rawValue), \(bind: request.institutionID), \(bind: request.standard.monthlyStandard.fen),
                \(bind: request.standard.districtShare.fen), \(bind: request.paymentPointID), \(bind: request.account), \(bind: institutionName),
                \(bind: certificate), \(bind: Int64(month.yyyymm)), \(bind: now.iso8601))
            """
        ).run()
    }

    /// The grants in `scope`, the latest first; `current` keeps those still paid.
    public func grants(in scope: RegionCode, current: Bool = false, on db: any SQLDatabase) async throws -> [SupportGrant] {
        try await grants(where: "\(SQLPieces.scope(scope, column: "g.region_code"))\(unsafeRaw: current ? " AND g.ends_from IS NULL" : "")", on: db)
    }

    public func grants(of person: Int64, on db: any SQLDatabase) async throws -> [SupportGrant] {
        try await grants(where: "g.person_id = \(bind: person)", on: db)
    }

    public func grant(_ caseID: Int64, on db: any SQLDatabase) async throws -> SupportGrant? {
        try await grants(where: "g.case_id = \(bind: caseID)", on: db).first
    }

    /// Supported persons in `scope` whose support has not ended, by form.
    public func supported(in scope: RegionCode, on db: any SQLDatabase) async throws -> [SupportForm: Int] {
        var counts: [SupportForm: Int] = [:]
        for row in try await db.raw(
            """
            SELECT form, CAST(COUNT(*) AS BIGINT) AS n FROM support_grants WHERE ends_from IS NULL AND \(SQLPieces.scope(scope, column: "region_code"))
            GROUP BY form
            """
        ).all() {
            if let form = SupportForm(rawValue: try row.decode(column: "form", as: String.self)) { counts[form] = Int(try row.decode(column: "n", as: Int64.self)) }
        }
        return counts
    }

    /// Makes each grant's months since the last one paid owed — to the home for centralised
    /// support, to the person otherwise — from the five-guarantees fund (the payroll's accrual).
    func accrueMonthly(chunk: AssessmentChunk, period p: Int64, scope: RegionCode, on db: any SQLDatabase) async throws {
        try await PayrollStore().accrue(table: "support_grants", source: "support", kind: "support", fund: .fiveGuarantees, amount: "monthly_fen",
                                        payee: "NULL", payeeName: "w.payee_name", only: "(w.ends_from IS NULL OR w.ends_from > \(bind: p))",
                                        chunk: chunk, period: p, scope: scope, on: db)
    }

    /// Ends support from `month` (nothing is owed for it or after); false when it had ended.
    public func end(_ caseID: Int64, from month: Period, reason: String, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE support_grants SET ends_from = \(bind: Int64(month.yyyymm)), end_reason = \(bind: reason)
            WHERE case_id = \(bind: caseID) AND ends_from IS NULL RETURNING case_id
            """).all()
        return !rows.isEmpty
    }

    private func grants(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [SupportGrant] {
        try await db.raw(
            """
            SELECT g.*, p.name, i.name AS institution_name FROM support_grants g JOIN persons p ON p.id = g.person_id
                LEFT JOIN welfare_institutions i ON i.id = g.institution_id
            WHERE \(condition) ORDER BY g.monthly_from DESC, g.case_id DESC
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "support_grants", keyColumn: "case_id")
            return SupportGrant(
                caseID: try reader.int("case_id"), personID: try reader.int("person_id"), personName: try reader.string("name"),
                region: try reader.region("region_code"), kind: try reader.value("kind", as: SupportKind.self), form: try reader.value("form", as: SupportForm.self),
                arrangement: try reader.value("arrangement", as: SupportArrangement.self), institutionID: try reader.optionalInt("institution_id"),
                institutionName: try reader.optionalString("institution_name"), monthly: Money(fen: try reader.int("monthly_fen")),
                districtYearly: Money(fen: try reader.int("district_yearly_fen")), certificate: try reader.string("certificate"),
                monthlyFrom: try reader.period("monthly_from"), paidThrough: try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) },
                endsFrom: try reader.optionalInt("ends_from").flatMap { Period(yyyymm: Int($0)) }, endReason: try reader.optionalString("end_reason"))
        }
    }
}
