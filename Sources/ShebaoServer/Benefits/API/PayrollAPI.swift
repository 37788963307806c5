import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Pensions paid through banks over the API: payment points, a posted run's bank files and its
/// reconciliation, the banks' returns, pension accounts, the death register and overpayments.
struct PayrollAPI {
    let services: ShebaoServices

    struct PointDTO: Encodable, Sendable {
        var id: Int64
        var bankCode: String
        var name: String
        var kind: String
        var regionCode: String
        var address: String
        var pensions: Int
    }

    @Sendable func points(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<PointDTO> {
        ListDTO(all: try await services.benefits.paymentPoints(by: try context.requirePrincipal()).map {
            PointDTO(id: $0.id, bankCode: $0.bankCode, name: $0.name, kind: $0.kind.rawValue, regionCode: $0.region.value, address: $0.address,
                     pensions: $0.pensions)
        })
    }

    struct FileDTO: Encodable, Sendable {
        var name: String
        var bankCode: String
        var part: Int
        var transfers: Int64
        var href: String
    }

    /// The files a posted run goes out in (`?perFile=`, `?format=pain.001|text`), each with its download.
    @Sendable func files(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<FileDTO> {
        let principal = try context.requirePrincipal()
        let run = try context.id()
        let perFile = request.queryInt("perFile", default: 10_000, range: 1...BenefitsService.transfersPerFileLimit)
        guard let format = PayrollFile.Format(rawValue: request.query("format") ?? "pain.001") else {
            throw Problem.badRequest("field.not_in_list", ["value": request.query("format") ?? ""])
        }
        return ListDTO(all: try await services.benefits.payrollFiles(run: run, perFile: perFile, format: format, by: principal).map {
            FileDTO(name: $0.name(run: run), bankCode: $0.bank.code, part: $0.part, transfers: $0.count,
                    href: Route.API.payrollFile.path(run, query: "bank=\($0.bank.code)&part=\($0.part)&perFile=\(perFile)&format=\(format.rawValue)"))
        })
    }

    /// One file of a posted run: the pain.001 XML or the bank's text, as the bank takes it.
    @Sendable func file(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let format = PayrollFile.Format(rawValue: request.query("format") ?? "pain.001") else {
            throw Problem.badRequest("field.not_in_list", ["value": request.query("format") ?? ""])
        }
        let run = try context.id()
        let (file, data) = try await services.benefits.payrollFile(
            run: run, bank: request.query("bank") ?? "", part: request.queryInt("part", default: 1, range: 1...100_000),
            perFile: request.queryInt("perFile", default: 10_000, range: 1...BenefitsService.transfersPerFileLimit), format: format, by: principal)
        let name = file.name(run: run)
        return .download(data, fileName: name, asciiName: name,
                         contentType: format == .pain001 ? "application/xml" : "text/plain; charset=\(file.bank.textEncoding == .gbk ? "GBK" : "utf-8")")
    }

    struct SideDTO: Encodable, Sendable {
        var issuedFen: Int64
        var paidFen: Int64
        var paidCount: Int64
        var failedFen: Int64
        var failedCount: Int64
        var pendingFen: Int64

        init(_ side: PayrollReconciliation.Side) {
            issuedFen = side.issued.fen
            paidFen = side.paid.fen
            paidCount = side.paidCount
            failedFen = side.failed.fen
            failedCount = side.failedCount
            pendingFen = side.pending.fen
        }
    }

    struct ReconciliationDTO: ResponseEncodable, Sendable {
        var runId: Int64
        var business: SideDTO
        var ledger: SideDTO
        var bank: SideDTO
        var reconciled: Bool
    }

    @Sendable func reconciliation(_ request: Request, context: ShebaoRequestContext) async throws -> ReconciliationDTO {
        let run = try context.id()
        let result = try await services.benefits.reconciliation(run: run, by: try context.requirePrincipal())
        return ReconciliationDTO(runId: run, business: SideDTO(result.business), ledger: SideDTO(result.ledger), bank: SideDTO(result.bank),
                                 reconciled: result.isReconciled)
    }

    struct ReturnDTO: ResponseEncodable, Sendable {
        struct Held: Encodable, Sendable {
            var line: Int64
            var endToEndId: String
            var amountFen: Int64
            var reason: String
        }
        var id: Int64
        var fileName: String
        var format: String
        var messageId: String
        var paidCount: Int64
        var paidFen: Int64
        var failedCount: Int64
        var failedFen: Int64
        var quarantinedCount: Int64
        var quarantined: [Held]
        var repeated: Bool
    }

    /// `POST /api/v1/benefits/bank-returns?fileName=…` with the return as the body.
    @Sendable func importReturn(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let data = try await Self.body(request)
        let outcome = try await services.benefits.importReturn(data, fileName: request.query("fileName") ?? "return", by: principal)
        let record = outcome.record
        var response = try ReturnDTO(
            id: record.id, fileName: record.fileName, format: record.format, messageId: record.messageID, paidCount: record.paidCount,
            paidFen: record.paid.fen, failedCount: record.failedCount, failedFen: record.failed.fen, quarantinedCount: record.quarantinedCount,
            quarantined: outcome.quarantined.map { .init(line: $0.lineNumber, endToEndId: $0.endToEndID, amountFen: $0.amount.fen, reason: $0.reason) },
            repeated: outcome.repeated
        ).response(from: request, context: context)
        response.status = outcome.repeated ? .ok : .created
        return response
    }

    static func body(_ request: Request) async throws -> Data {
        var request = request
        do {
            return Data(try await request.collectBody(upTo: TableLimits.maximumBytes).readableBytesView)
        } catch {
            throw Problem(.contentTooLarge, code: "too_large")
        }
    }

    struct DeathsDTO: ResponseEncodable, Sendable {
        struct Stopped: Encodable, Sendable {
            var personId: Int64
            var diedOn: String
            var overpaymentFen: Int64?
        }
        var rows: Int
        var stopped: [Stopped]
        var unaffected: Int
    }

    /// `POST /api/v1/benefits/deaths?fileName=…` with the death register (CSV or XLSX) as the body.
    @Sendable func importDeaths(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let outcome = try await services.benefits.importDeaths(try await Self.body(request), fileName: request.query("fileName") ?? "deaths", by: principal)
        guard outcome.issues.isEmpty else { return try ImportsAPI.rejected(outcome.issues, pages: services.pages, context: context) }
        return try DeathsDTO(rows: outcome.rowCount, stopped: outcome.stopped.map {
            .init(personId: $0.personID, diedOn: $0.diedOn.description, overpaymentFen: $0.overpayment?.fen)
        }, unaffected: outcome.unaffected).response(from: request, context: context)
    }

    struct OverpaymentDTO: ResponseEncodable, Sendable {
        var id: Int64
        var personId: Int64
        var diedOn: String
        var firstPeriod: String
        var lastPeriod: String
        var amountFen: Int64
        var recoveredFen: Int64
        var outstandingFen: Int64

        init(_ item: Overpayment) {
            id = item.id
            personId = item.personID
            diedOn = item.diedOn.description
            firstPeriod = item.first.description
            lastPeriod = item.last.description
            amountFen = item.amount.fen
            recoveredFen = item.recovered.fen
            outstandingFen = item.outstanding.fen
        }
    }

    @Sendable func overpayments(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<OverpaymentDTO> {
        ListDTO(all: try await services.benefits.overpayments(by: try context.requirePrincipal()).map(OverpaymentDTO.init))
    }

    struct RecoveryBody: Decodable, Sendable {
        var amount: String
        var receivedOn: String
        var note: String
    }

    @Sendable func recover(_ request: Request, context: ShebaoRequestContext) async throws -> OverpaymentDTO {
        let body = try await request.decode(as: RecoveryBody.self, context: context)
        return OverpaymentDTO(try await services.benefits.recordRecovery(try context.id(), amount: body.amount, receivedOn: body.receivedOn, note: body.note,
                                                                         by: try context.requirePrincipal()))
    }

    struct AccountBody: Decodable, Sendable {
        var paymentPointId: Int64
        var account: String
        var reason: String
        /// A benefit owed once whose payment the bank refused, instead of the pension.
        var payableId: Int64?
    }

    struct ChangeDTO: ResponseEncodable, Sendable {
        var changeId: Int64
    }

    @Sendable func proposeAccount(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: AccountBody.self, context: context)
        let principal = try context.requirePrincipal()
        let id = if let payable = body.payableId {
            try await services.benefits.proposePayableAccount(payable, personID: try context.id(), paymentPoint: String(body.paymentPointId),
                                                              account: body.account, reason: body.reason, by: principal)
        } else {
            try await services.benefits.proposeAccount(personID: try context.id(), paymentPoint: String(body.paymentPointId), account: body.account,
                                                       reason: body.reason, by: principal)
        }
        var response = try ChangeDTO(changeId: id).response(from: request, context: context)
        response.status = .created
        return response
    }

    struct DecisionBody: Decodable, Sendable {
        var approve: Bool
    }

    @Sendable func decideAccount(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: DecisionBody.self, context: context)
        try await services.benefits.decideAccount(try context.id(), approve: body.approve, by: try context.requirePrincipal())
        return Response(status: .noContent)
    }

    struct SurvivalDTO: Encodable, Sendable {
        var personId: Int64
        var lastCertified: String
        var certified: Bool
        var due: String
        var graceEnds: String
        var suspendFrom: String
        var overdue: Bool
        var suspendedFrom: String?
    }

    /// Pensions due for survival certification within 60 days, overdue, or suspended.
    @Sendable func survival(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<SurvivalDTO> {
        ListDTO(all: try await services.benefits.survivalChecks(by: try context.requirePrincipal()).map {
            SurvivalDTO(personId: $0.standing.personID, lastCertified: $0.standing.lastCertified.description, certified: $0.standing.certified,
                        due: $0.output.due.description, graceEnds: $0.output.graceEnds.description, suspendFrom: $0.output.suspendFrom.description,
                        overdue: $0.output.suspend, suspendedFrom: $0.standing.suspendedFrom?.description)
        })
    }

    struct CertificationBody: Decodable, Sendable {
        var certifiedOn: String
        var method: String
    }

    @Sendable func certify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let body = try await request.decode(as: CertificationBody.self, context: context)
        try await services.benefits.certify(personID: try context.id(), on: body.certifiedOn, method: body.method, by: try context.requirePrincipal())
        return Response(status: .created)
    }

    struct SuspendedDTO: ResponseEncodable, Sendable {
        var suspended: Int
    }

    @Sendable func suspend(_ request: Request, context: ShebaoRequestContext) async throws -> SuspendedDTO {
        SuspendedDTO(suspended: try await services.benefits.suspendUncertified(by: try context.requirePrincipal()))
    }
}
