import ArgumentParser
import PolicyEngine
import SafeguardServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the HTTP API and the pages.")
    @Option(help: "Address to listen on (default 127.0.0.1, or SAFEGUARD_HOST).")
    var host: String?
    @Option(help: "Port to listen on (default 8080, or SAFEGUARD_PORT).")
    var port: String?
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
            try await SafeguardService.serve(settings: settings, ruleSet: try policyOptions.load())
        } catch let error as BadInput {
            throw error.exit()
        }
    }
}
