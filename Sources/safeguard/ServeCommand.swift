import ArgumentParser
import FluentKit
import PolicyEngine
import SafeguardCore
import SafeguardServer

/// `--host`, `--port`, `--database`, or `SAFEGUARD_HOST`, `SAFEGUARD_PORT`, `SAFEGUARD_DATABASE`.
struct ServiceOptions: ParsableArguments {
    @Option(help: "Address to listen on (default 127.0.0.1, or SAFEGUARD_HOST).")
    var host: String?
    @Option(help: "Port to listen on (default 8080, or SAFEGUARD_PORT).")
    var port: String?
    @Option(help: "The SQLite database file (default safeguard.sqlite, or SAFEGUARD_DATABASE).")
    var database: String?
    @Option(name: .customLong("audit-key"),
            help: "The audit signing key file, created when missing (default: the database file's name plus .audit-key; safeguard-audit.key with DATABASE_URL; or SAFEGUARD_AUDIT_KEY).")
    var auditKey: String?

    /// Runs `body` with the database (migrated) and the services, reporting bad settings and
    /// refusals as bad input.
    func withDatabase<Result: Sendable>(_ policies: PolicyOptions,
                                        _ body: @Sendable (any Database, SafeguardServices) async throws -> Result) async throws -> Result {
        try await withDatabases(policies) { database, _, services in try await body(database, services) }
    }

    /// The database with a second connection for reading while the first writes.
    func withDatabases<Result: Sendable>(_ policies: PolicyOptions,
                                         _ body: @Sendable (any Database, any Database, SafeguardServices) async throws -> Result) async throws -> Result {
        do {
            return try await SafeguardService.withDatabases(settings: try settings(), ruleSet: try policies.load(), body)
        } catch let error as BadInput {
            throw error.exit()
        } catch let error as WorkflowError {
            throw BadInput(error.messages).exit()
        }
    }

    func settings() throws -> ServerSettings {
        do {
            return try ServerSettings.resolve(host: host, port: port, database: database, auditKey: auditKey)
        } catch {
            throw BadInput(error.problems)
        }
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the HTTP API.")
    @OptionGroup var service: ServiceOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        do {
            try await SafeguardService.serve(settings: try service.settings(), ruleSet: try policyOptions.load())
        } catch let error as BadInput {
            throw error.exit()
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or bring the database up to date.")
    @OptionGroup var service: ServiceOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        do {
            let settings = try service.settings()
            try await SafeguardService.withDatabase(settings: settings, ruleSet: try policyOptions.load()) { _, _ in }
            print("\(settings.databaseDescription): migrations applied")
        } catch let error as BadInput {
            throw error.exit()
        }
    }
}
