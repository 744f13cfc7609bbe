import PolicyEngine
import SafeguardCore
import Vapor

/// `POST /api/v1/tokens`: a username and password for a bearer token, with failed attempts
/// throttled per username.
struct TokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("tokens", use: issue)
    }

    struct TokenBody: Content {
        var token: String
        var username: String
        var role: String
        var office: String
    }

    func issue(request: Request) async throws -> Response {
        let body = try request.strictJSONBody()
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(body, path: "", known: ["username", "password"], errors: &errors) else { throw ProblemError.invalid(errors) }
        let username = reader.string("username", required: true, maxLength: 64, errors: &errors)
        let password = reader.string("password", required: true, maxLength: 1024, errors: &errors)
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty, let username, let password else { throw ProblemError.invalid(errors) }
        let services = request.application.safeguard
        if let wait = await services.loginThrottle.retryAfter(username: username) {
            var headers = HTTPHeaders()
            headers.add(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            throw Abort(.tooManyRequests, headers: headers, reason: "too many failed sign-ins; try again later")
        }
        guard let actor = try await services.users.actor(username: username, password: password, on: request.db) else {
            await services.loginThrottle.recordFailure(username: username)
            throw Abort(.unauthorized, reason: "the username or password is wrong, or the user is disabled")
        }
        await services.loginThrottle.recordSuccess(username: username)
        let token = try await services.users.issueToken(for: actor.username, on: request.db)
        return try Response.json(TokenBody(token: token, username: actor.username, role: actor.role.rawValue, office: actor.office), status: .created)
    }
}
