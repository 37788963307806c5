import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The rights record (个人权益记录): a citizen's own after login, any person's at the counter,
/// a statement printed with a verification code, and the public page that checks a code.
struct RecordPages {
    let services: ShebaoServices

    struct RecordView {
        struct Months {
            var scheme: String
            var months: Int
            var first: String
            var last: String
        }
        struct Year {
            var year: Int
            var rate: String
            var opening: String
            var credited: String
            var interest: String
            var closing: String
            var closingOwn: String
            var explain: String?
        }
        struct Base {
            var year: Int
            var declared: String
        }
        struct Unpaid {
            var period: String
            var scheme: String
            var amount: String
        }
        var name: String
        var residentID: String
        var months: [Months]
        var bases: [Base]
        var years: [Year]
        var balance: String
        var balanceOwn: String
        var balanceTransfer: String
        var medicalAccount: String
        var unpaid: [Unpaid]
        var hasUnpaid: Bool
    }

    /// The record as shown, with a link to the interest rule for staff (who may calculate).
    private func view(name: String, residentID: String, _ record: ContributionRecord, explain: Bool, _ context: ShebaoRequestContext) -> RecordView {
        let pages = services.pages
        return RecordView(
            name: name, residentID: residentID,
            months: record.months.map {
                .init(scheme: pages.label($0.scheme, context), months: $0.months, first: $0.first?.description ?? "", last: $0.last?.description ?? "")
            },
            bases: record.bases.map { .init(year: $0.year, declared: $0.declared.formatted) },
            years: record.years.map { year in
                .init(year: year.year, rate: year.rate.description, opening: year.opening.formatted, credited: year.credited.formatted,
                      interest: year.interest.formatted, closing: year.closing.formatted, closingOwn: year.closingOwn.formatted,
                      explain: explain
                          ? Route.calculateRule.path(AccountInterestRule.id,
                                                     query: "year=\(year.year)&openingBalance=\(year.opening.yuanText)&credited=\(year.credited.yuanText)&rate=\(year.rate)")
                          : nil)
            },
            balance: record.balance.formatted, balanceOwn: record.balanceOwn.formatted, balanceTransfer: record.balanceTransfer.formatted,
            medicalAccount: record.medicalAccount.formatted,
            unpaid: record.unpaid.map { .init(period: $0.period.description, scheme: pages.label($0.scheme, context), amount: $0.amount.formatted) },
            hasUnpaid: !record.unpaid.isEmpty)
    }

    struct RecordPage {
        var record: RecordView
        var print: String
        var back: String
    }

    /// `/portal/record`: the citizen's own.
    @Sendable func own(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.ownRecordRead)
        guard let personID = principal.personID else { return .redirect(to: Route.portal.path(), type: .found) }
        return try await render(personID, print: Route.ownStatements.path(), back: Route.portal.path(), request, context, principal)
    }

    /// `/persons/{id}/record`: at the counter (an audited read).
    @Sendable func person(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personRead)
        let id = try context.id()
        return try await render(id, print: Route.personStatements.path(id), back: Route.person.path(id), request, context, principal)
    }

    private func render(_ personID: Int64, print: String, back: String, _ request: Request, _ context: ShebaoRequestContext,
                        _ principal: Principal) async throws -> Response {
        let pages = services.pages
        let (person, record) = try await services.insurance.contributionRecord(of: personID, by: principal)
        let content = RecordPage(
            record: view(name: person.name, residentID: principal.role.isStaff ? person.residentID.value : person.residentID.masked, record,
                         explain: AccessPolicy.allows(principal.role, .calculate), context),
            print: print, back: back)
        return pages.render("record", title: pages.text("record.title", context, ["name": person.name]), content: content, request: request, context: context)
    }

    /// Prints a statement (own or at the counter) and shows it on the public page by its code.
    @Sendable func issueOwn(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.ownRecordRead)
        _ = try await FormData.verified(request, context)
        guard let personID = principal.personID else { throw Problem.notFound }
        let (code, _) = try await services.insurance.issueStatement(of: personID, by: principal)
        return .redirect(to: Route.verify.path(query: "code=\(code)"), type: .normal)
    }

    @Sendable func issueForPerson(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.personRead)
        _ = try await FormData.verified(request, context)
        let (code, _) = try await services.insurance.issueStatement(of: try context.id(), by: principal)
        return .redirect(to: Route.verify.path(query: "code=\(code)"), type: .normal)
    }

    struct VerifyPage {
        var action: String
        var code: String
        var found: Bool
        var notFound: Bool
        var issuedOn: String
        var issuedAt: String
        var record: RecordView?
    }

    /// The statement under `code`; nil when none was issued under it.
    private func statement(_ code: String) async throws -> (StatementContent, String)? {
        let result: Result<(content: StatementContent, issuedAt: String), ServiceError>
        do {
            result = .success(try await services.insurance.verifyStatement(code: code))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let found): return (found.content, found.issuedAt)
        case .failure(let error) where error.kind == .notFound: return nil
        case .failure(let error): throw error
        }
    }

    /// `/verify?code=…`: anyone checks a printed statement; a code that was never issued says so.
    @Sendable func verify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let pages = services.pages
        let code = (request.query("code") ?? "").trimmingUnicodeWhitespace()
        var content = VerifyPage(action: Route.verify.path(), code: code, found: false, notFound: false, issuedOn: "", issuedAt: "", record: nil)
        var status = HTTPResponse.Status.ok
        if !code.isEmpty {
            if let (statement, issuedAt) = try await statement(code) {
                content.found = true
                content.issuedOn = statement.issuedOn.description
                content.issuedAt = Timestamp.shown(issuedAt)
                content.record = view(name: statement.name, residentID: statement.residentID, statement.record, explain: false, context)
            } else {
                content.notFound = true
                status = .notFound
            }
        }
        return pages.render("verify", title: pages.text("verify.title", context), content: content, request: request, context: context, status: status)
    }
}
