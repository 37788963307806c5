import Foundation
public import Logging
public import Prometheus
import ShebaoCore
public import ShebaoOperations
import ShebaoStore

/// Settings of a running server, with defaults that work on a fresh checkout.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Add `Secure` to cookies (set when served over TLS, e.g. behind a reverse proxy).
    public var secureCookies: Bool
    /// A connection that sends nothing for this long — no request, or a request never finished
    /// (slowloris) — is closed.
    public var idleTimeout: Duration
    /// The most connections served at once; more wait in the listen backlog. Kept below the
    /// process's file-descriptor limit so that idle clients can never exhaust it.
    public var maxConnections: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, idleTimeout: Duration = .seconds(15),
                maxConnections: Int = 4_000) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// ``maxConnections``, lowered to leave room under the file-descriptor limit for the database,
    /// the log and the listening socket.
    public var effectiveMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return maxConnections }
        let available = Int(clamping: limit.rlim_cur) - 128
        return max(16, min(maxConnections, available))
    }
}

/// Everything a handler may use, built once by ``buildApplication`` (the composition root): the
/// operations layer (every use case), the page renderer, the programs.
public struct ShebaoServices: Sendable {
    public let configuration: ServerConfiguration
    public let operations: Operations
    public let pages: PageRenderer
    public let programs: [Program]
    public let logger: Logger
    public let metrics: PrometheusCollectorRegistry
    /// Batch runs computing after their page or API call has answered.
    let background = BackgroundRuns()
    /// The pages a redirect may return to (filled once the router is built).
    let redirectTargets = RedirectTargets()

    public init(configuration: ServerConfiguration, operations: Operations, pages: PageRenderer, programs: [Program], logger: Logger,
                metrics: PrometheusCollectorRegistry) {
        self.configuration = configuration
        self.operations = operations
        self.pages = pages
        self.programs = programs
        self.logger = logger
        self.metrics = metrics
    }

    var registry: RegistryService { operations.registry }
    var policy: PolicyService { operations.policy }
    var access: AccessService { operations.access }
    var cases: CaseService { operations.cases }
    var batches: BatchService { operations.batches }
    var ledger: LedgerService { operations.ledger }
    var insurance: InsuranceService { operations.insurance }
    var benefits: BenefitsService { operations.benefits }
    var assistance: AssistanceService { operations.assistance }
    var regions: RegionDirectory { operations.regions }
    var strings: StringTables { operations.strings }
    var today: LocalDate { operations.clock.now().dateInChina }

    /// The sections of the one view of a person, from every program.
    var personPanels: [any PersonPanelProvider] { programs.panels }
}
