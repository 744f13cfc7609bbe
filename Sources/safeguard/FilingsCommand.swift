import ArgumentParser
import Foundation
import SafeguardCore

struct FilingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filings", abstract: "Filings verified at their source.",
        subcommands: [Refresh.self]
    )

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the filing-status source again for the known filings of people with an open encounter, and decide again what changed.",
            discussion: """
            The source is USCIS's Case Status API (SAFEGUARD_USCIS_URL, SAFEGUARD_USCIS_CLIENT_ID, SAFEGUARD_USCIS_CLIENT_SECRET), \
            asked within its rate limit. A filing the source no longer knows, or answers for in words not recognised, is left \
            as it was and counted as unsettled, for a person to look at; a failure of the source stops the run (exit 1). \
            Run it where no server runs on the same SQLite file, or let `serve` do it (once a day).
            """
        )
        @Option(help: "Refresh the filings verified more than this many days ago.") var olderThanDays = 30
        @Option(help: "At most this many filings, oldest first (the sandbox allows 1,000 calls a day).") var limit = 200
        @Option(help: "The user the changes are recorded under (an admin or supervisor).") var user: String
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            guard olderThanDays >= 0 else { throw BadInput("--older-than-days: '\(olderThanDays)' is not a number of days").exit() }
            guard limit > 0 else { throw BadInput("--limit: '\(limit)' is not a number of filings").exit() }
            let (days, limit, username) = (olderThanDays, limit, user)
            let refresh = try await databaseOptions.withDatabase(policyOptions) { database, services -> CaseWorkflow.FilingRefresh? in
                guard let source = services.filingSource else { return nil }
                let actor = try await ReevaluateCommand.actor(named: username, in: services, on: database)
                return try await services.workflow.refreshKnownFilings(verifiedBefore: services.clock.now.addingTimeInterval(-Double(days) * 86_400),
                                                                       limit: limit, through: source, by: actor, on: database)
            }
            guard let refresh else {
                throw BadInput("SAFEGUARD_USCIS_URL: no filing-status source is configured (with SAFEGUARD_USCIS_CLIENT_ID and SAFEGUARD_USCIS_CLIENT_SECRET)").exit()
            }
            print("asked the source about \(refresh.asked) known filings: \(refresh.changed) changed (their encounters decided again), "
                  + "\(refresh.unchanged) as they were, \(refresh.unsettled) unsettled (left as they were)")
            if let stoppedBy = refresh.stoppedBy {
                printError("stopped: \(stoppedBy)")
                throw ExitCode.failure
            }
        }
    }
}
