import FluentKit
import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import SQLKit
import Testing
import Vapor

/// The Victims Engagement and Services Line over HTTP: call intake without an immigration-status
/// field, registrations with consent and confirmed channels, the custody feed idempotent by its
/// event id with the outbox written in the same transaction, withdrawal, voice PINs and alerts.
@Suite struct HotlineTests {
    static let victimAssistance = [("Safeguard-Purpose", "victim-assistance")]

    static func register(_ service: TestService, detainee: String, channels: String, pin: String? = nil) async throws -> RegistrationView {
        let reply = try await service.send(.POST, "/api/v1/registrations", as: "hotline-specialist@NYC", json: """
        {"detaineeReference": "a-number", "detaineeId": "\(detainee)", "registrantName": "Canary Registrant", "relationship": "victim",
         "language": "es", "consent": true, "channels": \(channels)\(pin.map { #", "voicePin": "\#($0)""# } ?? "")}
        """, headers: victimAssistance)
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(RegistrationView.self)
    }

    /// Confirms every channel of a registration; returns the registration's id.
    static func confirmAll(_ service: TestService, _ registration: RegistrationView) async throws -> String {
        let id = registration.id.uuidString
        for channel in registration.channels {
            let reply = try await service.send(.POST, "/api/v1/registrations/\(id)/channels/\(channel.id)/confirmation", as: "hotline-specialist@NYC")
            #expect(reply.status == .ok, "\(reply.text)")
        }
        return id
    }

    static func event(_ service: TestService, _ feedID: String, detainee: String, kind: String = "released-bond") async throws -> Reply {
        try await service.send(.POST, "/api/v1/custody-events", as: "integration@NYC", json: """
        {"feedEventId": "\(feedID)", "kind": "\(kind)", "detaineeReference": "a-number", "detaineeId": "\(detainee)", "occurredAt": "2026-11-20T14:00:00Z"}
        """)
    }

    @Test func callsAreTakenWithoutImmigrationStatusAndCallersAreProtected() async throws {
        try await TestService.with { service in
            let body = #"{"category": "abuse-in-detention", "narrative": "Canary narrative", "callerName": "Canary Caller", "callerContact": "+15551234567", "followUp": "Refer to OPR"}"#
            #expect(try await service.send(.POST, "/api/v1/hotline/calls", as: "officer@NYC", json: body).status == .forbidden)
            let withStatus = try await service.send(.POST, "/api/v1/hotline/calls", as: "hotline-specialist@NYC",
                                                    json: #"{"category": "other", "narrative": "x", "followUp": "y", "immigrationStatus": "undocumented"}"#)
            #expect(withStatus.status == .unprocessableEntity && withStatus.text.contains("immigrationStatus"), "there is no such field")
            let taken = try await service.send(.POST, "/api/v1/hotline/calls", as: "hotline-specialist@NYC", json: body)
            #expect(taken.status == .created)
            let id = try taken.decode(CallView.self).id.uuidString
            let unstated = try await service.send(.GET, "/api/v1/hotline/calls/\(id)", as: "hotline-specialist@NYC")
            #expect(!unstated.text.contains("Canary"))
            let withheld = try unstated.decode(CallView.self)
            #expect([withheld.narrative, withheld.callerName, withheld.callerContact, withheld.followUp] == Array(repeating: Disclosure.marker, count: 4))
            let stated = try await service.send(.GET, "/api/v1/hotline/calls/\(id)", as: "hotline-specialist@NYC", headers: Self.victimAssistance)
                .decode(CallView.self)
            #expect(stated.callerName == "Canary Caller" && stated.narrative == "Canary narrative" && stated.callerContact == "+15551234567")
            #expect(try await service.send(.GET, "/api/v1/hotline/calls/\(id)", as: "hotline-specialist@LAX").status == .notFound, "another office's call")
            let referred = try await service.send(.PATCH, "/api/v1/hotline/calls/\(id)", as: "hotline-specialist@NYC", json: #"{"status": "referred"}"#,
                                                  headers: [("If-Match", "\"1\"")])
            #expect(referred.status == .unprocessableEntity && referred.text.contains("names the agency"))
            let moved = try await service.send(.PATCH, "/api/v1/hotline/calls/\(id)", as: "hotline-specialist@NYC",
                                               json: #"{"status": "referred", "referral": "DHS Office of Inspector General"}"#, headers: [("If-Match", "\"1\"")])
            #expect(try moved.status == .ok && moved.decode(CallView.self).status == "referred")
        }
    }

    @Test func anEventFansOutOncePerConfirmedChannelAndAWithdrawalStopsIt() async throws {
        try await TestService.with { service in
            let unconsented = try await service.send(.POST, "/api/v1/registrations", as: "hotline-specialist@NYC", json: """
            {"detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "R", "relationship": "victim", "language": "en",
             "consent": false, "channels": [{"kind": "voice", "address": "+15550001111"}]}
            """)
            #expect(unconsented.status == .unprocessableEntity && unconsented.text.contains("consent") && unconsented.text.contains("voicePin"))
            let registration = try await Self.register(service, detainee: "A123456789",
                                                       channels: #"[{"kind": "sms", "address": "+15550001111"}, {"kind": "email", "address": "r@example.org"}]"#)
            let id = registration.id.uuidString
            let first = try await Self.event(service, "feed-1", detainee: "A123456789")
            #expect(first.status == .created && !first.text.contains("notifications"), "the answer tells nothing of registrations")
            #expect(try await service.count("notifications") == 0, "no channel confirmed yet")
            _ = try await Self.confirmAll(service, registration)
            let second = try await Self.event(service, "feed-2", detainee: "A123456789")
            #expect(second.status == .created && second.text.count == first.text.count, "the same answer with or without a registrant")
            #expect(try await service.count("notifications") == 2)
            let repeated = try await Self.event(service, "feed-2", detainee: "A123456789")
            #expect(try repeated.status == .ok && repeated.decode(CustodyEventController.EventBody.self).id == second.decode(CustodyEventController.EventBody.self).id)
            #expect(try await service.count("notifications") == 2, "a repeated feed event writes nothing")
            #expect(try await Self.event(service, "feed-3", detainee: "A999999999").status == .created)
            #expect(try await service.count("notifications") == 2, "nobody registered for another detainee")

            let withdrawn = try await service.send(.POST, "/api/v1/registrations/\(id)/withdrawal", as: "hotline-specialist@NYC")
            #expect(try withdrawn.status == .ok && withdrawn.decode(RegistrationView.self).status == "withdrawn")
            #expect(try await service.count("notifications WHERE status = 'cancelled'") == 2)
            #expect(try await Self.event(service, "feed-4", detainee: "A123456789").status == .created)
            #expect(try await service.count("notifications") == 2, "a withdrawn registration is told nothing")
            #expect(try await service.send(.POST, "/api/v1/custody-events", as: "officer@NYC", json: "{}").status == .forbidden)
        }
    }

    /// A withdrawal holds its registration and then cancels its notices; a worker's claim on
    /// PostgreSQL locks notices and then shares their registration. A claim that waited for the
    /// registration while holding its notices deadlocked the two, and the database aborted one
    /// (a withdrawal answered 500). The claim skips a registration being changed instead.
    @Test(.enabled(if: TestService.onPostgres)) func aClaimBesideAWithdrawalSkipsItRatherThanDeadlocking() async throws {
        try await TestService.with { service in
            let registration = try await Self.register(service, detainee: "A123456789", channels: #"[{"kind": "sms", "address": "+15550001111"}]"#)
            _ = try await Self.confirmAll(service, registration)
            #expect(try await Self.event(service, "feed-1", detainee: "A123456789").status == .created)
            let services = service.app.safeguard, database = service.app.db
            let hotline = try #require(try await services.users.user(named: "hotline-specialist-nyc", on: database).actor)
            let worker = NotificationWorker(settings: DeliverySettings(gateways: [:]), gateway: HTTPNotificationGateway(), clock: service.clock)
            let claiming = try await database.transaction { transaction in
                // The withdrawal's first step, its turn on the registration; then a claim beside it.
                try await VersionClaim.hold(Registration.schema, id: registration.id, on: transaction)
                let claiming = Task { try await worker.deliverDue(on: database) }
                try await service.untilALockIsAwaited()
                _ = try await services.registrations.withdraw(registration.id, by: hotline, on: transaction)
                return claiming
            }
            #expect(try await claiming.value == 0, "the notice of a registration being withdrawn is not claimed")
            #expect(try await service.count("notifications WHERE status = 'cancelled'") == 1)
        }
    }

    @Test func whichEventsNotifyIsConfigurationAllByDefault() async throws {
        #expect(throws: SettingsError.self) {
            try ServerSettings.resolve(host: nil, port: nil, database: nil, environment: ["SAFEGUARD_NOTIFY_ON": "booked,exploded"])
        }
        let settings = try ServerSettings.resolve(host: nil, port: nil, database: nil,
                                                  environment: ["SAFEGUARD_NOTIFY_ON": "released-bond, died", "SAFEGUARD_GATEWAY_SMS": "http://127.0.0.1:9/sms"])
        #expect(settings.notifyOn == [.releasedOnBond, .died] && settings.deliveryWorkers == 2)
        #expect(try ServerSettings.resolve(host: nil, port: nil, database: nil, environment: [:]).notifyOn == Set(CustodyEventKind.allCases))
        try await TestService.with { service in
            _ = try await Self.confirmAll(service, try await Self.register(service, detainee: "A123456789", channels: #"[{"kind": "sms", "address": "+15550005555"}]"#))
            let feed = CustodyFeed(notifyOn: [.releasedOnBond], audit: service.app.safeguard.audit)
            let actor = try #require(try await service.app.safeguard.users.user(named: "integration-nyc", on: service.app.db).actor)
            for (id, kind) in [("only-booked", CustodyEventKind.booked), ("released", .releasedOnBond)] {
                _ = try await service.app.safeguard.writeTurns.run {
                    try await feed.receive(CustodyEventInput(feedEventID: id, kind: kind, detaineeReference: .aNumber, detaineeID: "A123456789",
                                                             occurredAt: "2026-11-20"), by: actor, on: service.app.db)
                }
            }
            let (events, notifications) = (try await service.count("custody_events"), try await service.count("notifications"))
            #expect(events == 2 && notifications == 1, "a booking is recorded but tells no one")
        }
    }

    @Test func registrantDataIsNeverVisibleFromTheDetaineesSide() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson(aNumber: "A123456789")
            _ = try await service.openEncounter(person, asOf: "2026-01-05")
            _ = try await Self.register(service, detainee: "A123456789", channels: #"[{"kind": "sms", "address": "+15550002222"}]"#)
            for role in ["officer", "supervisor", "opla-attorney", "auditor", "admin"] {
                var seen = ""
                for path in ["/api/v1/people/\(person)", "/api/v1/people/\(person)/filings", "/api/v1/encounters", "/api/v1/people"] {
                    seen += try await service.send(.GET, path, as: "\(role)@NYC", headers: TestService.lawEnforcement).text
                }
                #expect(!seen.contains("Canary Registrant") && !seen.contains("5550002222"), "\(role)")
                #expect(try await service.send(.GET, "/api/v1/registrations", as: "\(role)@NYC").status == .forbidden)
            }
        }
    }

    @Test func aVoiceNoticeRepeatsUntilThePINConfirmsIt() async throws {
        try await TestService.with { service in
            let gateway = TestGateway()
            let url = try await gateway.start()
            let registration = try await Self.register(service, detainee: "A123456789", channels: #"[{"kind": "voice", "address": "+15550003333"}]"#, pin: "4321")
            _ = try await Self.confirmAll(service, registration)
            _ = try await Self.event(service, "feed-voice", detainee: "A123456789", kind: "escaped")
            let settings = DeliverySettings(gateways: [.voice: url.appendingPathComponent("voice")])
            let worker = NotificationWorker(settings: settings, gateway: HTTPNotificationGateway(), turns: service.app.safeguard.writeTurns,
                                            clock: service.clock)
            #expect(try await worker.deliverDue(on: service.app.db) == 1)
            service.clock.advance(by: .seconds(settings.voiceRepeat - 1))
            #expect(try await worker.deliverDue(on: service.app.db) == 0, "the call is placed again only after \(settings.voiceRepeat) s")
            service.clock.advance(by: .seconds(1))
            #expect(try await worker.deliverDue(on: service.app.db) == 1, "not confirmed: the call is placed again")
            let ledger = gateway.snapshot
            let message = try #require(ledger.messages.values.first)
            #expect(ledger.accepted.count == 2 && message.text.contains("se fugó de la custodia") && message.text.contains("PIN"))
            let notification = message.notificationId.uuidString
            let wrong = try await service.send(.POST, "/api/v1/notifications/\(notification)/confirmation", as: "integration@NYC", json: #"{"pin": "0000"}"#)
            #expect(wrong.status == .unprocessableEntity)
            let right = try await service.send(.POST, "/api/v1/notifications/\(notification)/confirmation", as: "integration@NYC", json: #"{"pin": "4321"}"#)
            #expect(right.status == .noContent)
            #expect(try await service.count("notifications WHERE status = 'delivered'") == 1)
            service.clock.advance(by: .seconds(settings.voiceRepeat))
            #expect(try await worker.deliverDue(on: service.app.db) == 0, "confirmed: no more calls")
            try await gateway.stop()
        }
    }

    @Test func deadLettersAFailingGatewayAndASilentFeedRaiseAlerts() async throws {
        try await TestService.with { service in
            let quietBefore = try await service.send(.GET, "/api/v1/delivery-status", as: "hotline-specialist@NYC")
            let status = try quietBefore.decode(DeliveryController.StatusBody.self)
            #expect(status.feedNeverSent && !status.quiet)
            let gateway = TestGateway(chaos: .init(refused: ["+15550004444"]))
            let url = try await gateway.start()
            let registration = try await Self.register(service, detainee: "A123456789", channels: #"[{"kind": "sms", "address": "+15550004444"}]"#)
            _ = try await Self.confirmAll(service, registration)
            _ = try await Self.event(service, "feed-dead", detainee: "A123456789")
            var settings = DeliverySettings(gateways: [.sms: url.appendingPathComponent("sms")])
            settings.failingAfter = 3
            let worker = NotificationWorker(settings: settings, gateway: HTTPNotificationGateway(), turns: service.app.safeguard.writeTurns,
                                            clock: service.clock)
            // Attempts at the backoff's cap (an hour) until the retry window (two days) has closed.
            var attempts = 0
            while try await service.count("notifications WHERE status = 'dead'") == 0, attempts < 60 {
                attempts += try await worker.deliverDue(on: service.app.db)
                service.clock.advance(by: .seconds(settings.backoffCap))
            }
            #expect(try await service.count("notifications WHERE status = 'dead'") == 1)
            #expect((48...50).contains(attempts), "attempted \(attempts) times in two days at most an hour apart")
            let alerts = try await DeliveryAlerts.compute(settings: settings, now: service.clock.now, on: service.app.db)
            #expect(alerts.deadLetters == 1 && alerts.failingGateways["sms"]?.contains("503") == true)
            #expect(alerts.feedSilentSince != nil, "two days without a custody event: the feed's silence is an alert too")
            let metrics = try await service.send(.GET, "/metrics", as: "admin@NYC")
            #expect(metrics.text.contains(#"safeguard_alert{kind="dead-letters"} 1"#))
            #expect(try await service.send(.GET, "/api/v1/delivery-status", as: "analyst@NYC").status == .forbidden)
            // The hotline sees the dead letter; a supervisor sees the alerts without any count, which
            // would tell that a detainee's victim registered.
            let specialist = try await service.send(.GET, "/api/v1/delivery-status", as: "hotline-specialist@NYC").decode(DeliveryController.StatusBody.self)
            #expect(specialist.deadLetters == 1 && specialist.counts?["dead"] == 1)
            let supervisor = try await service.send(.GET, "/api/v1/delivery-status", as: "supervisor@NYC")
            let seen = try supervisor.decode(DeliveryController.StatusBody.self)
            #expect(seen.deadLetters == nil && seen.counts == nil && !supervisor.text.contains("dead"), "\(supervisor.text)")
            try await gateway.stop()
        }
    }
}
