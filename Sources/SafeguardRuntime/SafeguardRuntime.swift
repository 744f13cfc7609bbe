import CoreMetrics
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import PolicyEngine
import SafeguardCore
import SQLKit

/// The composition root: the one place that turns settings into a database, an audit key and the
/// core's services. The server composes itself here (on Vapor's `Databases`), and so does every
/// command (on a `Databases` of its own, without Vapor).
public enum SafeguardRuntime {
    /// Runs Swift's tasks on the event loops' threads, as Vapor's own template does: an `await`
    /// on a database result then resumes where the result arrived, instead of waking a thread of
    /// the default executor for it (on two cores those wake-ups cost a fifth of a request's time).
    /// Must be the process's first work, before any task but `main`'s has started.
    public static func runTasksOnEventLoops() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Registers the configured database (SQLite, or PostgreSQL when `databaseURL` is set) on
    /// `databases` and every migration on `migrations`, loads or creates the audit key, and makes
    /// the services.
    public static func compose(settings: RuntimeSettings, ruleSet: RuleSet, hasher: any PasswordHashing,
                               clock: any WallClock = SystemClock(), metrics: any MetricsFactory = MetricsSystem.factory,
                               databases: Databases, migrations: Migrations) throws -> SafeguardServices {
        try register(settings, on: databases)
        migrations.add(SafeguardMigrations.all)
        let audit = AuditChain(key: try AuditKey.loadOrCreate(at: settings.auditKeyPath), refusalsPerMinute: settings.refusalsPerMinute,
                               queueBound: settings.auditQueueBound, clock: clock)
        let workflow = CaseWorkflow(ruleSet: ruleSet, audit: audit, calendar: CaseCalendar(clock: clock, timeZone: settings.timeZone), metrics: WorkflowMetrics(factory: metrics))
        return SafeguardServices(
            ruleSet: ruleSet, clock: clock,
            workflow: workflow, people: PersonBook(workflow: workflow),
            users: UserDirectory(hasher: hasher, clock: clock, tokenRecheck: .seconds(settings.tokenRecheckInterval)), loginThrottle: LoginThrottle(clock: clock),
            sessionTimeouts: settings.sessionTimeouts,
            writeTurns: settings.databaseURL == nil ? SQLiteWriteTurns() : nil,
            custodyFeed: CustodyFeed(notifyOn: settings.notifyOn, audit: audit, clock: clock),
            registrations: RegistrationBook(audit: audit, clock: clock),
            voiceConfirmation: VoiceConfirmation(audit: audit, throttle: PINThrottle(clock: clock)),
            intake: HotlineIntake(audit: audit), delivery: settings.delivery,
            filingSource: settings.filingSource.map { USCISCaseStatusClient(settings: $0, clock: clock) }, filingRefreshAge: settings.filingRefreshAge
        )
    }

    /// Registers the configured database as the default one of `databases`.
    static func register(_ settings: RuntimeSettings, on databases: Databases) throws {
        // The drivers log statements with their bound values (case data) at debug level; the log
        // handler withholds those values (see SafeguardLogHandler).
        let connections = settings.databaseConnectionsPerLoop
        // How long a request waits for a free connection before it is answered "busy" (503): long
        // enough for a burst that queues behind one office's audit head on a loaded machine.
        let wait = TimeAmount.seconds(30)
        if let url = settings.databaseURL {
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: connections, connectionPoolTimeout: wait), as: .psql)
        } else {
            databases.use(.sqlite(.file(settings.databasePath), maxConnectionsPerEventLoop: connections, connectionPoolTimeout: wait,
                                  dataEncoder: .init(), dataDecoder: .init(), sqlLogLevel: .debug), as: .sqlite)
        }
    }

    /// Opens a `Databases` of its own on NIO's shared threads, runs `body` with it, its event loops
    /// and a logger, and shuts it down whatever happens.
    static func withDatabasesOpen<Result: Sendable>(
        _ body: @Sendable (Databases, [any EventLoop], Logger) async throws -> Result
    ) async throws -> Result {
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        var logger = Logger(label: "safeguard")
        logger.logLevel = .warning
        do {
            let result = try await body(databases, Array(group.makeIterator()), logger)
            await databases.shutdownAsync()
            return result
        } catch {
            await databases.shutdownAsync()
            throw error
        }
    }

    /// Brings the database up to date: on SQLite, WAL (a property of the file) and `synchronous`
    /// FULL (the default of the SQLite Safeguard links, set again so that the intent is explicit);
    /// then every migration not yet run; then voice PINs stored unkeyed are keyed (`VoicePIN`),
    /// which needs the audit key that migrations do not have.
    public static func prepare(_ database: any Database, settings: RuntimeSettings, migrate: () async throws -> Void) async throws {
        if settings.databaseURL == nil, let sql = database as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=FULL").run()
        }
        try await migrate()
        try await VoicePIN(auditKey: AuditKey.loadOrCreate(at: settings.auditKeyPath)).rekeyUnkeyed(on: database)
    }

    /// For a command: opens and migrates the database, runs `body` with it, a second handle on a
    /// connection of its own (another event loop's, for reading while the first one writes) and the
    /// services, integrates the audit records it queued, and closes the database whatever happens.
    public static func withDatabases<Result: Sendable>(
        settings: RuntimeSettings, ruleSet: RuleSet, hasher: any PasswordHashing, integratingAudit: Bool = true,
        _ body: @Sendable (_ database: any Database, _ reader: any Database, SafeguardServices) async throws -> Result
    ) async throws -> Result {
        try await withDatabasesOpen { databases, loops, logger in
            let migrations = Migrations()
            let services = try compose(settings: settings, ruleSet: ruleSet, hasher: hasher, databases: databases, migrations: migrations)
            let database = databases.database(logger: logger, on: loops[0])!
            let reader = databases.database(logger: logger, on: loops[loops.count > 1 ? 1 : 0])!
            try await prepare(database, settings: settings) {
                let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: loops[0])
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
            }
            // What the command queued in the chain is integrated before it exits, failed or not:
            // its records never wait for a server to pick them up.
            do {
                let result = try await body(database, reader, services)
                if integratingAudit { try await services.audit.integrate(on: database) }
                return result
            } catch {
                if integratingAudit { _ = try? await services.audit.integrate(on: database) }
                throw error
            }
        }
    }

    /// `withDatabases` without the second handle.
    public static func withDatabase<Result: Sendable>(
        settings: RuntimeSettings, ruleSet: RuleSet, hasher: any PasswordHashing,
        _ body: @Sendable (any Database, SafeguardServices) async throws -> Result
    ) async throws -> Result {
        try await withDatabases(settings: settings, ruleSet: ruleSet, hasher: hasher) { database, _, services in try await body(database, services) }
    }
}
