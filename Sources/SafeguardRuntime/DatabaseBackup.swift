import FluentKit
import Foundation
import SafeguardCore
import SQLKit

/// Copies of the database: SQLite's online backup (`VACUUM INTO`, a consistent snapshot while the
/// service runs) and PostgreSQL's `pg_dump`/`pg_restore` (custom format).
public enum DatabaseBackup {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Every table Safeguard keeps, for comparing a copy with its original.
    public static let tables = [
        "users", "api_tokens", "people", "benefit_filings", "encounters", "evidence", "step_records", "decisions",
        "follow_ups", "reevaluation_runs", "audit_records", "audit_queue", "audit_heads", "audit_signatures", "_fluent_sessions", "_fluent_migrations",
    ]

    /// Writes a backup of the configured database to `file`, which must not exist yet.
    public static func backup(settings: RuntimeSettings, to file: String) async throws {
        guard !FileManager.default.fileExists(atPath: file) else { throw Failure(description: "\(file): already exists; choose a new file") }
        if let url = settings.databaseURL {
            try runTool("pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", url])
            return
        }
        guard FileManager.default.fileExists(atPath: settings.databasePath) else {
            throw Failure(description: "\(settings.databasePath): no database to back up")
        }
        try await withSQL(settings) { sql in try await sql.raw("VACUUM INTO \(bind: file)").run() }
    }

    /// Restores `file` into the configured database, which must be new: an SQLite file that does
    /// not exist yet, or an empty PostgreSQL database.
    public static func restore(settings: RuntimeSettings, from file: String) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw Failure(description: "\(file): no such backup") }
        if let url = settings.databaseURL {
            try runTool("pg_restore", ["--no-owner", "--exit-on-error", "--dbname", url, file])
            return
        }
        guard !FileManager.default.fileExists(atPath: settings.databasePath) else {
            throw Failure(description: "\(settings.databasePath): already exists; restore into a new database")
        }
        try FileManager.default.copyItem(atPath: file, toPath: settings.databasePath)
    }

    /// Row counts of every table, to compare a restored copy with its original.
    public static func rowCounts(settings: RuntimeSettings) async throws -> [String: Int] {
        try await withSQL(settings) { sql in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            return counts
        }
    }

    /// The configured database as it is, without migrations.
    private static func withSQL<Result: Sendable>(_ settings: RuntimeSettings, _ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await SafeguardRuntime.withDatabasesOpen { databases, loops, logger in
            try SafeguardRuntime.register(settings, on: databases)
            return try await body(try CaseRecords.sqlDatabase(databases.database(logger: logger, on: loops[0])!))
        }
    }

    private static func runTool(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(name) failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
