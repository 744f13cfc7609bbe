import SafeguardCore
import Vapor

/// Lets through only the roles a group of routes is for; any other signed-in user gets 403 (and
/// the refusal goes into the audit chain, as every refusal does).
struct RoleGate: AsyncMiddleware {
    let roles: Set<Role>
    let what: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let actor = try request.actor
        guard roles.contains(actor.role) else { throw WorkflowError.forbidden("a \(actor.role.rawValue) may not read \(what)") }
        return try await next.respond(to: request)
    }
}
