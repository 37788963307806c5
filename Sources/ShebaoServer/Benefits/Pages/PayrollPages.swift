import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Pensions paid through banks, for the fund's payment office: the payroll runs with their
/// three-way reconciliation, a run's bank files (after approval and posting), the banks' returns
/// with the lines held in quarantine, the payment points, the death register with the
/// overpayments it raised and their recovery, and the pension accounts awaiting a reviewer.
struct PayrollPages {
    let services: ShebaoServices

    // MARK: Runs and returns

    struct IndexPage {
        struct Run {
            var id: Int64
            var href: String
            var period: String
            var state: String
            var payments: Int64
            var amount: String
            var reconciled: String
            var agrees: Bool
        }
        struct Return {
            var id: Int64
            var name: String
            var format: String
            var message: String
            var paid: String
            var failed: String
            var quarantined: Int64
            var importedAt: String
            var importedBy: String
        }
        struct Held {
            var returnID: Int64
            var line: Int64
            var endToEnd: String
            var amount: String
            var reason: String
        }
        var runs: [Run]
        var start: String
        var upload: String
        var imported: String?
        var problem: String?
        var returns: [Return]
        var quarantined: [Held]
        var hasQuarantined: Bool
    }

    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderIndex(request, context, imported: nil, problem: nil, status: .ok)
    }

    /// Imports a bank's return from the page.
    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let file = try await MultipartForm.uploadedFile(request, context)
        do {
            let outcome = try await services.benefits.importReturn(file.data, fileName: file.name, by: principal)
            let record = outcome.record
            let text = services.pages.text(outcome.repeated ? "bank_return.repeated" : "bank_return.imported", context, [
                "file": record.fileName, "paid": String(record.paidCount), "failed": String(record.failedCount), "quarantined": String(record.quarantinedCount),
            ])
            return try await renderIndex(request, context, imported: text, problem: nil, status: .ok)
        } catch let error as ServiceError {
            return try await renderIndex(request, context, imported: nil, problem: services.pages.message(error, context), status: formStatus(error))
        }
    }

    private func renderIndex(_ request: Request, _ context: ShebaoRequestContext, imported: String?, problem: String?,
                             status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let pages = services.pages
        var runs: [IndexPage.Run] = []
        for run in try await services.batches.runs(kind: PensionPayroll.kind.id, by: principal).items {
            let reconciliation = try await services.benefits.reconciliation(run: run.id, by: principal)
            let settled = reconciliation.business.pendingCount == 0
            runs.append(.init(id: run.id, href: Route.payrollRun.path(run.id), period: run.key.period.description, state: pages.label(run.state, context),
                              payments: run.rowCount, amount: Money(fen: run.total).formatted,
                              reconciled: pages.text(!reconciliation.isReconciled ? "reconciliation.differs"
                                                     : settled ? "reconciliation.agrees" : "reconciliation.awaiting", context,
                                                     ["count": String(reconciliation.business.pendingCount)]),
                              agrees: reconciliation.isReconciled))
        }
        let (returns, held) = try await services.benefits.bankReturns(by: principal)
        let content = IndexPage(
            runs: runs, start: Route.runs.path(), upload: Route.payrollReturns.path(), imported: imported, problem: problem,
            returns: returns.map {
                .init(id: $0.id, name: $0.fileName, format: $0.format, message: $0.messageID, paid: "\($0.paidCount) / \($0.paid.formatted)",
                      failed: "\($0.failedCount) / \($0.failed.formatted)", quarantined: $0.quarantinedCount, importedAt: Timestamp.shown($0.importedAt),
                      importedBy: $0.importedBy)
            },
            quarantined: held.map {
                .init(returnID: $0.returnID, line: $0.lineNumber, endToEnd: $0.endToEndID, amount: $0.amount.formatted,
                      reason: pages.text("bank_return_reason.\($0.reason)", context))
            },
            hasQuarantined: !held.isEmpty)
        return pages.render("payroll", title: pages.text("payroll.title", context), content: content, request: request, context: context, status: status)
    }

    // MARK: One run

    struct RunPage {
        struct Share {
            var bank: String
            var count: Int64
            var amount: String
        }
        struct File {
            var name: String
            var bank: String
            var count: Int64
            var xml: String
            var text: String
        }
        struct Side {
            var label: String
            var issued: String
            var paid: String
            var failed: String
            var pending: String
        }
        var period: String
        var state: String
        var runHref: String
        var shares: [Share]
        var posted: Bool
        var perFile: Int
        var files: [File]
        var sides: [Side]
        var reconciled: String
        var agrees: Bool
    }

    @Sendable func run(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let pages = services.pages
        let run = try await services.batches.run(try context.id(), by: principal)
        guard run.key.kind == PensionPayroll.kind.id else { throw ServiceError.notFound }
        let perFile = request.queryInt("perFile", default: 10_000, range: 1...BenefitsService.transfersPerFileLimit)
        let output = try await services.batches.output(of: run, by: principal)
        var files: [RunPage.File] = []
        if run.state == .posted {
            files = try await services.benefits.payrollFiles(run: run.id, perFile: perFile, format: .pain001, by: principal).map { file in
                let query = "bank=\(file.bank.code)&part=\(file.part)&perFile=\(perFile)"
                return .init(name: PayrollFile.messageID(run: run.id, bank: file.bank.code, part: file.part), bank: file.bank.name, count: file.count,
                             xml: Route.payrollFile.path(run.id, query: query + "&format=pain.001"),
                             text: Route.payrollFile.path(run.id, query: query + "&format=text"))
            }
        }
        let reconciliation = try await services.benefits.reconciliation(run: run.id, by: principal)
        let side = { (key: String, side: PayrollReconciliation.Side) in
            RunPage.Side(label: pages.text(key, context), issued: side.issued.formatted, paid: "\(side.paid.formatted) (\(side.paidCount))",
                         failed: "\(side.failed.formatted) (\(side.failedCount))", pending: side.pending.formatted)
        }
        let content = RunPage(
            period: run.key.period.description, state: pages.label(run.state, context), runHref: Route.run.path(run.id),
            shares: output.rows.map { .init(bank: $0[0], count: Int64($0[1]) ?? 0, amount: $0[2]) },
            posted: run.state == .posted, perFile: perFile, files: files,
            sides: [side("reconciliation.business", reconciliation.business), side("reconciliation.ledger", reconciliation.ledger),
                    side("reconciliation.bank", reconciliation.bank)],
            reconciled: pages.text(reconciliation.isReconciled ? "reconciliation.agrees" : "reconciliation.differs", context),
            agrees: reconciliation.isReconciled)
        return pages.render("payroll-run", title: pages.text("payroll.run_title", context, ["period": run.key.period.description]), content: content,
                            request: request, context: context)
    }

    /// One bank file of a posted run, as a download.
    @Sendable func file(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        guard let format = PayrollFile.Format(rawValue: request.query("format") ?? "") else { throw ServiceError.notFound }
        let perFile = request.queryInt("perFile", default: 10_000, range: 1...BenefitsService.transfersPerFileLimit)
        let part = request.queryInt("part", default: 1, range: 1...100_000)
        let runID = try context.id()
        let (file, data) = try await services.benefits.payrollFile(run: runID, bank: request.query("bank") ?? "", part: part, perFile: perFile,
                                                                   format: format, by: principal)
        let name = file.name(run: runID)
        return .download(data, fileName: name, asciiName: name,
                         contentType: format == .pain001 ? "application/xml" : "text/plain; charset=\(file.bank.textEncoding == .gbk ? "GBK" : "utf-8")")
    }

    // MARK: Payment points

    struct PointsPage {
        struct Bank {
            var code: String
            var name: String
            var bic: String
            var encoding: String
        }
        struct Point {
            var id: Int64
            var bank: String
            var name: String
            var kind: String
            var region: String
            var address: String
            var pensions: Int
        }
        var banks: [Bank]
        var points: [Point]
        var manages: Bool
        var action: String
        /// A new point's fields, a refused one's problems beside them.
        var form: FieldForm
        var saved: Bool
    }

    @Sendable func points(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderPoints(request, context, form: nil, refusal: nil, status: .ok)
    }

    @Sendable func addPoint(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.benefits.addPaymentPoint(bank: form["bank"] ?? "", name: form["name"] ?? "", kind: form["kind"] ?? "",
                                                            region: form["region"] ?? "", address: form["address"] ?? "", by: principal)
            return .redirect(to: Route.paymentPoints.path(query: "saved=1"), type: .found)
        } rerender: { error in
            try await renderPoints(request, context, form: form, refusal: error, status: formStatus(error))
        }
    }

    private func renderPoints(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, refusal: ServiceError?,
                              status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let banks = try await services.benefits.banks(by: principal)
        let names = Dictionary(banks.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let points = try await services.benefits.paymentPoints(by: principal)
        let places = try await services.regions.labels(of: points.map(\.region))
        let content = PointsPage(
            banks: banks.map { .init(code: $0.code, name: $0.name, bic: $0.bic, encoding: $0.textEncoding == .gbk ? "GBK" : "UTF-8") },
            points: points.map {
                .init(id: $0.id, bank: names[$0.bankCode] ?? $0.bankCode, name: $0.name, kind: pages.label($0.kind, context),
                      region: places[$0.region] ?? $0.region.value, address: $0.address, pensions: $0.pensions)
            },
            manages: principal.may(.payrollManage), action: Route.paymentPoints.path(),
            form: FieldForm([
                FormFieldView.select("bank", label: pages.text("payroll.bank", context), value: form?["bank"], options: banks.map { ($0.code, $0.name) },
                                     required: true, blank: nil).identified(as: "point-bank"),
                FormFieldView.select("kind", label: pages.text("payment_points.kind", context), value: form?["kind"],
                                     options: pages.options(PaymentPoint.Kind.self, context), required: true, blank: nil).identified(as: "point-kind"),
                FormFieldView.input("name", label: pages.text("payment_points.name", context), value: form?["name"], required: true).identified(as: "point-name"),
                FormFieldView.select("region", label: pages.text("person.region", context), value: form?["region"],
                                     options: try await services.regionOptions(in: principal.scope, selected: nil, blank: "").dropFirst().map { ($0.value, $0.label) },
                                     required: true).identified(as: "point-region"),
                FormFieldView.input("address", label: pages.text("payment_points.address", context), value: form?["address"]).identified(as: "point-address"),
            ], refusedBy: refusal, pages: pages, context: context),
            saved: request.query("saved") != nil)
        return pages.render("payment-points", title: pages.text("payment_points.title", context), content: content, request: request, context: context,
                            status: status)
    }

    // MARK: Deaths and overpayments

    struct DeathsPage {
        struct Stopped {
            var name: String
            var href: String
            var diedOn: String
            var overpayment: String
        }
        struct Owed {
            var id: Int64
            var name: String
            var href: String
            var diedOn: String
            var months: String
            var amount: String
            var recovered: String
            var outstanding: String
            var open: Bool
            var action: String
        }
        var upload: String
        var columns: String
        var rejected: RejectedFileView?
        var imported: String?
        var stopped: [Stopped]
        var hasStopped: Bool
        var problem: String?
        var overpayments: [Owed]
        var manages: Bool
        var today: String
    }

    @Sendable func deaths(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderDeaths(request, context, outcome: nil, problem: nil, status: .ok)
    }

    @Sendable func uploadDeaths(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let file = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.benefits.importDeaths(file.data, fileName: file.name, by: principal)
        return try await renderDeaths(request, context, outcome: outcome, problem: nil, status: outcome.issues.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func recover(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.benefits.recordRecovery(try context.id(), amount: form["amount"] ?? "", receivedOn: form["receivedOn"] ?? "",
                                                           note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.deaths.path(), type: .found)
        } rerender: { error in
            try await renderDeaths(request, context, outcome: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func renderDeaths(_ request: Request, _ context: ShebaoRequestContext, outcome: DeathImportOutcome?, problem: String?,
                              status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let imported = outcome.flatMap {
            $0.issues.isEmpty ? pages.text("death.imported", context, ["stopped": String($0.stopped.count), "unaffected": String($0.unaffected)]) : nil
        }
        let content = DeathsPage(
            upload: Route.deaths.path(),
            columns: DeathRegisterImporter.columnKeys.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "，"),
            rejected: RejectedFileView(outcome?.issues ?? [], pages: pages, context: context),
            imported: imported,
            stopped: (outcome?.stopped ?? []).map {
                .init(name: $0.name, href: Route.person.path($0.personID), diedOn: $0.diedOn.description, overpayment: $0.overpayment?.formatted ?? "—")
            },
            hasStopped: !(outcome?.stopped.isEmpty ?? true),
            problem: problem,
            overpayments: try await services.benefits.overpayments(by: principal).map {
                .init(id: $0.id, name: $0.personName, href: Route.person.path($0.personID), diedOn: $0.diedOn.description,
                      months: $0.first == $0.last ? $0.first.description : "\($0.first)–\($0.last)", amount: $0.amount.formatted,
                      recovered: $0.recovered.formatted, outstanding: $0.outstanding.formatted, open: $0.outstanding.fen > 0,
                      action: Route.overpaymentRecoveries.path($0.id))
            },
            manages: principal.may(.payrollManage), today: services.today.description)
        return pages.render("deaths", title: pages.text("deaths.title", context), content: content, request: request, context: context, status: status)
    }

    // MARK: Pension accounts

    struct AccountPage {
        var person: String
        var personHref: String
        var current: String
        var action: String
        /// The payment point, the account and the reason, a refused one's problems beside them.
        var form: FieldForm
    }

    @Sendable func account(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderAccount(request, context, figures: ["", "", ""], refusal: nil, status: .ok)
    }

    @Sendable func proposeAccount(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.pensionAccountPropose)
        let form = try await FormData.verified(request, context)
        let figures = ["paymentPoint", "account", "reason"].map { form[$0] ?? "" }
        let payable = request.query("payable").flatMap { Int64($0) }
        return try await submitForm {
            if let payable {
                _ = try await services.benefits.proposePayableAccount(payable, personID: try context.id(), paymentPoint: figures[0], account: figures[1],
                                                                      reason: figures[2], by: principal)
            } else {
                _ = try await services.benefits.proposeAccount(personID: try context.id(), paymentPoint: figures[0], account: figures[1], reason: figures[2],
                                                               by: principal)
            }
            return .redirect(to: Route.person.path(try context.id(), query: "saved=1"), type: .found)
        } rerender: { error in
            try await renderAccount(request, context, figures: figures, refusal: error, status: formStatus(error))
        }
    }

    private func renderAccount(_ request: Request, _ context: ShebaoRequestContext, figures: [String], refusal: ServiceError?,
                               status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.pensionAccountPropose)
        let pages = services.pages
        let id = try context.id()
        let points = try await services.benefits.paymentPoints(by: principal)
        let places = try await services.regions.labels(of: points.map(\.region))
        // The account of a pension, or of one benefit owed once whose payment the bank refused (`?payable=`).
        let name: String
        let current: String
        var action = Route.pensionAccount.path(id)
        if let payable = request.query("payable").flatMap({ Int64($0) }) {
            let person = try await services.registry.person(id, by: principal)
            guard principal.may(.pensionAccountPropose, in: person.region),
                  let refused = try await services.benefits.refusedPayables(of: id, by: principal).first(where: { $0.id == payable }) else {
                throw ServiceError.notFound
            }
            name = person.name
            current = pages.text("pension_account.refused", context, ["what": pages.text("payroll.remittance.\(refused.kind)", context),
                                                                      "amount": refused.amount.formatted, "period": refused.period.description])
            action = Route.pensionAccount.path(id, query: "payable=\(payable)")
        } else {
            guard let pension = try await services.benefits.pension(of: id, by: principal), principal.may(.pensionAccountPropose, in: pension.region) else {
                throw ServiceError.notFound
            }
            name = pension.name
            current = points.first { $0.id == pension.paymentPointID }.map { "\($0.name) \(pension.maskedAccount ?? "")" } ?? pages.text("pension.no_account", context)
        }
        let content = AccountPage(
            person: name, personHref: Route.person.path(id), current: current, action: action,
            form: FieldForm([
                FormFieldView.select("paymentPoint", label: pages.text("pension_account.point", context), value: figures[0],
                                     options: points.map { (String($0.id), $0.name + pages.text("common.parenthesized", context, ["text": places[$0.region] ?? ""])) },
                                     required: true, blank: nil).identified(as: "account-point"),
                FormFieldView.input("account", label: pages.text("pension_account.number", context), value: figures[1], required: true)
                    .identified(as: "account-number").autocompleted("off"),
                FormFieldView.input("reason", label: pages.text("pension_account.reason", context), value: figures[2], required: true)
                    .identified(as: "account-reason"),
            ], refusedBy: refusal, pages: pages, context: context))
        return pages.render("pension-account", title: pages.text("pension_account.title", context, ["name": name]), content: content,
                            request: request, context: context, status: status)
    }

    struct ChangesPage {
        struct Change {
            var id: Int64
            var what: String
            var name: String
            var href: String
            var point: String
            var account: String
            var reason: String
            var proposedBy: String
            var proposedAt: String
            var status: String
            var open: Bool
            var action: String
        }
        var changes: [Change]
        var decides: Bool
        var problem: String?
    }

    @Sendable func changes(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderChanges(request, context, problem: nil, status: .ok)
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            try await services.benefits.decideAccount(try context.id(), approve: form["decision"] == "approve", by: principal)
            return .redirect(to: Route.accountChanges.path(), type: .found)
        } rerender: { error in
            try await renderChanges(request, context, problem: services.pages.message(error, context), status: formStatus(error))
        }
    }

    private func renderChanges(_ request: Request, _ context: ShebaoRequestContext, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let decides = principal.role == .reviewer
        let content = ChangesPage(
            changes: try await services.benefits.accountChanges(proposedOnly: false, by: principal).map {
                // The account in full only to the reviewer who must compare it with the retiree's card.
                .init(id: $0.id, what: pages.text($0.payableKind.map { "payroll.remittance.\($0)" } ?? "pension_account.pension", context),
                      name: $0.personName, href: Route.person.path($0.personID), point: $0.paymentPointName,
                      account: decides && $0.status == .proposed ? $0.bankAccount : String(repeating: "*", count: max(0, $0.bankAccount.count - 4)) + $0.bankAccount.suffix(4),
                      reason: $0.reason, proposedBy: $0.proposedBy, proposedAt: Timestamp.shown($0.proposedAt), status: pages.label($0.status, context),
                      open: $0.status == .proposed && decides && $0.proposedByID != principal.userID, action: Route.accountChange.path($0.id))
            },
            decides: decides, problem: problem)
        return pages.render("account-changes", title: pages.text("account_changes.title", context), content: content, request: request, context: context,
                            status: status)
    }

    // MARK: Survival certification

    struct SurvivalPage {
        struct Row {
            var id: Int64
            var name: String
            var href: String
            var last: String
            var due: String
            var graceEnds: String
            var status: String
            var alert: Bool
            var action: String
        }
        struct Option {
            var value: String
            var label: String
        }
        var rows: [Row]
        var certifies: Bool
        var suspends: Bool
        var suspendAction: String
        var overdue: Bool
        var overdueText: String
        var methods: [Option]
        var today: String
        var done: String?
        var problem: String?
    }

    @Sendable func survival(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let done = request.query("suspended").map { services.pages.text("survival.suspended", context, ["count": $0]) }
            ?? (request.query("certified") != nil ? services.pages.text("survival.certified", context) : nil)
        return try await renderSurvival(request, context, done: done, problem: nil, status: .ok)
    }

    @Sendable func suspend(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.payrollManage)
        _ = try await FormData.verified(request, context)
        return try await submitForm {
            let count = try await services.benefits.suspendUncertified(by: principal)
            return .redirect(to: Route.survival.path(query: "suspended=\(count)"), type: .found)
        } rerender: { error in
            try await renderSurvival(request, context, done: nil, problem: services.pages.message(error, context), status: formStatus(error))
        }
    }

    @Sendable func certify(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.pensionAccountPropose)
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            try await services.benefits.certify(personID: try context.id(), on: form["certifiedOn"] ?? "", method: form["method"] ?? "", by: principal)
            return .redirect(to: Route.survival.path(query: "certified=1"), type: .found)
        } rerender: { error in
            try await renderSurvival(request, context, done: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    private func renderSurvival(_ request: Request, _ context: ShebaoRequestContext, done: String?, problem: String?,
                                status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let checks = try await services.benefits.survivalChecks(by: principal)
        let overdue = checks.filter { $0.output.suspend && $0.standing.suspendedFrom == nil }.count
        let content = SurvivalPage(
            rows: checks.map { check in
                let status: String
                if let from = check.standing.suspendedFrom {
                    status = pages.text("survival.status.suspended", context, ["from": from.description])
                } else if check.output.suspend {
                    status = pages.text("survival.status.overdue", context, ["from": check.output.suspendFrom.description])
                } else {
                    status = pages.text("survival.status.due", context)
                }
                return .init(id: check.standing.personID, name: check.standing.name, href: Route.person.path(check.standing.personID),
                             last: check.standing.lastCertified.description + (check.standing.certified ? "" : pages.text("survival.since_retirement", context)),
                             due: check.output.due.description, graceEnds: check.output.graceEnds.description, status: status,
                             alert: check.output.suspend || check.standing.suspendedFrom != nil,
                             action: Route.survivalCertification.path(check.standing.personID))
            },
            certifies: principal.may(.pensionAccountPropose), suspends: principal.may(.payrollManage), suspendAction: Route.survivalSuspension.path(),
            overdue: overdue > 0, overdueText: pages.text("survival.overdue_count", context, ["count": String(overdue)]),
            methods: SurvivalStore.Method.allCases.map { .init(value: $0.rawValue, label: pages.text("survival_method.\($0.rawValue)", context)) },
            today: services.today.description, done: done, problem: problem)
        return pages.render("survival", title: pages.text("survival.title", context), content: content, request: request, context: context, status: status)
    }
}
