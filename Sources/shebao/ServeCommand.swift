import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ShebaoCore
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

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "shebao")

        let db = try await database.open(logger: logger)
        if demo {
            try await DemoCommand.createIfEmpty(db, scale: demoScale, logger: logger)
        }
        let app = try await buildApplication(
            configuration: ServerConfiguration(host: host, port: port, secureCookies: secureCookies),
            database: db, logger: logger, metrics: registry)
        print(CLI.text("serve.listening", ["url": "http://\(host):\(port)", "database": db.location.description]))
        if demo { DemoCommand.printLogins(url: "http://\(host):\(port)") }
        try await app.runService()
    }
}

/// `shebao migrate`: apply the numbered migrations the database has not seen.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = CLI.logger()
        let db = try await ShebaoDatabase.open(try database.location(), logger: logger)
        defer { Task { await db.close() } }
        let applied = try await Migrator.migrate(db)
        try await Setup.prepare(db)
        print(CLI.text("migrate.done", ["count": String(applied.count), "version": String(Migrator.latestVersion)]))
        await db.close()
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
        let logger = CLI.logger()
        let db = try await database.open(logger: logger)
        do {
            let start = ContinuousClock.now
            let summary = try await DemoDistrict(scale: scale, seed: seed).build(
                in: db, logger: logger, progress: { stage, done, total in ProgressBar(label: CLI.text("demo.stage.\(stage)")).update(done, total) })
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            Self.printSummary(summary, seconds: seconds)
            Self.printLogins(url: nil)
        } catch let error as DemoError {
            await db.close()
            CLI.printError(CLI.text("demo.not_empty"))
            _ = error
            throw ExitCode(1)
        }
        await db.close()
    }

    static func printSummary(_ summary: DemoDistrict.Summary, seconds: Double?) {
        let units = summary.employers
        print(CLI.text("demo.summary", [
            "regions": String(summary.regions), "users": String(summary.users), "persons": String(summary.persons),
            "households": String(summary.households), "seconds": seconds.map { String(format: "%.1f", $0) } ?? "-",
        ]))
        print(CLI.text("demo.summary_employers", [
            "employers": String(units.employers), "pension": String(units.enterprisesInPension),
            "nonpublic": String(units.nonPublicEnterprisesInPension), "medical": String(units.unitsPerScheme[.medical] ?? 0),
            "injury": String(units.unitsPerScheme[.workInjury] ?? 0), "maternity": String(units.unitsPerScheme[.maternity] ?? 0),
            "unemployment": String(units.unitsPerScheme[.unemployment] ?? 0),
            "employed": String(units.employed), "employed_nonpublic": String(units.nonPublicEmployed),
        ]))
    }

    /// Builds the demo district unless the database already has users.
    static func createIfEmpty(_ db: ShebaoDatabase, scale: Double, logger: Logger) async throws {
        guard try await UserStore(database: db).list().isEmpty else { return }
        let summary = try await DemoDistrict(scale: scale).build(in: db, logger: logger)
        printSummary(summary, seconds: nil)
    }

    static func printLogins(url: String?) {
        if let url { print(CLI.text("demo.open", ["url": url + "/login"])) }
        print(CLI.text("demo.logins", ["password": DemoDistrict.demoPassword]))
        for account in DemoDistrict.accounts {
            print("  \(account.username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(CLI.text("role.\(account.role.rawValue)"))")
        }
    }
}
