import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Cases on the staff pages: the office's list and overdue list, one case with its history,
/// documents, notice and objections, and a button for each move the reader may make — none for
/// a move separation of duties forbids them.
struct CasePages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct ListPage {
        struct Row {
            var href: String
            var id: Int64
            var type: String
            var person: String
            var region: String
            var state: String
            var dueOn: String
            var overdue: Bool
            var openedAt: String
        }
        var all: String
        var overdueLink: String
        var showingOverdue: Bool
        var rows: [Row]
        var summary: String
        var pager: Pager?
    }

    private func rows(_ summaries: [CaseSummary], _ context: ShebaoRequestContext) async throws -> [ListPage.Row] {
        let today = services.today
        var rows: [ListPage.Row] = []
        for summary in summaries {
            let type = services.cases.type(summary.type)
            rows.append(ListPage.Row(
                href: Route.caseItem.path(summary.id), id: summary.id, type: type.map { pages.text($0.titleKey, context) } ?? summary.type,
                person: summary.personName ?? "", region: try await services.regions.label(summary.region),
                state: type.map { pages.text($0.stateKey(summary.state), context) } ?? summary.state, dueOn: summary.dueOn?.description ?? "",
                overdue: summary.dueOn.map { $0 < today } ?? false, openedAt: Timestamp.shown(summary.openedAt)))
        }
        return rows
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try await services.cases.list(openOnly: request.query("open") == "true", paging: request.paging(perPage: 50), by: principal)
        let content = ListPage(all: Route.cases.path(), overdueLink: Route.casesOverdue.path(), showingOverdue: false,
                               rows: try await rows(page.items, context), summary: pages.text("cases.summary", context, ["total": String(page.total)]),
                               pager: Pager(page, route: .cases, query: "", pages: pages, context: context))
        return pages.render("cases", title: pages.text("cases.title", context), content: content, request: request, context: context)
    }

    @Sendable func overdue(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let overdue = try await services.cases.overdue(by: principal)
        let content = ListPage(all: Route.cases.path(), overdueLink: Route.casesOverdue.path(), showingOverdue: true, rows: try await rows(overdue, context),
                               summary: pages.text("cases.overdue_summary", context, ["total": String(overdue.count)]), pager: nil)
        return pages.render("cases", title: pages.text("cases.overdue", context), content: content, request: request, context: context)
    }

    struct CasePage {
        struct Fact {
            var label: String
            var value: String
        }
        struct Step {
            var when: String
            var what: String
            var who: String
            var note: String?
        }
        struct Document {
            var kind: String
            var reference: String
            var addedBy: String
            var addedAt: String
        }
        struct Objection {
            var raisedOn: String
            var raisedBy: String
            var text: String
            var outcome: String?
            var resolution: String?
            /// Where to post the settlement; nil once settled or for whoever may not settle it.
            var resolve: String?
        }
        struct Move {
            var id: String
            var label: String
            var action: String
        }
        var person: String?
        var personLink: String?
        var region: String
        var state: String
        var dueOn: String?
        var overdue: Bool
        var version: Int64
        var facts: [Fact]
        var steps: [Step]
        var documents: [Document]
        var documentForm: FieldForm
        var addDocument: String?
        var noticeWindow: String?
        var objections: [Objection]
        var raiseObjection: String?
        var objectionForm: FieldForm
        var outcomes: [FormFieldView.Option]
        var moves: [Move]
        /// Stored, not computed: Mustache reads values through reflection.
        var hasMoves: Bool
        var notice: String?
        var problem: String?
    }

    /// The case page's forms with fields: a refusal of one is told beside its fields, what it
    /// typed kept; a step's or a resolution's refusal is told above the page.
    enum Form {
        case document, objection
    }

    private func render(_ id: Int64, _ request: Request, _ context: ShebaoRequestContext, error: ServiceError? = nil, form: (Form, FormData)? = nil)
        async throws -> Response {
        let principal = try context.requirePrincipal()
        let view = try await services.cases.view(id, by: principal)
        let record = view.record
        let type = view.type
        let today = services.today
        let mayResolve = view.mayRecordObjections || principal.role == .reviewer
        func fields(_ which: Form, _ fields: [FormFieldView]) -> FieldForm {
            FieldForm(fields, refusedBy: form?.0 == which ? error : nil, pages: pages, context: context)
        }
        let typed = form?.1
        let documentForm = fields(.document, [
            FormFieldView.select("kind", label: pages.text("cases.document_kind", context), value: typed?["kind"],
                                 options: type.attachmentKinds.map { ($0, pages.text(type.attachmentKey($0), context)) }, required: true, blank: nil)
                .identified(as: "document-kind"),
            FormFieldView.input("reference", label: pages.text("cases.document_reference", context), value: typed?["reference"], required: true)
                .identified(as: "document-reference"),
        ])
        let objectionForm = fields(.objection, [
            FormFieldView.input("raisedBy", label: pages.text("cases.objection_by", context), value: typed?["raisedBy"], required: true)
                .identified(as: "objection-by"),
            FormFieldView.textarea("content", label: pages.text("cases.objection_content", context), value: typed?["content"], required: true)
                .identified(as: "objection-content"),
        ])
        // A refusal no form's field holds (a step, a resolution, a rule of the case) is told above, in full.
        let problem = form == nil ? error.map { pages.messageWithIssues($0, context) } : FieldForm.above(documentForm.problems + objectionForm.problems)
        let content = CasePage(
            person: view.personName, personLink: record.personID.flatMap { principal.may(.personRead, in: record.region) ? Route.person.path($0) : nil },
            region: try await services.regions.label(record.region), state: pages.text(type.stateKey(record.state), context),
            dueOn: record.dueOn?.description, overdue: record.dueOn.map { $0 < today } ?? false, version: record.version,
            facts: view.facts.map { .init(label: pages.text($0.labelKey, context), value: pages.value($0.value, context)) },
            steps: record.steps.map { step in
                let name = step.transition == CaseType.openTransition ? "case.transition.open" : type.transitionKey(step.transition)
                return .init(when: Timestamp.shown(step.takenAt), what: pages.text(name, context) + " → " + pages.text(type.stateKey(step.toState), context), who: step.actorName,
                             note: step.note)
            },
            documents: record.documents.map { .init(kind: pages.text(type.attachmentKey($0.kind), context), reference: $0.reference, addedBy: $0.addedBy, addedAt: Timestamp.shown($0.addedAt)) },
            documentForm: documentForm,
            addDocument: view.mayAddDocuments ? Route.caseDocuments.path(id) : nil,
            noticeWindow: record.notice.map { pages.text("cases.notice_window", context, ["from": $0.startsOn.description, "to": $0.endsOn.description]) },
            objections: record.notice?.objections.map { objection in
                .init(raisedOn: objection.raisedOn.description, raisedBy: objection.raisedBy, text: objection.content,
                      outcome: objection.outcome.map { pages.label($0, context) }, resolution: objection.resolution,
                      resolve: objection.outcome == nil && mayResolve ? Route.caseObjectionResolution.path(id, objection.id) : nil)
            } ?? [],
            raiseObjection: view.mayRecordObjections ? Route.caseObjections.path(id) : nil, objectionForm: objectionForm,
            outcomes: ObjectionOutcome.allCases.map { .init(value: $0.rawValue, label: pages.label($0, context), selected: false) },
            moves: view.allowed.map { .init(id: $0.id, label: pages.text(type.transitionKey($0.id), context), action: Route.caseSteps.path(id)) },
            hasMoves: !view.allowed.isEmpty,
            notice: request.query("saved") != nil ? pages.text("cases.saved", context) : nil,
            problem: problem)
        return pages.render("case", title: pages.text(type.titleKey, context) + " #\(id)", content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(try context.id(), request, context)
    }

    /// Runs a change to the case from a form; a refusal shows the case again with the reason.
    private func change(_ request: Request, _ context: ShebaoRequestContext, form which: Form? = nil,
                        _ body: @escaping (FormData, Int64, Principal) async throws -> Void) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            try await body(form, id, principal)
            return .saved(.caseItem, id)
        } rerender: { error in
            try await render(id, request, context, error: error, form: which.map { ($0, form) })
        }
    }

    @Sendable func take(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await change(request, context) { form, id, principal in
            _ = try await services.cases.take(id, transition: form["transition"] ?? "", note: form["note"], expectedVersion: form.int("version"), by: principal)
        }
    }

    @Sendable func addDocument(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await change(request, context, form: .document) { form, id, principal in
            _ = try await services.cases.addDocument(id, kind: form["kind"] ?? "", reference: form["reference"] ?? "", note: form.text("note"), by: principal)
        }
    }

    @Sendable func raiseObjection(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await change(request, context, form: .objection) { form, id, principal in
            _ = try await services.cases.raiseObjection(id, raisedBy: form["raisedBy"] ?? "", content: form["content"] ?? "", by: principal)
        }
    }

    @Sendable func resolveObjection(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let objection = try context.id("objection")
        return try await change(request, context) { form, id, principal in
            _ = try await services.cases.resolveObjection(id, objection: objection, outcome: form["outcome"] ?? "", resolution: form["resolution"] ?? "",
                                                          by: principal)
        }
    }
}

/// A person's applications, in the one view of the person.
struct CasesPanel: PersonPanelProvider {
    let order = 80

    struct View: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var href: String
            var id: Int64
            var type: String
            var state: String
            var openedAt: String
        }
        var rows: [Row]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let cases = try await panel.services.cases.cases(of: person, by: panel.principal)
        guard !cases.isEmpty else { return nil }
        let pages = panel.services.pages
        let context = panel.context
        let view = View(rows: cases.map { summary in
            let type = panel.services.cases.type(summary.type)
            return View.Row(href: Route.caseItem.path(summary.id), id: summary.id, type: type.map { pages.text($0.titleKey, context) } ?? summary.type,
                            state: type.map { pages.text($0.stateKey(summary.state), context) } ?? summary.state, openedAt: Timestamp.shown(summary.openedAt))
        })
        return panel.panel("cases", title: "cases.title", view)
    }
}
