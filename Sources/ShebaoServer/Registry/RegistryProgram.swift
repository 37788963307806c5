import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Route {
    static let persons = Route("/persons")
    static let personNew = Route("/persons/new")
    static let person = Route("/persons/{id}")
    static let personEdit = Route("/persons/{id}/edit")
    static let personIDCorrection = Route("/persons/{id}/id-correction")
    static let personsExportCSV = Route("/persons/export.csv")
    static let personsExportXLSX = Route("/persons/export.xlsx")
    static let households = Route("/households")
    static let householdNew = Route("/households/new")
    static let household = Route("/households/{id}")
    static let householdHead = Route("/households/{id}/head")
    static let householdMembers = Route("/households/{id}/members")
    static let employers = Route("/employers")
    static let employerNew = Route("/employers/new")
    static let employer = Route("/employers/{id}")
    static let employerEdit = Route("/employers/{id}/edit")
    static let employersExportCSV = Route("/employers/export.csv")
    static let employersExportXLSX = Route("/employers/export.xlsx")
    static let duplicates = Route("/duplicates")
    static let duplicateDecision = Route("/duplicates/{id}/decision")
    static let imports = Route("/imports")
    static let importReport = Route("/imports/report")
    static let importKind = Route("/imports/{kind}")
    static let importTemplate = Route("/imports/templates/{file}")
}

extension Route.API {
    static let persons = Route.api("/persons")
    static let personsExport = Route.api("/persons/export")
    static let person = Route.api("/persons/{id}")
    static let personView = Route.api("/persons/{id}/view")
    static let personHistory = Route.api("/persons/{id}/history")
    static let personIDCorrections = Route.api("/persons/{id}/id-corrections")
    static let households = Route.api("/households")
    static let household = Route.api("/households/{id}")
    static let householdHead = Route.api("/households/{id}/head")
    static let householdMembers = Route.api("/households/{id}/members")
    static let employers = Route.api("/employers")
    static let employersExport = Route.api("/employers/export")
    static let employer = Route.api("/employers/{id}")
    static let employerStaff = Route.api("/employers/{id}/staff")
    static let duplicates = Route.api("/duplicates")
    static let merges = Route.api("/merges")
    static let mergeDecision = Route.api("/merges/{id}/decision")
    static let importKind = Route.api("/imports/{kind}")
    static let importTemplate = Route.api("/imports/templates/{kind}")
}

extension Program {
    /// Regions, persons, households, employers, duplicates, file imports and exports, the
    /// correction of resident IDs and the month-end census (PROGRAMS.md §5).
    static let registry = Program(
        id: "registry",
        migrations: [CreateRegions(), CreatePersons(), CreateHouseholdsAndEmployers(), MergesSpeakProposals(), CreateRegistryCensus()],
        caseTypes: [RegistryService.idCorrectionCases],
        batchKinds: [RegistryService.censusKind],
        templates: ["persons", "person", "households", "household", "employers", "employer", "imports", "duplicates",
                    "panel-registry", "panel-household", "panel-employment", "panel-history"],
        navigation: [
            NavigationItem(.persons, label: "nav.persons", hint: "home.hint.persons", order: 100, visible: NavigationItem.allowed(.personList)),
            NavigationItem(.households, label: "nav.households", hint: "home.hint.households", order: 110, visible: NavigationItem.allowed(.householdRead)),
            NavigationItem(.employers, label: "nav.employers", hint: "home.hint.employers", order: 120, visible: NavigationItem.allowed(.employerRead)),
            NavigationItem(.imports, label: "nav.imports", hint: "home.hint.imports", order: 130, visible: NavigationItem.allowed(.importFile)),
            NavigationItem(.duplicates, label: "nav.duplicates", hint: "home.hint.duplicates", order: 140,
                           visible: NavigationItem.allowed(.mergeRequest, .mergeDecide)),
        ],
        panels: [RegistryPanel(), HouseholdPanel(), EmploymentPanel(), HistoryPanel()],
        api: { group, services in
            PersonsAPI(services: services).addRoutes(to: group)
            HouseholdsAPI(services: services).addRoutes(to: group)
            EmployersAPI(services: services).addRoutes(to: group)
            DuplicatesAPI(services: services).addRoutes(to: group)
            ImportsAPI(services: services).addRoutes(to: group)
        },
        pages: { group, services in
            PersonsPages(services: services).addRoutes(to: group)
            HouseholdPages(services: services).addRoutes(to: group)
            EmployerPages(services: services).addRoutes(to: group)
            DuplicatePages(services: services).addRoutes(to: group)
            ImportPages(services: services).addRoutes(to: group)
        })
}
