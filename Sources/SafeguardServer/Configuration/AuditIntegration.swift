import Fluent
import SafeguardCore
import Vapor

/// The sequencer of a running server: every `interval` it integrates the audit records that
/// requests (of this server or another over the same database) queued into their partitions'
/// chains (`AuditChain.integrate`), and once more at shutdown. On SQLite it takes the write turn
/// like any request that writes.
final class AuditIntegration: LifecycleHandler, @unchecked Sendable {
    let interval: TimeInterval
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var task: Task<Void, Never>?

    init(interval: TimeInterval) {
        self.interval = interval
    }

    func didBootAsync(_ application: Application) async throws {
        let (audit, turns, clock, interval, logger) = (application.safeguard.audit, application.safeguard.writeTurns, application.safeguard.clock,
                                                   interval, application.logger)
        let database = application.db
        task = Task {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: .milliseconds(Int64(interval * 1000)))
                    _ = try await turns.run { try await audit.integrate(on: database) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("the queued audit records could not be integrated: \(String(reflecting: type(of: error)))")
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
        do {
            _ = try await application.safeguard.writeTurns.run { try await application.safeguard.audit.integrate(on: application.db) }
        } catch {
            application.logger.error("the queued audit records could not be integrated at shutdown: \(String(reflecting: type(of: error)))")
        }
    }
}
