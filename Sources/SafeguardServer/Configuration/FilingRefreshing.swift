import Fluent
import SafeguardCore
import Vapor

/// Keeps known filings current while the server runs, when a filing-status source is configured:
/// once a day, the known filings of people with an open encounter verified more than
/// `RuntimeSettings.filingRefreshAge` ago are asked about again (`refreshKnownFilings`), at most
/// `batch` a day within the source's rate limit. On SQLite each change takes the write turn.
final class FilingRefreshing: LifecycleHandler, @unchecked Sendable {
    static let batch = 500
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var task: Task<Void, Never>?

    func didBootAsync(_ application: Application) async throws {
        let services = application.safeguard
        guard let source = services.filingSource else { return }
        let (workflow, turns, clock, logger, database, age) = (services.workflow, services.writeTurns, services.clock, application.logger,
                                                               application.db, services.filingRefreshAge)
        task = Task {
            while !Task.isCancelled {
                do {
                    let refresh = try await workflow.refreshKnownFilings(verifiedBefore: clock.now.addingTimeInterval(-age), limit: Self.batch, through: source,
                                                                         by: DecisionRefresh.actor, on: database, turns: turns)
                    if refresh.asked > 0 {
                        logger.notice("known filings asked about again: \(refresh.changed) changed, \(refresh.unchanged) as they were, \(refresh.unsettled) unsettled")
                    }
                    if let stoppedBy = refresh.stoppedBy { logger.error("asking again about known filings stopped: \(stoppedBy)") }
                    try await clock.sleep(for: .seconds(86_400))
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("the known filings could not be asked about again: \(String(reflecting: type(of: error)))")
                    do { try await clock.sleep(for: .seconds(86_400)) } catch { return }
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
