import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Route {
    static let insurance = Route("/insurance")
    static let insuranceBills = Route("/insurance/bills")
    static let insuranceBill = Route("/insurance/bills/{id}")
    static let insuranceArrears = Route("/insurance/arrears")
    static let insuranceDropOuts = Route("/insurance/drop-outs")
    static let insuranceCollections = Route("/insurance/collections")
    static let insuranceCollectionResolution = Route("/insurance/collections/{id}/resolution")
    static let ownRecord = Route("/portal/record")
    static let ownStatements = Route("/portal/statements")
    static let personRecord = Route("/persons/{id}/record")
    static let personStatements = Route("/persons/{id}/statements")
    static let verify = Route("/verify")
    static let unitInsurance = Route("/employers/{id}/insurance")
    static let unitStaff = Route("/employers/{id}/insurance/staff")
    static let unitStaffEnd = Route("/employers/{id}/insurance/staff/{person}/end")
    static let unitStaffTransfer = Route("/employers/{id}/insurance/staff/{person}/transfer")
    static let unitStaffFile = Route("/employers/{id}/insurance/staff-file")
    static let unitMedicalCoverage = Route("/employers/{id}/insurance/medical-coverage")
    static let unitMedicalCoverageDecision = Route("/employers/{id}/insurance/medical-coverage/{change}/decision")
    static let unitBases = Route("/employers/{id}/bases")
    static let unitBasesFile = Route("/employers/{id}/bases/file")
    static let ownAccount = Route("/persons/{id}/own-account")
    static let ownAccountEnrolment = Route("/persons/{id}/own-account/enrolment")
    static let ownAccountBase = Route("/persons/{id}/own-account/base")
}

extension Route.API {
    static let insuranceBills = Route.api("/insurance/bills")
    static let insuranceRates = Route.api("/insurance/collection-rates")
    static let insuranceCollections = Route.api("/insurance/collections")
    static let insuranceUnmatched = Route.api("/insurance/collections/unmatched")
    static let insuranceResolution = Route.api("/insurance/collections/{id}/resolution")
    static let personRecord = Route.api("/persons/{id}/contribution-record")
    static let statement = Route.api("/statements/{code}")
    static let unitMedicalCoverage = Route.api("/employers/{id}/medical-coverage")
    static let medicalCoverageDecision = Route.api("/medical-coverage/{id}/decision")
}

extension Program {
    /// Social insurance (PROGRAMS.md §2.1–2.6, §3): enrolments and bases on the person's view; the
    /// monthly assessment (`insurance.assessment`) whose posting sends out the bills; the tax
    /// bureau's collection files matched to them with a queue for the rest; collection rates,
    /// arrears and drop-outs; the yearly account interest (`insurance.interest`); the rights record
    /// with printed statements anyone can check on /verify.
    static let insurance = Program(
        id: "insurance",
        migrations: [CreateInsurance(), CreateCollection(), BasesCarryWages(), CreateBillParts(), KeyAssessmentLinesByScheme(), EnrolmentsByPersonHashed(), CollectOwnAccount(),
                     CreateUnitMedicalCoverage()],
        batchKinds: [InsuranceAssessment.kind, AccountInterest.kind],
        templates: ["panel-insurance", "insurance", "bills", "bill", "arrears", "dropouts", "collections", "record", "record-view", "verify", "unit-insurance", "unit-bases", "own-account"],
        navigation: [
            NavigationItem(.insurance, label: "nav.insurance", hint: "home.hint.insurance", order: 450, visible: NavigationItem.allowed(.insuranceRead)),
            NavigationItem(.insuranceCollections, label: "nav.collections", hint: "home.hint.collections", order: 460,
                           visible: NavigationItem.allowed(.collectionImport)),
            NavigationItem(.insuranceBills, label: "nav.bills", order: 10, surface: .portal, visible: { $0.role == .employerAgent }),
            NavigationItem(.insuranceArrears, label: "nav.arrears", order: 11, surface: .portal, visible: { $0.role == .employerAgent }),
            NavigationItem(.ownRecord, label: "nav.record", order: 10, surface: .portal, visible: { $0.role == .citizen }),
        ],
        panels: [InsurancePanel()],
        api: { group, services in
            let insuranceAPI = InsuranceAPI(services: services)
            let coverageAPI = MedicalCoverageAPI(services: services)
            group.get(.API.insuranceBills, use: insuranceAPI.bills)
            group.get(.API.insuranceRates, use: insuranceAPI.rates)
            group.post(.API.insuranceCollections, use: insuranceAPI.importFile)
            group.get(.API.insuranceUnmatched, use: insuranceAPI.unmatched)
            group.post(.API.insuranceResolution, use: insuranceAPI.resolve)
            group.get(.API.personRecord, use: insuranceAPI.record)
            group.get(.API.unitMedicalCoverage, use: coverageAPI.coverage)
            group.post(.API.unitMedicalCoverage, use: coverageAPI.propose)
            group.post(.API.medicalCoverageDecision, use: coverageAPI.decide)
        },
        pages: { group, services in
            let insurancePages = InsurancePages(services: services)
            group.get(.insurance, use: insurancePages.overview)
            group.get(.insuranceBills, use: insurancePages.bills)
            group.get(.insuranceBill, use: insurancePages.bill)
            group.get(.insuranceArrears, use: insurancePages.arrears)
            group.get(.insuranceDropOuts, use: insurancePages.dropOuts)
            let collectionPages = CollectionPages(services: services)
            group.get(.insuranceCollections, use: collectionPages.index)
            group.post(.insuranceCollections, use: collectionPages.upload)
            group.post(.insuranceCollectionResolution, use: collectionPages.resolve)
            let unitPages = UnitPages(services: services)
            group.get(.unitInsurance, use: unitPages.insurance)
            group.post(.unitStaff, use: unitPages.enrol)
            group.post(.unitStaffEnd, use: unitPages.end)
            group.post(.unitStaffTransfer, use: unitPages.transfer)
            group.post(.unitStaffFile, use: unitPages.staffFile)
            group.post(.unitMedicalCoverage, use: unitPages.proposeCoverage)
            group.post(.unitMedicalCoverageDecision, use: unitPages.decideCoverage)
            group.get(.unitBases, use: unitPages.bases)
            group.post(.unitBases, use: unitPages.declare)
            group.post(.unitBasesFile, use: unitPages.basesFile)
            let ownAccountPages = OwnAccountPages(services: services)
            group.get(.ownAccount, use: ownAccountPages.page)
            group.post(.ownAccountEnrolment, use: ownAccountPages.enrol)
            group.post(.ownAccountBase, use: ownAccountPages.declare)
            let recordPages = RecordPages(services: services)
            group.get(.ownRecord, use: recordPages.own)
            group.post(.ownStatements, use: recordPages.issueOwn)
            group.get(.personRecord, use: recordPages.person)
            group.post(.personStatements, use: recordPages.issueForPerson)
        },
        open: { group, services in
            let recordPages = RecordPages(services: services)
            group.get(.verify, use: recordPages.verify)
            group.get(Route(Route.API.statement.description), use: InsuranceAPI(services: services).statement)
        })
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
        var insured: Bool
        var bases: [Base]
        var hasBases: Bool
        /// The rights record (months paid, account), for readers who may open it, once insured.
        var record: String?
        /// Insurance on the person's own account, for clerks who may enrol them.
        var ownAccount: String?
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let record = try await panel.services.insurance.record(of: person, by: panel.principal)
        let enrols = panel.principal.role.isStaff && panel.principal.may(.enrolmentWrite, in: person.region)
        guard !record.enrolments.isEmpty || !record.bases.isEmpty || enrols else { return nil }
        let view = View(
            enrolments: record.enrolments.map {
                .init(scheme: panel.text($0.scheme.labelKey), payer: panel.text("payer." + $0.payer.rawValue),
                      employer: $0.employerName, employerHref: $0.employerID.map { Route.employer.path($0) }, start: $0.start.description,
                      end: $0.end?.description)
            },
            insured: !record.enrolments.isEmpty, bases: record.bases.map { .init(year: $0.year, declared: $0.declared.formatted) },
            hasBases: !record.bases.isEmpty,
            record: record.enrolments.isEmpty ? nil : panel.principal.role.isStaff ? Route.personRecord.path(person.id) : Route.ownRecord.path(),
            ownAccount: enrols ? Route.ownAccount.path(person.id) : nil)
        return panel.panel("insurance", title: "insurance.title", view)
    }
}
