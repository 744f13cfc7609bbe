import FluentKit
import Foundation
import SQLKit

/// The alerts of silence, the worst failure of notification: dead letters not yet seen to, voice
/// notices locked after wrong PINs, a custody feed that has sent nothing for too long, gateways
/// that keep failing, and notices waiting on a channel that has no gateway at all.
public struct DeliveryAlerts: Sendable, Equatable {
    public var deadLetters: Int
    /// Voice notices locked after wrong PINs, waiting for a hotline specialist (`VoiceConfirmation`).
    public var lockedNotices: Int
    /// When the feed last sent an event, if it has been silent for longer than allowed (or never
    /// sent one: then the time the check ran is given and `feedNeverSent` is true).
    public var feedSilentSince: Double?
    public var feedNeverSent: Bool
    /// Channels whose gateway failed `failingAfter` times in a row or more, with the last error.
    public var failingGateways: [String: String]
    /// Channels without a configured gateway (the configuration, no person's data).
    public var channelsWithoutGateway: [String]
    /// Of those, the ones with notices waiting, which nothing will deliver (as telling as a count:
    /// shown only with the counts).
    public var waitingWithoutGateway: [String]

    public var isQuiet: Bool { isQuiet(countingDeadLetters: true) }

    /// Whether nothing calls for attention; for a role that does not see the counts
    /// (`Entitlements.seesDeliveryCounts`), leaving the dead letters and locked notices out.
    public func isQuiet(countingDeadLetters: Bool) -> Bool {
        (!countingDeadLetters || deadLetters + lockedNotices == 0 && waitingWithoutGateway.isEmpty) && feedSilentSince == nil && failingGateways.isEmpty
    }

    public static func compute(settings: DeliverySettings, now: Date, on database: any Database) async throws -> DeliveryAlerts {
        let sql = try CaseRecords.sqlDatabase(database)
        let count = { (status: NotificationStatus) in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(OutboxNotification.schema)
                .where("status", .equal, status.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let dead = try await count(.dead), locked = try await count(.pinLocked)
        let last = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("received_at")), as: "last").from(CustodyEvent.schema)
            .first()?.decode(column: "last", as: Double?.self)
        let silentSince: Double? = switch last {
        case let last? where now.timeIntervalSince1970 - last > settings.feedSilence: last
        case nil: now.timeIntervalSince1970
        default: nil
        }
        var failing: [String: String] = [:]
        for row in try await GatewayHealth.query(on: database).filter(\.$consecutiveFailures >= settings.failingAfter).all() {
            failing[row.id ?? ""] = row.lastError ?? ""
        }
        let missing = ChannelKind.allCases.filter { settings.gateways[$0] == nil }.map(\.rawValue)
        var waiting: [String] = []
        if !missing.isEmpty {
            waiting = try await sql.select().distinct().column("channel_kind").from(OutboxNotification.schema)
                .where("status", .in, [NotificationStatus.pending.rawValue, NotificationStatus.sending.rawValue]).where("channel_kind", .in, missing)
                .all().map { try $0.decode(column: "channel_kind", as: String.self) }.sorted()
        }
        return DeliveryAlerts(deadLetters: dead, lockedNotices: locked, feedSilentSince: silentSince, feedNeverSent: last == nil, failingGateways: failing,
                              channelsWithoutGateway: missing, waitingWithoutGateway: waiting)
    }
}
