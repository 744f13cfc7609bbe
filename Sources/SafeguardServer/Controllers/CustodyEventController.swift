import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// `POST /api/v1/custody-events`: the custody feed (an `integration` user). Idempotent by the
/// feed's event id: the first delivery answers 201, a repeat 200 with the event recorded first.
/// The event and its notifications are one transaction (the outbox).
struct CustodyEventController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles([.integration], "the custody feed", reach: .everyOffice)).post("custody-events", use: receive)
    }

    struct EventBody: Content {
        var id: UUID
        var feedEventId: String
        var kind: String
        var occurredAt: String
    }

    func receive(request: Request) async throws -> Response {
        let actor = try request.actor
        let input = try CustodyEventInput(body: try request.strictJSONBody())
        let (event, created) = try await request.application.safeguard.custodyFeed.receive(
            input, by: actor, on: request.db
        )
        // Nothing of the answer depends on who registered: how many notices an event made would
        // tell the feed whether the detainee's victim asked to be told (`notifications` stays stored).
        let body = EventBody(id: try event.requireID(), feedEventId: event.feedEventID, kind: event.kind, occurredAt: event.occurredAt)
        return try Response.json(body, status: created ? .created : .ok)
    }
}
