import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/insurance`: bills and collection rates, the tax bureau's files and the queue, a
/// person's rights record; `/api/v1/statements/{code}` checks a printed statement (no token).
struct InsuranceAPI {
    let services: ShebaoServices

    struct BillDTO: ResponseEncodable, Sendable {
        var employerId: Int64
        var employerName: String
        var creditCode: String
        var period: String
        var scheme: String
        var runId: Int64
        var headcount: Int64
        var baseFen: Int64
        var individualFen: Int64
        var employerFen: Int64
        var assessedFen: Int64
        var collectedFen: Int64
        var outstandingFen: Int64
        var surchargeFen: Int64
        var state: String

        init(_ bill: Bill) {
            employerId = bill.employerID
            employerName = bill.employerName
            creditCode = bill.creditCode
            period = bill.period.description
            scheme = bill.scheme.rawValue
            runId = bill.runID
            headcount = bill.headcount
            baseFen = bill.base.fen
            individualFen = bill.individual.fen
            employerFen = bill.employer.fen
            assessedFen = bill.assessed.fen
            collectedFen = bill.collected.fen
            outstandingFen = bill.outstanding.fen
            surchargeFen = bill.surcharge.fen
            state = bill.state.rawValue
        }
    }

    struct RateDTO: ResponseEncodable, Sendable {
        var key: String
        var name: String
        var assessedFen: Int64
        var collectedFen: Int64
        /// Per cent to one decimal; null when nothing was billed.
        var rate: String?
    }

    struct CollectionDTO: ResponseEncodable, Sendable {
        var id: Int64
        var fileId: Int64
        var row: Int64
        var voucher: String
        /// The payer: a unit's credit code, or a person's resident ID, masked.
        var creditCode: String?
        var residentIdMasked: String?
        var employerId: Int64?
        var personId: Int64?
        var period: String
        var scheme: String
        var amountFen: Int64
        var paidOn: String
        var headcount: Int64?
        var state: String
        var surchargeFen: Int64
        var note: String?

        init(_ line: Collection) {
            id = line.id
            fileId = line.fileID
            row = line.row
            voucher = line.voucher
            creditCode = line.payer.creditCode
            residentIdMasked = line.payer.residentID?.masked
            employerId = line.employerID
            personId = line.personID
            period = line.period.description
            scheme = line.scheme.rawValue
            amountFen = line.amount.fen
            paidOn = line.paidOn.description
            headcount = line.headcount
            state = line.state.rawValue
            surchargeFen = line.surcharge.fen
            note = line.note
        }
    }

    struct ImportedDTO: ResponseEncodable, Sendable {
        var fileId: Int64
        var rows: Int
        var matched: Int
        var unmatched: Int
        var repeated: Bool
    }

    struct ResolutionBody: Decodable, Sendable {
        /// `match` (with `creditCode` or `residentId`) or `return`.
        var decision: String
        var creditCode: String?
        var residentId: String?
        var note: String
    }

    struct RecordDTO: ResponseEncodable, Sendable {
        var personId: Int64
        var record: ContributionRecord
    }

    struct StatementDTO: ResponseEncodable, Sendable {
        var code: String
        var issuedAt: String
        var statement: StatementContent
    }

    private func period(_ request: Request) throws -> Period? {
        guard let text = request.query("period") else { return nil }
        guard let period = Period(text) else { throw Problem.badRequest("period.invalid", ["value": text]) }
        return period
    }

    @Sendable func bills(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<BillDTO> {
        let employer = try request.query("employer").map { text in
            guard let id = Int64(text) else { throw Problem.badRequest("field.invalid", ["value": text]) }
            return id
        }
        let list = try await services.insurance.bills(period: try period(request), employer: employer, unpaidOnly: try request.apiFlag("unpaid"),
                                                      paging: try request.apiPaging(), by: try context.requirePrincipal())
        return ListDTO(list.page, BillDTO.init)
    }

    @Sendable func rates(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<RateDTO> {
        let principal = try context.requirePrincipal()
        guard let period = try period(request) else { throw Problem.badRequest("field.required", ["field": "period"]) }
        guard let grouping = CollectionStore.RateGrouping(rawValue: request.query("by") ?? "scheme") else {
            throw Problem.badRequest("field.not_in_list", ["value": request.query("by") ?? ""])
        }
        return ListDTO(all: try await services.insurance.rates(period: period, by: grouping, by: principal).map {
            RateDTO(key: $0.key, name: $0.name, assessedFen: $0.assessed.fen, collectedFen: $0.collected.fen, rate: $0.perMille.map(InsurancePages.percent))
        })
    }

    /// `POST /api/v1/insurance/collections?fileName=…` with the file as the body: 201 with what
    /// matched, 200 when the same file was imported before, 422 with every row's issue.
    @Sendable func importFile(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: TableLimits.maximumBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "too_large")
        }
        let outcome = try await services.insurance.importCollections(Data(buffer.readableBytesView), fileName: request.query("fileName") ?? "upload",
                                                                     by: principal)
        guard let fileID = outcome.fileID else { return try ImportsAPI.rejected(outcome.issues, pages: services.pages, context: context) }
        var response = try ImportedDTO(fileId: fileID, rows: outcome.rowCount, matched: outcome.matched, unmatched: outcome.unmatched,
                                       repeated: outcome.repeated).response(from: request, context: context)
        response.status = outcome.repeated ? .ok : .created
        return response
    }

    @Sendable func unmatched(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<CollectionDTO> {
        ListDTO(all: try await services.insurance.unmatchedCollections(by: try context.requirePrincipal()).map(CollectionDTO.init))
    }

    @Sendable func resolve(_ request: Request, context: ShebaoRequestContext) async throws -> CollectionDTO {
        let body = try await request.decode(as: ResolutionBody.self, context: context)
        guard ["match", "return"].contains(body.decision) else { throw Problem.badRequest("field.not_in_list", ["value": body.decision]) }
        let decision: InsuranceService.QueueDecision = body.decision == "return" ? .returnToTaxBureau
            : .match(creditCode: body.creditCode, residentID: body.residentId)
        let line = try await services.insurance.resolveCollection(try context.id(), decision,
                                                                  note: body.note, by: try context.requirePrincipal())
        return CollectionDTO(line)
    }

    @Sendable func record(_ request: Request, context: ShebaoRequestContext) async throws -> RecordDTO {
        let id = try context.id()
        return RecordDTO(personId: id, record: try await services.insurance.contributionRecord(of: id, by: try context.requirePrincipal()).record)
    }

    @Sendable func statement(_ request: Request, context: ShebaoRequestContext) async throws -> StatementDTO {
        let code = context.parameters.get("code") ?? ""
        let (content, issuedAt) = try await services.insurance.verifyStatement(code: code)
        return StatementDTO(code: code.uppercased(), issuedAt: issuedAt, statement: content)
    }
}
