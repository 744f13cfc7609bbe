import ArgumentParser
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
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        do {
            let settings: ServerSettings
            do {
                settings = try ServerSettings.resolve(host: host, port: port, database: databaseOptions.database, auditKey: databaseOptions.auditKey)
            } catch {
                throw BadInput(error.problems)
            }
            try await SafeguardService.serve(settings: settings, ruleSet: try policyOptions.load(), simulatingUSCIS: uscisSimulator)
        } catch let error as BadInput {
            throw error.exit()
        } catch let error as SettingsError {
            throw BadInput(error.problems).exit()
        }
    }
}
