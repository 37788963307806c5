public import Logging
public import Prometheus
public import ShebaoCore
public import ShebaoStore

/// Settings of a running server, with defaults that work on a fresh checkout.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Add `Secure` to cookies (set when served over TLS, e.g. behind a reverse proxy).
    public var secureCookies: Bool
    public var bcryptCost: UInt8

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, bcryptCost: UInt8 = 12) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
    }
}

/// Everything a handler may use, built once by ``buildApplication`` (the composition root).
public struct ShebaoServices: Sendable {
    public let configuration: ServerConfiguration
    public let database: ShebaoDatabase
    public let clock: any WallClock
    public let logger: Logger
    public let strings: StringTables
    public let metrics: PrometheusCollectorRegistry
    public let users: UserStore
    public let sessions: SessionStore
    public let tokens: TokenStore
    public let persons: PersonStore
    public let regions: RegionStore
    /// One store for the server's life, so that its cached book serves every calculation.
    public let parameters: ParameterStore
    public let pages: PageRenderer
    /// The sections of the one view of a person, each from its program (see `PersonPanelProvider`).
    let personPanels: [any PersonPanelProvider]

    public init(configuration: ServerConfiguration, database: ShebaoDatabase, clock: any WallClock, logger: Logger,
                metrics: PrometheusCollectorRegistry, pages: PageRenderer) {
        self.configuration = configuration
        self.database = database
        self.clock = clock
        self.logger = logger
        self.strings = .bundled
        self.metrics = metrics
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        self.users = UserStore(database: database, clock: clock, hasher: hasher)
        self.sessions = SessionStore(database: database, clock: clock)
        self.tokens = TokenStore(database: database, clock: clock)
        self.persons = PersonStore(database: database, clock: clock)
        self.regions = RegionStore(database: database)
        self.parameters = ParameterStore(database: database, clock: clock)
        self.pages = pages
        self.personPanels = [RegistryPanel(), HouseholdPanel(), EmploymentPanel(), HistoryPanel()]
    }
}
