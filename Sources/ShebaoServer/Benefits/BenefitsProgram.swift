import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Route {
    static let pensions = Route("/benefits/pensions")
    static let pensionAward = Route("/persons/{id}/pension-award")
    static let payroll = Route("/benefits/payroll")
    static let payrollRun = Route("/benefits/payroll/{id}")
    static let payrollFile = Route("/benefits/payroll/{id}/file")
    static let payrollReturns = Route("/benefits/payroll/returns")
    static let paymentPoints = Route("/benefits/payment-points")
    static let deaths = Route("/benefits/deaths")
    static let overpaymentRecoveries = Route("/benefits/overpayments/{id}/recoveries")
    static let pensionAccount = Route("/persons/{id}/pension-account")
    static let accountChanges = Route("/benefits/account-changes")
    static let accountChange = Route("/benefits/account-changes/{id}")
    static let survival = Route("/benefits/survival")
    static let survivalCertification = Route("/benefits/survival/{id}")
    static let survivalSuspension = Route("/benefits/survival/suspension")
    static let workInjury = Route("/persons/{id}/work-injury")
    static let maternity = Route("/persons/{id}/maternity")
    static let unemployment = Route("/persons/{id}/unemployment")
    static let inpatient = Route("/persons/{id}/inpatient")
    static let employmentSubsidy = Route("/persons/{id}/employment-subsidy")
    static let survivor = Route("/persons/{id}/survivor")
    static let workInjuryDeath = Route("/persons/{id}/work-injury-death")
    static let unemploymentSpells = Route("/benefits/unemployment")
    static let unemploymentReferral = Route("/benefits/unemployment/{id}/referral")
    static let medicalInstitutions = Route("/benefits/medical")
    static let medicalInstitution = Route("/benefits/medical/{id}")
    static let medicalRenewal = Route("/benefits/medical/{id}/renewal")
    static let medicalReinstatement = Route("/benefits/medical/{id}/reinstatement")
    static let medicalInspections = Route("/benefits/medical/{id}/inspections")
    static let medicalPurchases = Route("/benefits/medical/{id}/purchases")
    static let medicalSettlements = Route("/benefits/medical/{id}/settlements")
    static let medicalInspectionDecision = Route("/benefits/medical/inspections/{id}")
}

extension Route.API {
    static let pensions = Route.api("/benefits/pensions")
    static let pensionAwards = Route.api("/persons/{id}/pension-awards")
    static let paymentPoints = Route.api("/benefits/payment-points")
    static let payrollFiles = Route.api("/benefits/payroll/{id}/files")
    static let payrollFile = Route.api("/benefits/payroll/{id}/file")
    static let payrollReconciliation = Route.api("/benefits/payroll/{id}/reconciliation")
    static let bankReturns = Route.api("/benefits/bank-returns")
    static let deaths = Route.api("/benefits/deaths")
    static let overpayments = Route.api("/benefits/overpayments")
    static let overpaymentRecoveries = Route.api("/benefits/overpayments/{id}/recoveries")
    static let pensionAccount = Route.api("/persons/{id}/pension-account")
    static let accountChangeDecision = Route.api("/benefits/account-changes/{id}/decision")
    static let survival = Route.api("/benefits/survival")
    static let survivalCertifications = Route.api("/persons/{id}/survival-certifications")
    static let survivalSuspension = Route.api("/benefits/survival/suspension")
    static let workInjuryAwards = Route.api("/persons/{id}/work-injury-awards")
    static let maternityClaims = Route.api("/persons/{id}/maternity-claims")
    static let unemploymentClaims = Route.api("/persons/{id}/unemployment-claims")
    static let reemployment = Route.api("/persons/{id}/reemployment")
    static let inpatientClaims = Route.api("/persons/{id}/inpatient-claims")
    static let employmentSubsidies = Route.api("/persons/{id}/employment-subsidies")
    static let survivorPayouts = Route.api("/persons/{id}/survivor-payouts")
    static let workInjuryDeaths = Route.api("/persons/{id}/work-injury-deaths")
    static let survivorPensionEnd = Route.api("/persons/{id}/survivor-pensions/end")
    static let unemploymentSpells = Route.api("/benefits/unemployment-spells")
    static let unemploymentReferral = Route.api("/benefits/unemployment-spells/{id}/referral")
    static let medicalAccount = Route.api("/persons/{id}/medical-account")
    static let medicalInstitutions = Route.api("/benefits/medical-institutions")
    static let medicalInstitution = Route.api("/benefits/medical-institutions/{id}")
    static let medicalRenewal = Route.api("/benefits/medical-institutions/{id}/renewal")
    static let medicalReinstatement = Route.api("/benefits/medical-institutions/{id}/reinstatement")
    static let medicalInspections = Route.api("/benefits/medical-institutions/{id}/inspections")
    static let medicalPurchases = Route.api("/benefits/medical-institutions/{id}/purchases")
    static let medicalSettlements = Route.api("/benefits/medical-institutions/{id}/settlements")
    static let medicalInspectionDecision = Route.api("/benefits/medical-inspections/{id}/decision")
}

extension Program {
    /// Benefits (PROGRAMS.md §2.7–2.11): the pension award as a case — computed by the rule on
    /// the archive's figures and the person's record, checked by a clerk, approved by another
    /// person — and the pensions it starts.
    static let benefits = Program(
        id: "benefits",
        migrations: [CreatePensions(), CreatePayroll(), SurvivalAndAdjustment(), CreateWorkInjuryAwards(), CreateMedical(), CreateUnemploymentSpells(), WorkInjuryMonthly(), PayeeOfAPayment(),
                     AccountChangesForPayables(), CreateWorkInjurySurvivors(), PensionProgress(), PaymentsKeyedByMonth(), PayrollChunkTotals()],
        caseTypes: [BenefitsService.pensionAwardCases, BenefitsService.workInjuryCases, BenefitsService.maternityCases,
                    BenefitsService.unemploymentCases, BenefitsService.inpatientCases, BenefitsService.employmentSubsidyCases,
                    BenefitsService.survivorCases, BenefitsService.workInjuryDeathCases],
        batchKinds: [PensionPayroll.kind, PensionAdjustment.kind],
        templates: ["panel-pension", "pension-award", "pensions", "payroll", "payroll-run", "payment-points", "deaths", "pension-account",
                    "account-changes", "survival", "claim", "panel-work-injury", "medical", "medical-institution", "panel-medical", "unemployment-spells"],
        navigation: [
            NavigationItem(.pensions, label: "nav.pensions", hint: "home.hint.pensions", order: 470, visible: NavigationItem.allowed(.insuranceRead)),
            NavigationItem(.payroll, label: "nav.payroll", hint: "home.hint.payroll", order: 472, visible: NavigationItem.allowed(.payrollManage)),
            NavigationItem(.unemploymentSpells, label: "nav.unemployment", hint: "home.hint.unemployment", order: 473,
                           visible: { [.districtClerk, .townClerk, .reviewer].contains($0.role) }),
            NavigationItem(.medicalInstitutions, label: "nav.medical", hint: "home.hint.medical", order: 474,
                           visible: { $0.role.isStaff && AccessPolicy.allows($0.role, .insuranceRead) && $0.role != .statisticsViewer }),
            // The reviewer decides pension accounts; everyone else reaches them, the payment points,
            // deaths and survival checks from the pensions page.
            NavigationItem(.accountChanges, label: "nav.account_changes", hint: "home.hint.account_changes", order: 478,
                           visible: { $0.role == .reviewer }),
        ],
        panels: [PensionPanel(), ClaimsPanel(), MedicalPanel()],
        api: { group, services in
            let api = BenefitsAPI(services: services)
            group.get(.API.pensions, use: api.pensions)
            group.post(.API.pensionAwards, use: api.openAward)
            group.post(.API.workInjuryAwards, use: api.openWorkInjury)
            group.post(.API.maternityClaims, use: api.openMaternity)
            group.post(.API.unemploymentClaims, use: api.openUnemployment)
            group.post(.API.reemployment, use: api.reemployment)
            group.post(.API.employmentSubsidies, use: api.openSubsidy)
            group.post(.API.survivorPayouts, use: api.openSurvivor)
            group.post(.API.workInjuryDeaths, use: api.openWorkInjuryDeath)
            group.post(.API.survivorPensionEnd, use: api.endSurvivorPensions)
            group.get(.API.unemploymentSpells, use: api.spells)
            group.post(.API.unemploymentReferral, use: api.refer)
            let payroll = PayrollAPI(services: services)
            group.get(.API.paymentPoints, use: payroll.points)
            group.get(.API.payrollFiles, use: payroll.files)
            group.get(.API.payrollFile, use: payroll.file)
            group.get(.API.payrollReconciliation, use: payroll.reconciliation)
            group.post(.API.bankReturns, use: payroll.importReturn)
            group.post(.API.deaths, use: payroll.importDeaths)
            group.get(.API.overpayments, use: payroll.overpayments)
            group.post(.API.overpaymentRecoveries, use: payroll.recover)
            group.post(.API.pensionAccount, use: payroll.proposeAccount)
            group.post(.API.accountChangeDecision, use: payroll.decideAccount)
            group.get(.API.survival, use: payroll.survival)
            group.post(.API.survivalCertifications, use: payroll.certify)
            group.post(.API.survivalSuspension, use: payroll.suspend)
            let medical = MedicalAPI(services: services)
            group.get(.API.medicalInstitutions, use: medical.institutions)
            group.post(.API.medicalInstitutions, use: medical.add)
            group.get(.API.medicalInstitution, use: medical.institution)
            group.post(.API.medicalRenewal, use: medical.renew)
            group.post(.API.medicalReinstatement, use: medical.reinstate)
            group.post(.API.medicalInspections, use: medical.inspect)
            group.post(.API.medicalInspectionDecision, use: medical.decide)
            group.post(.API.medicalPurchases, use: medical.purchases)
            group.post(.API.medicalSettlements, use: medical.settle)
            group.post(.API.inpatientClaims, use: medical.openInpatient)
            group.get(.API.medicalAccount, use: medical.account)
        },
        pages: { group, services in
            let pages = PensionPages(services: services)
            group.get(.pensions, use: pages.list)
            group.get(.pensionAward, use: pages.award)
            group.post(.pensionAward, use: pages.open)
            let payroll = PayrollPages(services: services)
            group.get(.payroll, use: payroll.index)
            group.post(.payrollReturns, use: payroll.upload)
            group.get(.payrollRun, use: payroll.run)
            group.get(.payrollFile, use: payroll.file)
            group.get(.paymentPoints, use: payroll.points)
            group.post(.paymentPoints, use: payroll.addPoint)
            group.get(.deaths, use: payroll.deaths)
            group.post(.deaths, use: payroll.uploadDeaths)
            group.post(.overpaymentRecoveries, use: payroll.recover)
            group.get(.pensionAccount, use: payroll.account)
            group.post(.pensionAccount, use: payroll.proposeAccount)
            group.get(.accountChanges, use: payroll.changes)
            group.post(.accountChange, use: payroll.decide)
            group.get(.survival, use: payroll.survival)
            group.post(.survivalSuspension, use: payroll.suspend)
            group.post(.survivalCertification, use: payroll.certify)
            for (route, form) in [(Route.workInjury, ClaimForms.workInjury(services)), (Route.maternity, ClaimForms.maternity(services)),
                                  (Route.unemployment, ClaimForms.unemployment(services)), (Route.inpatient, ClaimForms.inpatient(services)),
                                  (Route.employmentSubsidy, ClaimForms.employmentSubsidy(services)), (Route.survivor, ClaimForms.survivor(services)),
                                  (Route.workInjuryDeath, ClaimForms.workInjuryDeath(services))] {
                let claims = ClaimPages(services: services, form: form)
                group.get(route, use: claims.show)
                group.post(route, use: claims.open)
            }
            let unemployment = UnemploymentPages(services: services)
            group.get(.unemploymentSpells, use: unemployment.list)
            group.post(.unemploymentReferral, use: unemployment.refer)
            let medical = MedicalPages(services: services)
            group.get(.medicalInstitutions, use: medical.list)
            group.post(.medicalInstitutions, use: medical.add)
            group.get(.medicalInstitution, use: medical.show)
            group.post(.medicalRenewal, use: medical.renew)
            group.post(.medicalReinstatement, use: medical.reinstate)
            group.post(.medicalInspections, use: medical.inspect)
            group.post(.medicalPurchases, use: medical.upload)
            group.post(.medicalSettlements, use: medical.settle)
            group.post(.medicalInspectionDecision, use: medical.decide)
        })
}

/// The pension a person draws, or — for someone insured in pension — the way to award one, for
/// staff who may read insurance.
struct PensionPanel: PersonPanelProvider {
    let order = 36

    struct View: Encodable, Sendable {
        struct Payment: Encodable, Sendable {
            var period: String
            var months: Int64
            var amount: String
            var state: String
            var reason: String
        }
        var monthly: String?
        var start: String?
        var caseHref: String?
        var award: String?
        var state: String?
        var point: String?
        var account: String?
        var paidThrough: String?
        var diedOn: String?
        var payments: [Payment]
        var hasPayments = false
        var changeAccount: String?
        var certifiedOn: String?
        var suspendedFrom: String?
        var arrears: String?
        var adjustment: String?
        var adjustmentExplain: String?
        var survivalHref: String?
        var survivor: String?
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard panel.principal.role.isStaff, panel.principal.may(.insuranceRead, in: person.region) else { return nil }
        let services = panel.services
        let pension = try await services.benefits.pension(of: person.id, by: panel.principal)
        // The award is offered for someone insured in pension, to the clerks who open awards.
        let insured = try await services.insurance.record(of: person, by: panel.principal).enrolments.contains { $0.scheme == .pension }
        let awards = insured && PensionAward.caseType.openRoles.contains(panel.principal.role)
        guard pension != nil || awards else { return nil }
        var view = View(monthly: pension?.monthly.formatted, start: pension?.start.description, caseHref: pension.map { Route.caseItem.path($0.caseID) },
                        award: pension == nil && awards ? Route.pensionAward.path(person.id) : nil, payments: [])
        if let pension {
            let pages = services.pages
            view.state = pages.label(pension.state, panel.context)
            view.point = try await services.benefits.paymentPoints(by: panel.principal).first { $0.id == pension.paymentPointID }?.name
                ?? panel.text("pension.no_account")
            view.account = pension.maskedAccount
            view.paidThrough = pension.paidThrough?.description
            view.diedOn = pension.diedOn?.description
            if pension.diedOn != nil, SurvivorPayout.caseType.openRoles.contains(panel.principal.role) { view.survivor = Route.survivor.path(person.id) }
            view.payments = try await services.benefits.payments(of: person.id, by: panel.principal).prefix(6).map {
                .init(period: $0.period.description, months: $0.months, amount: $0.amount.formatted,
                      state: panel.text("payment_state.\($0.state)"), reason: $0.state == "failed" ? $0.reason ?? "" : "")
            }
            view.hasPayments = !view.payments.isEmpty
            view.certifiedOn = pension.certifiedOn?.description ?? panel.text("pension.not_certified")
            view.suspendedFrom = pension.suspendedFrom?.description
            view.arrears = pension.arrears.fen > 0 ? pension.arrears.formatted : nil
            if let latest = try await services.benefits.adjustments(of: person.id, by: panel.principal).first {
                let line = latest.line
                view.adjustment = panel.text("pension.adjusted", ["year": String(latest.year), "old": line.old.formatted, "new": line.new.formatted])
                view.adjustmentExplain = Route.calculateRule.path(PensionAdjustmentRule.id, query: "year=\(latest.year)&currentPension=\(line.old.yuanText)"
                    + "&contributionYears=\(line.contributionYears)&age=\(line.ageYears)")
            }
            if pension.state == .paying, panel.principal.may(.pensionAccountPropose, in: person.region) || panel.principal.may(.payrollManage) {
                view.survivalHref = Route.survival.path()
            }
            if pension.state == .paying, panel.principal.may(.pensionAccountPropose, in: person.region) {
                view.changeAccount = Route.pensionAccount.path(person.id)
            }
        }
        return panel.panel("pension", title: "pension.title", view)
    }
}
