import Fluent
import Foundation
import SafeguardCore
@testable import SafeguardServer
import SQLKit
import Testing

/// No notification is silently lost: 10,000 custody events over 1,000 registrations, delivered by
/// four workers through a gateway that fails at random (errors, answers too late, dropped
/// connections), while registrants withdraw and voice notices wait for PINs. Every notification
/// ends delivered, dead-lettered with an alert, or cancelled by a withdrawal; none is accepted
/// twice; none is claimed after its registration was withdrawn.
@Suite struct DeliveryChaosTests {
    static let registrations = 1_000, events = 10_000

    @Test func tenThousandEventsThroughAFailingGateway() async throws {
        try await TestService.with { service in
            let gateway = TestGateway(chaos: .init(errorRate: 0.1, lateRate: 0.05, dropRate: 0.05, lateBy: .milliseconds(400),
                                                   refused: ["+15559990000", "dead@example.org"]))
            let url = try await gateway.start()
            let database = service.app.db
            let services = service.app.safeguard
            let hotline = try #require(try await services.users.user(named: "hotline-specialist-nyc", on: database).actor)
            let feed = try #require(try await services.users.user(named: "integration-nyc", on: database).actor)

            // 1,000 registrations, one per detainee, with one to three confirmed channels; a few
            // addresses the gateway always refuses.
            var registrationIDs: [UUID] = []
            var pins: [UUID: String] = [:]
            for index in 0..<Self.registrations {
                var channels: [(kind: ChannelKind, address: String)] = [(.sms, index % 97 == 0 ? "+15559990000" : "+1555\(String(format: "%07d", index))")]
                if index % 2 == 0 { channels.append((.email, index % 89 == 0 ? "dead@example.org" : "r\(index)@example.org")) }
                if index % 5 == 0 { channels.append((.voice, "+1666\(String(format: "%07d", index))")) }
                let pin = String(format: "%04d", index % 10_000)
                let registration = try await services.registrations.register(RegistrationInput(
                    detaineeReference: .aNumber, detaineeID: "A\(100_000_000 + index)", registrantName: "Registrant \(index)", relationship: "victim",
                    language: index % 3 == 0 ? .spanish : .english, consent: true, channels: channels, voicePIN: index % 5 == 0 ? pin : nil
                ), by: hotline, on: database)
                let id = try registration.requireID()
                for channel in try await RegistrationChannel.query(on: database).filter(\.$registration.$id == id).all() {
                    _ = try await services.registrations.confirmChannel(try channel.requireID(), of: id, by: hotline, on: database)
                }
                registrationIDs.append(id)
                pins[id] = pin
            }

            var settings = DeliverySettings(gateways: [.sms: url.appendingPathComponent("sms"), .email: url.appendingPathComponent("email"),
                                                       .voice: url.appendingPathComponent("voice")])
            (settings.batchSize, settings.lease, settings.backoffBase, settings.backoffCap) = (100, 5, 0.02, 0.3)
            (settings.retryWindow, settings.voiceRepeat, settings.requestTimeout, settings.pollInterval) = (4, 0.3, 0.25, 0.02)
            let turns = services.writeTurns
            let workers = (0..<4).map { NotificationWorker(name: "chaos-\($0)", settings: settings, gateway: HTTPNotificationGateway(), turns: turns) }
            let working = workers.map { worker in Task { await worker.run(on: database) } }

            // Registrants answer two voice calls in three with their PIN, all along.
            let pinsByRegistration = pins
            let answering = Task {
                while !Task.isCancelled {
                    let waiting = (try? await OutboxNotification.query(on: database)
                        .filter(\.$status == NotificationStatus.awaitingConfirmation.rawValue).limit(200).all()) ?? []
                    for notice in waiting where Int.random(in: 0..<3) > 0 {
                        guard let id = notice.id, let pin = pinsByRegistration[notice.$registration.id] else { continue }
                        try? await turns.run { try await VoiceConfirmation.confirm(id, pin: pin, by: feed, audit: services.audit, on: database) }
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }

            // The feed: 10,000 events; every tenth registration withdraws along the way.
            var withdrawnAt: [UUID: Double] = [:]
            var expected = 0
            for index in 0..<Self.events {
                let detainee = index % Self.registrations
                let kind = CustodyEventKind.allCases[index % CustodyEventKind.allCases.count]
                _ = try await turns.run {
                    try await services.custodyFeed.receive(CustodyEventInput(feedEventID: "feed-\(index)", kind: kind, detaineeReference: .aNumber,
                                                                             detaineeID: "A\(100_000_000 + detainee)", occurredAt: "2026-11-20T14:00:00Z"),
                                                           by: feed, on: database)
                }
                if withdrawnAt[registrationIDs[detainee]] == nil { expected += 1 + (detainee % 2 == 0 ? 1 : 0) + (detainee % 5 == 0 ? 1 : 0) }
                if index % 1_000 == 500 {
                    for id in registrationIDs.enumerated().filter({ $0.offset % 10 == index / 1_000 }).map(\.element) {
                        _ = try await turns.run { try await services.registrations.withdraw(id, by: hotline, on: database) }
                        withdrawnAt[id] = Date().timeIntervalSince1970
                    }
                }
            }

            // Until every notification has an end, or five minutes.
            let deadline = Date().addingTimeInterval(300)
            var open = Int.max
            while open > 0, Date() < deadline {
                open = try await service.count("notifications WHERE status NOT IN ('delivered', 'dead', 'cancelled')")
                try await Task.sleep(for: .milliseconds(200))
            }
            answering.cancel()
            await answering.value
            for task in working { task.cancel() }
            for task in working { await task.value }

            let total = try await service.count("notifications")
            let delivered = try await service.count("notifications WHERE status = 'delivered'")
            let dead = try await service.count("notifications WHERE status = 'dead'")
            let cancelled = try await service.count("notifications WHERE status = 'cancelled'")
            print("chaos: \(Self.events) events, \(total) notifications: \(delivered) delivered, \(dead) dead, \(cancelled) cancelled; gateway saw \(gateway.snapshot.requests) requests")
            #expect(open == 0, "every notification ends delivered, dead or cancelled")
            #expect(total == expected, "one notification per confirmed channel of each active registration, per event")
            #expect(delivered + dead + cancelled == total)
            #expect(dead > 0 && cancelled > 0, "the run exercised dead letters and withdrawals")

            let ledger = gateway.snapshot
            let sql = database as! any SQLDatabase
            let rows = try await sql.raw("SELECT id, channel_kind, status, registration_id, claimed_at FROM notifications").all()
            var twice = 0, lost = 0, afterWithdrawal = 0
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let channel = try row.decode(column: "channel_kind", as: String.self)
                let status = try row.decode(column: "status", as: String.self)
                let accepted = ledger.deliveries[id] ?? 0
                // A text or an email is accepted under one key exactly once; a voice notice once per call.
                if channel != "voice", accepted > 1 { twice += 1 }
                if status == "delivered", accepted == 0 { lost += 1 }
                if let withdrawn = withdrawnAt[try row.decode(column: "registration_id", as: UUID.self)],
                   let claimed = try row.decode(column: "claimed_at", as: Double?.self), claimed > withdrawn { afterWithdrawal += 1 }
            }
            #expect(twice == 0, "\(twice) notifications accepted twice under one key")
            #expect(lost == 0, "\(lost) notifications marked delivered that the gateway never accepted")
            #expect(afterWithdrawal == 0, "\(afterWithdrawal) notifications claimed after their registration was withdrawn")
            let alerts = try await DeliveryAlerts.compute(settings: settings, on: database)
            #expect(alerts.deadLetters == dead)
            try await gateway.stop()
        }
    }
}
