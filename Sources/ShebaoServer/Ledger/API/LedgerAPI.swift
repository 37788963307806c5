import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `/api/v1/ledger`: funds with balance and payment capacity, entries, posting with a client-chosen
/// idempotency key (a retry answers 200 with the entry already posted), reversal, verification.
struct LedgerAPI {
    let services: ShebaoServices

    struct FundDTO: ResponseEncodable, Decodable, Sendable {
        var fund: String
        var balanceFen: Int64
        var averageMonthlyExpenditureFen: Int64
        /// Months, to a tenth; null when nothing was spent in the last twelve months.
        var paymentCapacityMonths: String?
    }

    struct LineDTO: Codable, Sendable {
        var account: String
        var debitFen: Int64
        var creditFen: Int64
    }

    struct EntryDTO: ResponseEncodable, Decodable, Sendable {
        var id: Int64
        var idempotencyKey: String
        var fund: String
        var regionCode: String
        var occurredOn: String
        var memo: String
        var source: String
        var reverses: Int64?
        var reversedBy: Int64?
        var recordedAt: String
        var recordedBy: String
        var lines: [LineDTO]

        init(_ entry: LedgerEntry) {
            id = entry.id
            idempotencyKey = entry.key
            fund = entry.fund.rawValue
            regionCode = entry.region.value
            occurredOn = entry.occurredOn.description
            memo = entry.memo
            source = entry.source
            reverses = entry.reverses
            reversedBy = entry.reversedBy
            recordedAt = entry.recordedAt
            recordedBy = entry.recordedBy
            lines = entry.lines.map { LineDTO(account: $0.account.rawValue, debitFen: $0.debit.fen, creditFen: $0.credit.fen) }
        }
    }

    struct PostBody: Decodable, Sendable {
        struct Line: Decodable, Sendable {
            var account: String
            var debitFen: Int64?
            var creditFen: Int64?
        }
        var fund: String
        var occurredOn: String
        var memo: String
        var idempotencyKey: String
        var lines: [Line]
    }

    struct ReversalBody: Decodable, Sendable {
        var reason: String
        var idempotencyKey: String
    }

    struct VerificationDTO: ResponseEncodable, Decodable, Sendable {
        var intact: Bool
        var entries: Int
        var lines: Int
        var problems: [String]
    }

    @Sendable func funds(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<FundDTO> {
        let date = try request.query("date").map { text in
            guard let date = LocalDate(iso: text) else { throw Problem.badRequest("ledger.bad_date", ["date": text]) }
            return date
        } ?? services.today
        let positions = try await services.ledger.positions(on: date, by: try context.requirePrincipal())
        return ListDTO(all: positions.map {
            FundDTO(fund: $0.fund.rawValue, balanceFen: $0.balance.fen, averageMonthlyExpenditureFen: $0.averageMonthlyExpenditure.fen,
                    paymentCapacityMonths: $0.paymentCapacityMonths)
        })
    }

    @Sendable func entries(_ request: Request, context: ShebaoRequestContext) async throws -> ListDTO<EntryDTO> {
        guard let fund = context.parameters.get("fund").flatMap(Fund.init(rawValue:)) else { throw Problem.notFound }
        let before = request.query("before").flatMap { Int64($0) }
        return ListDTO(all: try await services.ledger.entries(of: fund, before: before, by: try context.requirePrincipal()).map(EntryDTO.init))
    }

    @Sendable func entry(_ request: Request, context: ShebaoRequestContext) async throws -> EntryDTO {
        EntryDTO(try await services.ledger.entry(try context.id(), by: try context.requirePrincipal()))
    }

    /// 201 with the new entry; 200 with the original when the key was posted before with the same
    /// content; 409 `ledger.key_reused` when it was posted with other content.
    @Sendable func post(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<EntryDTO> {
        let body = try await request.decode(as: PostBody.self, context: context)
        let input = LedgerEntryInput(fund: body.fund, occurredOn: body.occurredOn, memo: body.memo, idempotencyKey: body.idempotencyKey, lines: body.lines.map {
            .init(account: $0.account, debit: $0.debitFen.map { Money(fen: $0).decimalString }, credit: $0.creditFen.map { Money(fen: $0).decimalString })
        })
        let (entry, created) = try await services.ledger.post(input, by: try context.requirePrincipal())
        return EditedResponse(status: created ? .created : .ok, headers: [.location: Route.API.ledgerEntry.path(entry.id)], response: EntryDTO(entry))
    }

    @Sendable func reverse(_ request: Request, context: ShebaoRequestContext) async throws -> EditedResponse<EntryDTO> {
        let body = try await request.decode(as: ReversalBody.self, context: context)
        let entry = try await services.ledger.reverse(try context.id(), reason: body.reason, idempotencyKey: body.idempotencyKey, by: try context.requirePrincipal())
        return EditedResponse(status: .created, headers: [.location: Route.API.ledgerEntry.path(entry.id)], response: EntryDTO(entry))
    }

    @Sendable func verify(_ request: Request, context: ShebaoRequestContext) async throws -> VerificationDTO {
        let result = try await services.ledger.verify(by: try context.requirePrincipal())
        return VerificationDTO(intact: result.isIntact, entries: result.entries, lines: result.lines, problems: result.problems)
    }
}
