import Fluent
import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import SQLKit
import SafeguardTestSupport
import Testing

/// No notification is silently lost: custody events (1,000 in every run; 10,000 in the full run of
/// docs/reliability.md, `SAFEGUARD_CHAOS_EVENTS=10000`) over a tenth as many registrations, delivered by
/// four workers through a gateway that fails at random (errors, answers too late, dropped
/// connections), while registrants withdraw and voice notices wait for PINs. Every notification
/// ends delivered, dead-lettered with an alert, or cancelled by a withdrawal; none is accepted
/// twice; none is claimed after its registration was withdrawn.
@Suite struct DeliveryChaosTests {
    static let events = ProcessInfo.processInfo.environment["SAFEGUARD_CHAOS_EVENTS"].flatMap { Int($0) }.map { max($0, 1_000) } ?? 1_000
    static let registrations = events / 10, lanes = 4

    // The workers run on the system's clock: the gateway's late answers meet real HTTP timeouts.
    @Test func thousandsOfEventsThroughAFailingGateway() async throws {
        // At notice level: at trace, the database drivers' lines for every statement cost more
        // than the deliveries (the same paths are logged at trace by HotlineTests).
        try await TestService.with(logLevel: .notice) { service in
            let gateway = TestGateway(chaos: .init(errorRate: 0.1, lateRate: 0.05, dropRate: 0.05, lateBy: .milliseconds(400),
                                                   refused: ["+15559990000", "dead@example.org"]))
            let url = try await gateway.start()
            let database = service.app.db
            let services = service.app.safeguard
            let hotline = try #require(try await services.users.user(named: "hotline-specialist-nyc", on: database).actor)
            let feed = try #require(try await services.users.user(named: "integration-nyc", on: database).actor)
            let clock = ContinuousClock(), began = clock.now

            // The registrations, one per detainee, with one to three confirmed channels (a few at
            // addresses the gateway always refuses), made by four specialists at once.
            let turns = services.writeTurns
            // Each lane and each worker on a database handle of its own, so on an event loop picked
            // in turn, as the server's requests are: one handle would put all their statements on one loop.
            let desks = (0..<Self.lanes).map { _ in Desk(services: services, turns: turns, database: service.app.db, hotline: hotline, feed: feed) }
            let registrationIDs = try await withThrowingTaskGroup(of: [(Int, UUID)].self) { group in
                for lane in 0..<Self.lanes {
                    group.addTask {
                        var made: [(Int, UUID)] = []
                        for index in stride(from: lane, to: Self.registrations, by: Self.lanes) { made.append((index, try await desks[lane].register(index))) }
                        return made
                    }
                }
                var ids = [UUID?](repeating: nil, count: Self.registrations)
                for try await made in group { for (index, id) in made { ids[index] = id } }
                return ids.compactMap { $0 }
            }
            let pinsByRegistration = Dictionary(uniqueKeysWithValues: registrationIDs.enumerated().map { ($0.element, Desk.pin(of: $0.offset)) })

            let registered = clock.now
            var settings = DeliverySettings(gateways: [.sms: url.appendingPathComponent("sms"), .email: url.appendingPathComponent("email"),
                                                       .voice: url.appendingPathComponent("voice")])
            (settings.batchSize, settings.lease, settings.backoffBase, settings.backoffCap) = (100, 5, 0.02, 0.3)
            (settings.retryWindow, settings.voiceRepeat, settings.requestTimeout, settings.pollInterval) = (4, 0.3, 0.25, 0.02)
            let workers = (0..<4).map { NotificationWorker(name: "chaos-\($0)", settings: settings, gateway: HTTPNotificationGateway(), turns: turns) }
            let working = workers.map { worker in Task { [database = service.app.db] in await worker.run(on: database) } }

            // Registrants answer two voice calls in three with their PIN, all along.
            let answering = Task {
                var dice = SeededGenerator()
                while !Task.isCancelled {
                    let waiting = (try? await OutboxNotification.query(on: database)
                        .filter(\.$status == NotificationStatus.awaitingConfirmation.rawValue).limit(200).all()) ?? []
                    for notice in waiting where Int.random(in: 0..<3, using: &dice) > 0 {
                        guard let id = notice.id, let pin = pinsByRegistration[notice.$registration.id] else { continue }
                        try? await turns.run { try await services.voiceConfirmation.confirm(id, pin: pin, by: feed, on: database) }
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }

            // The feed, four events at a time. Ten times, once every `registrations` events, a tenth of the
            // registrants withdraw (those whose place ends in the round's digit), the first in the
            // very transaction of an event for it, so that its notices are cancelled before any
            // worker could claim them (its earlier ones, a round back, have long ended).
            // Each round is alone, so every other event falls wholly before or after it.
            let rounds = Self.events / Self.registrations
            let half = Self.registrations / 2
            let withdrawals = (0..<rounds).map { round in (event: round * Self.registrations + half + round, registration: half + round) }
            var withdrawnAt: [UUID: Double] = [:]
            var first = 0
            for round in 0...rounds {
                let (start, end) = (first, round < rounds ? withdrawals[round].event : Self.events)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<Self.lanes {
                        group.addTask { for index in stride(from: start + lane, to: end, by: Self.lanes) { try await desks[lane].receive(index) } }
                    }
                    try await group.waitForAll()
                }
                guard round < rounds else { break }
                let withdrawing = registrationIDs.enumerated().filter { $0.offset % 10 == round }.map(\.element)
                let withEvent = registrationIDs[withdrawals[round].registration]
                try await desks[0].receive(end, withdrawing: withEvent)
                withdrawnAt[withEvent] = Date().timeIntervalSince1970
                for id in withdrawing where id != withEvent {
                    try await desks[0].withdraw(id)
                    withdrawnAt[id] = Date().timeIntervalSince1970
                }
                first = end + 1
            }
            // An event notifies each confirmed channel of its detainee's registration unless a
            // round before it withdrew the registration.
            let expected = (0..<Self.events).reduce(0) { sum, index in
                let detainee = index % Self.registrations
                let roundsBefore = withdrawals.filter { $0.event < index }.count
                return sum + (detainee % 10 < roundsBefore ? 0 : Desk.channels(of: detainee).count)
            }

            let fed = clock.now
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
            print("chaos: \(Self.events) events, \(total) notifications: \(delivered) delivered, \(dead) dead, \(cancelled) cancelled; gateway saw \(gateway.snapshot.requests) requests; "
                  + "registered in \(registered - began), fed in \(fed - registered), drained in \(clock.now - fed)")
            #expect(open == 0, "every notification ends delivered, dead or cancelled (replay: \(SeededGenerator().replay))")
            #expect(total == expected, "one notification per confirmed channel of each active registration, per event")
            #expect(delivered + dead + cancelled == total)
            #expect(dead > 0, "the run exercised dead letters")
            #expect(cancelled >= 10, "each round of withdrawals cancelled the notices of the event it came with")

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
            let alerts = try await DeliveryAlerts.compute(settings: settings, now: Date(), on: database)
            #expect(alerts.deadLetters == dead)
            try await gateway.stop()
        }
    }

    /// The hotline specialist's and the custody feed's side of the run; writes take the write
    /// turns where the database has them, as the service's requests do.
    struct Desk: Sendable {
        let services: SafeguardServices
        let turns: (any WriteTurns)?
        let database: any Database
        let hotline: SafeguardCore.Actor, feed: SafeguardCore.Actor

        static func channels(of index: Int) -> [(kind: ChannelKind, address: String)] {
            var channels: [(kind: ChannelKind, address: String)] = [(.sms, index % 97 == 0 ? "+15559990000" : "+1555\(String(format: "%07d", index))")]
            if index % 2 == 0 { channels.append((.email, index % 89 == 0 ? "dead@example.org" : "r\(index)@example.org")) }
            if index % 5 == 0 { channels.append((.voice, "+1666\(String(format: "%07d", index))")) }
            return channels
        }

        static func pin(of index: Int) -> String { String(format: "%04d", index % 10_000) }

        /// Registers detainee `index`'s registrant and confirms every channel.
        func register(_ index: Int) async throws -> UUID {
            let input = RegistrationInput(
                detaineeReference: .aNumber, detaineeID: "A\(100_000_000 + index)", registrantName: "Registrant \(index)", relationship: "victim",
                language: index % 3 == 0 ? .spanish : .english, consent: true, channels: Self.channels(of: index), voicePIN: index % 5 == 0 ? Self.pin(of: index) : nil
            )
            let (services, hotline, database) = (services, hotline, database)
            let id = try await turns.run { try await services.registrations.register(input, by: hotline, on: database).requireID() }
            for channel in try await RegistrationChannel.query(on: database).filter(\.$registration.$id == id).all() {
                let channelID = try channel.requireID()
                _ = try await turns.run { try await services.registrations.confirmChannel(channelID, of: id, by: hotline, on: database) }
            }
            return id
        }

        /// Receives the feed's event `index`, and withdraws `withdrawing` in the same transaction.
        func receive(_ index: Int, withdrawing: UUID? = nil) async throws {
            let event = CustodyEventInput(feedEventID: "feed-\(index)", kind: CustodyEventKind.allCases[index % CustodyEventKind.allCases.count],
                                          detaineeReference: .aNumber, detaineeID: "A\(100_000_000 + index % registrations)", occurredAt: "2026-11-20T14:00:00Z")
            let (services, hotline, feed) = (services, hotline, feed)
            try await turns.run {
                try await database.transaction { database in
                    _ = try await services.custodyFeed.receive(event, by: feed, on: database)
                    if let withdrawing { _ = try await services.registrations.withdraw(withdrawing, by: hotline, on: database) }
                }
            }
        }

        func withdraw(_ id: UUID) async throws {
            let (services, hotline, database) = (services, hotline, database)
            _ = try await turns.run { try await services.registrations.withdraw(id, by: hotline, on: database) }
        }
    }
}
