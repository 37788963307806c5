import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Employees' medical insurance over the API: designated institutions, their inspections and
/// settlements, pharmacies' purchase files, inpatient claims and a person's medical account.
struct MedicalAPI {
    let services: ShebaoServices

    struct InstitutionDTO: ResponseEncodable, Sendable {
        var id: Int64
        var code: String
        var name: String
        var kind: String
        var level: String?
        var regionCode: String
        var agreementFrom: String
        var agreementTo: String
        var status: String
        var statusSince: String
        var version: Int64

        init(_ item: MedicalInstitution) {
            id = item.id
            code = item.code
            name = item.name
            kind = item.kind.rawValue
            level = item.level?.rawValue
            regionCode = item.region.value
            agreementFrom = item.agreementFrom.description
            agreementTo = item.agreementTo.description
            status = item.status.rawValue
            statusSince = item.statusSince.description
            version = item.version
        }
    }

    @Sendable func institutions(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<InstitutionDTO> {
        ListDTO(all: try await services.benefits.medicalInstitutions(by: try context.requirePrincipal()).map(InstitutionDTO.init))
    }

    struct InstitutionBody: Decodable, Sendable {
        var code: String
        var name: String
        var kind: String
        var level: String?
        var regionCode: String
        var agreementFrom: String
        var agreementTo: String
    }

    @Sendable func add(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: InstitutionBody.self, context: context)
        let added = try await services.benefits.addMedicalInstitution(code: body.code, name: body.name, kind: body.kind, level: body.level ?? "",
                                                                      region: body.regionCode, agreementFrom: body.agreementFrom, agreementTo: body.agreementTo,
                                                                      by: try context.requirePrincipal())
        var response = try InstitutionDTO(added).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct InspectionDTO: Encodable, Sendable {
        var id: Int64
        var kind: String
        var inspectedOn: String
        var findings: String
        var measure: String
        var fineFen: Int64
        var state: String
        var inspector: String
        var decidedBy: String?

        init(_ item: InspectionRecord) {
            id = item.id
            kind = item.kind.rawValue
            inspectedOn = item.inspectedOn.description
            findings = item.findings
            measure = item.measure.rawValue
            fineFen = item.fine.fen
            state = item.state.rawValue
            inspector = item.inspector
            decidedBy = item.decidedBy
        }
    }

    struct SettlementDTO: ResponseEncodable, Sendable {
        var id: Int64
        var purchases: Int
        var amountFen: Int64
        var reference: String
        var settledAt: String

        init(_ item: InstitutionAccount.Settlement) {
            id = item.id
            purchases = item.purchases
            amountFen = item.amount.fen
            reference = item.reference
            settledAt = item.settledAt
        }
    }

    struct DetailDTO: ResponseEncodable, Sendable {
        var institution: InstitutionDTO
        var inspections: [InspectionDTO]
        var openPurchases: Int
        var owedFen: Int64
        var settlements: [SettlementDTO]
    }

    @Sendable func institution(_ request: Request, context: ShebaoRequestContext) async throws -> DetailDTO {
        let detail = try await services.benefits.medicalInstitution(try context.id(), by: try context.requirePrincipal())
        return DetailDTO(institution: InstitutionDTO(detail.institution), inspections: detail.inspections.map(InspectionDTO.init),
                         openPurchases: detail.account.openPurchases, owedFen: detail.account.owed.fen,
                         settlements: detail.account.settlements.map(SettlementDTO.init))
    }

    struct RenewalBody: Decodable, Sendable {
        var agreementTo: String
        var version: Int64
    }

    @Sendable func renew(_ request: Request, context: ShebaoRequestContext) async throws -> InstitutionDTO {
        let body = try await request.decode(as: RenewalBody.self, context: context)
        return InstitutionDTO(try await services.benefits.renewAgreement(try context.id(), until: body.agreementTo, version: body.version,
                                                                         by: try context.requirePrincipal()))
    }

    struct ReinstatementBody: Decodable, Sendable {
        var version: Int64
        var note: String
    }

    @Sendable func reinstate(_ request: Request, context: ShebaoRequestContext) async throws -> InstitutionDTO {
        let body = try await request.decode(as: ReinstatementBody.self, context: context)
        return InstitutionDTO(try await services.benefits.reinstateInstitution(try context.id(), version: body.version, note: body.note,
                                                                               by: try context.requirePrincipal()))
    }

    struct InspectionBody: Decodable, Sendable {
        var kind: String
        var inspectedOn: String
        var findings: String
        var measure: String
        /// Yuan, e.g. "20000.00"; for a fine, a suspension or an exit.
        var fine: String?
    }

    struct CreatedDTO: ResponseEncodable, Sendable {
        var id: Int64
    }

    @Sendable func inspect(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: InspectionBody.self, context: context)
        let id = try await services.benefits.recordInspection(institution: try context.id(), kind: body.kind, inspectedOn: body.inspectedOn,
                                                              findings: body.findings, measure: body.measure, fine: body.fine ?? "",
                                                              by: try context.requirePrincipal())
        var response = try CreatedDTO(id: id).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct DecisionBody: Decodable, Sendable {
        var confirm: Bool
        var note: String?
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        try await services.benefits.decideInspection(try context.id(), confirm: body.confirm, note: body.note ?? "", by: try context.requirePrincipal())
        return Response(status: .noContent)
    }

    struct PurchasesDTO: ResponseEncodable, Sendable {
        var rows: Int
        var recorded: Int
        var amountFen: Int64
    }

    /// `POST …/purchases?fileName=…` with the pharmacy's file (CSV or XLSX) as the body.
    @Sendable func purchases(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let outcome = try await services.benefits.importPurchases(institution: try context.id(), data: try await PayrollAPI.body(request),
                                                                  fileName: request.query("fileName") ?? "purchases", by: principal)
        guard outcome.issues.isEmpty else { return try ImportsAPI.rejected(outcome.issues, pages: services.pages, context: context) }
        var response = try PurchasesDTO(rows: outcome.rowCount, recorded: outcome.recorded, amountFen: outcome.amount.fen).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct SettlementBody: Decodable, Sendable {
        var reference: String
    }

    @Sendable func settle(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: SettlementBody.self, context: context)
        let settled = try await services.benefits.settleInstitution(try context.id(), reference: body.reference, by: try context.requirePrincipal())
        var response = try SettlementDTO(settled).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct InpatientBody: Decodable, Sendable {
        var institutionId: Int64
        var admittedOn: String
        var dischargedOn: String
        /// Yuan: the whole bill, and its in-list part.
        var totalCost: String
        var eligibleCost: String
        var paymentPointId: Int64
        var account: String
    }

    /// Opens an inpatient claim; 201 with the case, which shows the fund's share and its explanation.
    @Sendable func openInpatient(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: InpatientBody.self, context: context)
        let id = try await services.benefits.openInpatientClaim(
            personID: try context.id(), institution: String(body.institutionId), admittedOn: body.admittedOn, dischargedOn: body.dischargedOn,
            totalCost: body.totalCost, eligibleCost: body.eligibleCost, paymentPoint: String(body.paymentPointId), account: body.account,
            by: try context.requirePrincipal())
        return try BenefitsAPI.opened(id, request, context)
    }

    struct AccountDTO: ResponseEncodable, Sendable {
        struct Purchase: Encodable, Sendable {
            var institution: String
            var receipt: String
            var spentOn: String
            var amountFen: Int64
        }
        struct Stay: Encodable, Sendable {
            var caseId: Int64
            var institution: String
            var admittedOn: String
            var dischargedOn: String
            var eligibleCostFen: Int64
            var deductibleFen: Int64
            var fundPaysFen: Int64
        }
        var creditedFen: Int64
        var spentFen: Int64
        var balanceFen: Int64
        var purchases: [Purchase]
        var stays: [Stay]
    }

    @Sendable func account(_ request: Request, context: ShebaoRequestContext) async throws -> AccountDTO {
        let record = try await services.benefits.medicalRecord(of: try context.id(), by: try context.requirePrincipal())
        return AccountDTO(
            creditedFen: record.credited.fen, spentFen: record.spent.fen, balanceFen: record.balance.fen,
            purchases: record.purchases.map { .init(institution: $0.institution, receipt: $0.receipt, spentOn: $0.spentOn.description, amountFen: $0.amount.fen) },
            stays: record.stays.map {
                .init(caseId: $0.caseID, institution: $0.institution, admittedOn: $0.admittedOn.description, dischargedOn: $0.dischargedOn.description,
                      eligibleCostFen: $0.eligibleCost.fen, deductibleFen: $0.deductible.fen, fundPaysFen: $0.fundPays.fen)
            })
    }
}
