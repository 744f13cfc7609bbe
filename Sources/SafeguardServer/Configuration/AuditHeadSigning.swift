import Fluent
import SafeguardCore
import Vapor

/// Signs the audit chain's heads every `interval` while the server runs (besides every 1,000
/// records), so that a signed head is never older than the interval. On SQLite it takes the
/// write turn like any request that writes.
final class AuditHeadSigning: LifecycleHandler, @unchecked Sendable {
    let interval: Duration
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var task: Task<Void, Never>?

    init(interval: Duration) {
        self.interval = interval
    }

    func didBootAsync(_ application: Application) async throws {
        let (audit, turns, clock, interval, logger) = (application.safeguard.audit, application.safeguard.writeTurns, application.safeguard.clock,
                                                   interval, application.logger)
        let database = application.db
        task = Task {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: interval)
                    _ = try await turns.run { try await audit.signHeads(on: database) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("the audit heads could not be signed: \(String(reflecting: type(of: error)))")
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
