import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Batch runs on the staff pages: the list with a form to start one, each run's progress (the
/// page refreshes itself while chunks are computed), its inputs, totals and output, and the
/// buttons for the next step — approve or reject for a second person, post once approved.
struct RunPages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct ListPage {
        struct Row {
            var href: String
            var id: Int64
            var kind: String
            var period: String
            var scope: String
            var state: String
            var progress: String
            var createdBy: String
        }
        var rows: [Row]
        var start: String?
        /// Kind, month and area of a new run; a refused one's problems beside them, what was chosen kept.
        var form: FieldForm
        var problem: String?
        var pager: Pager
    }

    private func progress(_ run: BatchRun) -> String { "\(run.chunksDone) / \(run.chunkCount)" }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderList(request, context, error: nil, typed: nil)
    }

    private func renderList(_ request: Request, _ context: ShebaoRequestContext, error: ServiceError?, typed: FormData?) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try await services.batches.runs(paging: request.paging(perPage: 50), by: principal)
        var rows: [ListPage.Row] = []
        for run in page.items {
            rows.append(ListPage.Row(href: Route.run.path(run.id), id: run.id, kind: pages.text("batch.\(run.key.kind)", context), period: run.key.period.description,
                                     scope: try await services.regions.label(run.key.scope), state: pages.label(run.state, context), progress: progress(run),
                                     createdBy: run.createdByName))
        }
        let startable = services.batches.allKinds.filter { $0.computeRoles.contains(principal.role) }
        let scopes = try await services.regionOptions(in: principal.scope, selected: nil, blank: "").dropFirst().filter { option in
            (try? RegionCode(option.value))?.level == .township
        }
        let form = FieldForm([
            FormFieldView.select("kind", label: pages.text("runs.kind", context), value: typed?["kind"],
                                 options: startable.map { ($0.id, pages.text($0.labelKey, context)) }, required: true, blank: nil).identified(as: "run-kind"),
            FormFieldView.input("period", label: pages.text("runs.period", context), value: typed?["period"] ?? services.today.period.previous.description,
                                type: "month", required: true).identified(as: "run-period"),
            FormFieldView.select("scope", label: pages.text("runs.scope", context), value: typed?["scope"], options: scopes.map { ($0.value, $0.label) },
                                 blank: pages.text("calculate.my_scope", context)).identified(as: "run-scope"),
        ], refusedBy: error, pages: pages, context: context)
        let content = ListPage(
            rows: rows, start: startable.isEmpty ? nil : Route.runs.path(), form: form,
            problem: form.above,
            pager: Pager(page, route: .runs, query: "", pages: pages, context: context))
        return pages.render("runs", title: pages.text("runs.title", context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    @Sendable func start(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let background = services.background
        let batches = services.batches
        let logger = context.logger
        return try await submitForm {
            let run = try await services.batches.prepare(kind: form["kind"] ?? "", period: form["period"] ?? "", scope: form.text("scope"), by: principal)
            background.compute(run, by: principal, services: batches, logger: logger)
            return .redirect(to: Route.run.path(run.id), type: .found)
        } rerender: { error in
            try await renderList(request, context, error: error, typed: form)
        }
    }

    struct RunPage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Chunk {
            var number: Int
            var key: String
            var rows: Int64
            var total: Int64
            var doneAt: String
        }
        var facts: [Fact]
        var computing: Bool
        var progress: String
        var percent: Int
        var chunks: [Chunk]
        struct Row {
            var cells: [String]
        }
        var columns: [String]
        var rows: [Row]
        var totalRow: Row?
        var resume: String?
        var decide: String?
        var post: String?
        var problem: String?
    }

    private func render(_ id: Int64, _ request: Request, _ context: ShebaoRequestContext, error: ServiceError? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        let run = try await services.batches.run(id, by: principal)
        let kind = services.batches.kind(run.key.kind)
        let totalText = kind?.totalUnit == .money ? Money(fen: run.total).yuanText : String(run.total)
        let facts: [RunPage.Fact] = [
            .init(label: pages.text("runs.kind", context), value: pages.text("batch.\(run.key.kind)", context)),
            .init(label: pages.text("runs.period", context), value: run.key.period.description),
            .init(label: pages.text("runs.scope", context), value: try await services.regions.label(run.key.scope)),
            .init(label: pages.text("runs.state", context), value: pages.label(run.state, context)),
            .init(label: pages.text("runs.rows", context), value: String(run.rowCount)),
            .init(label: pages.text("runs.total", context), value: totalText),
            .init(label: pages.text("runs.parameters", context), value: run.inputs["parameters"] ?? ""),
            .init(label: pages.text("runs.as_of", context), value: run.inputs["asOf"] ?? ""),
            .init(label: pages.text("runs.created", context), value: "\(run.createdByName) · \(Timestamp.shown(run.createdAt))"),
        ] + (run.decidedAt.map { [.init(label: pages.text("runs.decided", context), value: "\(run.decidedByName ?? "") · \(Timestamp.shown($0))")] } ?? [])
          + (run.postedAt.map { [.init(label: pages.text("runs.posted", context), value: Timestamp.shown($0))] } ?? [])
        let chunks = try await services.batches.chunks(of: run, by: principal)
        let output = run.state == .draft ? nil : try await services.batches.output(of: run, by: principal)
        let canCompute = kind?.computeRoles.contains(principal.role) == true
        let computing = run.state == .draft && services.background.isRunning(run.id)
        let content = RunPage(
            facts: facts, computing: computing, progress: progress(run),
            percent: run.chunkCount == 0 ? 100 : run.chunksDone * 100 / run.chunkCount,
            chunks: chunks.map { .init(number: $0.number + 1, key: $0.key, rows: $0.rowCount, total: $0.total, doneAt: $0.doneAt) },
            columns: output?.columns.map { pages.text($0, context) } ?? [], rows: output?.rows.map { row in
                RunPage.Row(cells: row.enumerated().map { output?.labelColumns.contains($0.offset) == true ? pages.text($0.element, context) : $0.element })
            } ?? [],
            totalRow: output?.total.map { RunPage.Row(cells: $0) },
            resume: run.state == .draft && !computing && canCompute ? Route.runResume.path(run.id) : nil,
            decide: run.state == .computed && kind?.decideRoles.contains(principal.role) == true && run.createdBy != principal.userID
                ? Route.runDecision.path(run.id) : nil,
            post: run.state == .approved && kind?.postRoles.contains(principal.role) == true ? Route.runPost.path(run.id) : nil,
            problem: error.map { pages.message($0, context) })
        var response = pages.render("run", title: pages.text("batch.\(run.key.kind)", context) + " #\(run.id)", content: content, request: request,
                                    context: context, status: error.map(formStatus) ?? .ok)
        // While chunks are being computed, the page reloads itself to show the progress.
        if computing { response.headers[.init("Refresh")!] = "2" }
        return response
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(try context.id(), request, context)
    }

    private func change(_ request: Request, _ context: ShebaoRequestContext,
                        _ body: @escaping (FormData, Int64, Principal) async throws -> Void) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            try await body(form, id, principal)
            return .redirect(to: Route.run.path(id), type: .found)
        } rerender: { error in
            try await render(id, request, context, error: error)
        }
    }

    @Sendable func resume(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let background = services.background
        let batches = services.batches
        let logger = context.logger
        return try await change(request, context) { _, id, principal in
            let run = try await batches.run(id, by: principal)
            guard batches.kind(run.key.kind)?.computeRoles.contains(principal.role) == true else { throw ServiceError.forbidden }
            background.compute(run, by: principal, services: batches, logger: logger)
        }
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal in
            _ = try await services.batches.decide(id, approve: form["decision"] == "approve", note: form.text("note"), by: principal)
        }
    }

    @Sendable func post(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await change(request, context) { _, id, principal in
            _ = try await services.batches.post(id, by: principal)
        }
    }
}
