import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension ClaimForms {
    /// Temporary relief for a person: why, how much is asked, the account to pay.
    static func relief(_ services: ShebaoServices) -> ClaimForm {
        let assistance = services.assistance
        @Sendable func values(_ v: [String: String]) -> (String, String, String, String, String) {
            (v["reason"] ?? "", v["requested"] ?? "", v["note"] ?? "", v["paymentPoint"] ?? "", v["account"] ?? "")
        }
        return ClaimForm(
            route: .relief, titleKey: "relief.title", explainKey: "relief.explain", submitKey: "relief.submit",
            fields: [
                .init(name: "reason", label: "relief.reason", choices: ReliefReason.allCases.map { ($0.rawValue, "relief_reason." + $0.rawValue) }),
                .init(name: "requested", label: "input.requested"),
                .init(name: "note", label: "relief.note", required: false),
            ] + account(),
            compute: { v, person, principal in
                let f = values(v)
                let draft = try await assistance.reliefDraft(person: person.id, reason: f.0, requested: f.1, note: f.2, paymentPoint: f.3, account: f.4,
                                                             by: principal)
                return .init(explanation: draft.result.explanation, warning: nil)
            },
            open: { v, person, principal in
                let f = values(v)
                return try await assistance.openRelief(person: person.id, reason: f.0, requested: f.1, note: f.2, paymentPoint: f.3, account: f.4, by: principal)
            })
    }
}

/// Relief and charity for a year: the donations into the charity and education-aid funds (a fund
/// accountant records one), the temporary relief granted, and paired help with what each helper
/// pledged and delivered (a civil-affairs clerk records both).
struct CharityPages {
    let services: ShebaoServices

    struct Page {
        struct Donation {
            var date: String
            var donor: String
            var fund: String
            var amount: String
            var purpose: String
        }
        struct Grant {
            var name: String
            var href: String
            var region: String
            var reason: String
            var granted: String
            var approvedOn: String
            var caseHref: String
        }
        struct Pairing {
            var helper: String
            var kind: String
            var household: String
            var region: String
            var pledged: String
            var delivered: String
            var deliverAction: String?
        }
        struct Hardship {
            var household: String
            var href: String
            var region: String
            var needs: String
            var reason: String
            var designatedOn: String
            var reviewBy: String
            var relief: String
            var pairedHelp: String
            var educationAid: String
            var endAction: String?
        }
        var year: Int
        var hardship: [Hardship]
        var hardshipAction: String
        var hardshipForm: FieldForm
        var donations: [Donation]
        var donated: String
        var grants: [Grant]
        var granted: String
        var pairings: [Pairing]
        var pledged: String
        var delivered: String
        var recordsDonations: Bool
        var recordsPairings: Bool
        var donationAction: String
        var pairAction: String
        var donationForm: FieldForm
        var pairForm: FieldForm
        var notice: String?
        var problem: String?
    }

    /// The page's forms: a refusal of one goes beside its fields; a row action's above the page.
    enum Refused {
        case donation, pairing, hardship
    }

    @Sendable func show(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, year: try LevyPages.year(request, services), form: nil,
                         notice: request.query("done").map { services.pages.text("charity.done.\($0)", context) }, refusal: nil, status: .ok)
    }

    @Sendable func donate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.assistance.recordDonation(fund: form["fund"] ?? "", donor: form["donor"] ?? "", amount: form["amount"] ?? "",
                                                             receivedOn: form["receivedOn"] ?? "", purpose: form["purpose"] ?? "", by: principal)
            return .redirect(to: Route.charity.path(query: "done=donated"), type: .found)
        } rerender: { error in
            try await render(request, context, year: services.today.year, form: form, notice: nil, refusal: (error, .donation),
                             status: formStatus(error))
        }
    }

    @Sendable func pair(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.assistance.pair(helperKind: form["helperKind"] ?? "", helper: form["helper"] ?? "", household: form["household"] ?? "",
                                                   year: form["year"] ?? "", pledged: form["pledged"] ?? "", by: principal)
            return .redirect(to: Route.charity.path(query: "year=\(form["year"] ?? "")&done=paired"), type: .found)
        } rerender: { error in
            try await render(request, context, year: services.today.year, form: form, notice: nil, refusal: (error, .pairing),
                             status: formStatus(error))
        }
    }

    /// Puts a household on the special-hardship register.
    @Sendable func designate(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        return try await submitForm {
            _ = try await services.assistance.designateHardship(household: form["household"] ?? "",
                                                                needs: HardshipNeed.allCases.compactMap { form["needs_" + $0.rawValue] != nil ? $0.rawValue : nil },
                                                                reason: form["reason"] ?? "", by: principal)
            return .redirect(to: Route.charity.path(query: "done=designated"), type: .found)
        } rerender: { error in
            try await render(request, context, year: services.today.year, form: form, notice: nil, refusal: (error, .hardship),
                             status: formStatus(error))
        }
    }

    /// Takes a household off the register.
    @Sendable func endHardship(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.assistance.endHardship(id, reason: form["reason"] ?? "", by: principal)
            return .redirect(to: Route.charity.path(query: "done=ended"), type: .found)
        } rerender: { error in
            try await render(request, context, year: services.today.year, form: nil, notice: nil, refusal: (error, nil),
                             status: formStatus(error))
        }
    }

    @Sendable func deliver(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            let pairing = try await services.assistance.deliver(id, amount: form["amount"] ?? "", by: principal)
            return .redirect(to: Route.charity.path(query: "year=\(pairing.year)&done=delivered"), type: .found)
        } rerender: { error in
            try await render(request, context, year: Int(form["year"] ?? "") ?? services.today.year, form: nil, notice: nil,
                             refusal: (error, nil), status: formStatus(error))
        }
    }

    /// The page; a refusal with its form (`of`) is told beside that form's fields, one of a row action above the page.
    private func render(_ request: Request, _ context: ShebaoRequestContext, year: Int, form: FormData?, notice: String?,
                        refusal: (error: ServiceError, of: Refused?)?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.householdRead)
        guard principal.role.isStaff, principal.may(.assistanceManage) || principal.may(.ledgerPost) else { throw ServiceError.notFound }
        let pages = services.pages
        let charity = try await services.assistance.charityYear(year, by: principal)
        let places = try await services.regions.labels(of: Set(charity.relief.map(\.region) + charity.pairings.map(\.region)))
        let hardship = try await services.assistance.hardshipHouseholds(by: principal)
        let hardshipPlaces = try await services.regions.labels(of: Set(hardship.map(\.region)))
        func fields(_ which: Refused, _ fields: [FormFieldView]) -> FieldForm {
            FieldForm(fields, refusedBy: refusal?.of == which ? refusal?.error : nil, pages: pages, context: context)
        }
        func input(_ name: String, _ label: String, id: String, value: String? = nil, type: String = "text", required: Bool = true) -> FormFieldView {
            FormFieldView.input(name, label: pages.text(label, context), value: form?[name] ?? value, type: type, required: required).identified(as: id)
        }
        let forms = [
            fields(.hardship, [
                input("household", "charity.household", id: "hardship-household"),
                FormFieldView.checkboxes("needs", label: pages.text("hardship.needs", context), options: pages.options(HardshipNeed.self, context),
                                         checked: Set(HardshipNeed.allCases.map(\.rawValue).filter { form?["needs_" + $0] != nil })),
                input("reason", "hardship.reason", id: "hardship-reason"),
            ]),
            fields(.donation, [
                FormFieldView.select("fund", label: pages.text("charity.fund", context), value: form?["fund"],
                                     options: DonationFund.allCases.map { ($0.rawValue, pages.text("fund." + $0.fund.rawValue, context)) }, blank: nil)
                    .identified(as: "donation-fund"),
                input("donor", "charity.donor", id: "donation-donor"),
                input("amount", "field.amount", id: "donation-amount"),
                input("receivedOn", "charity.received_on", id: "donation-date", value: services.today.description, type: "date"),
                input("purpose", "charity.purpose", id: "donation-purpose", required: false),
            ]),
            fields(.pairing, [
                FormFieldView.select("helperKind", label: pages.text("charity.helper_kind", context), value: form?["helperKind"],
                                     options: pages.options(HelperKind.self, context), blank: nil).identified(as: "pair-kind"),
                input("helper", "charity.helper", id: "pair-helper"),
                input("household", "charity.household", id: "pair-household"),
                input("year", "input.year", id: "pair-year", value: String(year)),
                input("pledged", "charity.pledged", id: "pair-pledged"),
            ]),
        ]
        let problem = refusal.flatMap { refusal in
            refusal.of == nil ? pages.messageNamingFields(refusal.error, context) : FieldForm.above(forms.flatMap(\.problems))
        }
        let content = Page(
            year: year,
            hardship: hardship.map {
                .init(household: $0.householdNumber, href: Route.household.path($0.householdID), region: hardshipPlaces[$0.region] ?? $0.region.value,
                      needs: $0.needs.map { pages.label($0, context) }.joined(separator: "、"), reason: $0.reason, designatedOn: $0.designatedOn.description,
                      reviewBy: $0.reviewBy.description, relief: $0.relief.formatted, pairedHelp: $0.pairedHelp.formatted, educationAid: $0.educationAid.formatted,
                      endAction: principal.may(.assistanceManage, in: $0.region) ? Route.hardshipEnd.path($0.id) : nil)
            },
            hardshipAction: Route.hardship.path(), hardshipForm: forms[0],
            donations: charity.donations.map {
                .init(date: $0.receivedOn.description, donor: $0.donor, fund: pages.text("fund." + $0.fund.fund.rawValue, context), amount: $0.amount.formatted,
                      purpose: $0.purpose.isEmpty ? "—" : $0.purpose)
            },
            donated: charity.donated.formatted,
            grants: charity.relief.map {
                .init(name: $0.personName, href: Route.person.path($0.personID), region: places[$0.region] ?? $0.region.value, reason: pages.label($0.reason, context),
                      granted: $0.granted.formatted, approvedOn: $0.approvedOn, caseHref: Route.caseItem.path($0.caseID))
            },
            granted: charity.granted.formatted,
            pairings: charity.pairings.map {
                .init(helper: $0.helperName, kind: pages.label($0.helperKind, context), household: $0.householdNumber, region: places[$0.region] ?? $0.region.value,
                      pledged: $0.pledged.formatted, delivered: $0.delivered.formatted,
                      deliverAction: principal.may(.assistanceManage, in: $0.region) ? Route.pairedHelpDelivery.path($0.id) : nil)
            },
            pledged: charity.pledged.formatted, delivered: charity.delivered.formatted,
            recordsDonations: principal.may(.ledgerPost), recordsPairings: principal.may(.assistanceManage),
            donationAction: Route.donations.path(), pairAction: Route.pairedHelp.path(), donationForm: forms[1], pairForm: forms[2],
            notice: notice, problem: problem)
        return pages.render("charity", title: pages.text("charity.title", context, ["year": String(year)]), content: content, request: request, context: context,
                            status: status)
    }
}
