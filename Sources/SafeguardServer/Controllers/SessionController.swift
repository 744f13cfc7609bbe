import PolicyEngine
import SafeguardCore
import Vapor

/// Sign-in for pages: a session kept in the database behind a cookie that is `Secure`,
/// `HttpOnly` and `SameSite=Strict`, under a new id at each sign-in, ended by sign-out, by idleness
/// and by age (`SessionTimeouts`). Failed attempts share the token route's throttle.
struct SessionController: RouteCollection {
    static let cookieName = "safeguard-session"
    static let userKey = "user"
    static let signedInKey = "signed-in-at"
    static let seenKey = "seen-at"

    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.anyone)
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
        try await Self.begin(actor, purpose: nil, on: request)
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

    /// Starts the actor's session under a new id, so that an id planted before sign-in is worth
    /// nothing: the old record goes, and the sessions middleware stores the session anew.
    static func begin(_ actor: Actor, purpose: Purpose?, on request: Request) async throws {
        if let old = request.session.id {
            try await request.application.sessions.driver.deleteSession(old, for: request).get()
        }
        request.session.id = nil
        request.session.data = SessionData()
        let now = String(request.application.safeguard.clock.now.timeIntervalSince1970)
        request.session.data[userKey] = actor.userID.uuidString
        request.session.data[signedInKey] = now
        request.session.data[seenKey] = now
        request.session.data[PageAuthenticator.purposeKey] = purpose?.rawValue
    }

    /// The signed-in actor of a page request, or nil. A session idle or old past its timeouts
    /// ends here; a disabled user's session no longer counts.
    static func actor(of request: Request) async throws -> Actor? {
        guard request.hasSession, let text = request.session.data[userKey], let id = UUID(uuidString: text) else { return nil }
        let timeouts = request.application.safeguard.sessionTimeouts
        let now = request.application.safeguard.clock.now.timeIntervalSince1970
        guard let signedIn = request.session.data[signedInKey].flatMap(TimeInterval.init),
              let seen = request.session.data[seenKey].flatMap(TimeInterval.init),
              timeouts.holds(signedInAt: signedIn, lastSeenAt: seen, now: now) else {
            request.session.destroy()
            return nil
        }
        guard let user = try await User.find(id, on: request.db) else { return nil }
        request.session.data[seenKey] = String(now)
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
            if username.unicodeScalars.contains("\u{0}") || username.count > 64 {
                throw ProblemError.invalid([FieldError(path: "username", message: "1 to 64 characters, none of them NUL")])
            }
            self.init(username: username, password: password)
            return
        }
        let input = try SignInInput(body: try request.strictJSONBody())
        self.init(username: input.username, password: input.password)
    }

    init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The actor these credentials sign in, throttling failed attempts by username and the
    /// connection's address (a proxy's forwarding headers are not trusted):
    /// 429 with `Retry-After` while throttled, 401 when they do not match an enabled user.
    func signIn(_ request: Request) async throws -> Actor {
        let services = request.application.safeguard
        let source = request.remoteAddress?.ipAddress ?? "unknown"
        switch try await services.users.signIn(username: username, password: password, source: source, throttle: services.loginThrottle, audit: services.audit,
                                               turns: request.owedWriteTurns, on: request.db) {
        case .signedIn(let actor):
            return actor
        case .throttled(let wait):
            var headers = HTTPHeaders()
            headers.add(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            throw Abort(.tooManyRequests, headers: headers, reason: "too many failed sign-ins; try again later")
        case .refused:
            throw Abort(.unauthorized, reason: "the username or password is wrong, or the user is disabled")
        }
    }
}
