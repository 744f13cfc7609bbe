import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import PolicyEngine
import SafeguardCore
import Vapor

/// Services the routes and the commands use, kept on the application.
public struct SafeguardServices: Sendable {
    public let ruleSet: RuleSet
    public let workflow: CaseWorkflow
    public let users: UserDirectory
    let loginThrottle: LoginThrottle
    let sessionTimeouts: SessionTimeouts
    let metrics: ServiceMetrics
    /// On SQLite, the turns every writer in the process takes; nil on PostgreSQL.
    public var writeTurns: (any WriteTurns)? { sqliteTurns }
    let sqliteTurns: SQLiteWriteSerializer.Turns?
    public let custodyFeed: CustodyFeed
    public let registrations: RegistrationBook
    public let intake: HotlineIntake
    public let delivery: DeliverySettings
    public var audit: AuditChain { workflow.audit }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = SafeguardServices }

    var safeguard: SafeguardServices {
        get { storage[ServicesKey.self]! }
        set { storage[ServicesKey.self] = newValue }
    }
}

/// Sets the application up: the SQLite database (WAL, `synchronous=FULL`), migrations,
/// middleware and routes.
public func configure(_ app: Application, settings: ServerSettings, ruleSet: RuleSet, hasher: any PasswordHashing = BcryptHasher()) async throws {
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: settings.maximumBodySize)
    // The drivers log statements with their bound values (case data) at debug level; the log
    // handler withholds those values (see SafeguardLogHandler).
    let connections = settings.databaseConnectionsPerLoop
    if let url = settings.databaseURL {
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: connections), as: .psql)
    } else {
        app.databases.use(.sqlite(.file(settings.databasePath), maxConnectionsPerEventLoop: connections, connectionPoolTimeout: .seconds(10),
                                  dataEncoder: .init(), dataDecoder: .init(), sqlLogLevel: .debug), as: .sqlite)
    }
    app.migrations.add(SafeguardMigrations.all)
    // Page sessions live in the database, so that every server process shares them.
    app.migrations.add(SessionRecord.migration)
    app.sessions.use(.fluent)
    app.sessions.configuration = SessionsConfiguration(cookieName: SessionController.cookieName) { id in
        // Vapor sets none of these by default.
        HTTPCookies.Value(string: id.string, maxAge: Int(settings.sessionTimeouts.lifetime), path: "/",
                          isSecure: true, isHTTPOnly: true, sameSite: .strict)
    }
    let metrics = ServiceMetrics()
    let audit = AuditChain(key: try AuditKey.loadOrCreate(at: settings.auditKeyPath))
    app.safeguard = SafeguardServices(
        ruleSet: ruleSet, workflow: CaseWorkflow(ruleSet: ruleSet, audit: audit, metrics: WorkflowMetrics(factory: metrics.factory)),
        users: UserDirectory(hasher: hasher), loginThrottle: LoginThrottle(), sessionTimeouts: settings.sessionTimeouts, metrics: metrics,
        sqliteTurns: settings.databaseURL == nil ? SQLiteWriteSerializer.Turns() : nil,
        custodyFeed: CustodyFeed(notifyOn: settings.notifyOn, audit: audit), registrations: RegistrationBook(audit: audit),
        intake: HotlineIntake(audit: audit), delivery: settings.delivery
    )
    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware(factory: metrics.factory))
    app.middleware.use(SecurityHeaders())
    // Outside the problem middleware, so that the audit record of a refusal is written in turn too.
    if let turns = app.safeguard.sqliteTurns { app.middleware.use(SQLiteWriteSerializer(turns: turns)) }
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(AccessControl())
    app.views.use(.leaf)
    // The templates sit in the bundle under the build folder (`.build/…`): Leaf's default limits
    // refuse hidden folders on the path, so the sandbox alone holds them in.
    let views = Bundle.module.resourcePath! + "/Views/"
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions],
                                                  sandboxDirectory: views, viewDirectory: views))
    app.lifecycle.use(AuditHeadSigning(interval: settings.auditSigningInterval))
    if settings.deliveryWorkers > 0 {
        app.lifecycle.use(DeliveryWorkers(count: settings.deliveryWorkers, settings: settings.delivery, factory: metrics.factory))
    }
    try await prepareDatabase(app, sqlite: settings.databaseURL == nil)
    try routes(app)
    // Known now that the routes are: every request runs through it.
    app.middleware.use(MethodNotAllowed(routes: app.routes))
}

/// For SQLite: WAL is a property of the database file; `synchronous` is FULL by default in the
/// SQLite that Safeguard links, and set again here so that the intent is explicit.
func prepareDatabase(_ app: Application, sqlite: Bool) async throws {
    if sqlite {
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=FULL").run()
    }
    try await app.autoMigrate()
}

func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    // The stylesheet, from the bundle: pages load nothing from elsewhere.
    try app.register(collection: StylesheetController())
    try app.register(collection: OpenAPIController())
    try app.register(collection: MetricsController())
    let api = app.grouped("api", "v1")
    try api.register(collection: DecisionController())
    try api.register(collection: TokenController())
    try app.register(collection: SessionController())
    try app.register(collection: PageController())
    try app.register(collection: EncounterPageController())
    try app.register(collection: AuditPageController())
    try app.register(collection: PolicyPageController())
    try app.register(collection: DashboardPageController())
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
