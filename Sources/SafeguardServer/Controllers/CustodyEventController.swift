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
        var notifications: Int
    }

    func receive(request: Request) async throws -> Response {
        let actor = try request.actor
        // The role first: a body is no business of someone who may not post events.
        try CustodyFeed.requireFeedRole(actor)
        let json = try request.strictJSONBody()
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(json, path: "", known: ["feedEventId", "kind", "detaineeReference", "detaineeId", "occurredAt", "details"],
                                            errors: &errors) else { throw ProblemError.invalid(errors) }
        let feedEventID = reader.string("feedEventId", required: true, minLength: 1, maxLength: 200, errors: &errors)
        let kind: CustodyEventKind? = reader.choice("kind", required: true, errors: &errors)
        let reference: DetaineeReference? = reader.choice("detaineeReference", required: true, errors: &errors)
        let detaineeID = reader.string("detaineeId", required: true, minLength: 1, maxLength: 64, errors: &errors)
        let occurredAt = reader.string("occurredAt", required: true, minLength: 10, maxLength: 40, errors: &errors)
        if let occurredAt, (try? Date(occurredAt, strategy: .iso8601)) == nil, CalendarDate(occurredAt) == nil {
            errors.append(FieldError(path: "occurredAt", message: "'\(occurredAt)' is not an ISO 8601 date or time"))
        }
        let details = reader.string("details", maxLength: 1000, errors: &errors) ?? ""
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty, let feedEventID, let kind, let reference, let detaineeID, let occurredAt else { throw ProblemError.invalid(errors) }
        let (event, created) = try await request.application.safeguard.custodyFeed.receive(
            CustodyEventInput(feedEventID: feedEventID, kind: kind, detaineeReference: reference, detaineeID: detaineeID, occurredAt: occurredAt,
                              details: details),
            by: actor, on: request.db
        )
        let body = EventBody(id: try event.requireID(), feedEventId: event.feedEventID, kind: event.kind, occurredAt: event.occurredAt,
                             notifications: event.notifications)
        return try Response.json(body, status: created ? .created : .ok)
    }
}
