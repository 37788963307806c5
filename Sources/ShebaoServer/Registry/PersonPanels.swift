import Foundation
import Hummingbird
import Mustache
import ShebaoCore
import ShebaoStore

/// One section of the one view of a person: its HTML for the page and its data for the API.
struct PersonPanel: Sendable {
    var id: String
    var title: String
    var html: String
    /// The panel's data, encoded under `id` in `GET /api/v1/persons/{id}/view`.
    var data: any Encodable & Sendable
}

/// What a panel may use to build itself.
struct PanelContext: Sendable {
    var principal: Principal
    var request: Request
    var context: ShebaoRequestContext
    var services: ShebaoServices
}

/// The extension point of the one view of a person (issue: registry, then every program).
///
/// A program adds its section — enrolments, accounts, benefits, assistance — by implementing
/// this and appending an instance to `ShebaoServices.personPanels`; the person page and the API
/// view gather whatever the providers return, so no page has to be edited to add one.
protocol PersonPanelProvider: Sendable {
    /// Where the panel sits: lower first.
    var order: Int { get }
    /// The panel for `person`, or nil when the program has nothing to say about them.
    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel?
}

extension PageRenderer {
    /// A fragment rendered with its own template, the string tables and the request's language.
    func fragment<Content>(_ template: String, _ content: Content, _ context: ShebaoRequestContext) -> String {
        library.render(FragmentView(s: templateStrings[context.language] ?? [:], content: content), withTemplate: template) ?? ""
    }
}

struct FragmentView<Content> {
    var s: [String: String]
    var content: Content
}

/// Registry facts: name, ID, sex, birth date, registration, contact, bank, disability, status.
struct RegistryPanel: PersonPanelProvider {
    let order = 10

    struct View: Encodable, Sendable {
        var personID: Int64
        var name: String
        var residentID: String
        var sex: String
        var birthDate: String
        var age: Int
        var hukouType: String
        var region: String
        var regionCode: String
        var residence: String?
        var address: String?
        var phone: String?
        var bankName: String?
        var bankAccount: String?
        var disability: String?
        var status: String
        var deathDate: String?
        var version: Int64
        var canEdit: Bool
        var canRequestMerge: Bool
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let pages = panel.services.pages
        let context = panel.context
        var codes: Set<RegionCode> = [person.region]
        if let residence = person.residenceRegion { codes.insert(residence) }
        let labels = try await panel.services.regions.labels(of: codes)
        let view = View(
            personID: person.id, name: person.name, residentID: person.residentID.value,
            sex: pages.text("sex.\(person.sex.rawValue)", context), birthDate: person.birthDate.description,
            age: person.birthDate.age(on: panel.services.clock.now().dateInChina),
            hukouType: pages.text("hukou.\(person.hukouType.rawValue)", context),
            region: labels[person.region] ?? person.region.value, regionCode: person.region.value,
            residence: person.residenceRegion.flatMap { labels[$0] }, address: person.address, phone: person.phone,
            bankName: person.bankName, bankAccount: person.bankAccount,
            disability: person.disability.map { pages.text("disability.\($0.category.rawValue)", context) + " " + pages.text("disability.grade", context, ["grade": String($0.grade)]) },
            status: pages.text("person_status.\(person.status.rawValue)", context), deathDate: person.deathDate?.description,
            version: person.version,
            canEdit: panel.principal.decide(.personWrite, in: person.region) == .allowed && person.mergedInto == nil,
            canRequestMerge: panel.principal.decide(.mergeRequest, in: person.region) == .allowed && person.mergedInto == nil)
        return PersonPanel(id: "registry", title: pages.text("person.registry", context),
                           html: pages.fragment("panel-registry", view, context), data: view)
    }
}

/// The household: its register number, place and members with their relation to the head.
struct HouseholdPanel: PersonPanelProvider {
    let order = 20

    struct View: Encodable, Sendable {
        struct Member: Encodable, Sendable {
            var personID: Int64
            var name: String
            var relation: String
            var isSelf: Bool
        }
        var householdID: Int64
        var registerNumber: String
        var region: String
        var address: String?
        var members: [Member]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        guard let id = person.householdID,
            let household = try await HouseholdStore(database: panel.services.database).find(id: id, by: panel.principal)
        else { return nil }
        let pages = panel.services.pages
        let context = panel.context
        let label = try await panel.services.regions.labels(of: [household.region])[household.region] ?? household.region.value
        let view = View(
            householdID: household.id, registerNumber: household.registerNumber, region: label, address: household.address,
            members: household.members.map {
                View.Member(personID: $0.personID, name: $0.name, relation: pages.text("relation.\($0.relation.rawValue)", context), isSelf: $0.personID == person.id)
            })
        return PersonPanel(id: "household", title: pages.text("household.title", context), html: pages.fragment("panel-household", view, context), data: view)
    }
}

/// Jobs with insured units, current and past.
struct EmploymentPanel: PersonPanelProvider {
    let order = 30

    struct View: Encodable, Sendable {
        struct Job: Encodable, Sendable {
            var employerID: Int64
            var employer: String
            var startDate: String
            var endDate: String?
        }
        var jobs: [Job]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let jobs = try await EmployerStore(database: panel.services.database).employments(of: person.id)
        guard !jobs.isEmpty else { return nil }
        let pages = panel.services.pages
        let view = View(jobs: jobs.map { .init(employerID: $0.employerID, employer: $0.employerName, startDate: $0.startDate.description, endDate: $0.endDate?.description) })
        return PersonPanel(id: "employment", title: pages.text("employment.title", panel.context), html: pages.fragment("panel-employment", view, panel.context), data: view)
    }
}

/// Every version of the record: who changed what, when and why.
struct HistoryPanel: PersonPanelProvider {
    let order = 90

    struct View: Encodable, Sendable {
        struct Entry: Encodable, Sendable {
            var version: Int64
            var changedAt: String
            var changedBy: String
            var reason: String
            var changes: [String]
        }
        var entries: [Entry]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let versions = try await panel.services.persons.history(of: person.id)
        let pages = panel.services.pages
        let context = panel.context
        var entries: [View.Entry] = []
        for (index, version) in versions.enumerated() {
            let previous = versions[(index + 1)...].first { $0.person.id == version.person.id }
            entries.append(View.Entry(
                version: version.version, changedAt: version.changedAt, changedBy: version.changedBy, reason: version.reason,
                changes: previous.map { Self.changes(from: $0.person, to: version.person, pages: pages, context: context) } ?? [pages.text("history.created", context)]))
        }
        let view = View(entries: entries)
        return PersonPanel(id: "history", title: pages.text("history.title", context), html: pages.fragment("panel-history", view, context), data: view)
    }

    /// `地址：A → B` for each field that differs.
    static func changes(from old: Person, to new: Person, pages: PageRenderer, context: ShebaoRequestContext) -> [String] {
        let fields: [(String, String?, String?)] = [
            ("person.name", old.name, new.name), ("person.hukou_type", old.hukouType.rawValue, new.hukouType.rawValue),
            ("person.region", old.region.value, new.region.value), ("person.residence", old.residenceRegion?.value, new.residenceRegion?.value),
            ("person.address", old.address, new.address), ("person.phone", old.phone, new.phone),
            ("person.bank_name", old.bankName, new.bankName), ("person.bank_account", old.bankAccount, new.bankAccount),
            ("person.disability", old.disability.map { "\($0.category.rawValue) \($0.grade)" }, new.disability.map { "\($0.category.rawValue) \($0.grade)" }),
            ("person.status", old.status.rawValue, new.status.rawValue), ("person.death_date", old.deathDate?.description, new.deathDate?.description),
            ("household.title", old.householdID.map(String.init), new.householdID.map(String.init)),
            ("merge.merged_into", old.mergedInto.map(String.init), new.mergedInto.map(String.init)),
        ]
        return fields.compactMap { key, before, after in
            before == after ? nil : "\(pages.text(key, context))：\(before ?? "—") → \(after ?? "—")"
        }
    }
}
