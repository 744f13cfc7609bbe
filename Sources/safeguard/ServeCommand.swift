import ArgumentParser
import Foundation
import PolicyEngine
import SafeguardRuntime
import SafeguardServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the HTTP API and the pages.")
    @Option(help: "Address to listen on (default 127.0.0.1, or SAFEGUARD_HOST).")
    var host: String?
    @Option(help: "Port to listen on (default 8080, or SAFEGUARD_PORT).")
    var port: String?
    @Flag(name: .customLong("uscis-simulator"),
          help: "Verify filings at a simulator of USCIS's Case Status API (sample answers, not real case data); refused beside SAFEGUARD_USCIS_URL.")
    var uscisSimulator = false
    @Option(name: .customLong("offer-drafts"),
            help: "A folder of draft policy files that /policies/drafts offers to try on the open encounters; never in force (repeat for more).",
            completion: .directory)
    var offeredDrafts: [String] = []
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        do {
            var settings: ServerSettings
            do {
                settings = try ServerSettings.resolve(host: host, port: port, database: databaseOptions.database, auditKey: databaseOptions.auditKey)
            } catch {
                throw BadInput(error.problems)
            }
            // Each offered draft must load beside the policies, or the server does not start.
            settings.offeredDrafts = offeredDrafts.map { URL(fileURLWithPath: $0) }
            for folder in settings.offeredDrafts { _ = try policyOptions.load(drafts: folder) }
            try await SafeguardService.serve(settings: settings, ruleSet: try policyOptions.load(), simulatingUSCIS: uscisSimulator)
        } catch let error as BadInput {
            throw error.exit()
        } catch let error as SettingsError {
            throw BadInput(error.problems).exit()
        }
    }
}
