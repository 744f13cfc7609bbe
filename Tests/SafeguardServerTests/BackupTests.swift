import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import Testing

/// Backup, then restore into a new database: the same rows, on SQLite and on PostgreSQL.
@Suite struct BackupTests {
    @Test func aRestoredBackupHasTheSameRows() async throws {
        try await TestService.with(seedUsers: false) { service in
            let seeder = DemoSeeder(workflow: service.app.safeguard.workflow, users: service.app.safeguard.users)
            _ = try await seeder.seed(people: 12, password: { GeneratedSecret.password() }, on: service.app.db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-backup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("backup").path
            try await DatabaseBackup.backup(settings: service.settings.runtime, to: file)
            await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.backup(settings: service.settings.runtime, to: file) }

            var target = service.settings.runtime
            target.databasePath = folder.appendingPathComponent("restored.sqlite").path
            var restoredDatabase: String?
            if let admin = TestService.postgresURL {
                let name = "safeguard_restore_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
                try await PostgresAdministration.createDatabase(name, at: admin)
                restoredDatabase = name
                target.databaseURL = URL(string: admin)!.deletingLastPathComponent().appendingPathComponent(name).absoluteString
            }
            do {
                try await DatabaseBackup.restore(settings: target, from: file)
                let original = try await DatabaseBackup.rowCounts(settings: service.settings.runtime)
                let restored = try await DatabaseBackup.rowCounts(settings: target)
                #expect(original == restored)
                #expect((original["encounters"] ?? 0) == 12 && (original["decisions"] ?? 0) > 12)
            } catch {
                if let admin = TestService.postgresURL, let restoredDatabase {
                    try? await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(restoredDatabase) WITH (FORCE)")
                }
                throw error
            }
            if let admin = TestService.postgresURL, let restoredDatabase {
                try await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(restoredDatabase) WITH (FORCE)")
            }
        }
    }
}
