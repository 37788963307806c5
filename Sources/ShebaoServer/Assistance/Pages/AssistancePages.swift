import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension ClaimForms {
    /// The minimum living guarantee, applied for by a household member (the head is paid): the
    /// household's declared monthly income, three withouts, members qualifying for add-ons.
    static func dibao(_ services: ShebaoServices) -> ClaimForm {
        let assistance = services.assistance
        let counts = ["elderly", "severelyDisabled", "seriouslyIll", "minors"]
        return ClaimForm(
            route: .dibao, titleKey: "dibao.title", explainKey: "dibao.explain", submitKey: "dibao.submit",
            fields: [
                .init(name: "monthlyIncome", label: "input.monthlyIncome"),
                .init(name: "threeWithouts", label: "input.threeWithouts", choices: [("", "claim.no"), ("yes", "claim.yes")], required: false),
            ] + counts.map { ClaimForm.Field(name: $0, label: "input." + $0, required: false) } + account(),
            compute: { values, person, principal in
                let draft = try await assistance.dibaoDraft(
                    person: person.id, monthlyIncome: values["monthlyIncome"] ?? "", threeWithouts: values["threeWithouts"] == "yes",
                    elderly: values["elderly"] ?? "", severelyDisabled: values["severelyDisabled"] ?? "", seriouslyIll: values["seriouslyIll"] ?? "",
                    minors: values["minors"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
                let output = draft.result.output
                let warning = output.eligible ? nil : (key: output.marginal ? "error.dibao.marginal" : "error.dibao.not_eligible",
                                                       arguments: ["standard": output.standard.yuanText])
                return .init(explanation: draft.result.explanation, warning: warning, openable: output.eligible)
            },
            open: { values, person, principal in
                try await assistance.openDibao(
                    person: person.id, monthlyIncome: values["monthlyIncome"] ?? "", threeWithouts: values["threeWithouts"] == "yes",
                    elderly: values["elderly"] ?? "", severelyDisabled: values["severelyDisabled"] ?? "", seriouslyIll: values["seriouslyIll"] ?? "",
                    minors: values["minors"] ?? "", paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "", by: principal)
            })
    }
}

extension ClaimForms {
    /// Education aid for a student: the school level and the status that qualifies; the money
    /// goes to the head of the student's household.
    static func educationAid(_ services: ShebaoServices) -> ClaimForm {
        let assistance = services.assistance
        @Sendable func draft(_ values: [String: String], _ person: Person, _ principal: Principal) async throws -> EducationAidDraft {
            try await assistance.educationAidDraft(student: person.id, level: values["level"] ?? "", status: values["status"] ?? "",
                                                   paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "",
                                                   feeRelief: values["feeRelief"] ?? "", cause: values["feeReliefCause"] ?? "", by: principal)
        }
        return ClaimForm(
            route: .educationAid, titleKey: "education_aid.title", explainKey: "education_aid.explain", submitKey: "education_aid.submit",
            fields: [
                .init(name: "level", label: "input.level", choices: SchoolLevel.allCases.map { ($0.rawValue, "choice." + $0.rawValue) }),
                .init(name: "status", label: "input.status", choices: StudentStatus.allCases.map { ($0.rawValue, "choice." + $0.rawValue) }),
                .init(name: "feeRelief", label: "education_aid.fee_relief",
                      choices: [("", "education_aid.fee_relief_none")] + EducationAidApplication.FeeRelief.Kind.allCases.map { ($0.rawValue, "fee_relief." + $0.rawValue) },
                      required: false),
                .init(name: "feeReliefCause", label: "education_aid.fee_relief_cause",
                      choices: [("", "education_aid.fee_relief_none")] + EducationAidApplication.FeeRelief.Cause.allCases.map { ($0.rawValue, "fee_relief_cause." + $0.rawValue) },
                      required: false),
            ] + account("education_aid.account"),
            compute: { values, person, principal in
                let draft = try await draft(values, person, principal)
                let openable = draft.result.output.covered || draft.request.feeRelief != nil
                return .init(explanation: draft.result.explanation, warning: openable ? nil : (key: "error.education_aid.not_covered", arguments: [:]),
                             openable: openable)
            },
            open: { values, person, principal in
                try await assistance.openEducationAid(student: person.id, level: values["level"] ?? "", status: values["status"] ?? "",
                                                      paymentPoint: values["paymentPoint"] ?? "", account: values["account"] ?? "",
                                                      feeRelief: values["feeRelief"] ?? "", cause: values["feeReliefCause"] ?? "", by: principal)
            })
    }
}

/// The assistance office's pages: the households paid dibao (ending a grant), the applications
/// under way; and the notice boards anyone may read, one community at a time, printable on A4.
struct AssistancePages {
    let services: ShebaoServices

    struct Overview {
        struct Grant {
            var name: String
            var href: String
            var region: String
            var size: Int
            var monthly: String
            var from: String
            var paidThrough: String
            var ends: String
            var category: String
            var nextReview: String
            var endAction: String?
        }
        struct Due {
            var name: String
            var href: String
            var region: String
            var category: String
            var nextReview: String
            var action: String
        }
        struct Referral {
            var name: String
            var href: String
            var apply: String
            var region: String
            var referredOn: String
        }
        var grants: [Grant]
        var due: [Due]
        var hasDue: Bool
        var outcomes: [Option]
        var referrals: [Referral]
        var hasReferrals: Bool
        var monthlyTotal: String
        var casesHref: String
        var noticesHref: String
        var ncmsHref: String
        var supportHref: String
        var levyHref: String
        var landHref: String
        var charityHref: String
        var defaultEnd: String
        var notice: String?
        var problem: String?
    }

    struct Option {
        var value: String
        var label: String
    }

    @Sendable func overview(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        try await render(request, context, notice: request.query("done").map { services.pages.text("dibao.done.\($0)", context) }, problem: nil, status: .ok)
    }

    private func render(_ request: Request, _ context: ShebaoRequestContext, notice: String?, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.require(.assistanceManage)
        let pages = services.pages
        let grants = try await services.assistance.dibaoGrants(by: principal)
        let referrals = try await services.assistance.referrals(by: principal)
        let due = try await services.assistance.dibaoDueForReview(by: principal)
        let places = try await services.regions.labels(of: Set(grants.map(\.region) + referrals.map(\.region)))
        let current = grants.filter { $0.endsFrom == nil }
        let content = Overview(
            grants: grants.map { grant in
                .init(name: grant.personName, href: Route.person.path(grant.personID), region: places[grant.region] ?? grant.region.value,
                      size: grant.householdSize, monthly: grant.monthly.formatted, from: grant.monthlyFrom.description,
                      paidThrough: grant.paidThrough?.description ?? "—",
                      ends: grant.endsFrom.map { "\($0)（\(grant.endReason ?? "")）" } ?? "—", category: pages.label(grant.category, context),
                      nextReview: grant.endsFrom == nil ? grant.nextReview.description : "—",
                      endAction: grant.endsFrom == nil && principal.may(.assistanceManage, in: grant.region) ? Route.dibaoEnd.path(grant.caseID) : nil)
            },
            due: due.map {
                .init(name: $0.personName, href: Route.person.path($0.personID), region: places[$0.region] ?? $0.region.value,
                      category: pages.label($0.category, context), nextReview: $0.nextReview.description, action: Route.dibaoReview.path($0.caseID))
            },
            hasDue: !due.isEmpty,
            outcomes: pages.options(DibaoReviewOutcome.self, context).map { Option(value: $0.0, label: $0.1) },
            referrals: referrals.map {
                .init(name: $0.name, href: Route.person.path($0.personID), apply: Route.dibao.path($0.personID), region: places[$0.region] ?? $0.region.value,
                      referredOn: $0.referredOn.description)
            },
            hasReferrals: !referrals.isEmpty,
            monthlyTotal: current.reduce(Money.zero) { $0 + $1.monthly }.formatted,
            casesHref: Route.cases.path(query: "type=\(DibaoApplication.caseType.id)"), noticesHref: Route.notices.path(), ncmsHref: Route.ncmsParticipation.path(),
            supportHref: Route.support.path(), levyHref: Route.levy.path(), landHref: Route.land.path(), charityHref: Route.charity.path(), defaultEnd: services.today.period.next.description, notice: notice, problem: problem)
        return pages.render("assistance", title: pages.text("assistance.title", context), content: content, request: request, context: context, status: status)
    }

    /// Ends a household's grant from a month with the reason.
    @Sendable func end(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.assistance.endDibao(id, from: form["from"] ?? "", reason: form["reason"] ?? "", by: principal)
            return .redirect(to: Route.assistance.path(query: "done=ended"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    /// Records a periodic review of a grant.
    @Sendable func review(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        return try await submitForm {
            _ = try await services.assistance.reviewDibao(id, outcome: form["outcome"] ?? "", from: form["from"] ?? "", note: form["note"] ?? "", by: principal)
            return .redirect(to: Route.assistance.path(query: "done=reviewed"), type: .found)
        } rerender: { error in
            try await render(request, context, notice: nil, problem: services.pages.messageNamingFields(error, context), status: formStatus(error))
        }
    }

    /// Enrols the person's household in the rural cooperative medical scheme for a year; back to their page.
    @Sendable func enrolNcms(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let form = try await FormData.verified(request, context)
        let id = try context.id()
        _ = try await services.assistance.enrolNcms(person: id, year: form["year"] ?? "", by: principal)
        return .redirect(to: Route.person.path(id) + "#panel-assistance", type: .found)
    }

    struct Participation {
        struct Row {
            var township: String
            var households: Int
            var enrolled: Int
            var eligible: Int
            var rate: String
            var target: String
            var met: String
            var metClass: String
        }
        var year: String
        var rows: [Row]
        var total: Row
    }

    /// Participation in the rural cooperative medical scheme per township, against the target.
    @Sendable func ncms(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.require(.householdRead)
        guard principal.role.isStaff else { throw ServiceError.notFound }
        let pages = services.pages
        guard let year = Int(request.query("year") ?? String(services.today.year)), (2003...2100).contains(year) else {
            throw Problem.badRequest("field.out_of_range", ["min": "2003", "max": "2100"])
        }
        let townships = try await services.assistance.ncmsParticipation(year: year, by: principal)
        let places = try await services.regions.labels(of: Set(townships.map(\.participation.township)))
        func percent(_ basisPoints: Int) -> String { String(format: "%d.%02d%%", basisPoints / 100, basisPoints % 100) }
        func row(_ name: String, _ township: NcmsTownship) -> Participation.Row {
            let met = township.meetsTarget
            return .init(township: name, households: township.participation.households, enrolled: township.participation.enrolled,
                         eligible: township.participation.eligible, rate: percent(township.rateBasisPoints),
                         target: township.target.map { percent(Int($0.nanos / 100_000)) } ?? "—",
                         met: met.map { pages.text($0 ? "ncms.met" : "ncms.not_met", context) } ?? "—", metClass: met == false ? "error" : "")
        }
        let content = Participation(year: String(year), rows: townships.map { row(places[$0.participation.township] ?? $0.participation.township.value, $0) },
                                    total: row(pages.text("ncms.all", context), NcmsTownship.total(of: townships, scope: principal.scope)))
        return pages.render("ncms", title: pages.text("ncms.title", context, ["year": String(year)]), content: content, request: request, context: context)
    }

    struct Letter {
        var number: String
        var applicant: String
        var place: String
        var appliedOn: String
        var refusedOn: String
        var reasons: String
        var figures: String
        var office: String
        var back: String
    }

    /// The written refusal (不予批准通知书), to print on A4 and hand to the household.
    @Sendable func refusal(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let pages = services.pages
        let letter = try await services.assistance.dibaoRefusal(try context.id(), by: principal)
        let content = Letter(
            number: pages.text("dibao.refusal_number", context, ["year": String(letter.refusedOn.year), "case": String(letter.caseID)]),
            applicant: letter.applicant, place: try await services.regions.label(letter.region), appliedOn: letter.appliedOn.description,
            refusedOn: letter.refusedOn.description, reasons: letter.reasons,
            figures: pages.text("dibao.refusal_figures", context, ["size": String(letter.householdSize), "income": letter.monthlyIncome.formatted,
                                                                   "standard": letter.standard.formatted]),
            office: pages.text("dibao.refusal_office", context, ["district": pages.districtName]), back: Route.caseItem.path(letter.caseID))
        return pages.render("dibao-refusal", title: pages.text("dibao.refusal_title", context), content: content, request: request, context: context)
    }

    struct Board {
        struct Community {
            struct Line {
                var name: String
                var size: Int
                var monthly: String
            }
            struct AidLine {
                var name: String
                var level: String
                var yearly: String
            }
            var name: String
            var href: String
            var period: String
            var lines: [Line]
            var hasLines: Bool
            var aid: [AidLine]
            var hasAid: Bool
        }
        var communities: [Community]
        var one: Bool
        var allHref: String
    }

    /// The notice boards (公示栏): every community's applications on notice today — dibao and
    /// education aid — or one community's.
    @Sendable func notices(_ request: Request, context: ShebaoRequestContext) async throws -> Response {
        let pages = services.pages
        var region: RegionCode?
        if let text = request.query("region"), !text.isEmpty {
            guard let code = try? RegionCode(text), try await services.regions.contains(code) else { throw Problem.notFound }
            region = code
        }
        let dibao = Dictionary(grouping: try await services.assistance.notices(in: region), by: \.region)
        let aid = Dictionary(grouping: try await services.assistance.educationAidNotices(in: region), by: \.region)
        let codes = Set(dibao.keys).union(aid.keys)
        let places = try await services.regions.labels(of: codes)
        let content = Board(
            communities: codes.sorted { $0.value < $1.value }.map { code in
                let lines = dibao[code] ?? []
                let aidLines = aid[code] ?? []
                let starts = (lines.map(\.startsOn) + aidLines.map(\.startsOn)).min().map(\.description) ?? ""
                let ends = (lines.map(\.endsOn) + aidLines.map(\.endsOn)).max().map(\.description) ?? ""
                return .init(name: places[code] ?? code.value, href: Route.notices.path(query: "region=\(code.value)"),
                             period: pages.text("notices.period", context, ["from": starts, "until": ends]),
                             lines: lines.map { .init(name: $0.maskedName, size: $0.householdSize, monthly: $0.monthly.formatted) }, hasLines: !lines.isEmpty,
                             aid: aidLines.map { .init(name: $0.maskedName, level: pages.value($0.level.rawValue, context), yearly: $0.yearly.formatted) },
                             hasAid: !aidLines.isEmpty)
            },
            one: region != nil, allHref: Route.notices.path())
        return pages.render("notices", title: pages.text("notices.title", context), content: content, request: request, context: context)
    }
}

/// The household's assistance on a member's page: its dibao grants, and the application form.
struct AssistancePanel: PersonPanelProvider {
    let order = 60

    struct View: Encodable, Sendable {
        struct Grant: Encodable, Sendable {
            var monthly: String
            var size: Int
            var from: String
            var paidThrough: String
            var ends: String
            var caseHref: String
        }
        struct Refused: Encodable, Sendable {
            var caseHref: String
            var letter: String
            var updated: String
        }
        var grants: [Grant]
        var hasGrants: Bool
        var refused: [Refused]
        var hasRefused: Bool
        var apply: String?
        var educationAid: String?
        struct Support: Encodable, Sendable {
            var kind: String
            var arrangement: String
            var home: String
            var certificate: String
            var monthly: String
            var from: String
            var paidThrough: String
            var ends: String
            var caseHref: String
        }
        var support: [Support]
        var hasSupport: Bool
        var applySupport: String?
        struct Ncms: Encodable, Sendable {
            var year: Int
            var participants: Int
            var assisted: Int
            var participantsPay: String
            var town: String
            var district: String
            var city: String
            var total: String
        }
        var ncms: [Ncms]
        var hasNcms: Bool
        var ncmsAction: String?
        var ncmsYear: Int
        /// A hospital claim on the rural scheme, for a member of a household enrolled.
        var ncmsClaim: String?
        struct Land: Encodable, Sendable {
            var village: String
            var date: String
            var group: String
            var tier: String
            var from: String
            var paidThrough: String
            var href: String
        }
        var land: Land?
        struct Relief: Encodable, Sendable {
            var year: Int
            var reason: String
            var granted: String
            var caseHref: String
        }
        var relief: [Relief]
        var hasRelief: Bool
        var applyRelief: String?
        struct Help: Encodable, Sendable {
            var year: Int
            var helper: String
            var kind: String
            var pledged: String
            var delivered: String
        }
        var help: [Help]
        var hasHelp: Bool
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.householdRead, in: person.region) else { return nil }
        // Dibao is a household's: a person registered in none has nothing here.
        guard let (grants, ncms) = try await panel.services.assistance.householdAssistance(of: person.id, by: panel.principal) else { return nil }
        let opens = DibaoApplication.caseType.openRoles.contains(panel.principal.role) && panel.principal.may(.insuranceRead, in: person.region)
        let refused = panel.principal.may(.assistanceManage, in: person.region)
            ? try await panel.services.cases.cases(of: person, by: panel.principal).filter { $0.type == DibaoApplication.caseType.id && $0.state == "refused" }
            : []
        let year = panel.services.today.year
        let support = try await panel.services.assistance.supportGrants(of: person.id, by: panel.principal) ?? []
        let land = try await panel.services.assistance.landMember(of: person.id, by: panel.principal)
        let (relief, help) = try await panel.services.assistance.reliefAndHelp(of: person.id, by: panel.principal)
        guard !grants.isEmpty || !refused.isEmpty || !ncms.isEmpty || !support.isEmpty || land != nil || !relief.isEmpty || !help.isEmpty || opens else {
            return nil
        }
        let pages = panel.services.pages
        let view = View(
            grants: grants.map {
                .init(monthly: $0.monthly.formatted, size: $0.householdSize, from: $0.monthlyFrom.description, paidThrough: $0.paidThrough?.description ?? "—",
                      ends: $0.endsFrom?.description ?? "—", caseHref: Route.caseItem.path($0.caseID))
            },
            hasGrants: !grants.isEmpty,
            refused: refused.map { .init(caseHref: Route.caseItem.path($0.id), letter: Route.dibaoRefusal.path($0.id), updated: String($0.updatedAt.prefix(10))) },
            hasRefused: !refused.isEmpty, apply: opens && !grants.contains { $0.endsFrom == nil } ? Route.dibao.path(person.id) : nil,
            educationAid: opens ? Route.educationAid.path(person.id) : nil,
            support: support.map {
                .init(kind: pages.label($0.kind, panel.context), arrangement: pages.label($0.arrangement, panel.context), home: $0.institutionName ?? "—",
                      certificate: $0.certificate, monthly: $0.monthly.formatted, from: $0.monthlyFrom.description,
                      paidThrough: $0.paidThrough?.description ?? "—", ends: $0.endsFrom?.description ?? "—", caseHref: Route.caseItem.path($0.caseID))
            },
            hasSupport: !support.isEmpty,
            applySupport: opens && !support.contains { $0.endsFrom == nil } ? Route.supportApplication.path(person.id) : nil,
            ncms: ncms.map {
                .init(year: $0.year, participants: $0.participants, assisted: $0.assisted, participantsPay: $0.financing.participantsPay.formatted,
                      town: $0.financing.town.formatted, district: $0.financing.district.formatted, city: $0.financing.city.formatted,
                      total: $0.financing.total.formatted)
            },
            hasNcms: !ncms.isEmpty,
            ncmsAction: opens && !ncms.contains { $0.year == year } ? Route.ncmsEnrolment.path(person.id) : nil, ncmsYear: year,
            ncmsClaim: opens && !ncms.isEmpty ? Route.ncmsClaim.path(person.id) : nil,
            land: land.map {
                .init(village: $0.village, date: $0.requisitionedOn.description, group: pages.label($0.group, panel.context), tier: $0.tier.formatted,
                      from: $0.monthlyFrom?.description ?? "—", paidThrough: $0.paidThrough?.description ?? "—", href: Route.landRequisition.path($0.requisitionID))
            },
            relief: relief.map { .init(year: $0.year, reason: pages.label($0.reason, panel.context), granted: $0.granted.formatted, caseHref: Route.caseItem.path($0.caseID)) },
            hasRelief: !relief.isEmpty, applyRelief: opens && person.status == .living ? Route.relief.path(person.id) : nil,
            help: help.map {
                .init(year: $0.year, helper: $0.helperName, kind: pages.label($0.helperKind, panel.context), pledged: $0.pledged.formatted,
                      delivered: $0.delivered.formatted)
            },
            hasHelp: !help.isEmpty)
        return panel.panel("assistance", title: "assistance.panel", view)
    }
}
