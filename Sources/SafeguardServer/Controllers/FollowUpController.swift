import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// Follow-ups of an encounter: referrals and requests the decision calls for.
struct FollowUpController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice))
        routes.post("encounters", ":encounterID", "follow-ups", use: file)
        routes.get("encounters", ":encounterID", "follow-ups", use: list)
        routes.patch("follow-ups", ":followUpID", use: move)
    }

    func file(request: Request) async throws -> Response {
        let input = try FollowUpInput(body: try request.strictJSONBody())
        let followUp = try await request.application.safeguard.workflow.fileFollowUp(
            input.kind, recipient: input.recipient, justification: input.justification, on: request.uuidParameter("encounterID"), by: request.actor,
            on: request.db
        )
        let shown = try await request.application.safeguard.workflow.shows(encounter: followUp.$encounter.id, to: request.reader, on: request.db)
        return try Response.json(FollowUpView(followUp, shown: shown),
                                 status: .created, version: followUp.version)
    }

    func list(request: Request) async throws -> [FollowUpView] {
        let (followUps, shown) = try await request.application.safeguard.workflow.followUps(of: request.uuidParameter("encounterID"), to: request.reader,
                                                                                           on: request.db)
        return try followUps.map { try FollowUpView($0, shown: shown) }
    }

    /// `{"status": …}` with `If-Match`.
    func move(request: Request) async throws -> Response {
        let expected = try request.requiredIfMatchVersion()
        let status = try FollowUpStatus(body: try request.strictJSONBody())
        let followUp = try await request.application.safeguard.workflow.moveFollowUp(
            request.uuidParameter("followUpID"), to: status, expectedVersion: expected, by: request.actor, on: request.db
        )
        let shown = try await request.application.safeguard.workflow.shows(encounter: followUp.$encounter.id, to: request.reader, on: request.db)
        return try Response.json(FollowUpView(followUp, shown: shown),
                                 version: followUp.version)
    }
}
