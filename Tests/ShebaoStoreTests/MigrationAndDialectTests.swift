import SQLKit
import ShebaoCore
import ShebaoTestSupport
import Testing
@testable import ShebaoStore

@Suite("Migrations and the dialect adapter")
struct MigrationAndDialectTests {
    @Test(arguments: TestDatabaseKind.available)
    func migrationsApplyOnceAndRecordTheirVersion(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            let latest = Migrator.latestVersion(of: allMigrations)
            #expect(try await Migrator.migrate(database, migrations: allMigrations) == Array(1...latest))
            #expect(try await Migrator.migrate(database, migrations: allMigrations) == [])
            #expect(try await Migrator.currentVersion(database) == latest)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aNewerSchemaIsRefused(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            try await database.write { db in
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01T00:00:00.000Z')").run()
            }
            await #expect(throws: StoreError.unknownSchemaVersion(9999)) { try await Migrator.migrate(database, migrations: allMigrations) }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func failedTransactionsLeaveNothingBehind(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { (database: ShebaoDatabase) async throws in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.write { db in
                    try await db.raw("INSERT INTO regions (code, name, level) VALUES ('330000000000', '浙江省', 'province')").run()
                    throw Boom()
                }
            }
            let count = try await database.read { db in
                try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM regions").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(count == 0)
        }
    }

    /// A database with assessment lines from before 0019 keeps them, keyed scheme by scheme; on
    /// PostgreSQL enrolments are then found by person through a hash index (0020).
    @Test(arguments: TestDatabaseKind.available)
    func assessmentLinesSurviveTheirNewKey(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            _ = try await Migrator.migrate(database, migrations: allMigrations.filter { $0.version <= 18 })
            @Sendable func line(_ enrolment: Int64, _ scheme: String) -> SQLQueryString {
                """
                INSERT INTO assessment_lines (run_id, enrolment_id, period, person_id, employer_id, scheme, chunk, base_fen, individual_fen, employer_fen,
                    account_credit_fen, employer_transfer_fen)
                VALUES (7, \(bind: enrolment), 202607, 1, NULL, \(bind: scheme), 'persons:1-100', 500000, 40000, 80000, 40000, 0)
                """
            }
            try await database.write { db in
                try await db.raw(line(1, "pension")).run()
                try await db.raw(line(2, "medical")).run()
            }
            #expect(try await Migrator.migrate(database, migrations: allMigrations).contains(19))
            let kept = try await database.read { db in
                try await db.raw("SELECT enrolment_id, scheme, individual_fen FROM assessment_lines ORDER BY enrolment_id").all().map {
                    (try $0.decode(column: "enrolment_id", as: Int64.self), try $0.decode(column: "scheme", as: String.self),
                     try $0.decode(column: "individual_fen", as: Int64.self))
                }
            }
            #expect(kept.map(\.0) == [1, 2] && kept.map(\.1) == ["pension", "medical"] && kept.allSatisfy { $0.2 == 40000 })
            await #expect(throws: (any Error).self) { try await database.write { db in try await db.raw(line(1, "pension")).run() } }
            if database.dialect == .postgres {
                let method = try await database.read { db in
                    try await db.raw("""
                        SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relname = 'enrolments_person' AND n.nspname = current_schema()
                        """).first()?
                        .decode(column: "amname", as: String.self)
                }
                #expect(method == "hash")
            }
        }
    }

    /// A database from before 0042 keeps each pension's last month paid and its arrears: they move
    /// to `pension_progress`, and `pensions` no longer has them (nothing can read a stale copy).
    @Test(arguments: TestDatabaseKind.available)
    func pensionsKeepTheirProgressInItsOwnTable(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            _ = try await Migrator.migrate(database, migrations: allMigrations.filter { $0.version <= 41 })
            try await database.write { db in
                try await db.raw("INSERT INTO regions (code, name, level) VALUES ('331004000000', '路桥区', 'district')").run()
                for (id, paidThrough, arrears) in [(Int64(1), Int64?(202605), Int64(1234)), (2, nil, 0)] {
                    try await db.raw(
                        """
                        INSERT INTO persons (id, resident_id, name, sex, birth_date, hukou_type, region_code, created_at, updated_at)
                        VALUES (\(bind: id), \(bind: "33100419600101000\(id)"), '退休人', 'male', '1960-01-01', 'urban', '331004000000', 't', 't')
                        """
                    ).run()
                    try await db.raw(
                        """
                        INSERT INTO cases (id, case_type, region_code, person_id, state, payload, opened_at, updated_at, version)
                        VALUES (\(bind: id), 'pension_award', '331004000000', \(bind: id), 'approved', '{}', 't', 't', 1)
                        """
                    ).run()
                    try await db.raw(
                        """
                        INSERT INTO pensions (person_id, case_id, region_code, retirement_date, start_period, monthly_fen, basic_fen, account_fen,
                            transitional_fen, top_up_fen, state, awarded_at, awarded_by, paid_through, arrears_fen)
                        VALUES (\(bind: id), \(bind: id), '331004000000', '2020-01-01', 202002, 300000, 200000, 100000, 0, 0, 'paying', 't', 'test',
                            \(bind: paidThrough), \(bind: arrears))
                        """
                    ).run()
                }
            }
            #expect(try await Migrator.migrate(database, migrations: allMigrations).contains(42))
            let progress = try await database.read { db in
                try await db.raw("SELECT person_id, paid_through, arrears_fen FROM pension_progress ORDER BY person_id").all().map {
                    [try $0.decode(column: "person_id", as: Int64.self), try $0.decode(column: "paid_through", as: Int64?.self) ?? -1,
                     try $0.decode(column: "arrears_fen", as: Int64.self)]
                }
            }
            #expect(progress == [[1, 202605, 1234], [2, -1, 0]])
            await #expect(throws: (any Error).self) { try await database.read { db in try await db.raw("SELECT paid_through FROM pensions").all() } }
            // Progress is kept only for a pension.
            await #expect(throws: (any Error).self) {
                try await database.write { db in try await db.raw("INSERT INTO pension_progress (person_id, paid_through) VALUES (3, 202605)").run() }
            }
        }
    }

    /// A database from before 0043 keeps every payment, id and all, under the key month first: a
    /// month is still paid once per person, kind and attempt, and a person's payments are found.
    @Test(arguments: TestDatabaseKind.available)
    func paymentsSurviveTheirKeyByMonth(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            _ = try await Migrator.migrate(database, migrations: allMigrations.filter { $0.version <= 42 })
            try await database.write { db in
                try await Self.insertDistrictAndRun(state: "posted", chunks: 0, on: db)
                try await db.raw(
                    """
                    INSERT INTO persons (id, resident_id, name, sex, birth_date, hukou_type, region_code, created_at, updated_at)
                    VALUES (1, '331004196001010001', '退休人', 'male', '1960-01-01', 'urban', '331004000000', 't', 't')
                    """
                ).run()
                try await db.raw(Self.payment(id: 5, state: "failed")).run()
                try await db.raw(Self.payment(id: 3, attempt: 2, state: "paid", payee: "敬老院")).run()
            }
            #expect(try await Migrator.migrate(database, migrations: allMigrations).contains(43))
            let kept = try await database.read { db in try await PayrollStore().payments(of: 1, limit: 10, on: db) }
            #expect(kept.map(\.id) == [3, 5] && kept.map(\.state) == ["paid", "failed"] && kept.allSatisfy { $0.amount == Money(fen: 300000) })
            let payee = try await database.read { db in
                try await db.raw("SELECT payee_name FROM pension_payments WHERE id = 3").first()?.decode(column: "payee_name", as: String?.self)
            }
            #expect(payee == "敬老院")
            // Still once per month, kind and attempt; on SQLite new payments are numbered after the kept ones.
            await #expect(throws: (any Error).self) { try await database.write { db in try await db.raw(Self.payment(id: 6, attempt: 2)).run() } }
            let next = try await database.write { db in
                try await db.raw("\(Self.payment(attempt: 3)) RETURNING id").first()?.decode(column: "id", as: Int64.self)
            }
            // SQLite built the table again; PostgreSQL's numbering is the one it had.
            #expect(next != nil && (database.dialect == .postgres || next == 6))
        }
    }

    /// A run computed before 0044 posts what its payments hold: its chunks' totals per fund, first
    /// and last payment are filled in from them.
    @Test(arguments: TestDatabaseKind.available)
    func aRunComputedBeforeChunkTotalsPostsItsPayments(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            _ = try await Migrator.migrate(database, migrations: allMigrations.filter { $0.version <= 43 })
            try await database.write { db in
                try await Self.insertDistrictAndRun(state: "approved", chunks: 2, on: db)
                try await db.raw(Self.payment(person: 1, fund: "enterprise_pension", amount: 300_000)).run()
                try await db.raw(Self.payment(person: 2, fund: "work_injury", amount: 65_000, kind: "work_injury")).run()
                try await db.raw(Self.payment(person: 101, chunk: "persons:101-200", fund: "enterprise_pension", amount: 250_001)).run()
            }
            #expect(try await Migrator.migrate(database, migrations: allMigrations).contains(44))
            let totals = try await database.read { db in try await PayrollStore().totalsByFund(run: 1, on: db) }
            #expect(totals == [.enterprisePension: Money(fen: 550_001), .workInjury: Money(fen: 65_000)])
            let chunks = try await database.read { db in
                try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM payroll_chunk_totals WHERE run_id = 1").first()?.decode(column: "n", as: Int64.self)
            }
            #expect(chunks == 3)
            // The run's payments are found between its chunks' first and last, with no index by run.
            let range = try await database.read { db in try await PayrollStore().paymentRange(run: 1, on: db) }
            #expect(range == 1...3)
        }
    }

    /// The district and payroll run 1 (May 2026) the payroll migrations' tests start from.
    static func insertDistrictAndRun(state: String, chunks: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO regions (code, name, level) VALUES ('331004000000', '路桥区', 'district')").run()
        try await db.raw(
            """
            INSERT INTO batch_runs (id, kind, period, scope_code, state, inputs, chunk_keys, chunk_count, created_by_name, created_at)
            VALUES (1, \(bind: PayrollStore.payrollKind), 202605, '331004000000', \(bind: state), '{}', '[]', \(bind: chunks), 'test', 't')
            """
        ).run()
    }

    /// A payment of run 1, numbered by the database unless `id` is given.
    static func payment(id: Int64? = nil, person: Int64 = 1, chunk: String = "persons:1-100", period: Int64 = 202605, attempt: Int64 = 1,
                        fund: String = "enterprise_pension", amount: Int64 = 300_000, state: String = "pending", kind: String = "pension",
                        payee: String? = nil) -> SQLQueryString {
        let number: SQLQueryString = id.map { "\(bind: $0), " } ?? ""
        return """
            INSERT INTO pension_payments (\(unsafeRaw: id == nil ? "" : "id, ")run_id, chunk, person_id, period, attempt, months, region_code, fund, amount_fen,
                payment_point_id, bank_code, bank_account, account_version, state, kind, payee_name)
            VALUES (\(number)1, \(bind: chunk), \(bind: person), \(bind: period), \(bind: attempt), 1, '331004000000', \(bind: fund), \(bind: amount), 1,
                'ICBC', '6222000000000001', 1, \(bind: state), \(bind: kind), \(bind: payee))
            """
    }

    /// A database from before 0021 keeps its paid months and collection lines: a paid month is
    /// then the person's in a scheme and month whoever paid it (a unit or none), and a collection
    /// line names a unit or a person, never neither.
    @Test(arguments: TestDatabaseKind.available)
    func paidMonthsAndCollectionsSurviveOwnAccountCollection(kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, migrate: false) { (database: ShebaoDatabase) async throws in
            _ = try await Migrator.migrate(database, migrations: allMigrations.filter { $0.version <= 20 })
            @Sendable func month(_ employer: String) -> SQLQueryString {
                """
                INSERT INTO paid_months (person_id, scheme, period, employer_id, base_fen, individual_fen, account_credit_fen, employer_transfer_fen, credited_on)
                VALUES (1, 'pension', 202607, \(unsafeRaw: employer), 500000, 40000, 40000, 0, '2026-07-20')
                """
            }
            @Sendable func line(_ voucher: String, creditCode: String?) -> SQLQueryString {
                """
                INSERT INTO collections (file_id, row_number, voucher, credit_code, period, scheme, amount_fen, paid_on, state)
                VALUES (1, 2, \(bind: voucher), \(bind: creditCode), 202607, 'pension', 100, '2026-07-20', 'unmatched')
                """
            }
            try await database.write { db in
                try await db.raw(month("5")).run()
                try await db.raw(
                    """
                    INSERT INTO collection_files (file_name, sha256, region_code, row_count, amount_fen, imported_at, imported_by)
                    VALUES ('t.csv', 'abc', '331004000000', 1, 100, '2026-07-21T00:00:00Z', 'test')
                    """
                ).run()
                try await db.raw(line("V1", creditCode: "91331004MA2DEMKQ9X")).run()
            }
            #expect(try await Migrator.migrate(database, migrations: allMigrations).contains(21))
            let kept = try await database.read { db in
                (try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM paid_months WHERE employer_id = 5"),
                 try await SQLPieces.count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM collections WHERE credit_code = '91331004MA2DEMKQ9X' AND person_id IS NULL"))
            }
            #expect(kept == (1, 1))
            // The same person, scheme and month again — paid by no unit, or by another — is refused.
            await #expect(throws: (any Error).self) { try await database.write { db in try await db.raw(month("NULL")).run() } }
            await #expect(throws: (any Error).self) { try await database.write { db in try await db.raw(month("6")).run() } }
            // A line naming no payer is refused.
            await #expect(throws: (any Error).self) { try await database.write { db in try await db.raw(line("V2", creditCode: nil)).run() } }
        }
    }

    /// Each program lists its own migrations; their numbers run across programs and never clash.
    @Test func migrationNumbersAreUniqueAcrossPrograms() throws {
        let ordered = try Migrator.ordered(allMigrations)
        #expect(ordered.map(\.version) == Array(1...ordered.count))
        #expect(throws: StoreError.self) { try Migrator.ordered(allMigrations + [CreateRegions()]) }
    }

    @Test func sqliteConnectionsCarryTheDurabilityPragmas() async throws {
        try await withTestDatabase(.sqlite) { (database: ShebaoDatabase) async throws in
            let (journal, synchronous, foreignKeys) = try await database.read { db in
                (
                    try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self),
                    try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int64.self),
                    try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int64.self)
                )
            }
            #expect(journal == "wal")
            #expect(synchronous == 2)  // FULL
            #expect(foreignKeys == 1)
            // Freed pages are cleared on the writer and on readers alike.
            let secureDelete = try await database.read { db in try await db.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int64.self) }
            let writerSecureDelete = try await database.write { db in
                try await db.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int64.self)
            }
            #expect(secureDelete == 1)
            #expect(writerSecureDelete == 1)
        }
    }

    @Test func locationsParse() throws {
        #expect(try DatabaseLocation("sqlite:./x.sqlite") == .sqlite(path: "./x.sqlite"))
        #expect(try DatabaseLocation("sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation("postgres://u:secret@h:5432/d") == .postgres(url: "postgres://u:secret@h:5432/d"))
        #expect(try DatabaseLocation("postgres://u:secret@h:5432/d").description == "postgres://u:***@h:5432/d")
        #expect(throws: DatabaseLocationError.unknownScheme("mysql")) { try DatabaseLocation("mysql://x") }
        #expect(throws: DatabaseLocationError.emptyPath) { try DatabaseLocation("sqlite:") }
    }

    @Test func appendOnlyTriggersAreSpelledPerDialect() {
        #expect(Dialect.sqlite.appendOnlyTriggers(table: "audit_log").allSatisfy { $0.contains("RAISE(ABORT") })
        #expect(Dialect.postgres.appendOnlyTriggers(table: "audit_log").contains { $0.contains("BEFORE UPDATE OR DELETE") })
        #expect(Dialect.postgres.appendOnlyTriggers(table: "audit_log").contains { $0.contains("BEFORE TRUNCATE") })
    }
}
