import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// A unit's insurance for clerks and for the unit's own agent: who is enrolled in a month with
/// the headcount per scheme, enrolling, ending and transferring, the staff-changes file (增减员);
/// and the yearly base declaration by form or file, with the bounds and the under-declared flagged.
struct UnitPages {
    let services: ShebaoServices

    struct InsurancePage {
        struct Count {
            var scheme: String
            var count: Int
        }
        struct Member {
            var name: String
            var href: String?
            var maskedID: String
            var schemes: String
            var since: String
            var endAction: String?
            var transferAction: String?
        }
        var unit: String
        var unitHref: String
        var period: String
        var counts: [Count]
        var members: [Member]
        var enrolAction: String?
        var enrolForm: FieldForm
        var fileAction: String?
        var columns: String
        var reasons: [Reason]
        var defaultLast: String
        var notice: String?
        var problem: String?
        var issues: [Issue]
        var hasIssues = false
        var coverage: CoveragePanel?
    }

    /// The unit's medical coverage: in force, its changes, and the forms of who may act on them.
    struct CoveragePanel {
        struct Row {
            var from: String
            var coverage: String
            var funding: String
            var note: String
            var state: String
            var proposedBy: String
            var decidedBy: String
            var decideAction: String?
        }
        var inForce: String
        var rows: [Row]
        var proposeAction: String?
        /// Coverage, funding, from which month and why; a refused proposal's problems beside them.
        var form: FieldForm
    }

    /// The unit page's forms with fields: a refusal of one is told beside its fields, what was typed kept.
    enum Form {
        case enrolment, coverage
    }

    struct Reason {
        var value: String
        var label: String
    }

    struct Issue {
        var row: String
        var column: String
        var reason: String
    }

    private func period(_ request: Request) throws -> Period {
        guard let text = request.query("period"), !text.isEmpty else { return Period(year: services.today.year, month: services.today.month)! }
        guard let period = Period(text), period.year >= 1990 else { throw Problem.badRequest("period.invalid") }
        return period
    }

    @Sendable func insurance(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderInsurance(request, context, notice: request.query("done").map { services.pages.text("unit.done.\($0)", context) }, problem: nil,
                                  issues: [], status: .ok)
    }

    private func renderInsurance(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?, issues: [ImportIssue],
                                 refused: (form: Form, error: ServiceError, typed: FormData)? = nil, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        let period = try period(request)
        let unit = try await services.insurance.unitInsurance(id, period: period, by: principal)
        let writes = principal.role == .employerAgent || principal.may(.enrolmentWrite, in: unit.employer.region)
        let staff = principal.role.isStaff
        let enrolForm = FieldForm([
            FormFieldView.input("residentID", label: pages.text("person.resident_id", context), value: refused?.typed["residentID"], required: true)
                .identified(as: "enrol-id"),
            FormFieldView.input("start", label: pages.text("unit.from_month", context), value: refused?.typed["start"] ?? period.description, type: "month",
                                required: true).identified(as: "enrol-start"),
        ], refusedBy: refused?.form == .enrolment ? refused?.error : nil, pages: pages, context: context)
        var content = InsurancePage(
            unit: unit.employer.name, unitHref: staff ? Route.employer.path(id) : Route.portal.path(), period: period.description,
            counts: Scheme.allCases.filter(unit.schemes.contains).map { .init(scheme: pages.label($0, context), count: unit.headcount[$0] ?? 0) },
            members: unit.members.map { member in
                let first = member.enrolments.first
                return .init(name: member.name, href: staff ? Route.person.path(member.personID) : nil, maskedID: member.residentID.masked,
                             schemes: member.enrolments.map { pages.label($0.scheme, context) }.joined(separator: "、"),
                             since: member.enrolments.map(\.start).min()?.description ?? "",
                             endAction: writes && first != nil ? Route.unitStaffEnd.path(id, member.personID) : nil,
                             transferAction: writes && staff ? Route.unitStaffTransfer.path(id, member.personID) : nil)
            },
            enrolAction: writes ? Route.unitStaff.path(id) : nil, enrolForm: enrolForm, fileAction: writes ? Route.unitStaffFile.path(id) : nil,
            columns: UnitFileImporter.staffColumnKeys.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "，"),
            reasons: pages.options(EnrolmentEnd.self, context).filter { $0.0 != EnrolmentEnd.transferred.rawValue }.map { Reason(value: $0.0, label: $0.1) },
            defaultLast: period.description, notice: notice, problem: problem ?? enrolForm.above,
            issues: issues.prefix(500).map {
                Issue(row: $0.row > 0 ? String($0.row) : "", column: $0.column.isEmpty ? "" : "\($0.column)（\($0.header)）",
                      reason: pages.text("error." + $0.code, context, $0.arguments))
            })
        content.hasIssues = !content.issues.isEmpty
        if staff || principal.role == .employerAgent {
            content.coverage = try await coveragePanel(id, principal: principal, context: context, refused: refused?.form == .coverage ? refused : nil)
            if content.problem == nil, refused?.form == .coverage { content.problem = content.coverage?.form.above }
        }
        return pages.render("unit-insurance", title: pages.text("unit.insurance_title", context, ["unit": unit.employer.name, "period": period.description]),
                            content: content, request: request, context: context, status: status)
    }

    private func coveragePanel(_ id: Int64, principal: Principal, context: ShebaoRequestContext,
                               refused: (form: Form, error: ServiceError, typed: FormData)?) async throws -> CoveragePanel {
        let pages = services.pages
        let coverage = try await services.insurance.medicalCoverage(of: id, by: principal)
        func describe(_ change: MedicalCoverageChange?) -> String {
            guard let change, change.coverage == .inpatientOnly else { return pages.label(MedicalCoverage.full, context) }
            return pages.text("medical_coverage.in_force", context, ["from": change.from.description,
                                                                      "funding": change.funding.map { pages.label($0, context) } ?? ""])
        }
        return CoveragePanel(
            inForce: describe(coverage.inForce),
            rows: coverage.changes.map { change in
                .init(from: change.from.description, coverage: pages.label(change.coverage, context),
                      funding: change.funding.map { pages.label($0, context) } ?? "—", note: change.note,
                      state: pages.label(change.state, context), proposedBy: change.proposedBy,
                      decidedBy: Self.decision(by: change.decidedBy, note: change.decisionNote),
                      decideAction: change.state == .proposed && principal.may(.medicalCoverageDecide, in: change.region) && change.proposerID != principal.userID
                        ? Route.unitMedicalCoverageDecision.path(id, change.id) : nil)
            },
            proposeAction: principal.may(.medicalCoveragePropose) ? Route.unitMedicalCoverage.path(id) : nil,
            form: FieldForm([
                FormFieldView.select("coverage", label: pages.text("medical_coverage.label", context), value: refused?.typed["coverage"],
                                     options: pages.options(MedicalCoverage.self, context), required: true, blank: nil).identified(as: "coverage-kind"),
                FormFieldView.select("funding", label: pages.text("inpatient_funding.label", context), value: refused?.typed["funding"],
                                     options: pages.options(InpatientFunding.self, context)).identified(as: "coverage-funding"),
                FormFieldView.input("from", label: pages.text("unit.from_month", context), value: refused?.typed["from"] ?? coverage.earliestFrom.description,
                                    required: true, hint: pages.text("medical_coverage.earliest", context) + " " + coverage.earliestFrom.description)
                    .identified(as: "coverage-from"),
                FormFieldView.textarea("note", label: pages.text("medical_coverage.note", context), value: refused?.typed["note"], required: true)
                    .identified(as: "coverage-note"),
            ], refusedBy: refused?.error, pages: pages, context: context))
    }

    /// Who decided, with their note: "—" while nobody has.
    static func decision(by name: String?, note: String?) -> String {
        let parts = [name, note].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? "—" : parts.joined(separator: "：")
    }

    /// A clerk proposes a change of the unit's medical coverage.
    @Sendable func proposeCoverage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.insurance.proposeMedicalCoverage(employer: id, coverage: form["coverage"] ?? "", from: form["from"] ?? "",
                                                                    funding: form["funding"] ?? "", note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.unitInsurance.path(id, query: "done=coverage_proposed"), type: .found)
        } rerender: { error in
            try await renderInsurance(request, context, notice: nil, problem: nil, issues: [], refused: (.coverage, error, form), status: formStatus(error))
        }
    }

    /// A reviewer approves or rejects a coverage change of the unit; back to its page.
    @Sendable func decideCoverage(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        guard let change = context.parameters.get("change").flatMap(Int64.init) else { throw Problem.notFound }
        let approve = form["decision"] == "approve"
        return try await submitForm {
            let coverage = try await services.insurance.medicalCoverage(of: id, by: principal)
            guard coverage.changes.contains(where: { $0.id == change }) else { throw ServiceError.notFound }
            _ = try await services.insurance.decideMedicalCoverage(change, approve: approve, note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.unitInsurance.path(id, query: "done=coverage_\(approve ? "approved" : "rejected")"), type: .found)
        } rerender: { error in
            try await renderInsurance(request, context, notice: nil, problem: services.pages.messageNamingFields(error, context), issues: [], status: formStatus(error))
        }
    }

    /// Enrols a person by resident ID from a month.
    @Sendable func enrol(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.insurance.enrol(residentID: form["residentID"] ?? "", employer: id, from: form["start"] ?? "", by: principal)
            return .redirect(to: Route.unitInsurance.path(id, query: "done=enrolled"), type: .found)
        } rerender: { error in
            try await renderInsurance(request, context, notice: nil, problem: nil, issues: [], refused: (.enrolment, error, form), status: formStatus(error))
        }
    }

    /// Ends every running enrolment of a person with the unit.
    @Sendable func end(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        guard let person = context.parameters.get("person").flatMap(Int64.init) else { throw Problem.notFound }
        return try await submitForm {
            guard let reason = EnrolmentEnd(rawValue: form["reason"] ?? "") else { throw ServiceError.invalid("reason", "field.not_in_list", ["value": form["reason"] ?? ""]) }
            let unit = try await services.insurance.unitInsurance(id, period: try period(request), by: principal)
            guard let member = unit.members.first(where: { $0.personID == person }) else { throw ServiceError.notFound }
            for enrolment in member.enrolments {
                _ = try await services.insurance.endEnrolment(enrolment.id, last: form["last"] ?? "", reason: reason, by: principal)
            }
            return .redirect(to: Route.unitInsurance.path(id, query: "done=ended"), type: .found)
        } rerender: { error in
            try await renderInsurance(request, context, notice: nil, problem: services.pages.message(error, context), issues: [], status: formStatus(error))
        }
    }

    /// Moves a person to another unit (named by credit code) from a month.
    @Sendable func transfer(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        guard let person = context.parameters.get("person").flatMap(Int64.init) else { throw Problem.notFound }
        return try await submitForm {
            _ = try await services.insurance.transfer(person, from: id, toCreditCode: form["creditCode"] ?? "", start: form["start"] ?? "", by: principal)
            return .redirect(to: Route.unitInsurance.path(id, query: "done=transferred"), type: .found)
        } rerender: { error in
            try await renderInsurance(request, context, notice: nil, problem: services.pages.message(error, context), issues: [], status: formStatus(error))
        }
    }

    /// The staff-changes file.
    @Sendable func staffFile(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (name, data) = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.insurance.importStaffChanges(data, fileName: name, employer: try context.id(), by: principal)
        if outcome.accepted {
            return try await renderInsurance(request, context, notice: services.pages.text("unit.file_done", context, ["rows": String(outcome.applied)]),
                                             problem: nil, issues: [], status: .ok)
        }
        return try await renderInsurance(request, context, notice: nil,
                                         problem: services.pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)]),
                                         issues: outcome.issues, status: .unprocessableContent)
    }

    // MARK: Bases

    struct BasesPage {
        struct Row {
            var index: Int
            var personID: Int64
            var name: String
            var maskedID: String
            var declared: String
            var wage: String
            var assessed: String
            var underDeclared: Bool
        }
        var unit: String
        var unitHref: String
        var year: Int
        var previous: String
        var next: String
        var floor: String
        var ceiling: String
        var rows: [Row]
        var underDeclared: String?
        var billed: Bool
        var formAction: String?
        var fileAction: String?
        var columns: String
        var notice: String?
        var problem: String?
        var issues: [Issue]
        var hasIssues = false
    }

    private func year(_ request: Request) throws -> Int {
        guard let text = request.query("year"), !text.isEmpty else { return services.today.year }
        guard let year = Int(text), (1990...services.today.year + 1).contains(year) else { throw Problem.badRequest("base.bad_year") }
        return year
    }

    @Sendable func bases(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await renderBases(request, context, notice: request.query("done").map { _ in services.pages.text("unit.bases_saved", context) }, problem: nil,
                              issues: [], status: .ok)
    }

    private func renderBases(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?, issues: [ImportIssue],
                             status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let id = try context.id()
        let year = try year(request)
        let unit = try await services.insurance.unitInsurance(id, period: Period(year: year, month: 12)!, by: principal)
        let (bounds, billed, bases) = try await services.insurance.declaredBases(id, year: year, by: principal)
        let writes = !billed && (principal.role == .employerAgent || principal.may(.enrolmentWrite, in: unit.employer.region))
        var content = BasesPage(
            unit: unit.employer.name, unitHref: principal.role.isStaff ? Route.employer.path(id) : Route.portal.path(), year: year,
            previous: Route.unitBases.path(id, query: "year=\(year - 1)"), next: Route.unitBases.path(id, query: "year=\(year + 1)"),
            floor: bounds.floor.formatted, ceiling: bounds.ceiling.formatted,
            rows: bases.enumerated().map { index, base in
                .init(index: index, personID: base.personID, name: base.name, maskedID: base.residentID.masked, declared: base.declared?.decimalString ?? "",
                      wage: base.wage?.decimalString ?? "", assessed: base.assessed?.formatted ?? "", underDeclared: base.underDeclared)
            },
            underDeclared: bases.contains(where: \.underDeclared) ? String(bases.filter(\.underDeclared).count) : nil, billed: billed,
            formAction: writes ? Route.unitBases.path(id, query: "year=\(year)") : nil, fileAction: writes ? Route.unitBasesFile.path(id, query: "year=\(year)") : nil,
            columns: UnitFileImporter.baseColumnKeys.map { pages.text($0.labelKey, context) + ($0.required ? "*" : "") }.joined(separator: "，"),
            notice: notice, problem: problem,
            issues: issues.prefix(500).map {
                Issue(row: $0.row > 0 ? String($0.row) : "", column: $0.column.isEmpty ? "" : "\($0.column)（\($0.header)）",
                      reason: pages.text("error." + $0.code, context, $0.arguments))
            })
        content.hasIssues = !content.issues.isEmpty
        return pages.render("unit-bases", title: pages.text("unit.bases_title", context, ["unit": unit.employer.name, "year": String(year)]),
                            content: content, request: request, context: context, status: status)
    }

    /// The form: one declared base (and wage) per person.
    @Sendable func declare(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        let year = try year(request)
        return try await submitForm {
            var entries: [(personID: Int64, declared: String, wage: String)] = []
            for index in 0..<5000 {
                guard let person = form["person\(index)"].flatMap(Int64.init) else { break }
                entries.append((person, form["declared\(index)"] ?? "", form["wage\(index)"] ?? ""))
            }
            let outcome = try await services.insurance.declareBases(id, year: year, entries: entries, by: principal)
            guard outcome.accepted else {
                return try await renderBases(request, context, notice: nil,
                                             problem: services.pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)]),
                                             issues: outcome.issues, status: .unprocessableContent)
            }
            return .redirect(to: Route.unitBases.path(id, query: "year=\(year)&done=1"), type: .found)
        } rerender: { error in
            try await renderBases(request, context, notice: nil, problem: services.pages.message(error, context), issues: [], status: formStatus(error))
        }
    }

    @Sendable func basesFile(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (name, data) = try await MultipartForm.uploadedFile(request, context)
        let outcome = try await services.insurance.declareBases(try context.id(), fileName: name, data: data, by: principal)
        if outcome.accepted {
            return try await renderBases(request, context, notice: services.pages.text("unit.file_done", context, ["rows": String(outcome.applied)]),
                                         problem: nil, issues: [], status: .ok)
        }
        return try await renderBases(request, context, notice: nil,
                                     problem: services.pages.text("error.import.rejected", context, ["count": String(outcome.issues.count)]),
                                     issues: outcome.issues, status: .unprocessableContent)
    }
}
