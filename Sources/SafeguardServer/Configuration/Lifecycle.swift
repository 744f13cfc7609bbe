import Fluent
import PolicyEngine
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
import Vapor

/// Running Safeguard's service (the commands open the database through `SafeguardRuntime`).
public enum SafeguardService {
    /// Serves HTTP until the process is asked to stop (SIGINT, SIGTERM); with `simulatingUSCIS`, filings are verified at a `CaseStatusSimulator`
    /// started beside the server (refused when the real API is configured: the two are never mixed).
    public static func serve(settings: ServerSettings, ruleSet: RuleSet, simulatingUSCIS: Bool = false) async throws {
        guard simulatingUSCIS else { return try await serve(settings: settings, ruleSet: ruleSet, simulator: nil) }
        guard settings.filingSource == nil else {
            throw SettingsError(problems: ["--uscis-simulator: SAFEGUARD_USCIS_URL names a real Case Status API; the simulator is not used beside it"])
        }
        try await serve(settings: settings, ruleSet: ruleSet, simulator: try CaseStatusSimulator(unknownReceipts: .unavailable))
    }

    /// Serves until stopped, verifying filings at `simulator` when given.
    private static func serve(settings: ServerSettings, ruleSet: RuleSet, simulator: CaseStatusSimulator?) async throws {
        var settings = settings
        if let simulator { settings.filingSource = simulator.clientSettings(at: try await simulator.start()) }
        do {
            try await serveApplication(settings: settings, ruleSet: ruleSet)
        } catch {
            try await simulator?.stop()
            throw error
        }
        try await simulator?.stop()
    }

    private static func serveApplication(settings: ServerSettings, ruleSet: RuleSet) async throws {
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
    /// unless `serve` is false, its filings verified at a `CaseStatusSimulator` that knows each as
    /// claimed (labelled as simulated wherever its answers show).
    public static func demo(settings: ServerSettings, ruleSet: RuleSet, people: Int = 40, serve: Bool,
                            report: @Sendable (DemoSeeder.Summary, String) -> Void) async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.databasePath + suffix) }
        let simulator = try CaseStatusSimulator(unknownReceipts: .unavailable)
        let (summary, token) = try await SafeguardRuntime.withDatabase(settings: settings.runtime, ruleSet: ruleSet, hasher: BcryptHasher()) { database, services in
            let users = services.users
            let seeder = DemoSeeder(workflow: services.workflow, users: users)
            let summary = try await seeder.seed(people: people, password: { GeneratedSecret.password() }, on: database)
            for filing in try await BenefitFilingRecord.query(on: database).all() { simulator.knowAsClaimed(filing) }
            return (summary, try await users.issueToken(for: "officer-nyc", lifetime: UserDirectory.issuedTokenLifetime, on: database).token)
        }
        report(summary, token)
        if serve { try await self.serve(settings: settings, ruleSet: ruleSet, simulator: simulator) }
    }
}
