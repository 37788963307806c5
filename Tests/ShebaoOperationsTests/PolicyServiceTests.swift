import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

@Suite("The policy book")
struct PolicyServiceTests {
    /// Loading the defaults twice inserts nothing the second time, and leaves a user's value alone.
    @Test(arguments: TestDatabaseKind.available)
    func defaultsLoadOnceAndUserRowsStay(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            let now = SystemClock().now()
            _ = try await database.write { db in try await RegionStore().insertMissing(try RegionStore.bundledRegions(), on: db) }
            #expect(try await database.write { db in try await ParameterStore().loadDefaults(at: now, on: db) }.count == PolicyDefaults.parameters.count)
            #expect(try await database.write { db in try await ParameterStore().loadDefaults(at: now, on: db) }.isEmpty)
            let book = try await testOperations(database).policy.book()
            let district = RegionCode(trusted: "331004000000")
            let december = try book.resolve("dibao.standard.street", region: district, on: LocalDate(year: 2003, month: 12, day: 1)!)
            let january = try book.resolve("dibao.standard.street", region: district, on: LocalDate(year: 2004, month: 1, day: 1)!)
            #expect(december.value == .money(.yuan(180)))
            #expect(january.value == .money(.yuan(210)))
            #expect(january.legalBasis.contains("2520"))
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    /// A proposal is checked as written: unknown key, bad value, bad date, no legal basis, a region
    /// outside the scope; nothing is stored for a refused one.
    @Test(arguments: TestDatabaseKind.available)
    func proposalsAreCheckedAsWritten(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let policy = operations.policy
            let clerk = try await operations.access.principal(named: "district")
            func propose(_ key: String = "dibao.standard.rural", _ value: String = "900", date: String = "2030-01-01", basis: String = "通知",
                         region: String = "331004000000") async throws -> ParameterRecord {
                try await policy.propose(ParameterProposal(key: key, regionCode: region, validFrom: date, value: value, legalBasis: basis), by: clerk)
            }
            await #expect(throws: ServiceError.invalid("key", "parameter.unknown_key", ["key": "dibao.standard.moon"])) { _ = try await propose("dibao.standard.moon") }
            await #expect(throws: ServiceError.invalid("value", "parameter.bad_value", ["kind": "money"])) { _ = try await propose("dibao.standard.rural", "9.001") }
            await #expect(throws: ServiceError.invalid("validFrom", "parameter.bad_date", ["date": "2030-02-30"])) { _ = try await propose(date: "2030-02-30") }
            await #expect(throws: ServiceError.invalid("legalBasis", "parameter.legal_basis_required")) { _ = try await propose(basis: "  ") }
            await #expect(throws: ServiceError.invalid("regionCode", "parameter.bad_region", ["region": "331003000000"])) { _ = try await propose(region: "331003000000") }
            #expect(try await policy.records(status: .proposed, by: clerk).isEmpty)
            let record = try await propose()
            #expect(record.parameter.value == .money(.yuan(900)))
            #expect(record.parameter.unit == "yuan/person/month")
            // Not in force until approved.
            #expect(try await policy.book().resolve("dibao.standard.rural", region: clerk.scope, on: LocalDate(year: 2030, month: 1, day: 1)!).value == .money(.yuan(1200)))
            // Approved by another person, it is; the cached book notices.
            let reviewer = try await operations.access.principal(named: "reviewer")
            #expect(try await policy.decide(record.id, approve: true, by: reviewer).status == .approved)
            #expect(try await policy.book().resolve("dibao.standard.rural", region: clerk.scope, on: LocalDate(year: 2030, month: 1, day: 1)!).value == .money(.yuan(900)))
            await #expect(throws: ServiceError.conflict("parameter.not_pending")) { _ = try await policy.decide(record.id, approve: false, by: reviewer) }
        }
    }

    /// No production path falls back to a district of its own: without an installation the
    /// default region is refused with a message saying how to set one up.
    @Test(arguments: TestDatabaseKind.available)
    func theDefaultRegionIsTheInstallations(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await Setup.prepare(database, migrations: allMigrations)
            let operations = testOperations(database)
            await #expect(throws: ServiceError.conflict("installation.missing")) { _ = try await operations.policy.defaultRegion() }
            await #expect(throws: ServiceError.invalid("region", "installation.not_a_county", ["code": "331004103000"])) {
                _ = try await operations.installation.initialize(region: "331004103000")
            }
            let installation = try await operations.installation.initialize(region: "331004")
            #expect(installation.name == "路桥区")
            #expect(installation.townships.count == 12)
            #expect(try await operations.policy.defaultRegion() == RegionCode(trusted: "331004000000"))
            await #expect(throws: ServiceError.conflict("installation.exists", ["name": "路桥区", "code": "331004000000"])) {
                _ = try await operations.installation.initialize(region: "331003")
            }
        }
    }
}
