import Fluent
import SafeguardCore
import Vapor

/// Brings the stored decisions of open encounters up to date while the server runs: at boot, and
/// as each day begins, when the policies in force changed (`DecisionRefresh`). On SQLite each batch
/// takes the write turn like a request that writes, so requests go on between batches.
final class DecisionRefreshing: LifecycleHandler, @unchecked Sendable {
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var task: Task<Void, Never>?

    func didBootAsync(_ application: Application) async throws {
        let refresh = DecisionRefresh(reevaluator: Reevaluator(workflow: application.safeguard.workflow))
        let (turns, clock, logger, database) = (application.safeguard.writeTurns, application.safeguard.clock, application.logger, application.db)
        task = Task {
            while !Task.isCancelled {
                do {
                    // The run takes the write turn batch by batch (SQLite), never for its whole length.
                    if let run = try await refresh.refreshIfDue(on: database, turns: turns) {
                        logger.notice("the open encounters were decided again as of \(run.asOf ?? "today"): \(run.changed) of \(run.processed) outcomes changed")
                    }
                    try await clock.sleep(for: refresh.untilTomorrow)
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("the open encounters could not be decided again: \(String(reflecting: type(of: error)))")
                    do { try await clock.sleep(for: refresh.untilTomorrow) } catch { return }
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
