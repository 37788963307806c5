public import ShebaoCore
public import ShebaoStore

/// Employers (参保单位): search, register, change as versions, staff, export.
extension RegistryService {
    public func searchEmployers(_ text: EmployerSearchText, paging: Paging = Paging(), by principal: Principal) async throws(ServiceError) -> Page<Employer> {
        try principal.require(.employerRead)
        let query = try await parse(text, by: principal)
        let scope = principal.scope
        return try await context.read { db in try await EmployerStore().search(query, in: scope, paging: paging, on: db) }
    }

    /// A unit, if the caller may see it: staff within scope, or the unit's own agent.
    public func employer(_ id: Int64, by principal: Principal) async throws(ServiceError) -> Employer {
        guard let employer = try await context.read({ db in try await EmployerStore().find(id: id, on: db) }) else { throw .notFound }
        try Self.requireRead(employer, principal)
        return employer
    }

    /// The agent's own unit, if the account is linked to one.
    public func ownEmployer(by principal: Principal) async throws(ServiceError) -> Employer? {
        guard principal.role == .employerAgent, let id = principal.employerID else { return nil }
        return try await employer(id, by: principal)
    }

    /// The unit's current staff inside the caller's scope, and the number registered elsewhere.
    public func staff(of employer: Employer, by principal: Principal) async throws(ServiceError) -> (staff: [Employment], elsewhere: Int) {
        try Self.requireRead(employer, principal)
        let scope = principal.scope
        return try await context.read { db in try await EmployerStore().staff(of: employer.id, in: scope, limit: 500, on: db) }
    }

    public func employerHistory(_ employer: Employer, by principal: Principal) async throws(ServiceError) -> [RecordVersion<Employer>] {
        try principal.require(.employerRead, in: employer.region)
        return try await context.read { db in try await EmployerStore().history(of: employer.id, on: db) }
    }

    public func registerEmployer(creditCode text: String?, _ input: EmployerDetails.Input, reason: String?, by principal: Principal)
        async throws(ServiceError) -> Employer
    {
        try principal.require(.employerWrite)
        let (code, details) = try Self.checked("creditCode", key: { () throws(CreditCodeError) in try CreditCode(text ?? "") },
                                               details: try await validate(input, scope: principal.scope))
        let actor = AuditActor(principal)
        let reason = Self.reason(reason, otherwise: "registered")
        let now = context.now
        return try await context.write { db in
            guard try await EmployerStore().existingCreditCodes([code.value], on: db).isEmpty else {
                throw ServiceError.invalid("creditCode", "import.already_registered", ["id": code.value])
            }
            let ids = try await EmployerStore().insert([(code, details)], by: actor, reason: reason, at: now, on: db)
            guard let employer = try await EmployerStore().find(id: ids[0], on: db) else { throw ServiceError.notFound }
            try await context.append(
                AuditEvent(actor: actor, action: .create, entity: "employer", entityID: String(employer.id), region: details.region, after: employer),
                on: db, at: now)
            return employer
        }
    }

    /// Changes a unit as a new version; `input` leaves out (nil) what does not change.
    public func updateEmployer(_ id: Int64, _ input: EmployerDetails.Input, expectedVersion: Int64?, reason: String?, by principal: Principal)
        async throws(ServiceError) -> Employer
    {
        try principal.require(.employerWrite)
        guard let expectedVersion else { throw .invalid("version", "field.required") }
        guard let reason = reason?.trimmingASCIIWhitespace(), !reason.isEmpty else { throw .invalid("reason", "field.required") }
        let regions = try await context.perform { try await context.regions.allCodes() }
        let strings = context.strings
        let actor = AuditActor(principal)
        let now = context.now
        return try await context.write { db in
            guard let current = try await EmployerStore().lock(id: id, on: db), principal.may(.employerWrite, in: current.region) else {
                throw ServiceError.notFound
            }
            guard current.version == expectedVersion else { throw ServiceError.versionConflict(current: current.version) }
            let details = try EmployerDetails.validate(input.filling(from: current), labels: { strings.labels($0) }, knownRegion: { regions.contains($0) },
                                                       scope: principal.scope).get()
            let updated = try await EmployerStore().update(current, to: details, by: actor, reason: reason, at: now, on: db)
            try await context.append(
                AuditEvent(actor: actor, action: .update, entity: "employer", entityID: String(id), region: details.region, before: current, after: updated),
                on: db, at: now)
            return updated
        }
    }

    /// The unit list as searched, the same way as ``exportPersons(_:format:language:by:)``.
    public func exportEmployers(_ text: EmployerSearchText, format: FileFormat, language: Language, by principal: Principal) async throws(ServiceError) -> ExportFile {
        try principal.require(.exportList)
        let query = try await parse(text, by: principal)
        let scope = principal.scope
        let total = try await context.read { db in try await EmployerStore().count(query, in: scope, on: db) }
        guard total <= Self.exportLimit else { throw ServiceError.refused("export.too_many", ["limit": String(Self.exportLimit)]) }
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .export, entity: "employer", entityID: "rows:\(total)",
                                            region: scope, after: ["query": text.queryString]))
        let context = context
        return Self.employerTable(strings: context.strings, language: language).file(
            format, baseName: context.strings.text("export.employers_file", language), asciiBase: "employers", rows: total
        ) { page in
            try await readAhead { (after: Int64?) in
                let units = try await context.database.read { db in
                    try await EmployerStore().page(query, in: scope, after: after, limit: Self.exportPageSize, on: db)
                }
                return (units, units.last?.id)
            } each: { units in
                guard !units.isEmpty else { return }
                let labels = try await context.regions.labels(of: Set(units.map(\.region)))
                try await page(Self.employerRows(units, labels: labels, strings: context.strings, language: language))
            }
        }
    }

    func parse(_ text: EmployerSearchText, by principal: Principal) async throws(ServiceError) -> EmployerQuery {
        switch text.query() {
        case .success(let query):
            if let region = query.region { _ = try await regionFilter(region.value, by: principal) }
            return query
        case .failure(let issue): throw .invalid([issue])
        }
    }

    func validate(_ input: EmployerDetails.Input, scope: RegionCode) async throws(ServiceError) -> Result<EmployerDetails, FieldIssues> {
        let regions = try await context.perform { try await context.regions.allCodes() }
        let strings = context.strings
        return EmployerDetails.validate(input, labels: { strings.labels($0) }, knownRegion: { regions.contains($0) }, scope: scope)
    }

    static func requireRead(_ employer: Employer, _ principal: Principal) throws(ServiceError) {
        if principal.role == .employerAgent {
            guard principal.employerID == employer.id else { throw .notFound }
            return
        }
        try principal.require(.employerRead, in: employer.region)
    }
}
