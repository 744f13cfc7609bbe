import Foundation
import SafeguardTestSupport

extension TestService {
    /// Runs a `safeguard` command (`CommandLineRunner`) against this service's database and audit key.
    func runCommand(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CommandLineRunner.Result {
        var environment = extra.merging(["SAFEGUARD_AUDIT_KEY": settings.auditKeyPath]) { $1 }
        var arguments = arguments
        if let databaseURL = settings.databaseURL { environment["DATABASE_URL"] = databaseURL } else { arguments += ["--database", databasePath] }
        return try await CommandLineRunner.run(arguments, environment: environment)
    }
}
