import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Duplicate person records on the staff pages: likely pairs, merges proposed by clerks and
/// decided by reviewers (the buttons only for someone who may decide, never the proposer).
struct DuplicatePages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct DuplicatesPage {
        struct Person {
            var id: Int64
            var href: String
            var name: String
            var maskedID: String
            var birthDate: String
        }
        struct Pair {
            var first: Person
            var second: Person
        }
        struct Proposed {
            var id: Int64
            var kept: Person
            var merged: Person
            var reason: String
            var requestedAt: String
            /// The facts on which the two records disagree, as a warning.
            var differences: String?
            /// Where to post the decision; nil for whoever may not decide it (the proposer included).
            var decide: String?
        }
        var action: String
        var pairs: [Pair]
        var pending: [Proposed]
        var canRequest: Bool
        /// The two records by their numbers and why; a refused request's problems beside them, what was typed kept.
        var form: FieldForm
        var notice: String?
        var problem: String?
    }

    @Sendable func page(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, notice: request.query("done").map { pages.text("merge.done.\($0)", context) }, error: nil)
    }

    /// The page; `typed` is a refused request's form (its problems beside its fields), without it a
    /// refusal is a decision's, told above.
    private func render(_ request: Request, _ context: ShebaoRequestContext, notice: String?, error: ServiceError?, typed: FormData? = nil) async throws -> Response {
        let principal = try context.requirePrincipal()
        func view(_ person: ShebaoCore.Person) -> DuplicatesPage.Person {
            .init(id: person.id, href: Route.person.path(person.id), name: person.name, maskedID: person.residentID.masked, birthDate: person.birthDate.description)
        }
        let (form, problem) = FieldForm.withRowActions([
            FormFieldView.input("keepPersonID", label: pages.text("merge.keep", context), value: typed?["keepPersonID"] ?? request.query("keep"), required: true)
                .identified(as: "keep"),
            FormFieldView.input("mergePersonID", label: pages.text("merge.merge", context), value: typed?["mergePersonID"] ?? request.query("merge"), required: true)
                .identified(as: "merge"),
            FormFieldView.input("reason", label: pages.text("form.reason", context), value: typed?["reason"], required: true).identified(as: "merge-reason"),
        ], refusal: error, ofForm: typed != nil, pages: pages, context: context)
        let content = DuplicatesPage(
            action: Route.duplicates.path(),
            pairs: try await services.registry.duplicateCandidates(by: principal).map { .init(first: view($0.first), second: view($0.second)) },
            pending: try await services.registry.proposedMerges(by: principal).map {
                .init(id: $0.request.id, kept: view($0.kept), merged: view($0.merged), reason: $0.request.reason, requestedAt: Timestamp.shown($0.request.requestedAt),
                      differences: $0.differences.isEmpty ? nil
                        : pages.text("merge.differences", context, ["fields": $0.differences.map { pages.text($0, context) }.joined(separator: "、")]),
                      decide: AccessPolicy.allows(principal.role, .mergeDecide) && $0.request.requestedBy != principal.userID
                        ? Route.duplicateDecision.path($0.request.id) : nil)
            },
            canRequest: AccessPolicy.allows(principal.role, .mergeRequest), form: form, notice: notice, problem: problem)
        return pages.render("duplicates", title: pages.text("duplicates.title", context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    @Sendable func propose(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.registry.proposeMerge(keep: form.int("keepPersonID"), merge: form.int("mergePersonID"), reason: form["reason"], by: principal)
            return .redirect(to: Route.duplicates.path(query: "done=proposed"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, error: error, typed: form)
        }
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        let approve = form["decision"] == "approve"
        return try await submitForm {
            let decided = try await services.registry.decideMerge(id, approve: approve, note: form.text("note"), by: principal)
            return .redirect(to: Route.duplicates.path(query: "done=\(decided.status.rawValue)"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, error: error)
        }
    }
}
