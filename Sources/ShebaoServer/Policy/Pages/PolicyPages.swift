import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The policy book on the staff pages: values in force and their history, proposals of
/// future-dated values, and their approval by a second person.
struct PolicyPages {
    let services: ShebaoServices

    private var pages: PageRenderer { services.pages }

    struct IndexPage {
        struct Row {
            var href: String
            var label: String
            var value: String
            var validFrom: String
            var region: String
            var legalBasis: String
            var verification: String
            var next: String?
        }
        struct Group {
            var id: String
            var title: String
            var rows: [Row]
        }
        var asOf: String
        var action: String
        var q: String
        var groups: [Group]
        var empty: Bool
        var pending: Int
        var pendingText: String
        var pendingLink: String
        var calculate: String
        var propose: String?
    }

    /// The programmes the policy book's keys begin with, in the order of the programme pages.
    static let groups = [
        "contribution", "wage", "economy", "pension", "retirement", "medical", "unemployment", "work_injury", "maternity", "late_surcharge",
        "dibao", "five_guarantees", "three_withouts", "welfare_home", "ncms", "medical_assistance", "education_aid", "disabled_levy",
        "land_requisition", "relief",
    ]

    /// Every key with the value in force today for the caller's area, and the next one if approved
    /// ahead, grouped by programme; `q` keeps the parameters whose name or legal basis contains it.
    @Sendable func index(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let today = services.today
        let region = try await services.policy.homeRegion(of: principal)
        let q = (request.query("q") ?? "").trimmingUnicodeWhitespace()
        let inForce = try await services.policy.inForce(on: today, region: region, by: principal)
        let labels = try await regionNames(inForce.map(\.value.current.region), context)
        var byGroup: [String: [IndexPage.Row]] = [:]
        for (key, value) in inForce {
            let row = IndexPage.Row(
                href: Route.policyKey.path(key), label: pages.text("param.\(key)", context),
                value: pages.parameterValue(value.current.value, unit: value.current.unit, context), validFrom: value.current.validFrom.description,
                region: labels[value.current.region] ?? "", legalBasis: pages.legalBasis(value.current.legalBasis, context),
                verification: pages.label(value.current.label, context),
                next: value.next.map { pages.parameterValue($0.value, unit: $0.unit, context) + "（\($0.validFrom)）" })
            if !q.isEmpty && !row.label.localizedCaseInsensitiveContains(q) && !row.legalBasis.localizedCaseInsensitiveContains(q) { continue }
            let prefix = String(key.prefix { $0 != "." })
            byGroup[Self.groups.contains(prefix) ? prefix : "economy", default: []].append(row)
        }
        let groups = Self.groups.compactMap { id -> IndexPage.Group? in
            guard let rows = byGroup[id], !rows.isEmpty else { return nil }
            return IndexPage.Group(id: id, title: pages.text("policy.group.\(id)", context), rows: rows.sorted { $0.label < $1.label })
        }
        let pending = try await services.policy.records(status: .proposed, by: principal).count
        let content = IndexPage(asOf: pages.text("policy.as_of", context, ["date": today.description]), action: Route.policy.path(), q: q, groups: groups,
                                empty: groups.isEmpty, pending: pending,
                                pendingText: pages.text("policy.pending_count", context, ["count": String(pending)]), pendingLink: Route.policyPending.path(), calculate: Route.calculate.path(),
                                propose: AccessPolicy.allows(principal.role, .parameterPropose) ? Route.policyNew.path() : nil)
        return pages.render("policy", title: pages.text("policy.title", context), content: content, request: request, context: context)
    }

    struct HistoryPage {
        struct Row {
            var id: Int64
            var value: String
            var validFrom: String
            var region: String
            var status: String
            var legalBasis: String
            var verification: String
            var proposedBy: String
        }
        var rows: [Row]
    }

    /// Where values apply, by name: a township or the district by its name, the nation in words.
    private func regionNames(_ codes: [RegionCode], _ context: ShebaoRequestContext) async throws -> [RegionCode: String] {
        var names = try await services.regions.labels(of: Set(codes))
        for code in codes where code.level == .nation { names[code] = pages.text("policy.nation", context) }
        return names
    }

    @Sendable func history(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        guard let key = context.parameters.get("key") else { throw Problem.notFound }
        let records = try await services.policy.records(key: key, by: try context.requirePrincipal())
        guard !records.isEmpty else { throw Problem.notFound }
        let places = try await regionNames(records.map(\.parameter.region), context)
        let rows = records.map {
            HistoryPage.Row(id: $0.id, value: pages.parameterValue($0.parameter.value, unit: $0.parameter.unit, context),
                            validFrom: $0.parameter.validFrom.description, region: places[$0.parameter.region] ?? "",
                            status: pages.label($0.status, context), legalBasis: pages.legalBasis($0.parameter.legalBasis, context),
                            verification: pages.label($0.parameter.label, context), proposedBy: pages.actor($0.proposedByName, context))
        }
        return pages.render("policy-history", title: pages.text("param.\(key)", context), content: HistoryPage(rows: rows),
                            request: request, context: context)
    }

    @Sendable func new(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard AccessPolicy.allows(principal.role, .parameterPropose) else { throw Problem.forbidden }
        return try await renderNew(FormData(fields: ["key": request.query("key") ?? "", "region": principal.scope.value]), error: nil, request, context)
    }

    private func renderNew(_ form: FormData, error: ServiceError?, _ request: Request, _ context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let book = try await services.policy.book()
        // The caller's area and every area above it: a wider value is recorded by the district too.
        var regions: [(String, String)] = []
        var place: RegionCode? = principal.scope
        while let current = place {
            regions.append((current.value, try await services.regions.name(current) ?? pages.text("policy.nation", context)))
            place = current.level == .nation ? nil : (current.parent ?? .nation)
        }
        let fields: [FormFieldView] = [
            .select("key", label: pages.text("policy.key", context), value: form["key"], options: book.keys.map { ($0, pages.text("param.\($0)", context) + " (\($0))") },
                    required: true, blank: nil),
            .select("regionCode", label: pages.text("policy.region", context), value: form["region"], options: regions, required: true, blank: nil),
            .input("validFrom", label: pages.text("policy.valid_from", context), value: form["validFrom"], type: "date", required: true),
            .input("value", label: pages.text("policy.value", context), value: form["value"], required: true, hint: pages.text("policy.value_hint", context)),
            .input("legalBasis", label: pages.text("policy.legal_basis", context), value: form["legalBasis"], required: true),
            .input("note", label: pages.text("policy.note", context), value: form["note"]),
            .input("retroactiveReason", label: pages.text("policy.retroactive_reason", context), value: form["retroactiveReason"],
                   hint: pages.text("policy.retroactive_reason_hint", context)),
        ]
        let content = RecordFormPage(action: Route.policy.path(), cancel: Route.policy.path(), fields: fields, error: error, pages: pages, context: context)
        return pages.render("record-form", title: pages.text("policy.new", context), content: content, request: request, context: context,
                            status: error.map(formStatus) ?? .ok)
    }

    @Sendable func propose(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let proposal = ParameterProposal(key: form["key"] ?? "", regionCode: form["regionCode"] ?? form["region"] ?? "", validFrom: form["validFrom"] ?? "",
                                         value: form["value"] ?? "", legalBasis: form["legalBasis"] ?? "", note: form.text("note"),
                                         retroactiveReason: form.text("retroactiveReason"))
        return try await submitForm {
            _ = try await services.policy.propose(proposal, by: principal)
            return .redirect(to: Route.policyPending.path(query: "done=proposed"), type: .found)
        } rerender: { error in
            var fields = form.fields
            fields["region"] = proposal.regionCode
            return try await renderNew(FormData(fields: fields), error: error, request, context)
        }
    }

    struct PendingPage {
        struct Row {
            var id: Int64
            var key: String
            var label: String
            var value: String
            var validFrom: String
            var region: String
            var legalBasis: String
            var proposedBy: String
            var note: String?
            /// Why the value reaches back, and what it changes (the span and the rules reading the key).
            var retroactive: String?
            var impact: String?
            /// Two reviewers must approve; who approved first, if anyone.
            var secondApproval: String?
            /// Where to post the decision; nil for whoever may not decide it (the proposer included).
            var decide: String?
        }
        var rows: [Row]
        var notice: String?
        var problem: String?
    }

    @Sendable func pending(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderPending(request, context, notice: request.query("done").map { pages.text("policy.done.\($0)", context) }, error: nil)
    }

    private func renderPending(_ request: Request, _ context: ShebaoRequestContext, notice: String?, error: ServiceError?) async throws -> Response {
        let principal = try context.requirePrincipal()
        var rows: [PendingPage.Row] = []
        let records = try await services.policy.records(status: .proposed, by: principal)
        let places = try await regionNames(records.map(\.parameter.region), context)
        for record in records {
            let impact = try await services.policy.impact(of: record).map { impact in
                pages.text("policy.impact", context, [
                    "from": impact.from.description, "until": impact.until?.description ?? pages.text("policy.impact_today", context),
                    "rules": impact.rules.isEmpty ? "—" : impact.rules.map { pages.text("rule.\($0)", context) }.joined(separator: "、"),
                ])
            }
            let second: String? = record.needsSecondApproval
                ? (record.firstApprovedBy == nil ? pages.text("policy.needs_two", context) : pages.text("policy.first_approved", context, ["at": record.firstApprovedAt.map(Timestamp.shown) ?? ""]))
                : nil
            let mayDecide = AccessPolicy.allows(principal.role, .parameterDecide) && record.proposedBy != principal.userID && record.firstApprovedBy != principal.userID
            rows.append(PendingPage.Row(
                id: record.id, key: record.parameter.key, label: pages.text("param.\(record.parameter.key)", context),
                value: pages.parameterValue(record.parameter.value, unit: record.parameter.unit, context),
                validFrom: record.parameter.validFrom.description, region: places[record.parameter.region] ?? "",
                legalBasis: pages.legalBasis(record.parameter.legalBasis, context),
                proposedBy: pages.actor(record.proposedByName, context), note: record.note,
                retroactive: record.retroactiveReason.map { pages.text("policy.retroactive", context, ["reason": $0]) }, impact: impact, secondApproval: second,
                decide: mayDecide ? Route.policyDecision.path(record.id) : nil))
        }
        return pages.render("policy-pending", title: pages.text("policy.pending", context),
                            content: PendingPage(rows: rows, notice: notice, problem: error.map { pages.message($0, context) }),
                            request: request, context: context, status: error.map(formStatus) ?? .ok)
    }

    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        let approve = form["decision"] == "approve"
        return try await submitForm {
            let record = try await services.policy.decide(id, approve: approve, by: principal)
            let done = record.status == .proposed && record.firstApprovedBy != nil ? "first_approval" : record.status.rawValue
            return .redirect(to: Route.policyPending.path(query: "done=\(done)"), type: .found)
        } rerender: { error in
            try await renderPending(request, context, notice: nil, error: error)
        }
    }
}
