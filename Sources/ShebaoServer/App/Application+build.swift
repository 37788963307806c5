public import Hummingbird
public import Logging
import Metrics
public import Prometheus
import ServiceLifecycle
public import ShebaoCore
public import ShebaoStore

/// Builds the router with every route group and its middleware (STYLE.md §7–8). Tests use it
/// directly to list the routes.
public func buildRouter(services: ShebaoServices) -> Router<ShebaoRequestContext> {
    let router = Router(context: ShebaoRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: SessionMiddleware(services: services))
    router.add(middleware: ErrorPresentationMiddleware(pages: services.pages))

    // Public: health, metrics, stylesheets, the API description, login and language.
    OperationsController(services: services).addRoutes(to: router)
    LoginController(services: services).addRoutes(to: router)

    // /api/v1: JSON, bearer tokens.
    let api = router.group("/api/v1").add(middleware: BearerTokenMiddleware(services: services))
    AccountAPIController(services: services).addRoutes(to: api)
    PersonsController(services: services).addAPIRoutes(to: api)
    HouseholdsController(services: services).addAPIRoutes(to: api)
    EmployersController(services: services).addAPIRoutes(to: api)
    DuplicatesController(services: services).addAPIRoutes(to: api)
    ImportsController(services: services).addAPIRoutes(to: api)
    PolicyController(services: services).addAPIRoutes(to: api)
    CalculateController(services: services).addAPIRoutes(to: api)

    // Staff pages and the portal: session cookie, login required.
    let pages = router.group().add(middleware: RequireLoginMiddleware())
    HomeController(services: services).addRoutes(to: pages)
    PersonsController(services: services).addPageRoutes(to: pages)
    HouseholdsController(services: services).addPageRoutes(to: pages)
    EmployersController(services: services).addPageRoutes(to: pages)
    DuplicatesController(services: services).addPageRoutes(to: pages)
    ImportsController(services: services).addPageRoutes(to: pages)
    PolicyController(services: services).addPageRoutes(to: pages)
    CalculateController(services: services).addPageRoutes(to: pages)
    AdminController(services: services).addRoutes(to: pages)
    AuditController(services: services).addRoutes(to: pages)
    return router
}

/// The one composition root (STYLE.md §2): `shebao serve` and the tests both call it.
public func buildApplication(
    configuration: ServerConfiguration, database: ShebaoDatabase, logger: Logger,
    clock: any WallClock = SystemClock(), metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) async throws -> some ApplicationProtocol {
    // Migrations, bundled regions and policy defaults: idempotent, so every start may run them.
    try await Setup.prepare(database, clock: clock)
    let pages = try await PageRenderer.load()
    let services = ShebaoServices(configuration: configuration, database: database, clock: clock, logger: logger, metrics: metrics, pages: pages)
    let router = buildRouter(services: services)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Shebao"),
        logger: logger)
    app.addServices(DatabaseService(database: database))
    return app
}

/// Closes the database after the HTTP server has stopped (graceful shutdown, service-lifecycle).
struct DatabaseService: Service {
    let database: ShebaoDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
