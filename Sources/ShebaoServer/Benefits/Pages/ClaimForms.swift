import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// The benefit claims' forms: what each asks, and how its figures are computed and opened.
enum ClaimForms {
    static func account(_ label: String = "pension_account.number") -> [ClaimForm.Field] {
        [ClaimForm.Field(name: "paymentPoint", label: "pension_account.point", records: .paymentPoints),
         ClaimForm.Field(name: "account", label: label)]
    }

    /// Work injury: the recognised injury's date, the unit's report, grade, own wage, dependency.
    static func workInjury(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .workInjury, titleKey: "work_injury.title", explainKey: "work_injury.explain", submitKey: "work_injury.submit",
            fields: [
                .init(name: "injuryDate", label: "input.injuryDate"), .init(name: "reportedOn", label: "work_injury.reported_on"),
                .init(name: "grade", label: "input.grade"), .init(name: "ownWage", label: "input.ownWage"),
                .init(name: "dependency", label: "input.dependency", choices: [("", "")] + CareDependency.allCases.map { ($0.rawValue, "choice." + $0.rawValue) },
                      required: false),
            ] + account(),
            compute: { values, person, principal in
                let draft = try await benefits.workInjuryAward(personID: person.id, injuryDate: values["injuryDate"] ?? "", reportedOn: values["reportedOn"] ?? "",
                                                               grade: values["grade"] ?? "", ownWage: values["ownWage"] ?? "",
                                                               dependency: values["dependency"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                               account: values["account"] ?? "", by: principal)
                let late = draft.request.lateReport ? (key: "work_injury.late", arguments: ["days": String(WorkInjuryAward.unitReportDays)]) : nil
                return .init(explanation: draft.result.explanation, warning: late)
            },
            open: { values, person, principal in
                try await benefits.openWorkInjuryAward(personID: person.id, injuryDate: values["injuryDate"] ?? "", reportedOn: values["reportedOn"] ?? "",
                                                       grade: values["grade"] ?? "", ownWage: values["ownWage"] ?? "", dependency: values["dependency"] ?? "",
                                                       paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
            })
    }

    /// Maternity: the event and its date, the unit's average wage, the births.
    static func maternity(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .maternity, titleKey: "maternity.title", explainKey: "maternity.explain", submitKey: "maternity.submit",
            fields: [
                .init(name: "event", label: "input.event", choices: MaternityEvent.allCases.map { ($0.rawValue, "choice." + $0.rawValue) }),
                .init(name: "eventDate", label: "input.eventDate"), .init(name: "employerAverageWage", label: "input.employerAverageWage"),
                .init(name: "difficultBirth", label: "input.difficultBirth", choices: [("", "claim.no"), ("yes", "claim.yes")], required: false),
                .init(name: "babies", label: "input.babies", required: false), .init(name: "childOrder", label: "input.childOrder", required: false),
            ] + account(),
            compute: { values, person, principal in
                let draft = try await benefits.maternityClaim(
                    personID: person.id, eventDate: values["eventDate"] ?? "", employerAverageWage: values["employerAverageWage"] ?? "",
                    event: values["event"] ?? "", difficultBirth: values["difficultBirth"] == "yes", babies: values["babies"] ?? "",
                    childOrder: values["childOrder"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
                return .init(explanation: draft.result.explanation, warning: nil)
            },
            open: { values, person, principal in
                try await benefits.openMaternityClaim(
                    personID: person.id, eventDate: values["eventDate"] ?? "", employerAverageWage: values["employerAverageWage"] ?? "",
                    event: values["event"] ?? "", difficultBirth: values["difficultBirth"] == "yes", babies: values["babies"] ?? "",
                    childOrder: values["childOrder"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
            })
    }

    /// Unemployment: the day registered, whether the job ended against the person's will, months
    /// left from an earlier spell.
    static func unemployment(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .unemployment, titleKey: "unemployment.title", explainKey: "unemployment.explain", submitKey: "unemployment.submit",
            fields: [
                .init(name: "registeredOn", label: "input.registeredOn"),
                .init(name: "involuntary", label: "input.involuntary", choices: [("yes", "claim.yes"), ("no", "claim.no")]),
                .init(name: "carriedOverMonths", label: "input.carriedOverMonths", required: false),
            ] + account(),
            compute: { values, person, principal in
                let draft = try await benefits.unemploymentClaim(personID: person.id, registeredOn: values["registeredOn"] ?? "",
                                                                 involuntary: values["involuntary"] != "no", carriedOverMonths: values["carriedOverMonths"] ?? "",
                                                                 paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
                let warning = draft.result.output.eligible ? nil : (key: draft.result.output.refusal ?? "explain.unemployment.refused", arguments: [String: String]())
                return .init(explanation: draft.result.explanation, warning: warning, openable: draft.result.output.eligible)
            },
            open: { values, person, principal in
                try await benefits.openUnemploymentClaim(personID: person.id, registeredOn: values["registeredOn"] ?? "",
                                                         involuntary: values["involuntary"] != "no", carriedOverMonths: values["carriedOverMonths"] ?? "",
                                                         paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
            })
    }
}

extension ClaimForms {
    /// An inpatient stay: the hospital, the dates, the bill and its in-list part.
    static func inpatient(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .inpatient, titleKey: "medical.claim_title", explainKey: "medical.claim_explain", submitKey: "medical.claim_submit",
            fields: [
                .init(name: "institution", label: "medical.institution", records: .hospitals),
                .init(name: "admittedOn", label: "medical.admitted_on"), .init(name: "dischargedOn", label: "medical.discharged_on"),
                .init(name: "totalCost", label: "medical.total_cost"), .init(name: "eligibleCost", label: "input.eligibleCost"),
            ] + account(),
            compute: { values, person, principal in
                let draft = try await benefits.inpatientClaim(personID: person.id, institution: values["institution"] ?? "", admittedOn: values["admittedOn"] ?? "",
                                                              dischargedOn: values["dischargedOn"] ?? "", totalCost: values["totalCost"] ?? "",
                                                              eligibleCost: values["eligibleCost"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                              account: values["account"] ?? "", by: principal)
                return .init(explanation: draft.result.explanation, warning: nil)
            },
            open: { values, person, principal in
                try await benefits.openInpatientClaim(personID: person.id, institution: values["institution"] ?? "", admittedOn: values["admittedOn"] ?? "",
                                                      dischargedOn: values["dischargedOn"] ?? "", totalCost: values["totalCost"] ?? "",
                                                      eligibleCost: values["eligibleCost"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                      account: values["account"] ?? "", by: principal)
            })
    }
}

/// A person's approved work-injury benefits and maternity allowances, with where each payment
/// stands, and the ways to open a claim for clerks.
struct ClaimsPanel: PersonPanelProvider {
    let order = 37

    struct View: Encodable, Sendable {
        struct Award: Encodable, Sendable {
            var injuryDate: String
            var grade: Int64
            var lumpSum: String
            var allowance: String
            var nursing: String
            var payment: String
            var caseHref: String
        }
        var awards: [Award]
        var hasAwards: Bool
        var workInjury: String?
        var workInjuryDeath: String?
        var maternity: String?
        var unemployment: String?
        var unemploymentOwed: String?
        var subsidy: String?
        struct Refused: Encodable, Sendable {
            var what: String
            var amount: String
            var period: String
            var href: String?
        }
        var refused: [Refused]
        var hasRefused: Bool
        var survivorPensions: [String]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.insuranceRead, in: person.region) else { return nil }
        let awards = try await panel.services.benefits.workInjuryAwards(of: person.id, by: panel.principal)
        let opens = WorkInjuryAward.caseType.openRoles.contains(panel.principal.role)
        let refused = try await panel.services.benefits.refusedPayables(of: person.id, by: panel.principal)
        guard !awards.isEmpty || opens || !refused.isEmpty else { return nil }
        let corrects = panel.principal.may(.pensionAccountPropose, in: person.region)
        var rows: [View.Award] = []
        for award in awards {
            let payment = try await panel.services.benefits.subsidyPayment(case: award.caseID, by: panel.principal)
            let state = payment.map { $0.payment.map { panel.text("payment_state.\($0)") } ?? panel.text("work_injury.payment.owed") } ?? "—"
            rows.append(.init(injuryDate: award.injuryDate.description, grade: award.grade, lumpSum: award.lumpSum.formatted,
                              allowance: award.monthlyAllowance.formatted, nursing: award.monthlyNursing.formatted, payment: state,
                              caseHref: Route.caseItem.path(award.caseID)))
        }
        let owed = try await panel.services.benefits.unemploymentMonthsOwed(of: person.id, by: panel.principal)
        let unemployed = try await panel.services.benefits.isRegisteredUnemployed(person.id, by: panel.principal)
        let survivors = try await panel.services.benefits.survivorPensions(of: person.id, by: panel.principal)
        let view = View(awards: rows, hasAwards: !awards.isEmpty, workInjury: opens ? Route.workInjury.path(person.id) : nil,
                        workInjuryDeath: opens && survivors.isEmpty ? Route.workInjuryDeath.path(person.id) : nil,
                        maternity: opens && person.sex == .female ? Route.maternity.path(person.id) : nil,
                        unemployment: opens ? Route.unemployment.path(person.id) : nil,
                        unemploymentOwed: owed > 0 ? panel.text("unemployment.owed", ["months": String(owed)]) : nil,
                        subsidy: unemployed && opens ? Route.employmentSubsidy.path(person.id) : nil,
                        refused: refused.map {
                            .init(what: panel.text("payroll.remittance.\($0.kind)"), amount: $0.amount.formatted, period: $0.period.description,
                                  href: corrects ? Route.pensionAccount.path(person.id, query: "payable=\($0.id)") : nil)
                        },
                        hasRefused: !refused.isEmpty,
                        survivorPensions: survivors.map {
                            panel.text("work_injury_death.pension", ["monthly": $0.monthly.formatted, "paid": $0.paidThrough?.description ?? "—",
                                                                     "ends": $0.endsFrom?.description ?? "—"])
                        })
        return panel.panel("work-injury", title: "work_injury.panel", view)
    }
}

extension ClaimForms {
    /// A training course or a placement for someone registered unemployed: the provider, the
    /// invoiced cost and the account the subsidy goes to.
    static func employmentSubsidy(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .employmentSubsidy, titleKey: "subsidy.title", explainKey: "subsidy.explain", submitKey: "subsidy.submit",
            fields: [
                .init(name: "kind", label: "input.kind", choices: SubsidyKind.allCases.map { ($0.rawValue, "choice." + $0.rawValue) }),
                .init(name: "provider", label: "subsidy.provider"), .init(name: "cost", label: "input.cost"),
            ] + account("subsidy.account"),
            compute: { values, person, principal in
                let draft = try await benefits.employmentSubsidy(personID: person.id, kind: values["kind"] ?? "", provider: values["provider"] ?? "",
                                                                 cost: values["cost"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                                 account: values["account"] ?? "", by: principal)
                return .init(explanation: draft.result.explanation, warning: nil)
            },
            open: { values, person, principal in
                try await benefits.openEmploymentSubsidy(personID: person.id, kind: values["kind"] ?? "", provider: values["provider"] ?? "",
                                                         cost: values["cost"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                         account: values["account"] ?? "", by: principal)
            })
    }
}

extension ClaimForms {
    /// A retiree's death: the next of kin (by resident ID) and the account the payout goes to.
    static func survivor(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        return ClaimForm(
            route: .survivor, titleKey: "survivor.title", explainKey: "survivor.explain", submitKey: "survivor.submit",
            fields: [.init(name: "nextOfKin", label: "survivor.next_of_kin")] + account("survivor.account"),
            compute: { values, person, principal in
                let draft = try await benefits.survivorPayout(personID: person.id, nextOfKin: values["nextOfKin"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                              account: values["account"] ?? "", by: principal)
                return .init(explanation: draft.result.explanation, warning: (key: "survivor.payee", arguments: ["name": draft.nextOfKin.name]))
            },
            open: { values, person, principal in
                try await benefits.openSurvivorPayout(personID: person.id, nextOfKin: values["nextOfKin"] ?? "", paymentPoint: values["paymentPoint"] ?? "",
                                                      account: values["account"] ?? "", by: principal)
            })
    }
}

extension ClaimForms {
    /// A death from a work injury: the day, the worker's wage, the dependants counted, the next of kin.
    static func workInjuryDeath(_ services: ShebaoServices) -> ClaimForm {
        let benefits = services.benefits
        @Sendable func figures(_ values: [String: String]) -> (String, String, Bool, String, String, String) {
            (values["deathDate"] ?? "", values["deceasedWage"] ?? "", values["spouse"] == "yes", values["others"] ?? "", values["lone"] ?? "",
             values["nextOfKin"] ?? "")
        }
        return ClaimForm(
            route: .workInjuryDeath, titleKey: "work_injury_death.title", explainKey: "work_injury_death.explain", submitKey: "work_injury_death.submit",
            fields: [
                .init(name: "deathDate", label: "input.deathDate"), .init(name: "deceasedWage", label: "input.deceasedWage"),
                .init(name: "spouse", label: "work_injury_death.spouse", choices: [("yes", "claim.yes"), ("no", "claim.no")]),
                .init(name: "others", label: "work_injury_death.others", required: false),
                .init(name: "lone", label: "work_injury_death.lone", required: false),
                .init(name: "nextOfKin", label: "survivor.next_of_kin"),
            ] + account("survivor.account"),
            compute: { values, person, principal in
                let f = figures(values)
                let draft = try await benefits.workInjuryDeath(personID: person.id, deathDate: f.0, deceasedWage: f.1, spouse: f.2, others: f.3, lone: f.4,
                                                               nextOfKin: f.5, paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "",
                                                               by: principal)
                return .init(explanation: draft.result.explanation, warning: (key: "survivor.payee", arguments: ["name": draft.nextOfKin.name]))
            },
            open: { values, person, principal in
                let f = figures(values)
                return try await benefits.openWorkInjuryDeath(personID: person.id, deathDate: f.0, deceasedWage: f.1, spouse: f.2, others: f.3, lone: f.4,
                                                              nextOfKin: f.5, paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "",
                                                              by: principal)
            })
    }
}
