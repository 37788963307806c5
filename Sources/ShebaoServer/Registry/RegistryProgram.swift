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
    static let personHousehold = Route("/persons/{id}/household")
    static let personSheet = Route("/persons/{id}/sheet")
    static let personHouseholdLeave = Route("/persons/{id}/household/leave")
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
    static let importConfirm = Route("/imports/{kind}/confirm")
    static let importTemplate = Route("/imports/templates/{file}")
}

extension Route.API {
    static let persons = Route.api("/persons")
    static let personsExport = Route.api("/persons/export")
    static let person = Route.api("/persons/{id}")
    static let personView = Route.api("/persons/{id}/view")
    static let personHistory = Route.api("/persons/{id}/history")
    static let personIDCorrections = Route.api("/persons/{id}/id-corrections")
    static let personHousehold = Route.api("/persons/{id}/household")
    static let personHouseholdLeave = Route.api("/persons/{id}/household/leave")
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
            let personsAPI = PersonsAPI(services: services)
            group.get(.API.persons, use: personsAPI.search)
            group.post(.API.persons, use: personsAPI.create)
            group.get(.API.personsExport, use: personsAPI.export)
            group.get(.API.person, use: personsAPI.show)
            group.patch(.API.person, use: personsAPI.update)
            group.get(.API.personView, use: personsAPI.view)
            group.get(.API.personHistory, use: personsAPI.history)
            group.post(.API.personIDCorrections, use: personsAPI.openCorrection)

            let householdsAPI = HouseholdsAPI(services: services)
            group.get(.API.households, use: householdsAPI.list)
            group.post(.API.households, use: householdsAPI.create)
            group.get(.API.household, use: householdsAPI.show)
            group.post(.API.householdHead, use: householdsAPI.changeHead)
            group.post(.API.householdMembers, use: householdsAPI.moveIn)
            group.post(.API.personHousehold, use: householdsAPI.join)
            group.post(.API.personHouseholdLeave, use: householdsAPI.leave)

            let employersAPI = EmployersAPI(services: services)
            group.get(.API.employers, use: employersAPI.search)
            group.post(.API.employers, use: employersAPI.create)
            group.get(.API.employersExport, use: employersAPI.export)
            group.get(.API.employer, use: employersAPI.show)
            group.patch(.API.employer, use: employersAPI.update)
            group.get(.API.employerStaff, use: employersAPI.staff)

            let duplicatesAPI = DuplicatesAPI(services: services)
            group.get(.API.duplicates, use: duplicatesAPI.candidates)
            group.get(.API.merges, use: duplicatesAPI.proposed)
            group.post(.API.merges, use: duplicatesAPI.propose)
            group.post(.API.mergeDecision, use: duplicatesAPI.decide)

            let importsAPI = ImportsAPI(services: services)
            group.post(.API.importKind, use: importsAPI.upload)
            group.get(.API.importTemplate, use: importsAPI.template)
        },
        pages: { group, services in
            let personsPages = PersonsPages(services: services)
            group.get(.persons, use: personsPages.search)
            group.get(.personNew, use: personsPages.new)
            group.post(.persons, use: personsPages.create)
            group.get(.personsExportCSV, use: { request, context in try await personsPages.export(request, context, format: .csv) })
            group.get(.personsExportXLSX, use: { request, context in try await personsPages.export(request, context, format: .xlsx) })
            group.get(.person, use: personsPages.show)
            group.get(.personEdit, use: personsPages.edit)
            group.get(.personSheet, use: personsPages.sheet)
            group.post(.person, use: personsPages.update)
            group.get(.personIDCorrection, use: personsPages.correctionForm)
            group.post(.personIDCorrection, use: personsPages.openCorrection)

            let householdPages = HouseholdPages(services: services)
            group.get(.households, use: householdPages.list)
            group.get(.householdNew, use: householdPages.new)
            group.post(.households, use: householdPages.create)
            group.get(.household, use: householdPages.show)
            group.post(.householdHead, use: householdPages.changeHead)
            group.post(.householdMembers, use: householdPages.moveIn)
            group.post(.personHousehold, use: householdPages.join)
            group.post(.personHouseholdLeave, use: householdPages.leave)

            let employerPages = EmployerPages(services: services)
            group.get(.employers, use: employerPages.search)
            group.get(.employerNew, use: employerPages.new)
            group.post(.employers, use: employerPages.create)
            group.get(.employersExportCSV, use: { request, context in try await employerPages.export(request, context, format: .csv) })
            group.get(.employersExportXLSX, use: { request, context in try await employerPages.export(request, context, format: .xlsx) })
            group.get(.employer, use: employerPages.show)
            group.get(.employerEdit, use: employerPages.edit)
            group.post(.employer, use: employerPages.update)

            let duplicatePages = DuplicatePages(services: services)
            group.get(.duplicates, use: duplicatePages.page)
            group.post(.duplicates, use: duplicatePages.propose)
            group.post(.duplicateDecision, use: duplicatePages.decide)

            let importPages = ImportPages(services: services)
            group.get(.imports, use: importPages.index)
            group.post(.importReport, use: importPages.report)
            group.post(.importKind, use: importPages.upload)
            group.post(.importConfirm, use: importPages.confirm)
            group.get(.importTemplate, use: importPages.template)
        })
}
