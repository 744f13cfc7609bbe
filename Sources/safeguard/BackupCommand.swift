import ArgumentParser
import PolicyEngine
import SafeguardCore
import SafeguardRuntime

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database to a file: SQLite's online backup, or pg_dump for PostgreSQL."
    )
    @Option(help: "The backup file to write; it must not exist.") var to: String
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        let settings = try databaseOptions.settings()
        let file = to
        // The export is recorded first, so that the copy holds its own record.
        try await databaseOptions.withDatabase(policyOptions) { database, services in
            try await services.audit.append(.byOperator(.export, "database-backup"), on: database)
        }
        do {
            try await DatabaseBackup.backup(settings: settings, to: file)
        } catch let error as DatabaseBackup.Failure {
            throw BadInput(error.description).exit()
        }
        print("backed up \(settings.databaseDescription) to \(to)")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into a new database (a new SQLite file, or an empty PostgreSQL database)."
    )
    @Option(help: "The backup file to read.") var from: String
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let settings = try databaseOptions.settings()
        do {
            try await DatabaseBackup.restore(settings: settings, from: from)
        } catch let error as DatabaseBackup.Failure {
            throw BadInput(error.description).exit()
        }
        let counts = try await DatabaseBackup.rowCounts(settings: settings)
        print("restored \(from) into \(settings.databaseDescription):")
        for table in DatabaseBackup.tables { print("  \(table.padding(toLength: 20, withPad: " ", startingAt: 0)) \(counts[table] ?? 0) rows") }
    }
}
