import FluentKit
import Foundation
import SQLKit

/// What the custody feed sends about one change.
public struct CustodyEventInput: Sendable {
    public var feedEventID: String
    public var kind: CustodyEventKind
    public var detaineeReference: DetaineeReference
    public var detaineeID: String
    public var occurredAt: String
    public var details: String

    public init(feedEventID: String, kind: CustodyEventKind, detaineeReference: DetaineeReference, detaineeID: String, occurredAt: String,
                details: String = "") {
        self.feedEventID = feedEventID
        self.kind = kind
        self.detaineeReference = detaineeReference
        self.detaineeID = detaineeID
        self.occurredAt = occurredAt
        self.details = details
    }
}

/// Receives custody events. In the transaction that records an event it writes one notification
/// per active registration for the detainee and per confirmed channel (the transactional outbox):
/// an event is never recorded without its notifications, nor a notification without its event.
public struct CustodyFeed: Sendable {
    /// The kinds of event that notify registrants; by default all of them.
    public let notifyOn: Set<CustodyEventKind>
    let audit: AuditChain
    let clock: any WallClock

    public init(notifyOn: Set<CustodyEventKind> = Set(CustodyEventKind.allCases), audit: AuditChain, clock: any WallClock = SystemClock()) {
        self.notifyOn = notifyOn
        self.audit = audit
        self.clock = clock
    }

    /// Refuses anyone but an `integration` user: custody events come from the feed alone.
    public static func requireFeedRole(_ actor: Actor) throws {
        guard actor.role == .integration else { throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not post custody events") }
    }

    /// Records the event and its notifications, once: the same feed event id again returns the
    /// event recorded first and writes nothing.
    /// - Returns: the event and whether this call recorded it.
    public func receive(_ input: CustodyEventInput, by actor: Actor, on database: any Database) async throws -> (event: CustodyEvent, created: Bool) {
        try Self.requireFeedRole(actor)
        let now = clock.now
        if let existing = try await find(input.feedEventID, on: database) { return (existing, false) }
        do {
            let event = try await database.transaction { database in
                let event = CustodyEvent()
                event.id = UUID()
                event.feedEventID = input.feedEventID
                event.kind = input.kind.rawValue
                event.detaineeReference = input.detaineeReference.rawValue
                event.detaineeID = input.detaineeID
                event.occurredAt = input.occurredAt
                event.details = input.details
                event.receivedAt = now.timeIntervalSince1970
                event.notifications = 0
                try await event.create(on: database)
                if notifyOn.contains(input.kind) {
                    event.notifications = try await fanOut(event, now: now.timeIntervalSince1970, on: database)
                    try await event.update(on: database)
                }
                try await audit.append(AuditEntry(actor, .write, "custody-event/\(try event.requireID())"), on: database)
                return event
            }
            return (event, true)
        } catch {
            // Another request recorded the same feed event first.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let existing = try await find(input.feedEventID, on: database) else { throw error }
            return (existing, false)
        }
    }

    func find(_ feedEventID: String, on database: any Database) async throws -> CustodyEvent? {
        try await CustodyEvent.query(on: database).filter(\.$feedEventID == feedEventID).first()
    }

    /// Writes the event's notifications: one per active registration for its detainee and
    /// confirmed channel. Returns how many.
    private func fanOut(_ event: CustodyEvent, now: Double, on database: any Database) async throws -> Int {
        let sql = try CaseRecords.sqlDatabase(database)
        let rows = try await sql.select()
            .column(SQLColumn("id", table: RegistrationChannel.schema), as: "channel_id")
            .column(SQLColumn("kind", table: RegistrationChannel.schema), as: "channel_kind")
            .column(SQLColumn("id", table: Registration.schema), as: "registration_id")
            .from(Registration.schema)
            .join(RegistrationChannel.schema, on: SQLColumn("registration_id", table: RegistrationChannel.schema), .equal,
                  SQLColumn("id", table: Registration.schema))
            .where(SQLColumn("detainee_reference", table: Registration.schema), .equal, SQLBind(event.detaineeReference))
            .where(SQLColumn("detainee_id", table: Registration.schema), .equal, SQLBind(event.detaineeID))
            .where(SQLColumn("status", table: Registration.schema), .equal, SQLBind(Registration.active))
            .where(SQLColumn("confirmed_at", table: RegistrationChannel.schema), .isNot, SQLLiteral.null)
            .all()
        var inserts = BulkInsert(into: OutboxNotification.schema, columns: [
            "id", "event_id", "registration_id", "channel_id", "channel_kind", "status", "attempts", "calls", "next_attempt_at", "created_at",
        ])
        for row in rows {
            inserts.append([UUID(), event.id, try row.decode(column: "registration_id", as: UUID.self), try row.decode(column: "channel_id", as: UUID.self),
                            try row.decode(column: "channel_kind", as: String.self), NotificationStatus.pending.rawValue, 0, 0, now, now])
        }
        try await inserts.run(on: database)
        return rows.count
    }
}
