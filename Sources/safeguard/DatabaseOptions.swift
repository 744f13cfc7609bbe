import ArgumentParser
import FluentKit
import PolicyEngine
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime

/// `--database` and `--audit-key`, or `SAFEGUARD_DATABASE` and `SAFEGUARD_AUDIT_KEY` (`DATABASE_URL`
/// selects PostgreSQL): where the records are, for every command that reads or writes them.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The SQLite database file (default safeguard.sqlite, or SAFEGUARD_DATABASE).")
    var database: String?
    @Option(name: .customLong("audit-key"),
            help: "The audit signing key file, created when missing (default: the database file's name plus .audit-key; safeguard-audit.key with DATABASE_URL; or SAFEGUARD_AUDIT_KEY).")
    var auditKey: String?

    /// Runs `body` with the database (migrated) and the services, reporting bad settings and
    /// refusals as bad input.
    /// - Parameter integratingAudit: whether the command integrates the audit records queued
    ///   before it exits (not a check that only reads: it signs nothing).
    func withDatabase<Result: Sendable>(_ policies: PolicyOptions, integratingAudit: Bool = true,
                                        _ body: @Sendable (any Database, SafeguardServices) async throws -> Result) async throws -> Result {
        try await withDatabases(policies, integratingAudit: integratingAudit) { database, _, services in try await body(database, services) }
    }

    /// The database with a second connection for reading while the first writes.
    func withDatabases<Result: Sendable>(_ policies: PolicyOptions, integratingAudit: Bool = true,
                                         _ body: @Sendable (any Database, any Database, SafeguardServices) async throws -> Result) async throws -> Result {
        do {
            return try await SafeguardRuntime.withDatabases(settings: try settings(), ruleSet: try policies.load(), hasher: BcryptHasher(),
                                                            integratingAudit: integratingAudit, body)
        } catch let error as BadInput {
            throw error.exit()
        } catch let error as WorkflowError {
            throw BadInput(error.messages).exit()
        }
    }

    func settings() throws -> RuntimeSettings {
        do {
            return try RuntimeSettings.resolve(database: database, auditKey: auditKey)
        } catch {
            throw BadInput(error.problems)
        }
    }
}
