import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ShebaoCore
import ShebaoOperations
import ShebaoServer
import ShebaoStore

/// `shebao serve`: the HTTP server; `--demo` first fills an empty database with the demo district.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web server.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Create the demo district when the database is empty, and print the demo logins.") var demo = false
    @Option(help: "Size of the demo district (1 = 410,000 persons).") var demoScale = 0.01
    @Flag(help: "Mark cookies Secure (when clients reach the server over TLS).") var secureCookies = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @Flag(help: "Run a training installation: an administrator may move its clock on by whole days (every page says the date is simulated).")
    var trainingClock = false
    @Option(help: "Seconds after which a connection that sends nothing (or never finishes its request) is closed.") var idleTimeout = 15
    @Option(help: "The most connections served at once (lowered to fit the file-descriptor limit).") var maxConnections = 4_000

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // Log lines go through a buffer written off the request path (one line per request).
        let buffer = LogBuffer()
        defer { buffer.stop() }
        LoggingSystem.bootstrap { label in BufferedLogHandler(label: label, buffer: buffer, level: level) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "shebao")

        let operations = try await database.open(logger: logger, clock: trainingClock ? TrainingClock() : SystemClock())
        do {
            if demo, try await operations.installation.isEmpty() {
                let start = ContinuousClock.now
                let summary = try await operations.installation.buildDemo(scale: demoScale)
                let months = try await DemoCommand.liveThrough(operations)
                DemoCommand.printSummary(summary, seconds: Timings.milliseconds(ContinuousClock.now - start) / 1000)
                CLI.say(CLI.text("demo.history", ["months": String(months), "from": DemoInsuranceHistory.firstPeriod.description]))
            }
            guard try await operations.installation.current() != nil else { throw CLI.fail(.conflict("installation.missing")) }
        } catch let error as ServiceError {
            await operations.close()
            throw CLI.fail(error)
        } catch {
            await operations.close()
            throw error
        }
        let app = try await buildApplication(
            configuration: ServerConfiguration(host: host, port: port, secureCookies: secureCookies, idleTimeout: .seconds(max(1, idleTimeout)),
                                               maxConnections: max(16, maxConnections)),
            operations: operations, logger: logger, metrics: registry)
        CLI.say(CLI.text("serve.listening", ["url": "http://\(host):\(port)", "database": operations.database.location.description]))
        if demo { DemoCommand.printLogins(url: "http://\(host):\(port)") }
        try await app.runService()
    }
}

/// `shebao init --region 331004`: record which district this database serves.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Set up a database for a district: record the county-level region it serves (once).")

    @Option(help: "The district's region code (6 or 12 digits), e.g. 331004.") var region: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let installation = try await database.run { try await $0.installation.initialize(region: region) }
        print(CLI.text("init.done", ["name": installation.name, "code": installation.region.value, "townships": String(installation.townships.count)]))
        for township in installation.townships {
            print("  \(township.code.value)  \(township.name)  \(township.areaType.map(CLI.label) ?? "")")
        }
    }
}

/// `shebao migrate`: apply the numbered migrations the database has not seen.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let result = try await Operations.migrate(try database.location(), migrations: Programs.all.migrations, logger: CLI.logger())
        print(CLI.text("migrate.done", ["count": String(result.applied.count), "version": String(result.version)]))
    }
}

/// `shebao demo`: build the demo district in an empty database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Create the demo district in an empty database.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Size (1 = the district's 410,000 persons; 0.01 for tests).") var scale = 1.0
    @Option(help: "Seed of the generator; the same seed gives the same district.") var seed: UInt64 = 331_004

    func validate() throws {
        guard scale > 0, scale <= 20 else { throw ValidationError(CLI.text("demo.scale_range")) }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let summary = try await database.run { operations in
            let summary = try await operations.installation.buildDemo(scale: scale, seed: seed, progress: { stage, done, total in
                ProgressBar(label: CLI.text("demo.stage.\(stage)")).update(done, total)
            })
            let bar = ProgressBar(label: CLI.text("demo.stage.history"))
            return (summary, try await Self.liveThrough(operations, progress: { done, total in bar.update(done, total) }))
        }
        Self.printSummary(summary.0, seconds: Timings.milliseconds(ContinuousClock.now - start) / 1000)
        CLI.say(CLI.text("demo.history", ["months": String(summary.1), "from": DemoInsuranceHistory.firstPeriod.description]))
        Self.printLogins(url: nil)
    }

    /// The demo district's history after its register is built, lived through the services:
    /// contributions since the first period, medical, unemployment, the assistance caseload (weeks
    /// ago, so its grants reach the payroll), the last two payrolls, this month's assistance work.
    /// Returns the months of contribution history.
    static func liveThrough(_ operations: Operations, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let months = try await DemoInsuranceHistory(operations: operations).run(progress: progress)
        try await DemoMedical(operations: operations).run()
        try await DemoUnemployment(operations: operations).run()
        let caseload = try await DemoCaseload(operations: operations).run()
        CLI.say(CLI.text("demo.caseload", ["urban": String(caseload.urbanHouseholds), "rural": String(caseload.ruralHouseholds),
                                           "centralised": String(caseload.centralised), "dispersed": String(caseload.dispersed)]))
        try await DemoPayroll(operations: operations).run()
        try await DemoAssistance(operations: operations).run()
        return months
    }

    static func printSummary(_ summary: DemoDistrict.Summary, seconds: Double) {
        let units = summary.employers
        CLI.say(CLI.text("demo.summary", [
            "regions": String(summary.regions), "users": String(summary.users), "persons": String(summary.persons),
            "households": String(summary.households), "seconds": String(format: "%.1f", seconds),
        ]))
        CLI.say(CLI.text("demo.summary_employers", [
            "employers": String(units.employers), "pension": String(units.enterprisesInPension),
            "nonpublic": String(units.nonPublicEnterprisesInPension), "medical": String(units.unitsPerScheme[.medical] ?? 0),
            "injury": String(units.unitsPerScheme[.workInjury] ?? 0), "maternity": String(units.unitsPerScheme[.maternity] ?? 0),
            "unemployment": String(units.unitsPerScheme[.unemployment] ?? 0),
            "employed": String(units.employed), "employed_nonpublic": String(units.nonPublicEmployed),
        ]))
    }

    static func printLogins(url: String?) {
        if let url { CLI.say(CLI.text("demo.open", ["url": url + "/login"])) }
        CLI.say(CLI.text("demo.logins", ["password": DemoDistrict.demoPassword]))
        for account in DemoDistrict.accounts {
            CLI.say("  \(account.username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(CLI.label(account.role))")
        }
    }
}
