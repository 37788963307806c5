public import ShebaoCore
public import ShebaoStore

/// A person's social insurance: what they are enrolled in and the bases they declared.
public struct InsuranceRecord: Sendable {
    public var enrolments: [Enrolment]
    public var bases: [(year: Int, declared: Money)]
}

/// Social insurance (PROGRAMS.md §2.1–2.6): enrolments, bases, the monthly assessment.
public struct InsuranceService: Sendable {
    let context: ServiceContext

    /// A person's enrolments and bases, for whoever may read the person (staff in scope, the
    /// citizen themself).
    public func record(of person: Person, by principal: Principal) async throws(ServiceError) -> InsuranceRecord {
        try RegistryService.requireRead(person, principal)
        return try await context.read { db in
            InsuranceRecord(enrolments: try await InsuranceStore().enrolments(of: person.id, on: db), bases: try await InsuranceStore().bases(of: person.id, on: db))
        }
    }
}
