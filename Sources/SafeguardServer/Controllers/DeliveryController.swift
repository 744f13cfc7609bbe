import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The voice gateway's PIN confirmations (`POST /api/v1/notifications/{id}/confirmation`, an
/// `integration` user), a hotline specialist's unlocking of a notice locked after wrong PINs
/// (`POST /api/v1/notifications/{id}/unlock`) and the delivery alerts (`GET /api/v1/delivery-status`,
/// for hotline specialists, supervisors and admins; the counts for those who run notification).
struct DeliveryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles([.integration], "voice confirmations", reach: .everyOffice))
            .post("notifications", ":notificationID", "confirmation", use: confirm)
        routes.access(.roles([.hotlineSpecialist], "unlocking voice notices", reach: .ownOffice))
            .post("notifications", ":notificationID", "unlock", use: unlock)
        routes.access(.roles(Entitlements.deliveryStatusRoles, "the delivery status", reach: .noRecord)).get("delivery-status", use: status)
    }

    func confirm(request: Request) async throws -> HTTPStatus {
        let pin = try VoiceConfirmation.pin(body: try request.strictJSONBody())
        try await request.application.safeguard.voiceConfirmation.confirm(request.uuidParameter("notificationID"), pin: pin, by: request.actor, on: request.db)
        return .noContent
    }

    func unlock(request: Request) async throws -> HTTPStatus {
        try await request.application.safeguard.registrations.unlockVoiceNotice(request.uuidParameter("notificationID"), by: request.actor, on: request.db)
        return .noContent
    }

    struct StatusBody: Content {
        var quiet: Bool
        /// Withheld (nil) from the roles that do not see the counts (`Entitlements.seesDeliveryCounts`).
        var deadLetters: Int?
        var lockedNotices: Int?
        var feedSilentSince: Date?
        var feedNeverSent: Bool
        var failingGateways: [String: String]
        var channelsWithoutGateway: [String]
        var waitingWithoutGateway: [String]?
        var counts: [String: Int]?
    }

    func status(request: Request) async throws -> StatusBody {
        let alerts = try await request.application.safeguard.deliveryAlerts(on: request.db)
        let shown = Entitlements.seesDeliveryCounts(try request.actor)
        let counts = shown ? try await DeliveryCounts.byStatus(on: request.db) : nil
        return StatusBody(quiet: alerts.isQuiet(countingDeadLetters: shown), deadLetters: shown ? alerts.deadLetters : nil, lockedNotices: shown ? alerts.lockedNotices : nil, feedSilentSince: alerts.feedSilentSince.map(Date.init(timeIntervalSince1970:)),
                          feedNeverSent: alerts.feedNeverSent, failingGateways: alerts.failingGateways,
                          channelsWithoutGateway: alerts.channelsWithoutGateway, waitingWithoutGateway: shown ? alerts.waitingWithoutGateway : nil, counts: counts)
    }
}
