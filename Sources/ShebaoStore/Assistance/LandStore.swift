import Foundation
public import SQLKit
public import ShebaoCore

extension RequisitionGroup: Labelled { public static let labelPrefix = "land_group" }

/// A land requisition as recorded: the land, the money and the special account's shares.
public struct LandRequisition: Sendable, Hashable {
    public var id: Int64
    /// The town or street the village belongs to.
    public var region: RegionCode
    public var village: String
    /// The area in hundredths of a mu (亩).
    public var areaCentimu: Int64
    public var compensation: Money
    public var landSaleIncome: Money
    public var requisitionedOn: LocalDate
    /// The monthly amount of the resettlement plan's tier, before the floor.
    public var tier: Money
    /// What each enrolled farmer brings into the special account.
    public var contribution: Money
    public var government: Money
    public var collective: Money
    public var individual: Money
    public var recordedBy: String
    /// Members by age group.
    public var members: [RequisitionGroup: Int]

    public var area: String { "\(areaCentimu / 100).\(String(format: "%02d", areaCentimu % 100))" }
    public var total: Money { government + collective + individual }
}

/// A farmer affected by a requisition.
public struct LandMember: Sendable, Hashable {
    public var id: Int64
    public var requisitionID: Int64
    public var village: String
    public var requisitionedOn: LocalDate
    public var personID: Int64
    public var personName: String
    public var birthDate: LocalDate
    public var region: RegionCode
    public var group: RequisitionGroup
    /// The tier; each month paid is raised to the month's floor.
    public var tier: Money
    public var monthlyFrom: Period?
    public var paidThrough: Period?
}

/// The requisition as the service decided it, ready to store.
public struct LandRequisitionDraft: Sendable {
    public var region: RegionCode
    public var village: String
    public var areaCentimu: Int64
    public var compensation: Money
    public var landSaleIncome: Money
    public var requisitionedOn: LocalDate
    public var tier: Money
    public var contribution: Money
    public var government: Money
    public var collective: Money
    public var individual: Money
    public var paymentPointID: Int64
    public var members: [(person: Person, group: RequisitionGroup, from: Period?)]

    public init(region: RegionCode, village: String, areaCentimu: Int64, compensation: Money, landSaleIncome: Money, requisitionedOn: LocalDate, tier: Money,
                contribution: Money, government: Money, collective: Money, individual: Money, paymentPointID: Int64,
                members: [(person: Person, group: RequisitionGroup, from: Period?)]) {
        self.region = region
        self.village = village
        self.areaCentimu = areaCentimu
        self.compensation = compensation
        self.landSaleIncome = landSaleIncome
        self.requisitionedOn = requisitionedOn
        self.tier = tier
        self.contribution = contribution
        self.government = government
        self.collective = collective
        self.individual = individual
        self.paymentPointID = paymentPointID
        self.members = members
    }
}

/// Land requisitions and their farmers (0038).
public struct LandStore: Sendable {
    public init() {}

    public func record(_ draft: LandRequisitionDraft, by actor: AuditActor, at now: Timestamp, on db: any SQLDatabase) async throws -> Int64 {
        guard let id = try await db.raw(
            """
            INSERT INTO land_requisitions (region_code, village, area_centimu, compensation_fen, land_sale_income_fen, requisitioned_on, tier_fen,
                contribution_fen, government_fen, collective_fen, individual_fen, recorded_at, recorded_by)
            VALUES (\(bind: draft.region.value), \(bind: draft.village), \(bind: draft.areaCentimu), \(bind: draft.compensation.fen),
                \(bind: draft.landSaleIncome.fen), \(bind: draft.requisitionedOn.description), \(bind: draft.tier.fen), \(bind: draft.contribution.fen),
                \(bind: draft.government.fen), \(bind: draft.collective.fen), \(bind: draft.individual.fen), \(bind: now.iso8601), \(bind: actor.name))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self) else { throw RowDecodingError(table: "land_requisitions", column: "id", key: draft.village, value: nil) }
        for member in draft.members {
            let enrolled = member.group != .child
            try await db.raw(
                """
                INSERT INTO land_members (requisition_id, person_id, region_code, age_group, monthly_fen, monthly_from, payment_point_id, bank_account)
                VALUES (\(bind: id), \(bind: member.person.id), \(bind: member.person.region.value), \(bind: member.group.rawValue),
                    \(bind: enrolled ? draft.tier.fen : 0), \(bind: member.from.map { Int64($0.yyyymm) }), \(bind: enrolled ? draft.paymentPointID : nil),
                    \(bind: enrolled ? member.person.bankAccount : nil))
                """
            ).run()
        }
        return id
    }

    /// The persons of `ids` already affected by a requisition.
    public func affected(_ ids: [Int64], on db: any SQLDatabase) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.raw("SELECT person_id FROM land_members WHERE person_id IN (\(binds: ids))").all().map { try $0.decode(column: "person_id", as: Int64.self) })
    }

    public func requisitions(in scope: RegionCode, on db: any SQLDatabase) async throws -> [LandRequisition] {
        try await requisitions(where: SQLPieces.scope(scope, column: "r.region_code"), on: db)
    }

    public func requisition(_ id: Int64, on db: any SQLDatabase) async throws -> LandRequisition? {
        try await requisitions(where: "r.id = \(bind: id)", on: db).first
    }

    private func requisitions(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [LandRequisition] {
        let rows = try await db.raw("SELECT r.* FROM land_requisitions r WHERE \(condition) ORDER BY r.requisitioned_on DESC, r.id DESC").all()
        var counts: [Int64: [RequisitionGroup: Int]] = [:]
        for row in try await db.raw(
            """
            SELECT m.requisition_id, m.age_group, CAST(COUNT(*) AS BIGINT) AS n FROM land_members m JOIN land_requisitions r ON r.id = m.requisition_id
            WHERE \(condition) GROUP BY m.requisition_id, m.age_group
            """
        ).all() {
            let reader = try RowReader(row, table: "land_members")
            counts[try reader.int("requisition_id"), default: [:]][try reader.value("age_group", as: RequisitionGroup.self)] = Int(try reader.int("n"))
        }
        return try rows.map { row in
            let reader = try RowReader(row, table: "land_requisitions")
            let id = try reader.int("id")
            return LandRequisition(
                id: id, region: try reader.region("region_code"), village: try reader.string("village"), areaCentimu: try reader.int("area_centimu"),
                compensation: Money(fen: try reader.int("compensation_fen")), landSaleIncome: Money(fen: try reader.int("land_sale_income_fen")),
                requisitionedOn: try reader.date("requisitioned_on"), tier: Money(fen: try reader.int("tier_fen")),
                contribution: Money(fen: try reader.int("contribution_fen")), government: Money(fen: try reader.int("government_fen")),
                collective: Money(fen: try reader.int("collective_fen")), individual: Money(fen: try reader.int("individual_fen")),
                recordedBy: try reader.string("recorded_by"), members: counts[id] ?? [:])
        }
    }

    /// The farmers of a requisition, the oldest first.
    public func members(of requisition: Int64, on db: any SQLDatabase) async throws -> [LandMember] {
        try await members(where: "m.requisition_id = \(bind: requisition)", on: db)
    }

    public func member(person: Int64, on db: any SQLDatabase) async throws -> LandMember? {
        try await members(where: "m.person_id = \(bind: person)", on: db).first
    }

    /// The training list (PROGRAMS.md §4.6): farmers of working age in `scope` whose benefit has
    /// not begun by `month` and who are alive.
    public func trainingList(in scope: RegionCode, month: Period, on db: any SQLDatabase) async throws -> [LandMember] {
        try await members(where: """
            m.age_group = 'working_age' AND m.monthly_from > \(bind: Int64(month.yyyymm)) AND m.ends_from IS NULL AND p.status = 'living'
                AND \(SQLPieces.scope(scope, column: "m.region_code"))
            """, on: db)
    }

    private func members(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [LandMember] {
        try await db.raw(
            """
            SELECT m.*, p.name, p.birth_date, r.village, r.requisitioned_on FROM land_members m JOIN persons p ON p.id = m.person_id
                JOIN land_requisitions r ON r.id = m.requisition_id
            WHERE \(condition) ORDER BY p.birth_date, m.case_id
            """
        ).all().map { row in
            let reader = try RowReader(row, table: "land_members", keyColumn: "case_id")
            return LandMember(
                id: try reader.int("case_id"), requisitionID: try reader.int("requisition_id"), village: try reader.string("village"),
                requisitionedOn: try reader.date("requisitioned_on"), personID: try reader.int("person_id"), personName: try reader.string("name"),
                birthDate: try reader.date("birth_date"), region: try reader.region("region_code"), group: try reader.value("age_group", as: RequisitionGroup.self),
                tier: Money(fen: try reader.int("monthly_fen")), monthlyFrom: try reader.optionalInt("monthly_from").flatMap { Period(yyyymm: Int($0)) },
                paidThrough: try reader.optionalInt("paid_through").flatMap { Period(yyyymm: Int($0)) })
        }
    }

    /// Makes each enrolled farmer's months since the last one paid owed from the
    /// land-requisition fund, each at the tier raised to the month's floor
    /// (``LandRequisitionRule/floor(in:book:region:)``, read from the approved parameters); a
    /// farmer who died is paid through the month of death.
    func accrueMonthly(chunk: AssessmentChunk, period p: Int64, scope: RegionCode, on db: any SQLDatabase) async throws {
        guard try await db.raw("SELECT case_id FROM land_members WHERE monthly_from <= \(bind: p) LIMIT 1").first() != nil,
              let month = Period(yyyymm: Int(p)), let district = try await InstallationStore().current(on: db)?.region else { return }
        var parameters: [Parameter] = []
        for key in ["land_requisition.minimum", "dibao.standard.street"] {
            parameters += try await ParameterStore().records(status: .approved, key: key, on: db).map(\.parameter)
        }
        let floor = try LandRequisitionRule.floor(in: month, book: ParameterBook(parameters), region: district)
        try await PayrollStore().accrue(table: "land_members", source: "land", kind: "land", fund: .landRequisition, amount: "monthly_fen", floor: floor,
                                        payee: "NULL", only: """
                                            (w.ends_from IS NULL OR w.ends_from > \(bind: p))
                                                AND NOT EXISTS (SELECT 1 FROM persons d WHERE d.id = w.person_id AND d.death_date IS NOT NULL
                                                    AND d.death_date < \(bind: month.firstDay.description))
                                            """,
                                        chunk: chunk, period: p, scope: scope, on: db)
    }
}
