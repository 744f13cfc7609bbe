import Fluent
import Leaf
import LeafKit
import PolicyEngine
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
import Vapor

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = SafeguardServices }
    private struct MetricsKey: StorageKey { typealias Value = ServiceMetrics }
    private struct OfferedDraftsKey: StorageKey { typealias Value = [URL] }
    private struct DraftTrialsKey: StorageKey { typealias Value = DraftTrials }

    /// The core's services, composed by `SafeguardRuntime`.
    var safeguard: SafeguardServices {
        get { storage[ServicesKey.self]! }
        set { storage[ServicesKey.self] = newValue }
    }

    /// The service's own metrics, served at `/metrics`.
    var serviceMetrics: ServiceMetrics {
        get { storage[MetricsKey.self]! }
        set { storage[MetricsKey.self] = newValue }
    }

    /// The draft being tried on the population, one at a time (`DraftImpactPageController`).
    var draftTrials: DraftTrials {
        get { storage[DraftTrialsKey.self]! }
        set { storage[DraftTrialsKey.self] = newValue }
    }

    /// The folders of draft policies `/policies/drafts` offers (`ServerSettings.offeredDrafts`).
    var offeredDrafts: [URL] {
        get { storage[OfferedDraftsKey.self] ?? [] }
        set { storage[OfferedDraftsKey.self] = newValue }
    }
}

/// Sets the application up: the core's services and the database from `SafeguardRuntime` (the
/// composition root every command shares), then sessions, middleware, pages and routes.
public func configure(_ app: Application, settings: ServerSettings, ruleSet: RuleSet, hasher: any PasswordHashing = BcryptHasher(),
                      clock: any WallClock = SystemClock()) async throws {
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: settings.maximumBodySize)
    let metrics = ServiceMetrics()
    app.serviceMetrics = metrics
    app.offeredDrafts = settings.offeredDrafts
    app.draftTrials = DraftTrials()
    app.safeguard = try SafeguardRuntime.compose(settings: settings.runtime, ruleSet: ruleSet, hasher: hasher, clock: clock, metrics: metrics.factory,
                                                 databases: app.databases, migrations: app.migrations)
    // Page sessions live in the database (`_fluent_sessions`, a migration of the core's), so
    // that every server process shares them; written in turn (`TurnTakingSessions`).
    app.sessions.use { app in TurnTakingSessions(stored: app.fluent.sessions.driver()) }
    app.sessions.configuration = SessionsConfiguration(cookieName: SessionController.cookieName) { id in
        // Vapor sets none of these by default.
        HTTPCookies.Value(string: id.string, maxAge: Int(settings.sessionTimeouts.lifetime), path: "/",
                          isSecure: true, isHTTPOnly: true, sameSite: .strict)
    }
    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware(factory: metrics.factory))
    app.middleware.use(SecurityHeaders())
    // Outside the problem middleware, so that the audit record of a refusal is written in turn too.
    if let turns = app.safeguard.writeTurns { app.middleware.use(SQLiteWriteSerializer(turns: turns)) }
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(app.sessions.middleware)
    // Before anything decodes a body (the sessions read only a cookie; an error page needs them):
    // MultipartKit must never see what would crash it.
    app.middleware.use(MultipartScreen())
    app.middleware.use(AccessControl())
    app.views.use(.leaf)
    // The templates sit in the bundle under the build folder (`.build/…`): Leaf's default limits
    // refuse hidden folders on the path, so the sandbox alone holds them in.
    let views = Bundle.module.resourcePath! + "/Views/"
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions],
                                                  sandboxDirectory: views, viewDirectory: views))
    app.leaf.tags["words"] = WordsTag()
    app.leaf.tags["fieldProblem"] = FieldProblemTag()
    app.leaf.tags["fieldInvalid"] = FieldInvalidTag()
    app.lifecycle.use(AuditHeadSigning(interval: settings.auditSigningInterval))
    app.lifecycle.use(AuditIntegration(interval: settings.auditIntegrationInterval))
    if settings.refreshesDecisions { app.lifecycle.use(DecisionRefreshing()) }
    if settings.refreshesFilings { app.lifecycle.use(FilingRefreshing()) }
    if settings.deliveryWorkers > 0 {
        app.lifecycle.use(DeliveryWorkers(count: settings.deliveryWorkers, settings: settings.delivery, factory: metrics.factory))
    }
    try await SafeguardRuntime.prepare(app.db, settings: settings.runtime) { try await app.autoMigrate() }
    try routes(app)
    // Known now that the routes are: every request runs through it.
    app.middleware.use(MethodNotAllowed(routes: app.routes))
}

func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    // The stylesheet, from the bundle: pages load nothing from elsewhere.
    try app.register(collection: StylesheetController())
    try app.register(collection: OpenAPIController())
    // A scraper presents an admin's bearer token, at the path Prometheus expects.
    try app.grouped(BearerAuthenticator()).register(collection: MetricsController())
    let api = app.grouped("api", "v1")
    try api.register(collection: DecisionController())
    try api.register(collection: TokenController())
    try app.register(collection: SessionController())
    try app.register(collection: PageController())
    try app.register(collection: EncounterPageController())
    try app.register(collection: PersonPageController())
    try app.register(collection: AuditPageController())
    try app.register(collection: PolicyPageController())
    try app.register(collection: DashboardPageController())
    try app.register(collection: DraftImpactPageController())
    try app.register(collection: HotlinePageController())
    let authenticated = api.grouped(BearerAuthenticator())
    try authenticated.register(collection: PersonController())
    try authenticated.register(collection: EncounterController())
    try authenticated.register(collection: FollowUpController())
    try authenticated.register(collection: AuditLogController())
    try authenticated.register(collection: StatisticsController())
    try authenticated.register(collection: HotlineCallController())
    try authenticated.register(collection: RegistrationController())
    try authenticated.register(collection: CustodyEventController())
    try authenticated.register(collection: DeliveryController())
}
