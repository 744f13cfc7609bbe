import SafeguardCore
import Vapor

/// Pages need a signed-in session; without one the browser is sent to the sign-in page. The
/// purpose chosen at sign-in stands for the session's reads (`Disclosure`).
struct PageAuthenticator: AsyncMiddleware {
    static let purposeKey = "purpose"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let actor = try await SessionController.actor(of: request) else { return request.redirect(to: "/login") }
        request.authenticate(actor)
        return try await next.respond(to: request)
    }
}
