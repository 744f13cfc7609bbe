import FluentKit
import SQLKit

/// How each channel's gateway has fared lately: consecutive failures raise the
/// `gateway-failing` alert (`DeliveryAlerts`).
public final class GatewayHealth: Model, @unchecked Sendable {
    public static let schema = "gateway_health"

    @ID(custom: "channel_kind", generatedBy: .user) public var id: String?
    @Field(key: "consecutive_failures") public var consecutiveFailures: Int
    @OptionalField(key: "last_success_at") public var lastSuccessAt: Double?
    @OptionalField(key: "last_failure_at") public var lastFailureAt: Double?
    @OptionalField(key: "last_error") public var lastError: String?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] { [$id, $consecutiveFailures, $lastSuccessAt, $lastFailureAt, $lastError] }

    public init() {}
}

/// The upserts that keep `GatewayHealth` (the same SQL in SQLite and PostgreSQL).
enum GatewayHealthRecord {
    static func succeeded(_ channel: ChannelKind, at now: Double, on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).raw("""
            INSERT INTO gateway_health (channel_kind, consecutive_failures, last_success_at) VALUES (\(bind: channel.rawValue), 0, \(bind: now)) \
            ON CONFLICT (channel_kind) DO UPDATE SET consecutive_failures = 0, last_success_at = \(bind: now)
            """).run()
    }

    static func failed(_ channel: ChannelKind, reason: String, at now: Double, on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).raw("""
            INSERT INTO gateway_health (channel_kind, consecutive_failures, last_failure_at, last_error) \
            VALUES (\(bind: channel.rawValue), 1, \(bind: now), \(bind: reason)) \
            ON CONFLICT (channel_kind) DO UPDATE SET consecutive_failures = gateway_health.consecutive_failures + 1, \
            last_failure_at = \(bind: now), last_error = \(bind: reason)
            """).run()
    }
}
