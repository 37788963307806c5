import ArgumentParser
import Foundation
import Logging
import ShebaoCore
import ShebaoStore

/// `shebao bench search|import`: the figures the registry promises, measured on this machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure search latency, import throughput and bulk rule evaluation.", subcommands: [Search.self, Import.self, Rules.self])

    /// Percentiles of a list of durations in milliseconds.
    static func percentiles(_ samples: [Double]) -> String {
        let sorted = samples.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        return String(format: "n=%d p50=%.2f ms p95=%.2f ms p99=%.2f ms max=%.2f ms", sorted.count, at(0.50), at(0.95), at(0.99), sorted.last ?? 0)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// A scratch SQLite database holding a demo district of `persons` persons (built once, then reused).
    static func scratch(persons: Int, path: String?, logger: Logger) async throws -> ShebaoDatabase {
        let file = path ?? NSTemporaryDirectory() + "shebao-bench-\(persons).sqlite"
        let database = try await ShebaoDatabase.open(.sqlite(path: file), logger: logger)
        try await Setup.prepare(database)
        if try await UserStore(database: database).list().isEmpty {
            let start = ContinuousClock.now
            print("building a district of \(persons) persons in \(file) …")
            _ = try await DemoDistrict(scale: Double(persons) / Double(DemoDistrict.population)).build(
                in: database, hasher: PasswordHasher(cost: 4), logger: logger,
                progress: { stage, done, total in ProgressBar(label: stage).update(done, total) })
            print(String(format: "built in %.1f s", milliseconds(ContinuousClock.now - start) / 1000))
        }
        return database
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name searches over a large register, as a district and as a town clerk.")

        @Option(help: "Persons in the register.") var persons = 1_000_000
        @Option(help: "Searches of each kind.") var queries = 400
        @Option(help: "Reuse or create this SQLite file (default: a file in the temporary folder).") var file: String?

        func run() async throws {
            let logger = CLI.logger(level: .warning)
            let database = try await BenchCommand.scratch(persons: persons, path: file, logger: logger)
            let store = PersonStore(database: database)
            let district = RegionCode(trusted: "331004000000")
            let town = RegionCode(trusted: "331004103000")
            let total = try await store.count(in: district)
            // Names to look for: a deterministic sample of registered names.
            var random = DeterministicRandom(seed: 42)
            var names: [String] = []
            let sample = try await store.sampleNames(limit: 5000)
            for _ in 0..<queries { names.append(sample[Int(random.next() % UInt64(sample.count))]) }
            print("register: \(total) persons; \(queries) searches of each kind, first page of 50 with the total count")
            let kinds: [(String, (String) -> String)] = [
                ("full name", { $0 }),
                ("surname + one character", { String($0.prefix(2)) }),
                ("one wrong character", { name in
                    var characters = Array(name)
                    if characters.count >= 2 { characters[characters.count - 1] = characters[characters.count - 1] == "明" ? "亮" : "明" }
                    return String(characters)
                }),
            ]
            for (label, transform) in kinds {
                for (scopeLabel, scope) in [("district", district), ("town", town)] {
                    var samples: [Double] = []
                    for name in names {
                        let start = ContinuousClock.now
                        _ = try await store.search(PersonQuery(name: transform(name)), in: scope, page: 1, perPage: 50)
                        samples.append(BenchCommand.milliseconds(ContinuousClock.now - start))
                    }
                    print("\(label), \(scopeLabel) scope: \(BenchCommand.percentiles(samples))")
                }
            }
            await database.close()
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a generated persons CSV: first with one bad check character (rejected whole), then corrected.")

        @Option(help: "Rows in the file.") var rows = 100_000
        @Option(help: "The row (as the spreadsheet numbers it) that gets a wrong check character.") var badRow = 7_345

        func run() async throws {
            let logger = CLI.logger(level: .warning)
            let path = NSTemporaryDirectory() + "shebao-bench-import-\(UUID().uuidString).sqlite"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let database = try await BenchCommand.scratch(persons: 4100, path: path, logger: logger)
            guard let clerk = try await UserStore(database: database).find(username: "district")?.principal else { throw ExitCode(1) }
            var lines = ["公民身份号码,姓名,户口性质,户籍地区划代码,地址,联系电话"]
            var badLines = lines
            let villages = try await RegionStore(database: database).all(in: clerk.scope).filter { $0.level == .village }.map(\.code.value)
            for index in 0..<rows {
                let birth = LocalDate(daysSinceEpoch: -12_000 + index / 400)
                let id = ResidentID(areaCode: "330782", birthDate: birth, sequence: index % 400 + 500).value
                let line = "\(id),周\(Array("一二三四五六七八九十")[index % 10])\(Array("明亮华芳")[index % 4]),农业,\(villages[index % villages.count]),测试路\(index)号,138\(String(format: "%08d", index))"
                lines.append(line)
                if index + 2 == badRow {
                    let wrong = String(id.dropLast()) + (id.last == "0" ? "1" : "0")
                    badLines.append(line.replacingOccurrences(of: id, with: wrong))
                } else {
                    badLines.append(line)
                }
            }
            let good = Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
            let bad = Data((badLines.joined(separator: "\r\n") + "\r\n").utf8)
            let importer = Importer(database: database)
            let before = try await PersonStore(database: database).count(in: clerk.scope)

            var start = ContinuousClock.now
            let rejected = try await importer.run(.persons, data: bad, fileName: "persons-bad.csv", by: clerk)
            let rejectSeconds = BenchCommand.milliseconds(ContinuousClock.now - start) / 1000
            let unchanged = try await PersonStore(database: database).count(in: clerk.scope) == before
            let issue = rejected.issues.first.map { "row \($0.row), column \($0.column) (\($0.header)): \(CLI.text("error." + $0.code, $0.arguments))" } ?? "none"
            print(String(format: "rejected %d rows in %.2f s: %d issue(s), first at %@; database unchanged: %@", rows, rejectSeconds, rejected.issues.count, issue, unchanged ? "yes" : "NO"))

            start = ContinuousClock.now
            let imported = try await importer.run(.persons, data: good, fileName: "persons.csv", by: clerk)
            let seconds = BenchCommand.milliseconds(ContinuousClock.now - start) / 1000
            print(String(format: "imported %d rows in %.2f s (%.0f rows/s)", imported.imported, seconds, Double(imported.imported) / seconds))
            await database.close()
            if !unchanged || imported.imported != rows { throw ExitCode(1) }
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
            let book = PolicyDefaults.book
            let region = DemoDistrict.district
            var random = DeterministicRandom(seed: 2004)
            // Wages from 0 to 60,000 yuan a month, so that floors and ceilings both bite.
            let wages = (0..<persons).map { _ in Int64(random.next() % 6_000_001) }
            var households = DibaoColumns.Input()
            for _ in 0..<persons {
                let size = Int(1 + random.next() % 6)
                let flags = random.next() % 100
                households.append(DibaoBenefitRule.Input(
                    period: month, areaType: AreaType.allCases[Int(random.next() % 3)], householdSize: size,
                    monthlyIncome: Money(fen: Int64(random.next() % UInt64(size * 120_000))), threeWithouts: flags == 0,
                    elderly: Int(flags % 3 == 1 ? 1 : 0), minors: Int(flags % 5 == 2 ? 1 : 0)))
            }
            let contribution = try ContributionColumns(scheme: .pension, payer: .employee, period: month, book: book, region: region)
            let dibao = try DibaoColumns(period: month, book: book, region: region)
            var contributionOutput = ContributionColumns.Output()
            var dibaoOutput = DibaoColumns.Output()
            var contributionTimes: [Double] = []
            var dibaoTimes: [Double] = []
            for _ in 0..<runs {
                let start = ContinuousClock.now
                try contribution.evaluate(wages: wages, into: &contributionOutput)
                let middle = ContinuousClock.now
                try dibao.evaluate(households, into: &dibaoOutput)
                contributionTimes.append(BenchCommand.milliseconds(middle - start))
                dibaoTimes.append(BenchCommand.milliseconds(ContinuousClock.now - middle))
            }
            // Exact to the fen: a deterministic sample against the scalar rules.
            var mismatches = 0
            let step = max(1, persons / max(1, check))
            for row in stride(from: 0, to: persons, by: step) {
                let scalar = try ContributionRule.evaluate(.init(scheme: .pension, payer: .employee, wage: Money(fen: wages[row]), period: month), book: book, region: region)
                if scalar.output != contributionOutput[row] { mismatches += 1 }
                let household = DibaoBenefitRule.Input(
                    period: month, areaType: AreaType.allCases[Int(households.area[row])], householdSize: Int(households.size[row]),
                    monthlyIncome: Money(fen: households.monthlyIncome[row]), threeWithouts: households.threeWithouts[row],
                    elderly: Int(households.elderly[row]), minors: Int(households.minors[row]))
                if try DibaoBenefitRule.evaluate(household, book: book, region: region).output != dibaoOutput[row] { mismatches += 1 }
            }
            let median = { (samples: [Double]) in samples.sorted()[samples.count / 2] }
            let total = median(contributionTimes) + median(dibaoTimes)
            print("\(persons) persons, \(month), \(runs) runs, one core")
            print(String(format: "pension contributions: median %.1f ms (%.1f M rows/s)", median(contributionTimes), Double(persons) / median(contributionTimes) / 1000))
            print(String(format: "dibao households:      median %.1f ms (%.1f M rows/s)", median(dibaoTimes), Double(persons) / median(dibaoTimes) / 1000))
            print(String(format: "contribution + dibao:  %.1f ms → %.1f M persons/s", total, Double(persons) / total / 1000))
            print("totals: individual \(Money(fen: contributionOutput.individual.reduce(0, +)).yuanText), employer \(Money(fen: contributionOutput.employer.reduce(0, +)).yuanText), "
                + "dibao \(Money(fen: dibaoOutput.total.reduce(0, +)).yuanText) for \(dibaoOutput.eligible.filter { $0 }.count) eligible households")
            print("checked \((persons + step - 1) / step) rows of each against the scalar rules: \(mismatches) differences")
            if mismatches > 0 { throw ExitCode(1) }
        }
    }
}
