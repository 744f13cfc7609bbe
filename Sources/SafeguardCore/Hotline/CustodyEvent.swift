import FluentKit
import Foundation

/// A change reported by the custody feed: booked, transferred, released, removed, escaped, died,
/// or the case's outcome. The feed's own event id makes a repeated delivery of it a no-op.
public final class CustodyEvent: Model, @unchecked Sendable {
    public static let schema = "custody_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "feed_event_id") public var feedEventID: String
    @Field(key: "kind") public var kind: String
    @Field(key: "detainee_reference") public var detaineeReference: String
    @Field(key: "detainee_id") public var detaineeID: String
    /// When it happened, as the feed says (ISO 8601).
    @Field(key: "occurred_at") public var occurredAt: String
    /// What the notice may say beyond the kind: a facility, a court, an outcome.
    @Field(key: "details") public var details: String
    /// How many notifications it created.
    @Field(key: "notifications") public var notifications: Int
    @Field(key: "received_at") public var receivedAt: Double
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $feedEventID, $kind, $detaineeReference, $detaineeID, $occurredAt, $details, $notifications, $receivedAt
        ]
    }

    public init() {}
}
