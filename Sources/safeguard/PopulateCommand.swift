import ArgumentParser
import Foundation
import SafeguardCore
import SafeguardRuntime

struct PopulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "populate",
        abstract: "Add a synthetic population of people with open encounters, for capacity tests and benchmarks.",
        discussion: "Each encounter's records make one generated case, so the population spans every policy period and fact. "
            + "No decision is computed: run `safeguard reevaluate` to decide them all."
    )

    @Option(help: "How many people, each with one open encounter.") var encounters: Int
    @Option(help: "Seed of the case generator (the same seed gives the same cases).") var seed: UInt64 = 1
    @Option(help: "The user the records are recorded under (an admin or supervisor).") var user: String
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        guard encounters > 0 else { throw BadInput("--encounters: must be a positive number").exit() }
        let (count, seed, username) = (encounters, seed, user)
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        try await databaseOptions.withDatabase(policyOptions) { database, services in
            guard let actor = try await services.users.user(named: username, on: database).actor, [.admin, .supervisor].contains(actor.role) else {
                throw WorkflowError.forbidden("--user must name an enabled admin or supervisor")
            }
            try await PopulationLoader(ruleSet: services.ruleSet).load(encounters: count, seed: seed, by: actor, audit: services.audit, progress: { done in
                if showProgress { FileHandle.standardError.write(Data("\r\(done) encounters added".utf8)) }
            }, on: database)
        }
        if showProgress { printError("") }
        print("added \(count) people with open encounters in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
