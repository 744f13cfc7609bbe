import PolicyEngine
import SafeguardCore
import Vapor

/// Sign-in for pages: a session kept in the database behind a cookie that is `Secure`,
/// `HttpOnly` and `SameSite=Strict`. Failed attempts share the token route's throttle.
struct SessionController: RouteCollection {
    static let cookieName = "safeguard-session"
    /// Eight hours: a working day.
    static let maximumAge = 8 * 60 * 60
    static let userKey = "user"

    func boot(routes: any RoutesBuilder) throws {
        routes.post("session", use: signIn)
        routes.get("session", use: current)
        routes.delete("session", use: signOut)
    }

    struct SessionBody: Content {
        var username: String
        var role: String
        var office: String
    }

    func signIn(request: Request) async throws -> Response {
        let actor = try await Credentials(request).signIn(request)
        request.session.data[Self.userKey] = actor.userID.uuidString
        return try Response.json(SessionBody(username: actor.username, role: actor.role.rawValue, office: actor.office), status: .created)
    }

    func current(request: Request) async throws -> SessionBody {
        guard let actor = try await Self.actor(of: request) else { throw Abort(.unauthorized, reason: "not signed in") }
        return SessionBody(username: actor.username, role: actor.role.rawValue, office: actor.office)
    }

    func signOut(request: Request) async throws -> HTTPStatus {
        request.session.destroy()
        return .noContent
    }

    /// The signed-in actor of a page request, or nil; a disabled user's session no longer counts.
    static func actor(of request: Request) async throws -> Actor? {
        guard request.hasSession, let text = request.session.data[userKey], let id = UUID(uuidString: text),
              let user = try await User.find(id, on: request.db) else { return nil }
        return user.actor
    }
}

/// A username and password, from JSON or from a form.
struct Credentials {
    var username: String
    var password: String

    init(_ request: Request) throws {
        if request.headers.contentType == .urlEncodedForm {
            struct Form: Content { var username: String?; var password: String? }
            let form = try request.content.decode(Form.self)
            guard let username = form.username, !username.isEmpty, let password = form.password else {
                throw ProblemError.invalid([FieldError(path: form.username == nil ? "username" : "password", message: "required field is missing")])
            }
            self.init(username: username, password: password)
            return
        }
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(try request.strictJSONBody(), path: "", known: ["username", "password"], errors: &errors) else {
            throw ProblemError.invalid(errors)
        }
        let username = reader.string("username", required: true, minLength: 1, maxLength: 64, errors: &errors)
        let password = reader.string("password", required: true, maxLength: 1024, errors: &errors)
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty, let username, let password else { throw ProblemError.invalid(errors) }
        self.init(username: username, password: password)
    }

    init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The actor these credentials sign in, throttling failed attempts per username:
    /// 429 with `Retry-After` while throttled, 401 when they do not match an enabled user.
    func signIn(_ request: Request) async throws -> Actor {
        let services = request.application.safeguard
        let attempt = AuditEntry(actorID: nil, username: username, role: "", office: "", action: .login, object: "session", outcome: .failure)
        if let wait = await services.loginThrottle.retryAfter(username: username) {
            var throttled = attempt
            throttled.outcome = .denied
            try await services.audit.append(throttled, on: request.db)
            var headers = HTTPHeaders()
            headers.add(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            throw Abort(.tooManyRequests, headers: headers, reason: "too many failed sign-ins; try again later")
        }
        guard let actor = try await services.users.actor(username: username, password: password, on: request.db) else {
            await services.loginThrottle.recordFailure(username: username)
            try await services.audit.append(attempt, on: request.db)
            throw Abort(.unauthorized, reason: "the username or password is wrong, or the user is disabled")
        }
        await services.loginThrottle.recordSuccess(username: username)
        try await services.audit.append(AuditEntry(actor, .login, "session"), on: request.db)
        return actor
    }
}
