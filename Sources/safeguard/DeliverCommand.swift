import ArgumentParser
import Foundation
import SafeguardCore
import SafeguardRuntime

struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver victim notifications from the outbox through the configured gateways.",
        discussion: """
        Gateways come from SAFEGUARD_GATEWAY_SMS, SAFEGUARD_GATEWAY_EMAIL and SAFEGUARD_GATEWAY_VOICE. \
        Several deliver processes (and servers with SAFEGUARD_DELIVERY_WORKERS) may share one database: \
        each notification is claimed by one worker at a time. Runs until stopped, or with --until-idle \
        until nothing is due.
        """
    )

    @Option(help: "Workers in this process.") var workers = 2
    @Flag(name: .customLong("until-idle"), help: "Stop when no notification is due (pending ones waiting for a retry are left).") var untilIdle = false
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        let settings = try databaseOptions.settings().delivery
        guard !settings.gateways.isEmpty else { throw BadInput(["no gateway: set SAFEGUARD_GATEWAY_SMS, SAFEGUARD_GATEWAY_EMAIL or SAFEGUARD_GATEWAY_VOICE"]).exit() }
        let (count, untilIdle) = (workers, untilIdle)
        let started = Date()
        let claimed = try await databaseOptions.withDatabase(policyOptions) { database, services in
            let gateway = HTTPNotificationGateway()
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count {
                    let worker = NotificationWorker(settings: settings, gateway: gateway, turns: services.writeTurns)
                    group.addTask {
                        guard untilIdle else {
                            await worker.run(on: database)
                            return 0
                        }
                        var total = 0
                        while true {
                            let claimed = try await worker.deliverDue(on: database)
                            if claimed == 0 { return total }
                            total += claimed
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        print("\(claimed) notification attempts in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
