import FluentKit
import Foundation
import SQLKit

/// Delivers the outbox. A worker claims a batch of due notifications (a lease, so that a worker
/// that dies leaves them to others), sends each through its channel's gateway with the
/// notification's idempotency key, and records the outcome only while its lease holds: delivered;
/// a voice call placed, repeated until the PIN confirms it; or a retry with exponential backoff
/// and jitter until the retry window closes, then a dead letter. Several workers, in several
/// processes, share the work: on PostgreSQL the claim skips rows another worker holds
/// (`FOR UPDATE SKIP LOCKED`) and reads the registration with a share lock, so a withdrawal and a
/// claim of its notices never interleave. It skips a registration being changed too rather than
/// wait for it while holding its notices, which a withdrawal (registration, then notices) would
/// need: a deadlock. SQLite runs one writer at a time.
public struct NotificationWorker: Sendable {
    public let name: String
    let settings: DeliverySettings
    let gateway: any NotificationGateway
    let metrics: DeliveryMetrics
    /// The process's write turns on SQLite, taken for each write.
    let turns: (any WriteTurns)?
    /// When notices are due, and the wait between polls.
    let clock: any WallClock

    public init(name: String = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))", settings: DeliverySettings,
                gateway: any NotificationGateway, metrics: DeliveryMetrics = DeliveryMetrics(), turns: (any WriteTurns)? = nil, clock: any WallClock = SystemClock()) {
        self.name = name
        self.settings = settings
        self.gateway = gateway
        self.metrics = metrics
        self.turns = turns
        self.clock = clock
    }


    /// Works until cancelled: delivers what is due, waits `pollInterval` when nothing is.
    public func run(on database: any Database) async {
        while !Task.isCancelled {
            let delivered = (try? await deliverDue(on: database)) ?? 0
            if delivered == 0 { try? await clock.sleep(for: .seconds(settings.pollInterval)) }
        }
    }

    /// Claims one batch of due notifications and delivers it. Returns how many were claimed.
    @discardableResult
    public func deliverDue(on database: any Database) async throws -> Int {
        let now = clock.now.timeIntervalSince1970
        let claimed = try await turns.run { try await claim(now: now, on: database) }
        guard !claimed.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            for notice in claimed {
                group.addTask { await deliver(notice, on: database) }
            }
        }
        return claimed.count
    }

    /// A claimed notification with what its message needs.
    struct Claimed: Sendable {
        var id: UUID
        var channel: ChannelKind
        var address: String
        var language: NoticeLanguage
        var kind: CustodyEventKind
        var detainee: String
        var occurredAt: String
        var details: String
        var calls: Int
        /// Attempts so far, this one included.
        var attempts: Int
        var firstAttemptAt: Double
    }

    func claim(now: Double, on database: any Database) async throws -> [Claimed] {
        let sql = try CaseRecords.sqlDatabase(database)
        let postgres = sql.dialect.name == "postgresql"
        let due: SQLQueryString = """
            SELECT n.id FROM notifications n JOIN registrations r ON r.id = n.registration_id \
            WHERE r.status = \(bind: Registration.active) AND ((n.status IN (\(bind: NotificationStatus.pending.rawValue), \
            \(bind: NotificationStatus.awaitingConfirmation.rawValue)) AND n.next_attempt_at <= \(bind: now)) \
            OR (n.status = \(bind: NotificationStatus.sending.rawValue) AND n.lease_until < \(bind: now))) \
            ORDER BY n.next_attempt_at LIMIT \(bind: settings.batchSize)\(unsafeRaw: postgres ? " FOR UPDATE OF n SKIP LOCKED FOR SHARE OF r SKIP LOCKED" : "")
            """
        let ids = try await sql.raw("""
            UPDATE notifications SET status = \(bind: NotificationStatus.sending.rawValue), lease_owner = \(bind: name), \
            lease_until = \(bind: now + settings.lease), claimed_at = \(bind: now), attempts = attempts + 1, \
            first_attempt_at = COALESCE(first_attempt_at, \(bind: now)) WHERE id IN (\(due)) RETURNING id
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT n.id, n.channel_kind, n.calls, n.attempts, n.first_attempt_at, c.address, r.language, r.detainee_id, e.kind, e.occurred_at, e.details \
            FROM notifications n JOIN registration_channels c ON c.id = n.channel_id JOIN registrations r ON r.id = n.registration_id \
            JOIN custody_events e ON e.id = n.event_id WHERE n.id IN (\(binds: ids))
            """).all()
        return try rows.compactMap { row in
            guard let channel = ChannelKind(rawValue: try row.decode(column: "channel_kind", as: String.self)),
                  let language = NoticeLanguage(rawValue: try row.decode(column: "language", as: String.self)),
                  let kind = CustodyEventKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return Claimed(id: try row.decode(column: "id", as: UUID.self), channel: channel, address: try row.decode(column: "address", as: String.self),
                           language: language, kind: kind, detainee: try row.decode(column: "detainee_id", as: String.self),
                           occurredAt: try row.decode(column: "occurred_at", as: String.self), details: try row.decode(column: "details", as: String.self),
                           calls: try row.decode(column: "calls", as: Int.self), attempts: try row.decode(column: "attempts", as: Int.self), firstAttemptAt: try row.decode(column: "first_attempt_at", as: Double.self))
        }
    }

    func deliver(_ notice: Claimed, on database: any Database) async {
        let now = clock.now.timeIntervalSince1970
        guard now - notice.firstAttemptAt < settings.retryWindow else {
            await finish(notice, .dead("no confirmation or delivery within the retry window"), on: database)
            return
        }
        guard let url = settings.gateways[notice.channel] else {
            await finish(notice, .failed("no gateway configured for \(notice.channel.rawValue)"), on: database)
            return
        }
        let voice = notice.channel == .voice
        let message = GatewayMessage(
            notificationId: notice.id, idempotencyKey: voice ? "\(notice.id.uuidString.lowercased())-call-\(notice.calls + 1)" : notice.id.uuidString.lowercased(),
            channel: notice.channel.rawValue, to: notice.address, language: notice.language.rawValue,
            text: NoticeText.text(for: notice.kind, detainee: notice.detainee, occurredAt: notice.occurredAt, details: notice.details,
                                  language: notice.language, voice: voice),
            event: notice.kind.rawValue, occurredAt: notice.occurredAt
        )
        do {
            try await gateway.send(message, to: url, timeout: settings.requestTimeout)
            await finish(notice, voice ? .called : .delivered, on: database)
        } catch {
            await finish(notice, .failed(String(describing: error)), on: database)
        }
    }

    enum Outcome {
        case delivered, called, failed(String), dead(String)
    }

    /// Records the outcome, only if this worker still holds the notification (a withdrawal or an
    /// expired lease took it otherwise).
    func finish(_ notice: Claimed, _ outcome: Outcome, on database: any Database) async {
        let now = clock.now.timeIntervalSince1970
        do {
            try await turns.run { try await record(notice, outcome, now: now, on: database) }
        } catch {
            // The lease runs out and another attempt follows: nothing is lost.
        }
    }

    private func record(_ notice: Claimed, _ outcome: Outcome, now: Double, on database: any Database) async throws {
        do {
            let sql = try CaseRecords.sqlDatabase(database)
            var update = sql.update(OutboxNotification.schema).set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
            switch outcome {
            case .delivered:
                update = update.set("status", to: NotificationStatus.delivered.rawValue).set("delivered_at", to: now)
                metrics.delivered(notice.channel)
            case .called:
                update = update.set("status", to: NotificationStatus.awaitingConfirmation.rawValue).set("calls", to: notice.calls + 1)
                    .set("next_attempt_at", to: now + settings.voiceRepeat)
                metrics.delivered(notice.channel)
            case .failed(let reason) where now - notice.firstAttemptAt >= settings.retryWindow:
                update = update.set("status", to: NotificationStatus.dead.rawValue).set("last_error", to: reason)
                metrics.died(notice.channel)
            case .failed(let reason):
                update = update.set("status", to: NotificationStatus.pending.rawValue).set("last_error", to: reason)
                    .set("next_attempt_at", to: now + backoff(after: notice.attempts))
                metrics.failed(notice.channel)
            case .dead(let reason):
                update = update.set("status", to: NotificationStatus.dead.rawValue).set("last_error", to: reason)
                metrics.died(notice.channel)
            }
            try await update.where("id", .equal, notice.id).where("lease_owner", .equal, name)
                .where("status", .equal, NotificationStatus.sending.rawValue).run()
            switch outcome {
            case .delivered, .called: try await GatewayHealthRecord.succeeded(notice.channel, at: now, on: database)
            case .failed(let reason): try await GatewayHealthRecord.failed(notice.channel, reason: reason, at: now, on: database)
            case .dead: break
            }
        }
    }

    /// The wait before the next attempt: doubling from `backoffBase`, capped, with jitter (half to
    /// all of it) so that retries of a gateway's outage do not come back all at once.
    func backoff(after attempts: Int) -> TimeInterval {
        let full = min(settings.backoffCap, settings.backoffBase * pow(2, Double(min(max(attempts - 1, 0), 40))))
        return full * Double.random(in: 0.5...1)
    }
}
