import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// `/api/v1/registrations`: victim-notification registrations, for hotline specialists of the
/// office: register, confirm a channel, change, withdraw, and see each notification's delivery.
/// The registrant's name and contacts are shown only with the purpose `victim-assistance`.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let registrations = routes.access(.roles([.hotlineSpecialist], "hotline records", reach: .ownOffice)).grouped("registrations")
        registrations.post(use: register)
        registrations.get(use: list)
        registrations.get(":registrationID", use: show)
        registrations.patch(":registrationID", use: change)
        registrations.post(":registrationID", "withdrawal", use: withdraw)
        registrations.post(":registrationID", "channels", ":channelID", "confirmation", use: confirm)
        registrations.get(":registrationID", "notifications", use: notifications)
    }

    func body(_ registration: Registration, shown: Bool, request: Request) async throws -> RegistrationView {
        let channels = try await RegistrationChannel.query(on: request.db).filter(\.$registration.$id == registration.requireID()).sort(\.$createdAt).all()
        return try RegistrationView(registration, channels: channels, shown: shown)
    }

    func body(_ registration: Registration, request: Request) async throws -> RegistrationView {
        try await body(registration, shown: try request.showsHotlineData, request: request)
    }

    func register(request: Request) async throws -> Response {
        let input = try RegistrationInput(body: try request.strictJSONBody())
        let registration = try await request.application.safeguard.registrations.register(
            input, by: request.actor, on: request.db
        )
        let response = try Response.json(try await body(registration, request: request), status: .created, version: registration.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/registrations/\(try registration.requireID())")
        return response
    }

    /// The office's 200 newest registrations.
    func list(request: Request) async throws -> [RegistrationView] {
        try await Self.views(request.application.safeguard.registrations.registrations(limit: 200, to: request.reader, on: request.db), request: request)
    }

    /// Registrations as the reader sees them (the API's list and the page).
    static func views(_ listing: HotlineListing<Registration>, request: Request) async throws -> [RegistrationView] {
        var bodies: [RegistrationView] = []
        for registration in listing.records {
            bodies.append(try await RegistrationController().body(registration, shown: listing.shown, request: request))
        }
        return bodies
    }

    func show(request: Request) async throws -> Response {
        let (registration, shown) = try await request.application.safeguard.registrations.show(registration: request.uuidParameter("registrationID"),
                                                                                                to: request.reader, on: request.db)
        return try Response.json(try await body(registration, shown: shown, request: request), version: registration.version)
    }

    /// `{"language"?, "addChannel"?}` with `If-Match`.
    func change(request: Request) async throws -> Response {
        let expected = try request.requiredIfMatchVersion()
        let change = try RegistrationChange(body: try request.strictJSONBody())
        let registration = try await request.application.safeguard.registrations.update(
            request.uuidParameter("registrationID"), expectedVersion: expected, language: change.language, addChannel: change.addChannel,
            by: request.actor, on: request.db
        )
        return try Response.json(try await body(registration, request: request), version: registration.version)
    }

    func withdraw(request: Request) async throws -> Response {
        try request.requireNoBody()
        let registration = try await request.application.safeguard.registrations.withdraw(request.uuidParameter("registrationID"), by: request.actor,
                                                                                          on: request.db)
        return try Response.json(try await body(registration, request: request), version: registration.version)
    }

    func confirm(request: Request) async throws -> Response {
        try request.requireNoBody()
        let registrationID = try request.uuidParameter("registrationID")
        _ = try await request.application.safeguard.registrations.confirmChannel(request.uuidParameter("channelID"), of: registrationID, by: request.actor,
                                                                                 on: request.db)
        let registration = try await request.application.safeguard.registrations.registration(registrationID, for: request.actor, on: request.db)
        return try Response.json(try await body(registration, request: request), version: registration.version)
    }

    struct NotificationBody: Content {
        var id: UUID
        var eventId: UUID
        var channelId: UUID
        var channel: String
        var status: String
        var attempts: Int
        var calls: Int
        var lastError: String?
        var deliveredAt: Double?

        init(_ notice: OutboxNotification) throws {
            id = try notice.requireID()
            (eventId, channelId, channel, status) = (notice.$event.id, notice.$channel.id, notice.channelKind, notice.status)
            (attempts, calls, lastError, deliveredAt) = (notice.attempts, notice.calls, notice.lastError, notice.deliveredAt)
        }
    }

    /// Each notification of the registration and how its delivery stands.
    func notifications(request: Request) async throws -> [NotificationBody] {
        let (registration, _) = try await request.application.safeguard.registrations.show(registration: request.uuidParameter("registrationID"),
                                                                                           to: request.reader, on: request.db)
        return try await OutboxNotification.query(on: request.db).filter(\.$registration.$id == registration.requireID()).sort(\.$createdAt).all().map(NotificationBody.init)
    }
}
