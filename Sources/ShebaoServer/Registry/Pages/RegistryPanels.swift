import Foundation
import Hummingbird
import ShebaoCore
import ShebaoOperations
import ShebaoStore

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
        var residence: String?
        var address: String?
        var phone: String?
        var bankName: String?
        var bankAccount: String?
        var disability: String?
        var status: String
        var deathDate: String?
        var version: Int64
        var edit: String?
        var requestMerge: String?
        var correctID: String?
        var sheet: String
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let pages = panel.services.pages
        let context = panel.context
        let regions = panel.services.regions
        let writable = panel.principal.may(.personWrite, in: person.region) && person.mergedInto == nil
        let view = View(
            personID: person.id, name: person.name, residentID: person.residentID.value,
            sex: pages.label(person.sex, context), birthDate: person.birthDate.description, age: person.birthDate.age(on: panel.services.today),
            hukouType: pages.label(person.hukouType, context),
            region: try await regions.label(person.region),
            residence: try await person.residenceRegion.asyncMap { try await regions.label($0) }, address: person.address, phone: person.phone,
            bankName: person.bankName, bankAccount: person.bankAccount,
            disability: person.disability.map { pages.label($0.category, context) + " " + pages.text("disability.grade", context, ["grade": String($0.grade)]) },
            status: pages.label(person.status, context), deathDate: person.deathDate?.description,
            version: person.version,
            edit: writable ? Route.personEdit.path(person.id) : nil,
            requestMerge: panel.principal.may(.mergeRequest, in: person.region) && person.mergedInto == nil
                ? Route.duplicates.path(query: "keep=\(person.id)") : nil,
            correctID: writable ? Route.personIDCorrection.path(person.id) : nil, sheet: Route.personSheet.path(person.id))
        return panel.panel("registry", title: "person.registry", view)
    }
}

/// The household: its register number, place and members with their relation to the head;
/// a clerk moves the person into another household or out of this one from here.
struct HouseholdPanel: PersonPanelProvider {
    let order = 20

    struct View: Encodable, Sendable {
        struct Member: Encodable, Sendable {
            var personID: Int64
            var href: String
            var name: String
            var relation: String
            var isSelf: Bool
        }
        struct Option: Encodable, Sendable {
            var value: String
            var label: String
        }
        var householdID: Int64?
        var href: String?
        var registerNumber: String?
        var region: String?
        var address: String?
        var members: [Member]
        var version: Int64?
        /// Where the join form posts, for a clerk who may change the person.
        var join: String?
        var relations: [Option]
        /// Where the leave form posts; nil for the head, who hands the headship on first.
        var leave: String?
        var isHead: Bool
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let household = try await panel.services.registry.household(of: person, by: panel.principal)
        let writable = panel.principal.may(.personWrite, in: person.region) && panel.principal.may(.householdWrite, in: person.region)
            && person.mergedInto == nil && person.status == .living
        // A household outside the reader's scope is not shown; with none, only a clerk sees the panel (to join one).
        if household == nil && (person.householdID != nil || !writable) { return nil }
        let pages = panel.services.pages
        let context = panel.context
        let isHead = household?.head?.personID == person.id
        let view = View(
            householdID: household?.id, href: household.map { Route.household.path($0.id) }, registerNumber: household?.registerNumber,
            region: try await household.asyncMap { try await panel.services.regions.label($0.region) }, address: household?.address,
            members: (household?.members ?? []).map {
                View.Member(personID: $0.personID, href: Route.person.path($0.personID), name: $0.name, relation: pages.label($0.relation, context),
                            isSelf: $0.personID == person.id)
            },
            version: household?.version,
            join: writable ? Route.personHousehold.path(person.id) : nil,
            relations: HouseholdRelation.allCases.filter { $0 != .head }.map { .init(value: $0.rawValue, label: pages.label($0, context)) },
            leave: writable && household != nil && !isHead ? Route.personHouseholdLeave.path(person.id) : nil,
            isHead: isHead)
        return panel.panel("household", title: "household.title", view)
    }
}

/// Jobs with insured units, current and past.
struct EmploymentPanel: PersonPanelProvider {
    let order = 30

    struct View: Encodable, Sendable {
        struct Job: Encodable, Sendable {
            var employerID: Int64
            var href: String
            var employer: String
            var startDate: String
            var endDate: String?
        }
        var jobs: [Job]
    }

    func panel(for person: Person, in panel: PanelContext) async throws -> PersonPanel? {
        let jobs = try await panel.services.registry.jobs(of: person, by: panel.principal)
        guard !jobs.isEmpty else { return nil }
        let view = View(jobs: jobs.map {
            .init(employerID: $0.employerID, href: Route.employer.path($0.employerID), employer: $0.employerName, startDate: $0.startDate.description,
                  endDate: $0.endDate?.description)
        })
        return panel.panel("employment", title: "employment.title", view)
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
        let versions = try await panel.services.registry.versions(of: person, by: panel.principal)
        let pages = panel.services.pages
        let context = panel.context
        // A household by its register number, never its row id; one outside the clerk's scope
        // (or since dissolved) as "another household".
        var numbers: [Int64: String] = [:]
        for id in Set(versions.compactMap(\.record.householdID)) {
            numbers[id] = (try? await panel.services.registry.household(id, by: panel.principal).registerNumber) ?? pages.text("history.other_household", context)
        }
        var entries: [View.Entry] = []
        for (index, version) in versions.enumerated() {
            let previous = versions[(index + 1)...].first { $0.ownerID == version.ownerID }
            entries.append(View.Entry(
                version: version.version, changedAt: Timestamp.shown(version.changedAt), changedBy: pages.actor(version.changedBy, context), reason: version.reason,
                changes: previous.map { Self.changes(from: $0.record, to: version.record, households: numbers, pages: pages, context: context) }
                    ?? [pages.text("history.created", context)]))
        }
        let view = View(entries: entries)
        return panel.panel("history", title: "history.title", view)
    }

    /// `地址：A → B` for each field of the one field list that differs, and for the identity,
    /// household and merge links.
    static func changes(from old: Person, to new: Person, households: [Int64: String], pages: PageRenderer, context: ShebaoRequestContext) -> [String] {
        func shown(_ field: PersonField, _ person: Person) -> String? {
            field.valueLabelKey(of: person).map { pages.text($0, context) } ?? field.text(of: person)
        }
        var rows: [(String, String?, String?)] = PersonField.allCases.map { ($0.labelKey, shown($0, old), shown($0, new)) }
        rows += [
            ("person.resident_id", old.residentID.value, new.residentID.value),
            ("household.title", old.householdID.map { households[$0] ?? "" }, new.householdID.map { households[$0] ?? "" }),
            ("merge.merged_into", old.mergedInto.map { _ in pages.text("history.merged_record", context) }, new.mergedInto.map { _ in pages.text("history.merged_record", context) }),
        ]
        return rows.compactMap { key, before, after in
            before == after ? nil : pages.text("history.change", context, ["field": pages.text(key, context), "before": before ?? "—", "after": after ?? "—"])
        }
    }
}

extension Optional {
    /// `map` with an asynchronous, throwing transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
