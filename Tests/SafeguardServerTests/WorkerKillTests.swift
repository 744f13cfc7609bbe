import Fluent
import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import SafeguardTestSupport
import Testing

/// `safeguard deliver` processes killed with SIGKILL at random moments lose nothing: after the
/// restarts every notification is delivered, each accepted by the gateway under one key once.
/// One worker process on SQLite; two at once on PostgreSQL. Every run delivers 600 notifications;
/// docs/reliability.md's full run 3,000 (`SAFEGUARD_KILL_EVENTS=1500`).
@Suite struct WorkerKillTests {
    static let events = ProcessInfo.processInfo.environment["SAFEGUARD_KILL_EVENTS"].flatMap { Int($0) } ?? 300

    @Test func killedWorkersLoseNothing() async throws {
        // At notice level: at trace, the database drivers' lines for every statement cost more
        // than the deliveries (the same paths are logged at trace by HotlineTests).
        try await TestService.with(logLevel: .notice) { service in
            let gateway = TestGateway()
            let url = try await gateway.start()
            let database = service.app.db
            let services = service.app.safeguard
            let hotline = try #require(try await services.users.user(named: "hotline-specialist-nyc", on: database).actor)
            let feed = try #require(try await services.users.user(named: "integration-nyc", on: database).actor)
            for index in 0..<200 {
                let registration = try await services.registrations.register(RegistrationInput(
                    detaineeReference: .detentionID, detaineeID: "D-\(index)", registrantName: "Registrant \(index)", relationship: "witness",
                    language: .english, consent: true, channels: [(.sms, "+1555\(String(format: "%07d", index))"), (.email, "r\(index)@example.org")]
                ), by: hotline, on: database)
                for channel in try await RegistrationChannel.query(on: database).filter(\.$registration.$id == registration.requireID()).all() {
                    _ = try await services.registrations.confirmChannel(try channel.requireID(), of: try registration.requireID(), by: hotline, on: database)
                }
            }
            for index in 0..<Self.events {
                _ = try await services.custodyFeed.receive(CustodyEventInput(feedEventID: "kill-\(index)", kind: .transferred, detaineeReference: .detentionID,
                                                                             detaineeID: "D-\(index % 200)", occurredAt: "2026-11-21"), by: feed, on: database)
            }
            let total = try await service.count("notifications")
            #expect(total == 2 * Self.events)

            var environment = ["SAFEGUARD_AUDIT_KEY": service.settings.auditKeyPath, "SAFEGUARD_GATEWAY_SMS": url.appendingPathComponent("sms").absoluteString,
                               "SAFEGUARD_GATEWAY_EMAIL": url.appendingPathComponent("email").absoluteString, "SAFEGUARD_DELIVERY_LEASE": "1",
                               "SAFEGUARD_DELIVERY_BACKOFF": "0.05", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""]
            if let databaseURL = service.settings.databaseURL { environment["DATABASE_URL"] = databaseURL } else {
                environment["SAFEGUARD_DATABASE"] = service.settings.databasePath
            }
            let processes = service.settings.databaseURL == nil ? 1 : 2
            func start() throws -> Process {
                let process = Process()
                process.executableURL = CommandLineRunner.executable
                process.arguments = ["deliver", "--workers", "2"]
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            var running = try (0..<processes).map { _ in try start() }
            var kills = 0
            var dice = SeededGenerator()
            // A kill each time another sixth of the notifications is delivered, so always mid-work
            // and never before a restarted worker has done any: five kills however fast the run.
            let deadline = Date().addingTimeInterval(240)
            var nextKill = total / 6
            while case let delivered = try await service.count("notifications WHERE status = 'delivered'"), delivered < total, Date() < deadline {
                guard delivered >= nextKill else {
                    // Waiting for the workers' progress, not for time to pass.
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                nextKill = delivered + total / 6
                // Kill one at random, and start another in its place.
                let victim = Int.random(in: 0..<running.count, using: &dice)
                kill(running[victim].processIdentifier, SIGKILL)
                running[victim].waitUntilExit()
                kills += 1
                running[victim] = try start()
            }
            for process in running {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            let delivered = try await service.count("notifications WHERE status = 'delivered'")
            let ledger = gateway.snapshot
            print("kill: \(kills) workers killed; \(delivered) of \(total) delivered; the gateway saw \(ledger.requests) requests, accepted \(ledger.accepted.count)")
            #expect(kills >= 3, "the workers were killed along the way")
            #expect(delivered == total, "every notification delivered after the kills (replay: \(dice.replay))")
            #expect(ledger.deliveries.count == total && ledger.deliveries.values.allSatisfy { $0 == 1 }, "each accepted once, under one key")
            try await gateway.stop()
        }
    }
}
