public import ShebaoCore
public import ShebaoStore

/// The registry (PROGRAMS.md §5): persons, households, employers, duplicates, file imports and
/// exports, the month-end census. Each function is one use case — access, transaction, audit
/// row, typed error — that the API, the pages and the command line share.
///
/// Persons are here; households, employers, merges, imports and exports are in extensions of
/// their own.
public struct RegistryService: Sendable {
    let context: ServiceContext
    let persons = PersonStore()
    let households = HouseholdStore()
    let employers = EmployerStore()
    let merges = MergeStore()

    init(context: ServiceContext) {
        self.context = context
    }

    // MARK: Searching and reading

    /// Persons matching a typed search inside the caller's scope. A search by name or ID is audited
    /// (RELIABILITY §B4: typo-tolerant search must be logged), whichever surface it came from.
    public func searchPersons(_ text: PersonSearchText, paging: Paging = Paging(), by principal: Principal) async throws(ServiceError) -> Page<Person> {
        try principal.require(.personList)
        let query = try await parse(text, by: principal)
        let scope = principal.scope
        let page = try await context.read { db in try await PersonStore().search(query, in: scope, paging: paging, on: db) }
        if query.name != nil || query.residentID != nil {
            try await context.record(AuditEvent(actor: AuditActor(principal), action: .search, entity: "person", entityID: "query", region: scope, after: query))
        }
        return page
    }

    /// One person's full record, audited as a read (RELIABILITY §A3); absent and out of scope
    /// alike are `notFound`.
    public func person(_ id: Int64, by principal: Principal) async throws(ServiceError) -> Person {
        guard let person = try await context.read({ db in try await PersonStore().find(id: id, on: db) }) else { throw .notFound }
        try Self.requireRead(person, principal)
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .read, entity: "person", entityID: String(person.id), region: person.region))
        return person
    }

    /// Every version of a person's record (a full read, audited as one).
    public func personHistory(_ id: Int64, by principal: Principal) async throws(ServiceError) -> [RecordVersion<Person>] {
        let person = try await person(id, by: principal)
        return Self.visible(try await context.read { db in try await PersonStore().history(of: person.id, on: db) }, of: person, to: principal)
    }

    /// The versions of a record a reader may see: its own, and those of records merged into it
    /// only where they were registered inside the reader's scope (a merge must not hand one town
    /// another town's ID numbers, phones and addresses).
    static func visible(_ versions: [RecordVersion<Person>], of person: Person, to principal: Principal) -> [RecordVersion<Person>] {
        versions.filter { $0.ownerID == person.id || principal.scope.contains($0.record.region) }
    }

    /// The versions of a record the caller has just opened (for the history panel; not audited again).
    public func versions(of person: Person, by principal: Principal) async throws(ServiceError) -> [RecordVersion<Person>] {
        try Self.requireRead(person, principal)
        return Self.visible(try await context.read { db in try await PersonStore().history(of: person.id, on: db) }, of: person, to: principal)
    }

    /// The jobs of a record the caller has opened.
    public func jobs(of person: Person, by principal: Principal) async throws(ServiceError) -> [Employment] {
        try Self.requireRead(person, principal)
        return try await context.read { db in try await EmployerStore().employments(of: person.id, on: db) }
    }

    /// Registered persons in the caller's scope (not audited: a count names no one).
    public func personCount(by principal: Principal) async throws(ServiceError) -> Int {
        let scope = principal.scope
        return try await context.read { db in try await PersonStore().count(in: scope, on: db) }
    }

    /// Persons per township of the caller's scope, for leaders' statistics.
    public func countsByTownship(by principal: Principal) async throws(ServiceError) -> [RegionCode: Int] {
        try principal.require(.statisticsRead)
        let scope = principal.scope
        return try await context.read { db in try await PersonStore().countsByTownship(in: scope, on: db) }
    }

    // MARK: Registering and changing

    /// Registers a person after checking every field (every problem at once).
    public func registerPerson(residentID text: String?, _ input: PersonDetails.Input, reason: String?, by principal: Principal) async throws(ServiceError) -> Person {
        try principal.require(.personWrite)
        let today = context.today
        let (residentID, details) = try Self.checked("residentID", key: { () throws(ResidentIDError) in try ResidentID(text ?? "", today: today) },
                                                     details: try await validate(input, scope: principal.scope))
        let actor = AuditActor(principal)
        let reason = Self.reason(reason, otherwise: "registered")
        let now = context.now
        return try await context.write { db in
            guard try await PersonStore().existingResidentIDs([residentID.value], on: db).isEmpty else {
                throw ServiceError.invalid("residentID", "import.already_registered", ["id": residentID.value])
            }
            let new = NewPerson(residentID: residentID, details: details)
            let ids = try await PersonStore().insert([new], by: actor, reason: reason, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "person", entityID: String(ids[0]), region: details.region, after: new), on: db, at: now)
            guard let person = try await PersonStore().find(id: ids[0], on: db) else { throw ServiceError.notFound }
            return person
        }
    }

    /// Changes a person as a new version. `input` leaves out (nil) what does not change;
    /// `expectedVersion` is the version the clerk saw: a newer one is a conflict, never overwritten.
    public func updatePerson(_ id: Int64, _ input: PersonDetails.Input, residentID: String? = nil, expectedVersion: Int64?, reason: String?,
                             by principal: Principal) async throws(ServiceError) -> Person {
        try principal.require(.personWrite)
        guard let expectedVersion else { throw .invalid("version", "field.required") }
        guard let reason = reason?.trimmingASCIIWhitespace(), !reason.isEmpty else { throw .invalid("reason", "field.required") }
        let regions = try await context.perform { try await context.regions.allCodes() }
        let labels = context.strings
        let today = context.today
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let current = try await PersonStore().lock(id: id, on: db), principal.may(.personWrite, in: current.region), current.mergedInto == nil else {
                throw ServiceError.notFound
            }
            if let residentID, residentID != current.residentID.value { throw ServiceError.invalid("residentID", "person.resident_id_fixed") }
            guard current.version == expectedVersion else { throw ServiceError.versionConflict(current: current.version) }
            let details = try PersonDetails.validate(input.filling(from: current), labels: { labels.labels($0) }, knownRegion: { regions.contains($0) },
                                                     scope: principal.scope, today: today).get()
            var updated = current.applying(details)
            updated.version = current.version + 1
            try await PersonStore().save(updated, at: now, on: db)
            try await PersonStore().recordVersions(ids: [id], by: actor, reason: reason, at: now, on: db)
            if updated.name != current.name { try await PersonStore().rebuildNameKeys(ids: [id], on: db) }
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "person", entityID: String(id), region: updated.region, before: current, after: updated),
                on: db, at: now)
            return updated
        }
    }

    // MARK: Exporting

    /// The list as searched, with full resident IDs, as CSV or XLSX. Every export is audited with
    /// the same row whichever surface asked: who, how many rows, a digest of the search. Access,
    /// the count and the audit row come first, so a refusal is an ordinary error; the rows then
    /// follow in keyset pages as the reader takes them.
    public func exportPersons(_ text: PersonSearchText, format: FileFormat, language: Language, by principal: Principal) async throws(ServiceError) -> ExportFile {
        try principal.require(.exportList)
        let query = try await parse(text, by: principal)
        let scope = principal.scope
        let total = try await context.read { db in try await PersonStore().count(query, in: scope, on: db) }
        guard total <= Self.exportLimit else { throw ServiceError.refused("export.too_many", ["limit": String(Self.exportLimit)]) }
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .export, entity: "person", entityID: "rows:\(total)",
                                            region: scope, after: ["query": text.queryString]))
        let context = context
        return Self.personTable(strings: context.strings, language: language).file(
            format, baseName: context.strings.text("export.persons_file", language), asciiBase: "persons", rows: total
        ) { page in
            try await readAhead { (after: PersonCursor?) in
                try await context.database.read { db in try await PersonStore().page(query, in: scope, after: after, limit: Self.exportPageSize, on: db) }
            } each: { people in
                guard !people.isEmpty else { return }
                let labels = try await context.regions.labels(of: Set(people.map(\.region)))
                let households = try await context.database.read { db in
                    try await HouseholdStore().numbersAndHeads(of: people.compactMap(\.householdID), on: db)
                }
                try await page(Self.personRows(people, labels: labels, households: households, strings: context.strings, language: language))
            }
        }
    }

    // MARK: Helpers

    func parse(_ text: PersonSearchText, by principal: Principal) async throws(ServiceError) -> PersonQuery {
        switch text.query(today: context.today) {
        case .success(let query):
            if let region = query.region { _ = try await regionFilter(region.value, by: principal) }
            return query
        case .failure(let issue): throw .invalid([issue])
        }
    }

    /// A region a caller filters a list by: one of the directory's, inside their scope. Anything
    /// else — malformed, unknown, or outside the scope — is the same 422 naming `field`, so a
    /// filter neither is silently dropped nor tells a clerk what exists outside their town (issue 13).
    public func regionFilter(_ text: String, field: String = "region", by principal: Principal) async throws(ServiceError) -> RegionCode {
        let regions = context.regions
        let code = try? RegionCode(text)
        guard let code, principal.scope.contains(code), try await context.perform({ try await regions.find(code) }) != nil else {
            throw .invalid(field, "region_code.unknown", ["code": text])
        }
        return code
    }

    /// A new record's natural key and its details checked together, so that the form shows every
    /// problem at once, not the key's first.
    static func checked<Key, Details, Failure: CodedError>(_ field: String, key parse: () throws(Failure) -> Key,
                                                           details: Result<Details, FieldIssues>) throws(ServiceError) -> (Key, Details) {
        var issues: [FieldIssue] = []
        var key: Key?
        do {
            key = try parse()
        } catch {
            issues.append(FieldIssue(field, error))
        }
        switch details {
        case .success(let details): if let key { return (key, details) }
        case .failure(let found): issues += found.issues
        }
        throw .invalid(issues)
    }

    func validate(_ input: PersonDetails.Input, scope: RegionCode) async throws(ServiceError) -> Result<PersonDetails, FieldIssues> {
        let regions = try await context.perform { try await context.regions.allCodes() }
        let strings = context.strings
        return PersonDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: scope, today: context.today)
    }

    /// Staff read records in their scope; citizens their own; other roles nothing (403).
    static func requireRead(_ person: Person, _ principal: Principal) throws(ServiceError) {
        if AccessPolicy.allows(principal.role, .personRead) {
            try principal.require(.personRead, in: person.region)
        } else if AccessPolicy.allows(principal.role, .ownRecordRead) {
            guard principal.personID == person.id else { throw .notFound }
        } else {
            throw .forbidden
        }
    }

    /// A given reason, or `fallback` when the clerk left it blank.
    static func reason(_ text: String?, otherwise fallback: String) -> String {
        let trimmed = (text ?? "").trimmingASCIIWhitespace()
        return trimmed.isEmpty ? fallback : trimmed
    }
}
