import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// Designated hospitals and pharmacies (PROGRAMS.md §2.7): the list with the inspections waiting
/// for a reviewer, and one institution's page — its agreement and status, inspections and their
/// decisions, the pharmacy's purchase files and the fund's settlements with it.
struct MedicalPages {
    let services: ShebaoServices

    struct Option {
        var value: String
        var label: String
        var selected = false
    }

    struct ListPage {
        struct Row {
            var href: String
            var code: String
            var name: String
            var kind: String
            var level: String
            var region: String
            var agreement: String
            var status: String
            var statusClass: String
        }
        struct Waiting {
            var href: String
            var institution: String
            var inspectedOn: String
            var measure: String
            var inspector: String
        }
        /// A struggling enterprise's coverage change, approved or waiting (PROGRAMS.md §2.8).
        struct CoverageUnit {
            var href: String
            var unit: String
            var from: String
            var coverage: String
            var funding: String
            var state: String
        }
        var rows: [Row]
        var waiting: [Waiting]
        var hasWaiting: Bool
        var coverage: [CoverageUnit]
        var counts: String
        var manages: Bool
        var action: String
        /// A new institution's fields, what the clerk typed kept and a refusal's problems beside them.
        var form: FieldForm
    }

    @Sendable func list(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderList(request, context, form: nil, refusal: nil, status: .ok)
    }

    @Sendable func add(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.medicalInstitutionManage)
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            let added = try await services.benefits.addMedicalInstitution(
                code: form["code"] ?? "", name: form["name"] ?? "", kind: form["kind"] ?? "", level: form["level"] ?? "", region: form["region"] ?? "",
                agreementFrom: form["agreementFrom"] ?? "", agreementTo: form["agreementTo"] ?? "", by: principal)
            return .redirect(to: Route.medicalInstitution.path(added.id), type: .found)
        } rerender: { error in
            try await renderList(request, context, form: form, refusal: error, status: formStatus(error))
        }
    }

    private func renderList(_ request: Request, _ context: ShebaoRequestContext, form: FormData?, refusal: ServiceError?,
                            status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let institutions = try await services.benefits.medicalInstitutions(by: principal)
        let places = try await services.regions.labels(of: Set(institutions.map(\.region)))
        let names = Dictionary(institutions.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let waiting = try await services.benefits.proposedInspections(by: principal)
        let hospitals = institutions.filter { $0.kind == .hospital }
        let content = ListPage(
            rows: institutions.map { item in
                .init(href: Route.medicalInstitution.path(item.id), code: item.code, name: item.name, kind: pages.label(item.kind, context),
                      level: item.level.map { pages.label($0, context) } ?? "—", region: places[item.region] ?? item.region.value,
                      agreement: "\(item.agreementFrom) – \(item.agreementTo)", status: Self.status(item, pages, context), statusClass: item.status.rawValue)
            },
            waiting: waiting.map {
                .init(href: Route.medicalInstitution.path($0.institutionID) + "#inspection-\($0.id)", institution: names[$0.institutionID] ?? "",
                      inspectedOn: $0.inspectedOn.description, measure: pages.label($0.measure, context), inspector: $0.inspector)
            },
            hasWaiting: !waiting.isEmpty,
            coverage: try await services.insurance.medicalCoverageChanges(by: principal).map {
                .init(href: Route.unitInsurance.path($0.employerID) + "#h-coverage", unit: $0.employerName, from: $0.from.description,
                      coverage: pages.label($0.coverage, context), funding: $0.funding.map { pages.label($0, context) } ?? "—", state: pages.label($0.state, context))
            },
            counts: pages.text("medical.counts", context, [
                "city": String(hospitals.count { $0.level == .city }), "district": String(hospitals.count { $0.level == .district }),
                "community": String(hospitals.count { $0.level == .community }), "pharmacies": String(institutions.count { $0.kind == .pharmacy }),
                "active": String(institutions.count { $0.status == .active }),
            ]),
            manages: principal.may(.medicalInstitutionManage), action: Route.medicalInstitutions.path(),
            form: FieldForm([
                FormFieldView.input("code", label: pages.text("institution.code", context), value: form?["code"], required: true).identified(as: "institution-code"),
                FormFieldView.input("name", label: pages.text("institution.name", context), value: form?["name"], required: true).identified(as: "institution-name"),
                FormFieldView.select("kind", label: pages.text("institution.kind_label", context), value: form?["kind"],
                                     options: pages.options(MedicalInstitution.Kind.self, context), required: true, blank: nil).identified(as: "institution-kind"),
                FormFieldView.select("level", label: pages.text("institution.level_label", context), value: form?["level"],
                                     options: pages.options(InstitutionLevel.self, context), blank: "—").identified(as: "institution-level"),
                FormFieldView.select("region", label: pages.text("institution.region", context), value: form?["region"],
                                     options: try await services.regionOptions(in: principal.scope, selected: nil, blank: "").dropFirst().map { ($0.value, $0.label) },
                                     required: true).identified(as: "institution-region"),
                FormFieldView.input("agreementFrom", label: pages.text("institution.agreement_from", context),
                                    value: form?["agreementFrom"] ?? services.today.description, type: "date", required: true).identified(as: "institution-from"),
                FormFieldView.input("agreementTo", label: pages.text("institution.agreement_to", context), value: form?["agreementTo"], type: "date",
                                    required: true).identified(as: "institution-to"),
            ], refusedBy: refusal, pages: pages, context: context))
        return pages.render("medical", title: pages.text("medical.title", context), content: content, request: request, context: context, status: status)
    }

    static func status(_ item: MedicalInstitution, _ pages: PageRenderer, _ context: ShebaoRequestContext) -> String {
        item.status == .active ? pages.label(item.status, context) : pages.label(item.status, context) + " " + item.statusSince.description
    }

    // MARK: One institution

    struct DetailPage {
        struct Inspection {
            var id: Int64
            var kind: String
            var inspectedOn: String
            var findings: String
            var measure: String
            var fine: String
            var state: String
            var inspector: String
            var decidedBy: String
            var decisionNote: String
            var decide: String?
        }
        struct Settlement {
            var id: Int64
            var purchases: Int
            var amount: String
            var reference: String
            var settledBy: String
            var settledAt: String
        }
        var code: String
        var kind: String
        var level: String
        var region: String
        var agreement: String
        var status: String
        var statusClass: String
        var version: Int64
        var isPharmacy: Bool
        var renew: String?
        var reinstate: String?
        var inspect: String?
        var inspections: [Inspection]
        /// A new inspection's fields; a refused one's problems beside them, what was typed kept.
        var inspectionForm: FieldForm
        var openPurchases: Int
        var owed: String
        var upload: String?
        var columns: String
        var settle: String?
        var settlements: [Settlement]
        var rejected: RejectedFileView?
        var done: String?
        var problem: String?
        var today: String
        var listHref: String
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let done = request.query("done").flatMap { ["renewed", "reinstated", "inspected", "decided", "settled"].contains($0) ? "medical.done." + $0 : nil }
        return try await renderDetail(request, context, done: done.map { services.pages.text($0, context) }, rejected: nil, problem: nil, status: .ok)
    }

    @Sendable func renew(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await act(request, context, done: "renewed") { form, principal in
            _ = try await services.benefits.renewAgreement(try context.id(), until: form["agreementTo"] ?? "", version: form.int("version") ?? 0,
                                                           by: principal)
        }
    }

    @Sendable func reinstate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await act(request, context, done: "reinstated") { form, principal in
            _ = try await services.benefits.reinstateInstitution(try context.id(), version: form.int("version") ?? 0, note: form["note"] ?? "",
                                                                 by: principal)
        }
    }

    @Sendable func inspect(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await act(request, context, done: "inspected", keepsForm: true) { form, principal in
            _ = try await services.benefits.recordInspection(institution: try context.id(), kind: form["kind"] ?? "", inspectedOn: form["inspectedOn"] ?? "",
                                                             findings: form["findings"] ?? "", measure: form["measure"] ?? "", fine: form["fine"] ?? "",
                                                             by: principal)
        }
    }

    @Sendable func settle(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await act(request, context, done: "settled") { form, principal in
            _ = try await services.benefits.settleInstitution(try context.id(), reference: form["reference"] ?? "", by: principal)
        }
    }

    /// The reviewer's decision on an inspection; back to its institution.
    @Sendable func decide(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        let institution = try await services.benefits.inspectionInstitution(id, by: principal)
        return try await submitForm {
            try await services.benefits.decideInspection(id, confirm: form["decision"] == "confirm", note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.medicalInstitution.path(institution, query: "done=decided"), type: .found)
        } rerender: { error in
            try await renderDetail(request, context, id: institution, done: nil, rejected: nil, problem: services.pages.messageNamingFields(error, context),
                                   status: formStatus(error))
        }
    }

    @Sendable func upload(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.medicalInstitutionManage)
        let file = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.benefits.importPurchases(institution: try context.id(), data: file.data, fileName: file.name, by: principal)
        let pages = services.pages
        let done = outcome.issues.isEmpty
            ? pages.text("medical.purchases_recorded", context, ["count": String(outcome.recorded), "amount": outcome.amount.formatted]) : nil
        return try await renderDetail(request, context, done: done, rejected: RejectedFileView(outcome.issues, pages: pages, context: context), problem: nil,
                                      status: outcome.issues.isEmpty ? .ok : .unprocessableContent)
    }

    /// Runs an action of the institution's page; a refusal of the inspection form (`keepsForm`) is
    /// told beside its fields, any other above the page.
    private func act(_ request: Request, _ context: ShebaoRequestContext, done: String, keepsForm: Bool = false,
                     _ body: @escaping @Sendable (FormData, Principal) async throws -> Void) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            try await body(form, principal)
            return .redirect(to: Route.medicalInstitution.path(id, query: "done=\(done)"), type: .found)
        } rerender: { error in
            try await renderDetail(request, context, done: nil, rejected: nil, problem: keepsForm ? nil : services.pages.messageNamingFields(error, context),
                                   inspection: keepsForm ? (error, form) : nil, status: formStatus(error))
        }
    }

    private func renderDetail(_ request: Request, _ context: ShebaoRequestContext, id: Int64? = nil, done: String?, rejected: RejectedFileView?,
                              problem: String?, inspection: (error: ServiceError, typed: FormData)? = nil, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.insuranceRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        let id = try id ?? context.id()
        let detail = try await services.benefits.medicalInstitution(id, by: principal)
        let item = detail.institution
        let place = try await services.regions.labels(of: [item.region])[item.region] ?? item.region.value
        let open = item.status != .exited
        let decides = principal.may(.medicalInspectionDecide, in: item.region)
        let manages = principal.may(.medicalInstitutionManage, in: item.region)
        let typed = inspection?.typed
        let inspectionForm = FieldForm([
            FormFieldView.select("kind", label: pages.text("inspection.kind_label", context), value: typed?["kind"],
                                 options: pages.options(MedicalInspection.Kind.self, context), required: true, blank: nil).identified(as: "inspection-kind"),
            FormFieldView.input("inspectedOn", label: pages.text("inspection.date", context), value: typed?["inspectedOn"] ?? services.today.description,
                                type: "date", required: true).identified(as: "inspection-date"),
            FormFieldView.textarea("findings", label: pages.text("inspection.findings", context), value: typed?["findings"], required: true)
                .identified(as: "inspection-findings"),
            FormFieldView.select("measure", label: pages.text("inspection.measure", context), value: typed?["measure"],
                                 options: pages.options(MedicalInspection.Measure.self, context), required: true, blank: nil).identified(as: "inspection-measure"),
            FormFieldView.input("fine", label: pages.text("inspection.fine", context), value: typed?["fine"]).identified(as: "inspection-fine"),
        ], refusedBy: inspection?.error, pages: pages, context: context)
        let content = DetailPage(
            code: item.code, kind: pages.label(item.kind, context), level: item.level.map { pages.label($0, context) } ?? "—", region: place,
            agreement: "\(item.agreementFrom) – \(item.agreementTo)", status: Self.status(item, pages, context), statusClass: item.status.rawValue,
            version: item.version, isPharmacy: item.kind == .pharmacy,
            renew: manages && open ? Route.medicalRenewal.path(id) : nil,
            reinstate: decides && item.status == .suspended ? Route.medicalReinstatement.path(id) : nil,
            inspect: manages && open ? Route.medicalInspections.path(id) : nil,
            inspections: detail.inspections.map {
                .init(id: $0.id, kind: pages.label($0.kind, context), inspectedOn: $0.inspectedOn.description, findings: $0.findings,
                      measure: pages.label($0.measure, context), fine: $0.fine.fen > 0 ? $0.fine.formatted : "—", state: pages.label($0.state, context),
                      inspector: $0.inspector, decidedBy: $0.decidedBy ?? "", decisionNote: $0.decisionNote ?? "",
                      decide: decides && $0.state == .proposed && $0.inspectorID != principal.userID ? Route.medicalInspectionDecision.path($0.id) : nil)
            },
            inspectionForm: inspectionForm,
            openPurchases: detail.account.openPurchases, owed: detail.account.owed.formatted,
            upload: manages && open ? Route.medicalPurchases.path(id) : nil,
            columns: AccountPurchaseImporter.columnKeys.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "，"),
            settle: principal.may(.ledgerPost) && detail.account.openPurchases > 0 ? Route.medicalSettlements.path(id) : nil,
            settlements: detail.account.settlements.map {
                .init(id: $0.id, purchases: $0.purchases, amount: $0.amount.formatted, reference: $0.reference, settledBy: $0.settledBy,
                      settledAt: String($0.settledAt.prefix(10)))
            },
            rejected: rejected, done: done, problem: problem ?? inspectionForm.above, today: services.today.description, listHref: Route.medicalInstitutions.path())
        return pages.render("medical-institution", title: item.name, content: content, request: request, context: context, status: status)
    }
}

/// A person's medical account (credited by paid months, less purchases at designated pharmacies)
/// and inpatient stays the fund paid, with the way to claim a stay for clerks.
struct MedicalPanel: PersonPanelProvider {
    let order = 38

    struct View: Encodable, Sendable {
        struct Purchase: Encodable, Sendable {
            var institution: String
            var receipt: String
            var spentOn: String
            var amount: String
        }
        struct Stay: Encodable, Sendable {
            var institution: String
            var dates: String
            var eligible: String
            var deductible: String
            var fundPays: String
            var caseHref: String
        }
        var credited: String
        var spent: String
        var balance: String
        var purchases: [Purchase]
        var hasPurchases: Bool
        var stays: [Stay]
        var hasStays: Bool
        var claim: String?
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.insuranceRead, in: person.region) else { return nil }
        let record = try await panel.services.benefits.medicalRecord(of: person.id, by: panel.principal)
        let opens = InpatientClaim.caseType.openRoles.contains(panel.principal.role)
        guard record.credited.fen > 0 || !record.stays.isEmpty || opens else { return nil }
        let view = View(
            credited: record.credited.formatted, spent: record.spent.formatted, balance: record.balance.formatted,
            purchases: record.purchases.prefix(10).map {
                .init(institution: $0.institution, receipt: $0.receipt, spentOn: $0.spentOn.description, amount: $0.amount.formatted)
            },
            hasPurchases: !record.purchases.isEmpty,
            stays: record.stays.map {
                .init(institution: $0.institution, dates: "\($0.admittedOn) – \($0.dischargedOn)", eligible: $0.eligibleCost.formatted,
                      deductible: $0.deductible.formatted, fundPays: $0.fundPays.formatted, caseHref: Route.caseItem.path($0.caseID))
            },
            hasStays: !record.stays.isEmpty, claim: opens ? Route.inpatient.path(person.id) : nil)
        return panel.panel("medical", title: "medical.panel", view)
    }
}
