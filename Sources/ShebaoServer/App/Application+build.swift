public import Hummingbird
import HummingbirdCore
public import Logging
import Metrics
public import Prometheus
import ServiceLifecycle
import ShebaoCore
public import ShebaoOperations
import ShebaoStore

/// Builds the router from the programs (STYLE.md §7–8): each program mounts its API routes, its
/// pages and its open routes into the three groups, each with its own middleware.
public func buildRouter(services: ShebaoServices) -> Router<ShebaoRequestContext> {
    let router = Router(context: ShebaoRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: SessionMiddleware(services: services))
    router.add(middleware: ErrorPresentationMiddleware(pages: services.pages))

    let open = router.group()
    let api = router.group(RouterPath(Route.api("").base)).add(middleware: BearerTokenMiddleware(services: services))
        .add(middleware: EmptyQueryMiddleware())
    let pages = router.group().add(middleware: RequireLoginMiddleware())
    for program in services.programs {
        program.open(open, services)
        program.api(api, services)
        program.pages(pages, services)
    }
    services.redirectTargets.register(router)
    // Added last, so it wraps only the router's not-found responder (each route keeps the
    // middleware added before it).
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes, prefix: Route.api("").base))
    return router
}

/// The one composition root (STYLE.md §2): `shebao serve` and the tests both call it.
public func buildApplication(
    configuration: ServerConfiguration, operations: Operations, logger: Logger, programs: [Program] = Programs.all,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) async throws -> some ApplicationProtocol {
    // Migrations, bundled regions and policy defaults: idempotent, so every start may run them.
    try await Setup.prepare(operations.database, migrations: programs.migrations, clock: operations.clock)
    let installation = try await operations.installation.required()
    var pages = try await PageRenderer.load(programs: programs, districtName: installation.name)
    pages.trainingClock = operations.clock as? TrainingClock
    pages.clock = operations.clock
    let services = ShebaoServices(configuration: configuration, operations: operations, pages: pages, programs: programs, logger: logger, metrics: metrics)
    let router = buildRouter(services: services)
    // Slow or idle clients are closed after the idle timeout, and no more connections are taken
    // than the file descriptors allow (STACK-NOTES pitfall 14).
    var app = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000
                                                                        + configuration.idleTimeout.components.attoseconds / 1_000_000_000))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Shebao",
                             availableConnectionsDelegate: MaximumAvailableConnections(configuration.effectiveMaxConnections)),
        logger: logger)
    app.addServices(DatabaseService(operations: operations))
    return app
}

/// Closes the database after the HTTP server has stopped (graceful shutdown, service-lifecycle).
struct DatabaseService: Service {
    let operations: Operations

    func run() async throws {
        try? await gracefulShutdown()
        await operations.close()
    }
}
