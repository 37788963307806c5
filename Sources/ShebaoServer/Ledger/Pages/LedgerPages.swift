import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The fund ledger's pages for fund accountants (and auditors and leaders, who read): the funds,
/// one fund's accounts and entries, one entry with its reversal, the form for a new entry.
struct LedgerPages {
    let services: ShebaoServices

    // MARK: The funds

    struct IndexPage {
        struct Row {
            var href: String
            var fund: String
            var balance: String
            var averageExpenditure: String
            var capacity: String
        }
        var date: String
        var rows: [Row]
        var verify: String
        var verification: String?
        var verificationFailed: Bool
        var problems: [String]
        var new: String?
    }

    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderIndex(request, context, verification: nil)
    }

    @Sendable func verify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try await FormData.verified(request, context)
        let result = try await services.ledger.verify(by: try context.requirePrincipal())
        return try await renderIndex(request, context, verification: result)
    }

    private func renderIndex(_ request: Request, _ context: ShebaoRequestContext, verification: LedgerVerification?) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let date = services.today
        let positions = try await services.ledger.positions(on: date, by: principal)
        let content = IndexPage(
            date: date.description,
            rows: positions.map { position in
                IndexPage.Row(
                    href: Route.ledgerFund.path(position.fund.rawValue), fund: pages.label(position.fund, context), balance: position.balance.formatted,
                    averageExpenditure: position.averageMonthlyExpenditure.formatted,
                    capacity: position.paymentCapacityMonths.map { pages.text("ledger.capacity_months", context, ["months": $0]) }
                        ?? pages.text("ledger.capacity_none", context))
            },
            verify: Route.ledgerVerify.path(),
            verification: verification.map {
                $0.isIntact
                    ? pages.text("ledger.verified", context, ["entries": String($0.entries), "lines": String($0.lines)])
                    : pages.text("ledger.broken", context, ["count": String($0.problems.count)])
            },
            verificationFailed: verification.map { !$0.isIntact } ?? false,
            problems: verification?.problems ?? [],
            new: AccessPolicy.allows(principal.role, .ledgerPost) ? Route.ledgerNew.path() : nil)
        return pages.render("ledger", title: pages.text("ledger.title", context), content: content, request: request, context: context)
    }

    // MARK: One fund

    struct FundPage {
        struct Account {
            var account: String
            var debits: String
            var credits: String
            var closing: String
        }
        struct Entry {
            var href: String
            var id: Int64
            var date: String
            var memo: String
            var amount: String
            var source: String
            var note: String?
        }
        var index: String
        var fund: String
        var year: String
        var from: String
        var through: String
        var accounts: [Account]
        var entries: [Entry]
        var older: String?
    }

    @Sendable func fund(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        guard let fund = context.parameters.get("fund").flatMap(Fund.init(rawValue:)) else { throw Problem.notFound }
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let today = services.today
        let year = request.query("year").flatMap(Int.init).flatMap { (1990...today.year).contains($0) ? $0 : nil } ?? today.year
        let from = LocalDate(year: year, month: 1, day: 1)!
        let through = year == today.year ? today : LocalDate(year: year, month: 12, day: 31)!
        let (period, closing) = try await services.ledger.accounts(of: fund, from: from, through: through, by: principal)
        let before = request.query("before").flatMap { Int64($0) }
        let entries = try await services.ledger.entries(of: fund, before: before, by: principal)
        let content = FundPage(
            index: Route.ledger.path(), fund: pages.label(fund, context), year: String(year), from: from.description, through: through.description,
            accounts: LedgerAccountKind.allCases.compactMap { kind in
                let moved = period.first { $0.account == kind }
                let held = closing.first { $0.account == kind }
                guard moved != nil || held != nil else { return nil }
                return FundPage.Account(account: pages.label(kind, context), debits: (moved?.debits ?? .zero).formatted,
                                        credits: (moved?.credits ?? .zero).formatted, closing: (held?.balance ?? .zero).formatted)
            },
            entries: entries.map { entry in
                FundPage.Entry(
                    href: Route.ledgerEntry.path(entry.id), id: entry.id, date: entry.occurredOn.description, memo: entry.memo,
                    amount: entry.amount.formatted, source: entry.source,
                    note: entry.reverses.map { pages.text("ledger.reverses", context, ["id": String($0)]) }
                        ?? entry.reversedBy.map { pages.text("ledger.reversed_by", context, ["id": String($0)]) })
            },
            older: entries.count == 50 ? Route.ledgerFund.path(fund.rawValue, query: "year=\(year)&before=\(entries.last!.id)") : nil)
        return pages.render("ledger-fund", title: pages.label(fund, context), content: content, request: request, context: context)
    }

    // MARK: One entry

    struct EntryPage {
        struct Line {
            var account: String
            var debit: String
            var credit: String
        }
        var id: Int64
        var fund: String
        var fundHref: String
        var date: String
        var memo: String
        var source: String
        var recorded: String
        var lines: [Line]
        var total: String
        var reverses: String?
        var reversesHref: String?
        var reversedBy: String?
        var reversedByHref: String?
        /// Where to post a reversal; nil when it may not be reversed (by this reader).
        var reverse: String?
        var key: String
        var problem: String?
    }

    @Sendable func entry(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderEntry(request, context, problem: nil, status: .ok)
    }

    @Sendable func reverse(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let reversal = try await services.ledger.reverse(try context.id(), reason: form["reason"] ?? "", idempotencyKey: form["key"] ?? "", by: principal)
            return .redirect(to: Route.ledgerEntry.path(reversal.id), type: .found)
        } rerender: { error in
            try await renderEntry(request, context, problem: services.pages.message(error, context), status: formStatus(error))
        }
    }

    private func renderEntry(_ request: Request, _ context: ShebaoRequestContext, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let entry = try await services.ledger.entry(try context.id(), by: principal)
        let content = EntryPage(
            id: entry.id, fund: pages.label(entry.fund, context), fundHref: Route.ledgerFund.path(entry.fund.rawValue), date: entry.occurredOn.description,
            memo: entry.memo, source: entry.source, recorded: "\(entry.recordedBy) · \(Timestamp.shown(entry.recordedAt))",
            lines: entry.lines.map {
                EntryPage.Line(account: pages.label($0.account, context), debit: $0.debit.fen > 0 ? $0.debit.formatted : "",
                               credit: $0.credit.fen > 0 ? $0.credit.formatted : "")
            },
            total: entry.amount.formatted,
            reverses: entry.reverses.map { pages.text("ledger.reverses", context, ["id": String($0)]) },
            reversesHref: entry.reverses.map { Route.ledgerEntry.path($0) },
            reversedBy: entry.reversedBy.map { pages.text("ledger.reversed_by", context, ["id": String($0)]) },
            reversedByHref: entry.reversedBy.map { Route.ledgerEntry.path($0) },
            reverse: AccessPolicy.allows(principal.role, .ledgerPost) && entry.reverses == nil && entry.reversedBy == nil ? Route.ledgerReversal.path(entry.id) : nil,
            key: "reversal-" + UUID().uuidString.lowercased(), problem: problem)
        return pages.render("ledger-entry", title: pages.text("ledger.entry", context, ["id": String(entry.id)]), content: content, request: request,
                            context: context, status: status)
    }

    // MARK: A new entry

    struct NewPage {
        struct Line {
            var index: Int
            /// The line as the clerk reads it (1-based), for screen readers.
            var number: Int
            var accounts: [FormFieldView.Option]
            var debit: String
            var credit: String
            /// Each cell's problem, beside it.
            var accountError: String?
            var debitError: String?
            var creditError: String?
        }
        var action: String
        /// Fund, date and memo, a refused one's problem beside it.
        var form: FieldForm
        var key: String
        var lines: [Line]
        /// What no field is for (an entry that does not balance), above the form.
        var problem: String?
    }

    static let formLines = 4

    @Sendable func new(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        _ = try context.require(.ledgerPost)
        return renderNew(request, context, form: nil, refusal: nil, status: .ok)
    }

    @Sendable func post(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let input = LedgerEntryInput(
            fund: form["fund"] ?? "", occurredOn: form["occurredOn"] ?? "", memo: form["memo"] ?? "", idempotencyKey: form["key"] ?? "",
            lines: (0..<Self.formLines).map { .init(account: form["account\($0)"] ?? "", debit: form["debit\($0)"], credit: form["credit\($0)"]) })
        return try await submitForm {
            let (entry, _) = try await services.ledger.post(input, by: principal)
            return .redirect(to: Route.ledgerEntry.path(entry.id), type: .found)
        } rerender: { error in
            renderNew(request, context, form: form, refusal: error, status: formStatus(error))
        }
    }

    /// The form; a refusal's problems beside the fields and cells they are for (`lines[2].debit` is
    /// the third line's debit), the rest above.
    private func renderNew(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, refusal: ServiceError?,
                           status: HTTPResponse.Status) -> Response {
        let pages = services.pages
        // The lines' problems go to their cells below; the form's fields take the rest, and a refusal
        // no field is at fault for (an entry that does not balance) is told above.
        let isLineIssue = { (issue: FieldIssue) in issue.field.hasPrefix("lines[") }
        let ownRefusal = refusal.flatMap { refusal -> ServiceError? in
            guard refusal.fieldIssues.isEmpty || !refusal.fieldIssues.allSatisfy(isLineIssue) else { return nil }
            var own = refusal
            own.fieldIssues.removeAll(where: isLineIssue)
            return own
        }
        let fields = FieldForm([
            FormFieldView.select("fund", label: pages.text("ledger.fund", context), value: form?["fund"] ?? Fund.enterprisePension.rawValue,
                                 options: pages.options(Fund.self, context), required: true, blank: nil).identified(as: "entry-fund-select"),
            FormFieldView.input("occurredOn", label: pages.text("ledger.date", context), value: form?["occurredOn"] ?? services.today.description,
                                type: "date", required: true).identified(as: "entry-date-input"),
            FormFieldView.input("memo", label: pages.text("ledger.memo", context), value: form?["memo"], required: true).identified(as: "entry-memo-input"),
        ], refusedBy: ownRefusal, pages: pages, context: context)
        func cellError(_ index: Int, _ name: String) -> String? {
            FieldForm.above((refusal?.fieldIssues ?? []).filter { $0.field == "lines[\(index)].\(name)" }.map { pages.text($0, context) })
        }
        let content = NewPage(
            action: Route.ledgerEntries.path(), form: fields,
            // The key is made with the form: submitting it twice (a double click, a retry) posts once.
            key: form?["key"] ?? "entry-" + UUID().uuidString.lowercased(),
            lines: (0..<Self.formLines).map { index in
                let chosen = form?["account\(index)"] ?? ""
                return NewPage.Line(
                    index: index, number: index + 1,
                    accounts: [FormFieldView.Option(value: "", label: "—", selected: chosen.isEmpty)]
                        + LedgerAccountKind.allCases.map { FormFieldView.Option(value: $0.rawValue, label: pages.label($0, context), selected: $0.rawValue == chosen) },
                    debit: form?["debit\(index)"] ?? "", credit: form?["credit\(index)"] ?? "",
                    accountError: cellError(index, "account"), debitError: cellError(index, "debit"), creditError: cellError(index, "credit"))
            },
            problem: fields.above)
        return pages.render("ledger-new", title: pages.text("ledger.new_entry", context), content: content, request: request, context: context, status: status)
    }
}
