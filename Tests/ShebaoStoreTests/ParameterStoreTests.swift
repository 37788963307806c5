import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("The policy book in the database")
struct ParameterStoreTests {
    /// Loading the defaults twice inserts nothing the second time, and leaves a user's value alone.
    @Test(arguments: TestDatabaseKind.available)
    func defaultsLoadOnceAndUserRowsStay(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await RegionStore(database: database).insertMissing(try RegionStore.bundledRegions())
            let store = ParameterStore(database: database)
            #expect(try await store.loadDefaults() == PolicyDefaults.parameters.count)
            #expect(try await store.loadDefaults() == 0)
            let book = try await store.book()
            let district = RegionCode(trusted: "331004000000")
            let december = try book.resolve("dibao.standard.street", region: district, on: LocalDate(year: 2003, month: 12, day: 1)!)
            let january = try book.resolve("dibao.standard.street", region: district, on: LocalDate(year: 2004, month: 1, day: 1)!)
            #expect(december.value == .money(.yuan(180)))
            #expect(january.value == .money(.yuan(210)))
            #expect(january.legalBasis.contains("2520"))
            #expect(try await AuditLog.verify(database).isIntact)
        }
    }

    /// A proposal is checked as written: unknown key, bad value, bad date, no legal basis; nothing
    /// is stored for a refused one.
    @Test(arguments: TestDatabaseKind.available)
    func proposalsAreCheckedAsWritten(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await RegionStore(database: database).insertMissing(try RegionStore.bundledRegions())
            let store = ParameterStore(database: database)
            try await store.loadDefaults()
            let clerk = try await UserStore(database: database, hasher: testHasher).create(
                username: "clerk", displayName: "经办", role: .districtClerk, region: RegionCode(trusted: "331004000000"), password: "correct horse battery", by: .system("test")
            ).principal
            func propose(_ key: String = "dibao.standard.rural", _ value: String = "900", date: String = "2030-01-01", basis: String = "通知",
                         region: String = "331004000000") async throws -> ParameterRecord {
                try await store.propose(ParameterProposal(key: key, regionCode: region, validFrom: date, value: value, legalBasis: basis), by: clerk)
            }
            await #expect(throws: ParameterStoreError.unknownKey("dibao.standard.moon")) { _ = try await propose("dibao.standard.moon") }
            await #expect(throws: ParameterStoreError.wrongKind(expected: "money")) { _ = try await propose("dibao.standard.rural", "9.001") }
            await #expect(throws: ParameterStoreError.badDate("2030-02-30")) { _ = try await propose(date: "2030-02-30") }
            await #expect(throws: ParameterStoreError.legalBasisRequired) { _ = try await propose(basis: "  ") }
            await #expect(throws: StoreError.self) { _ = try await propose(region: "331003000000") }  // outside the clerk's scope
            #expect(try await store.records(status: .proposed).isEmpty)
            let record = try await propose()
            #expect(record.parameter.value == .money(.yuan(900)))
            #expect(record.parameter.unit == "yuan/person/month")
            // Not in force until approved.
            #expect(try await store.book().resolve("dibao.standard.rural", region: clerk.scope, on: LocalDate(year: 2030, month: 1, day: 1)!).value == .money(.yuan(180)))
        }
    }
}
