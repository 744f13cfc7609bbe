import Fluent
import NIOCore
import NIOPosix
import PolicyEngine
import SafeguardCore
import Vapor

/// Running Safeguard's service, and opening its database for commands.
public enum SafeguardService {
    /// Runs Swift's tasks on the event loops' threads, as Vapor's own template does: an `await`
    /// on a database result then resumes where the result arrived, instead of waking a thread of
    /// the default executor for it (on two cores those wake-ups cost a fifth of a request's time).
    /// Must be the process's first work, before any task but `main`'s has started.
    public static func runTasksOnEventLoops() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Serves HTTP until the process is asked to stop (SIGINT, SIGTERM).
    public static func serve(settings: ServerSettings, ruleSet: RuleSet) async throws {
        // Vapor's own command line is not used: Safeguard's parser has read the arguments.
        let app = try await Application.make(Environment(name: "production", arguments: ["safeguard", "serve"]))
        do {
            try await configure(app, settings: settings, ruleSet: ruleSet)
            app.logger.notice("Safeguard serving on http://\(settings.host):\(settings.port) with database \(settings.databaseDescription)")
            try await app.execute()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Creates a fresh demonstration database, seeds it, tells `report` what was made, and serves it
    /// unless `serve` is false.
    public static func demo(settings: ServerSettings, ruleSet: RuleSet, people: Int = 40, serve: Bool,
                            report: @Sendable (DemoSeeder.Summary, String) -> Void) async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.databasePath + suffix) }
        let (summary, token) = try await withDatabase(settings: settings, ruleSet: ruleSet) { database, services in
            let users = services.users
            let seeder = DemoSeeder(workflow: services.workflow, users: users)
            let summary = try await seeder.seed(people: people, password: { GeneratedSecret.password() }, on: database)
            return (summary, try await users.issueToken(for: "officer-nyc", on: database))
        }
        report(summary, token)
        if serve { try await self.serve(settings: settings, ruleSet: ruleSet) }
    }

    /// Opens (and migrates) the database, runs `body` with it and the services, and closes it.
    public static func withDatabase<Result: Sendable>(
        settings: ServerSettings, ruleSet: RuleSet,
        _ body: @Sendable (any Database, SafeguardServices) async throws -> Result
    ) async throws -> Result {
        try await withDatabases(settings: settings, ruleSet: ruleSet) { database, _, services in try await body(database, services) }
    }

    /// As `withDatabase`, with a second handle on a connection of its own (another event loop's),
    /// for reading while the first one writes.
    public static func withDatabases<Result: Sendable>(
        settings: ServerSettings, ruleSet: RuleSet,
        _ body: @Sendable (_ database: any Database, _ reader: any Database, SafeguardServices) async throws -> Result
    ) async throws -> Result {
        let app = try await Application.make(Environment(name: "production", arguments: ["safeguard"]))
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: settings, ruleSet: ruleSet)
            let loops = Array(app.eventLoopGroup.makeIterator())
            let database = app.databases.database(logger: app.logger, on: loops[0])!
            let reader = app.databases.database(logger: app.logger, on: loops[loops.count > 1 ? 1 : 0])!
            let result = try await body(database, reader, app.safeguard)
            try await app.asyncShutdown()
            return result
        } catch {
            try await app.asyncShutdown()
            throw error
        }
    }
}
