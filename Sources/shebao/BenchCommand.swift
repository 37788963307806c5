import ArgumentParser
import Foundation
import Logging
import ShebaoCore
import ShebaoOperations
import ShebaoServer
import ShebaoStore

/// `shebao bench search|import|rules`: the figures the programs promise, measured on this machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure search latency, import throughput and bulk rule evaluation.", subcommands: [Search.self, Import.self, Rules.self, Assessment.self, Payroll.self])

    /// A scratch SQLite database holding a demo district of `persons` persons (built once, then reused).
    static func scratch(persons: Int, path: String?) async throws -> Operations {
        let file = path ?? NSTemporaryDirectory() + "shebao-bench-\(persons).sqlite"
        let operations = try await Operations.open(.sqlite(path: file), migrations: Programs.all.migrations, catalog: Programs.all.catalog,
                                                   hasher: PasswordHasher(cost: 4), logger: CLI.logger(level: .warning))
        let failure = await buildIfEmpty(operations, persons: persons, file: file)
        if let failure {
            await operations.close()
            throw CLI.fail(failure)
        }
        return operations
    }

    /// Builds the demo district in an empty scratch database; the refusal, if any.
    private static func buildIfEmpty(_ operations: Operations, persons: Int, file: String) async -> ServiceError? {
        do throws(ServiceError) {
            guard try await operations.installation.isEmpty() else { return nil }
            let start = ContinuousClock.now
            print("building a district of \(persons) persons in \(file) …")
            _ = try await operations.installation.buildDemo(scale: Double(persons) / Double(DemoDistrict.population),
                                                            progress: { stage, done, total in ProgressBar(label: stage).update(done, total) })
            print(String(format: "built in %.1f s", Timings.milliseconds(ContinuousClock.now - start) / 1000))
            return nil
        } catch {
            return error
        }
    }

    /// The database of a benchmark: a PostgreSQL URL as given (it must be empty or a previous
    /// bench's), else a scratch SQLite file.
    static func scratch(persons: Int, database: String?, path: String?) async throws -> Operations {
        guard let database, database.hasPrefix("postgres") else { return try await scratch(persons: persons, path: path) }
        let operations = try await Operations.open(.postgres(url: database), migrations: Programs.all.migrations, catalog: Programs.all.catalog,
                                                   hasher: PasswordHasher(cost: 4), logger: CLI.logger(level: .warning))
        if let failure = await buildIfEmpty(operations, persons: persons, file: "PostgreSQL") {
            await operations.close()
            throw CLI.fail(failure)
        }
        return operations
    }

    /// The process's peak resident set (VmHWM), in kilobytes; 0 where /proc is not there.
    static func peakResidentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    struct Assessment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The monthly assessment of every insured person in five schemes, beside a plain INSERT … SELECT of as many rows.")

        @Option(help: "Insured persons (each enrolled in all five schemes).") var insured = 1_000_000
        @Option(help: "Rounds (one period each); medians are reported.") var rounds = 3
        @Option(help: "The year whose months are assessed (a database measured before needs another year).") var year = 2026
        @Option(help: "postgres://… to measure on PostgreSQL (an empty database); SQLite otherwise.") var database: String?
        @Option(help: "Reuse or create this SQLite file (default: a file in the temporary folder).") var file: String?

        func run() async throws {
            // A small district for its units, users and funds; the insured are added set-based.
            let operations = try await BenchCommand.scratch(persons: 410, database: database,
                                                            path: file ?? NSTemporaryDirectory() + "shebao-bench-insured-\(insured).sqlite")
            let start = ContinuousClock.now
            let result: BenchService.AssessmentResult
            do {
                let bar: @Sendable (String, Int, Int) -> Void = { label, done, total in ProgressBar(label: label).update(done, total) }
                _ = try await operations.bench.populate(insured: insured, progress: bar)
                result = try await operations.bench.assessment(
                    rounds: rounds, year: year, clerk: try await operations.access.principal(named: "district"),
                    reviewer: try await operations.access.principal(named: "reviewer"), accountant: try await operations.access.principal(named: "accountant"),
                    batches: operations.batches, progress: bar)
            } catch {
                await operations.close()
                throw error
            }
            await operations.close()
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            print("insured: \(result.insured), lines per month: \(result.lines) (\(database.map { _ in "PostgreSQL" } ?? "SQLite"))")
            if result.lines < Int64(insured) * 5 * 99 / 100 {
                CLI.printError("warning: fewer lines than 5 per insured person — this database's enrolments start after \(year)-01; measure a later year")
            }
            for (index, (run, copy)) in zip(result.assessment, result.baseline).enumerated() {
                print(String(format: "round %d: assessment %.2f s, posting (bills and ledger) %.2f s, plain INSERT … SELECT %.2f s, ratio %.2f",
                             index + 1, run, result.posting[index], copy, run / copy))
            }
            print(String(format: "median: assessment %.2f s, posting %.2f s, monthly close %.2f s; plain INSERT … SELECT %.2f s, ratio %.2f (of medians); whole bench %.1f s",
                         median(result.assessment), median(result.posting), median(zip(result.assessment, result.posting).map { $0 + $1 }),
                         median(result.baseline), median(result.assessment) / median(result.baseline), Timings.milliseconds(ContinuousClock.now - start) / 1000))
            print(String(format: "peak memory: %.0f MB", Double(BenchCommand.peakResidentKilobytes()) / 1024))
        }
    }

    struct Payroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A month's pension payroll — computed, approved, posted to the ledger, its pain.001 bank files written — beside a plain INSERT … SELECT of as many rows.")

        @Option(help: "Retirees (each drawing a pension through a payment point).") var retirees = 1_000_000
        @Option(help: "The folder the bank files are written to (every round's files are kept, named by their run: SB<run>-<bank>-<part>.xml).") var out: String
        @Option(help: "Rounds (one month each); medians are reported.") var rounds = 3
        @Option(help: "Transfers per bank file at most.") var perFile = 10_000
        @Option(help: "The year whose months are paid (a database measured before needs another year).") var year = 2026
        @Option(help: "postgres://… to measure on PostgreSQL (an empty database); SQLite otherwise.") var database: String?
        @Option(help: "Reuse or create this SQLite file (default: a file in the temporary folder).") var file: String?

        func run() async throws {
            let operations = try await BenchCommand.scratch(persons: 410, database: database,
                                                            path: file ?? NSTemporaryDirectory() + "shebao-bench-retirees-\(retirees).sqlite")
            let start = ContinuousClock.now
            let result: BenchService.PayrollResult
            var bytes: Int64 = 0
            do {
                let bar: @Sendable (String, Int, Int) -> Void = { label, done, total in ProgressBar(label: label).update(done, total) }
                _ = try await operations.bench.populate(insured: retirees, progress: bar)
                // Written as `shebao payroll files` writes them (`BankFileFolder`).
                result = try await BankFileFolder.with(out) { folder in
                    try await operations.bench.payroll(
                        rounds: rounds, year: year, perFile: perFile, clerk: try await operations.access.principal(named: "district"),
                        reviewer: try await operations.access.principal(named: "reviewer"), accountant: try await operations.access.principal(named: "accountant"),
                        batches: operations.batches, benefits: operations.benefits, write: folder.write, progress: bar)
                }
                for name in try FileManager.default.contentsOfDirectory(atPath: out) {
                    bytes += Int64((try? FileManager.default.attributesOfItem(atPath: (out as NSString).appendingPathComponent(name))[.size] as? Int) ?? 0)
                }
            } catch {
                await operations.close()
                throw error
            }
            await operations.close()
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            print("retirees: \(result.retirees), payments per month: \(result.payments), bank files per month: \(result.fileCount) "
                  + "(\(database.map { _ in "PostgreSQL" } ?? "SQLite")); files in \(out): \(bytes / 1_048_576) MB")
            for index in result.compute.indices {
                print(String(format: "round %d: compute %.2f s, approve and post %.2f s, bank files %.2f s, payroll %.2f s; plain INSERT … SELECT %.2f s, ratio %.2f",
                             index + 1, result.compute[index], result.posting[index], result.files[index], result.payroll[index], result.baseline[index],
                             result.payroll[index] / result.baseline[index]))
            }
            print(String(format: "median: payroll %.2f s (compute %.2f, post %.2f, files %.2f); plain INSERT … SELECT %.2f s, ratio %.2f (of medians); whole bench %.1f s",
                         median(result.payroll), median(result.compute), median(result.posting), median(result.files), median(result.baseline),
                         median(result.payroll) / median(result.baseline), Timings.milliseconds(ContinuousClock.now - start) / 1000))
            print(String(format: "peak memory: %.0f MB", Double(BenchCommand.peakResidentKilobytes()) / 1024))
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name searches over a large register, as a district and as a town clerk.")

        @Option(help: "Persons in the register.") var persons = 1_000_000
        @Option(help: "Searches of each kind.") var queries = 400
        @Option(help: "Reuse or create this SQLite file (default: a file in the temporary folder).") var file: String?

        func run() async throws {
            let operations = try await BenchCommand.scratch(persons: persons, path: file)
            let result = try await operations.bench.search(queries: queries, scopes: [
                ("district", DemoDistrict.district), ("town", RegionCode(trusted: "331004103000")),
            ])
            await operations.close()
            print("register: \(result.persons) persons; \(queries) searches of each kind, first page of 50 with the total count")
            for line in result.results { print("\(line.kind), \(line.scope) scope: \(line.timings.summary)") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a generated persons CSV: first with one bad check character (rejected whole), then corrected.")

        @Option(help: "Rows in the file.") var rows = 100_000
        @Option(help: "The row (as the spreadsheet numbers it) that gets a wrong check character.") var badRow = 7_345

        func run() async throws {
            let path = NSTemporaryDirectory() + "shebao-bench-import-\(UUID().uuidString).sqlite"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let operations = try await BenchCommand.scratch(persons: 4100, path: path)
            let outcome: Result<BenchService.ImportResult, ServiceError>
            do throws(ServiceError) {
                let clerk = try await operations.access.principal(named: "district")
                outcome = .success(try await operations.bench.importPersons(rows: rows, badRow: badRow, clerk: clerk, registry: operations.registry))
            } catch {
                outcome = .failure(error)
            }
            await operations.close()
            let result: BenchService.ImportResult
            switch outcome {
            case .success(let value): result = value
            case .failure(let error): throw CLI.fail(error)
            }
            let issue = result.rejectedIssues.first.map { "row \($0.row), column \($0.column) (\($0.header)): \(CLI.text("error." + $0.code, $0.arguments))" } ?? "none"
            print(String(format: "rejected %d rows in %.2f s: %d issue(s), first at %@; database unchanged: %@", rows, result.rejectedSeconds,
                         result.rejectedIssues.count, issue, result.unchanged ? "yes" : "NO"))
            print(String(format: "imported %d rows in %.2f s (%.0f rows/s)", result.imported, result.importedSeconds, Double(result.imported) / result.importedSeconds))
            if !result.unchanged || result.imported != rows { throw ExitCode(1) }
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Contribution and dibao rules over columns for a generated population, on one core; checks a sample against the scalar rules to the fen.")

        @Option(help: "Persons (one pension contribution each, and one dibao household row each).") var persons = 1_000_000
        @Option(help: "Timed runs; the median is reported.") var runs = 7
        @Option(help: "Rows compared with the scalar rules.") var check = 20_000
        @Option(help: "The month, YYYY-MM.") var period = "2024-07"

        func run() async throws {
            guard let month = Period(period) else { throw ValidationError("--period is YYYY-MM") }
            let result = try BenchService.rules(persons: persons, runs: runs, check: check, period: month, region: DemoDistrict.district)
            let contribution = result.contribution.median
            let dibao = result.dibao.median
            print("\(persons) persons, \(month), \(runs) runs, one core")
            print(String(format: "pension contributions: median %.1f ms (%.1f M rows/s)", contribution, Double(persons) / contribution / 1000))
            print(String(format: "dibao households:      median %.1f ms (%.1f M rows/s)", dibao, Double(persons) / dibao / 1000))
            print(String(format: "contribution + dibao:  %.1f ms → %.1f M persons/s", contribution + dibao, Double(persons) / (contribution + dibao) / 1000))
            print("totals: individual \(result.individualTotal.yuanText), employer \(result.employerTotal.yuanText), "
                + "dibao \(result.dibaoTotal.yuanText) for \(result.eligible) eligible households")
            print("checked \(result.checked) rows of each against the scalar rules: \(result.mismatches) differences")
            if result.mismatches > 0 { throw ExitCode(1) }
        }
    }
}
