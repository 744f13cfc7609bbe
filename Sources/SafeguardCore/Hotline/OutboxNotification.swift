import FluentKit
import Foundation

/// One notice to one registrant on one channel about one custody event: a row of the
/// transactional outbox, written in the transaction that records the event. Its id is the
/// idempotency key the gateway sees (a voice notice adds the number of the call).
/// Times the workers compare are seconds since 1970, alike in SQLite and PostgreSQL.
public final class OutboxNotification: Model, @unchecked Sendable {
    public static let schema = "notifications"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "event_id") public var event: CustodyEvent
    @Parent(key: "registration_id") public var registration: Registration
    @Parent(key: "channel_id") public var channel: RegistrationChannel
    @Field(key: "channel_kind") public var channelKind: String
    @Field(key: "status") public var status: String
    @Field(key: "attempts") public var attempts: Int
    /// Voice calls placed and answered by the gateway, awaiting the PIN.
    @Field(key: "calls") public var calls: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Double
    @OptionalField(key: "first_attempt_at") public var firstAttemptAt: Double?
    @OptionalField(key: "claimed_at") public var claimedAt: Double?
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_until") public var leaseUntil: Double?
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "delivered_at") public var deliveredAt: Double?
    @Field(key: "created_at") public var createdAt: Double
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $event, $registration, $channel, $channelKind, $status, $attempts, $calls, $nextAttemptAt, $firstAttemptAt, $claimedAt,
            $leaseOwner, $leaseUntil, $lastError, $deliveredAt, $createdAt
        ]
    }

    public init() {}
}
