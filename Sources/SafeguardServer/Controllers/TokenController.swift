import SafeguardCore
import Vapor

/// `POST /api/v1/tokens`: a username and password for a bearer token that lasts a working day,
/// with failed attempts throttled per username.
struct TokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.anyone).post("tokens", use: issue)
    }

    struct TokenBody: Content {
        var token: String
        var username: String
        var role: String
        var office: String
        var expiresAt: Date
    }

    func issue(request: Request) async throws -> Response {
        let actor = try await Credentials(request).signIn(request)
        let services = request.application.safeguard
        let (token, expiresAt) = try await services.users.issueToken(for: actor.username, lifetime: UserDirectory.signInTokenLifetime, on: request.db)
        return try Response.json(TokenBody(token: token, username: actor.username, role: actor.role.rawValue, office: actor.office, expiresAt: expiresAt),
                                 status: .created)
    }
}
