import FluentKit
import Foundation
import SQLKit

/// The alerts of silence, the worst failure of notification: dead letters not yet seen to, voice
/// notices locked after wrong PINs, a custody feed that has sent nothing for too long, and
/// gateways that keep failing.
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

    public var isQuiet: Bool { isQuiet(countingDeadLetters: true) }

    /// Whether nothing calls for attention; for a role that does not see the counts
    /// (`Entitlements.seesDeliveryCounts`), leaving the dead letters and locked notices out.
    public func isQuiet(countingDeadLetters: Bool) -> Bool {
        (!countingDeadLetters || deadLetters + lockedNotices == 0) && feedSilentSince == nil && failingGateways.isEmpty
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
        return DeliveryAlerts(deadLetters: dead, lockedNotices: locked, feedSilentSince: silentSince, feedNeverSent: last == nil, failingGateways: failing)
    }
}
