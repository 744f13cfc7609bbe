import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The voice gateway's PIN confirmations (`POST /api/v1/notifications/{id}/confirmation`, an
/// `integration` user) and the delivery alerts (`GET /api/v1/delivery-status`, for hotline
/// specialists, supervisors and admins).
struct DeliveryController: RouteCollection {
    static let statusRoles: Set<Role> = [.hotlineSpecialist, .supervisor, .admin]

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles([.integration], "voice confirmations", reach: .everyOffice))
            .post("notifications", ":notificationID", "confirmation", use: confirm)
        routes.access(.roles(Self.statusRoles, "the delivery status", reach: .noRecord)).get("delivery-status", use: status)
    }

    func confirm(request: Request) async throws -> HTTPStatus {
        let pin = try VoiceConfirmation.pin(body: try request.strictJSONBody())
        try await VoiceConfirmation.confirm(request.uuidParameter("notificationID"), pin: pin, by: request.actor, audit: request.application.safeguard.audit,
                                            on: request.db)
        return .noContent
    }

    struct StatusBody: Content {
        var quiet: Bool
        var deadLetters: Int
        var feedSilentSince: Date?
        var feedNeverSent: Bool
        var failingGateways: [String: String]
        var counts: [String: Int]
    }

    func status(request: Request) async throws -> StatusBody {
        let alerts = try await request.application.safeguard.deliveryAlerts(on: request.db)
        let counts = try await DeliveryCounts.byStatus(on: request.db)
        return StatusBody(quiet: alerts.isQuiet, deadLetters: alerts.deadLetters, feedSilentSince: alerts.feedSilentSince.map(Date.init(timeIntervalSince1970:)),
                          feedNeverSent: alerts.feedNeverSent, failingGateways: alerts.failingGateways, counts: counts)
    }
}
