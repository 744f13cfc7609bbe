import CoreMetrics
import SafeguardCore
import Vapor

/// The notification workers a server runs beside its requests (`SAFEGUARD_DELIVERY_WORKERS`),
/// started at boot and stopped at shutdown; `safeguard deliver` runs them in a process of their own.
final class DeliveryWorkers: LifecycleHandler, @unchecked Sendable {
    let count: Int
    let settings: DeliverySettings
    let factory: any MetricsFactory
    /// Set at boot and cancelled at shutdown; Vapor calls both on one thread.
    private var tasks: [Task<Void, Never>] = []

    init(count: Int, settings: DeliverySettings, factory: any MetricsFactory) {
        self.count = count
        self.settings = settings
        self.factory = factory
    }

    func didBootAsync(_ application: Application) async throws {
        let database = application.db
        tasks = (0..<count).map { _ in
            let worker = NotificationWorker(settings: settings, gateway: HTTPNotificationGateway(), metrics: DeliveryMetrics(factory: factory),
                                            turns: application.safeguard.writeTurns, clock: application.safeguard.clock)
            return Task { await worker.run(on: database) }
        }
    }

    func shutdownAsync(_ application: Application) async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
