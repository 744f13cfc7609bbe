import SafeguardCore
import Vapor

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }

    /// The authenticated actor; routes behind `BearerAuthenticator` always have one.
    var actor: Actor {
        get throws {
            guard let actor = storage[ActorKey.self] else { throw Abort(.unauthorized, reason: "a bearer token is required") }
            return actor
        }
    }

    func authenticate(_ actor: Actor) { storage[ActorKey.self] = actor }
}

/// Requires `Authorization: Bearer TOKEN` with a live token of an enabled user, and refuses a
/// stated purpose that is not on the list before anything is read or written.
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.headers.bearerAuthorization?.token,
              let actor = try await request.application.safeguard.users.actor(forToken: token, on: request.db) else {
            var headers = HTTPHeaders()
            headers.add(name: .wwwAuthenticate, value: "Bearer")
            throw Abort(.unauthorized, headers: headers, reason: "a valid bearer token is required")
        }
        request.authenticate(actor)
        _ = try request.purpose
        return try await next.respond(to: request)
    }
}
