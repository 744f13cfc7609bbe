import ArgumentParser
import Foundation
import PolicyEngine
import SafeguardCore
import SafeguardRuntime

struct ReevaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reevaluate",
        abstract: "Re-apply the policies to every open encounter, store the new decisions, and report what changed and why.",
        discussion: "Runs in batches, each committed with its progress; --resume continues an interrupted run."
    )

    @Option(name: .customLong("as-of"), help: "Decide every open encounter on this date instead of its own.") var asOf: String?
    @Option(help: "Encounters per batch (one transaction each).") var batchSize = 1000
    @Flag(help: "Continue the newest unfinished run instead of starting a new one.") var resume = false
    @Option(help: "The user the new decisions are recorded under (an admin or supervisor).") var user: String
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        let date = try asOf.map { try parseDate($0, option: "--as-of") }
        let (batchSize, resume, username) = (batchSize, resume, user)
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        let run = try await databaseOptions.withDatabases(policyOptions) { database, reader, services in
            guard let actor = try await services.users.user(named: username, on: database).actor, [.admin, .supervisor].contains(actor.role) else {
                throw WorkflowError.forbidden("--user must name an enabled admin or supervisor")
            }
            let reevaluator = Reevaluator(workflow: services.workflow, batchSize: batchSize)
            return try await reevaluator.run(asOf: date, resume: resume, by: actor, progress: { done in
                if showProgress { FileHandle.standardError.write(Data("\r\(done) encounters re-evaluated".utf8)) }
            }, on: database, readingFrom: reader)
        }
        if showProgress { printError("") }
        let seconds = Date().timeIntervalSince(started)
        print("re-evaluated \(run.processed) open encounters\(run.asOf.map { " as of \($0)" } ?? "") in \(String(format: "%.1f", seconds)) s; \(run.changed) outcomes changed")
        print(try PopulationDiff(json: run.diff).table)
    }
}
