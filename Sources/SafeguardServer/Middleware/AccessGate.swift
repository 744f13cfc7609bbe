import SafeguardCore
import Vapor

/// Lets through only the roles a group of routes declares (`AccessRule`); any other signed-in
/// user gets 403, and the refusal goes into the audit chain, as every refusal does. Sits after
/// the authenticator, which answers a caller without credentials.
struct AccessGate: AsyncMiddleware {
    let rule: AccessRule

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let actor = try request.actor
        if let roles = rule.roles, !roles.contains(actor.role) {
            throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not use \(rule.what)")
        }
        return try await next.respond(to: request)
    }
}
