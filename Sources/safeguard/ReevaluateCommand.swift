import ArgumentParser
import FluentKit
import Foundation
import PolicyEngine
import SafeguardCore
import SafeguardRuntime

struct ReevaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reevaluate",
        abstract: "Re-apply the policies to every open encounter as of today, store the new decisions, and report what changed and why.",
        discussion: """
        Runs in batches, each committed with its progress; --resume continues an interrupted run. \
        --dry-run stores nothing and may decide on another day (--as-of), for analysis; with \
        --drafts it decides every open encounter twice, with the policies in force and with the \
        drafts added, and --out lists the encounters that would change (JSON Lines).
        """
    )

    @Flag(help: "Store nothing: report what a run would change.") var dryRun = false
    @Option(name: .customLong("as-of"), help: "With --dry-run: decide every open encounter on this day instead of today.") var asOf: String?
    @Option(help: "Encounters per batch (one transaction each).") var batchSize = 1000
    @Flag(help: "Continue the newest unfinished run instead of starting a new one.") var resume = false
    @Option(help: "The user the new decisions are recorded under (an admin or supervisor).") var user: String
    @Option(help: "With --drafts: write the encounters that would change to this file, one JSON object a line (id, office, month, disposition before and after, the parts that change).")
    var out: String?
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var draftOptions: DraftOptions

    func run() async throws {
        // A stored decision of an open encounter is the one in force today; other days are analysis.
        if asOf != nil && !dryRun { throw BadInput("--as-of: deciding on another day than today stores nothing: add --dry-run").exit() }
        if resume && dryRun { throw BadInput("--dry-run: a dry run starts no run to resume").exit() }
        if draftOptions.drafts != nil && !dryRun { throw BadInput("--drafts: drafts are tried, never stored: add --dry-run").exit() }
        if out != nil && draftOptions.drafts == nil { throw BadInput("--out: lists what drafts would change: add --drafts").exit() }
        let date = try asOf.map { try parseDate($0, option: "--as-of") }
        let (batchSize, resume, username) = (batchSize, resume, user)
        if let drafts = draftOptions.directory {
            return try await tryDrafts(drafts, asOf: date)
        }
        if dryRun {
            let started = Date()
            let preview = try await databaseOptions.withDatabases(policyOptions) { database, _, services in
                let actor = try await Self.actor(named: username, in: services, on: database)
                let reevaluator = Reevaluator(workflow: services.workflow, batchSize: batchSize)
                return try await reevaluator.preview(asOf: date ?? services.workflow.calendar.today, by: actor, on: database)
            }
            let seconds = Date().timeIntervalSince(started)
            print("would re-evaluate \(preview.processed) open encounters\(asOf.map { " as of \($0)" } ?? "") (\(String(format: "%.1f", seconds)) s); \(preview.changed) outcomes would change; nothing stored")
            print(preview.diff.table)
            return
        }
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        let run = try await databaseOptions.withDatabases(policyOptions) { database, reader, services in
            let actor = try await Self.actor(named: username, in: services, on: database)
            let reevaluator = Reevaluator(workflow: services.workflow, batchSize: batchSize)
            return try await reevaluator.run(resume: resume, by: actor, progress: { done in
                if showProgress { FileHandle.standardError.write(Data("\r\(done) encounters re-evaluated".utf8)) }
            }, on: database, readingFrom: reader)
        }
        if showProgress { printError("") }
        let seconds = Date().timeIntervalSince(started)
        print("re-evaluated \(run.processed) open encounters\(run.asOf.map { " as of \($0)" } ?? "") in \(String(format: "%.1f", seconds)) s; \(run.changed) outcomes changed")
        print(try PopulationDiff(json: run.diff).table)
    }

    /// The enabled admin or supervisor `--user` names.
    static func actor(named username: String, in services: SafeguardServices, on database: any Database) async throws -> Actor {
        guard let actor = try await services.users.user(named: username, on: database).actor, [.admin, .supervisor].contains(actor.role) else {
            throw WorkflowError.forbidden("--user must name an enabled admin or supervisor")
        }
        return actor
    }
}
