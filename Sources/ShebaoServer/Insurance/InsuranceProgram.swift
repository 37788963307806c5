import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Program {
    /// Social insurance (PROGRAMS.md §2.1–2.6): enrolments and bases on the person's view, and the
    /// monthly assessment as a batch run (`insurance.assessment`, on /runs and `shebao run start`).
    static let insurance = Program(
        id: "insurance",
        migrations: [CreateInsurance()],
        batchKinds: [InsuranceAssessment.kind],
        templates: ["panel-insurance"],
        panels: [InsurancePanel()])
}

/// The person's schemes: each enrolment with its unit and months, and the declared bases.
struct InsurancePanel: PersonPanelProvider {
    let order = 35

    struct View: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var scheme: String
            var payer: String
            var employer: String?
            var employerHref: String?
            var start: String
            var end: String?
        }
        struct Base: Encodable, Sendable {
            var year: Int
            var declared: String
        }
        var enrolments: [Row]
        var bases: [Base]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let record = try await panel.services.insurance.record(of: person, by: panel.principal)
        guard !record.enrolments.isEmpty || !record.bases.isEmpty else { return nil }
        let view = View(
            enrolments: record.enrolments.map {
                .init(scheme: panel.text($0.scheme.labelKey), payer: panel.text("payer." + $0.payer.rawValue),
                      employer: $0.employerName, employerHref: $0.employerID.map { Route.employer.path($0) }, start: $0.start.description,
                      end: $0.end?.description)
            },
            bases: record.bases.map { .init(year: $0.year, declared: $0.declared.formatted) })
        return panel.panel("insurance", title: "insurance.title", view)
    }
}
