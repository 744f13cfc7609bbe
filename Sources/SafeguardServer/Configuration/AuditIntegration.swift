import Fluent
import SafeguardCore
import Vapor

/// The sequencer of a running server: every `interval` it integrates the audit records that
/// requests (of this server or another over the same database) queued into their partitions'
/// chains (`AuditChain.integrate`), and once more at shutdown. On SQLite each batch takes the
/// write turn like any request that writes, so a backlog never holds the writers back for long;
/// a partition that fails is logged and the others go on.
final class AuditIntegration: LifecycleHandler, @unchecked Sendable {
    let interval: TimeInterval
    static let batchSize = 500
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var task: Task<Void, Never>?

    init(interval: TimeInterval) {
        self.interval = interval
    }

    func didBootAsync(_ application: Application) async throws {
        let (clock, interval) = (application.safeguard.clock, interval)
        task = Task {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: .milliseconds(Int64(interval * 1000)))
                } catch {
                    return
                }
                await Self.integrate(application)
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
        await Self.integrate(application)
    }

    /// Every partition's queued records, a batch per write turn.
    static func integrate(_ application: Application) async {
        let (audit, turns, database, logger) = (application.safeguard.audit, application.safeguard.writeTurns, application.db, application.logger)
        let partitions: [String]
        do {
            partitions = try await audit.queuedPartitions(on: database)
        } catch {
            logger.error("the audit queue could not be read: \(String(reflecting: type(of: error)))")
            return
        }
        for partition in partitions {
            do {
                while let count = try await turns.run({ try await audit.integrate(partition: partition, batchSize: batchSize, on: database) }),
                      count == batchSize {}
            } catch {
                logger.error("the queued audit records of partition \(partition) could not be integrated: \(String(reflecting: type(of: error)))")
            }
        }
    }
}
