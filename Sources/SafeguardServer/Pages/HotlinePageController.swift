import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The hotline specialist's pages: call intake, victim-notification registrations (register,
/// confirm a channel, withdraw) with the delivery of each notification, and the operator's
/// delivery status. Callers' and registrants' details show only with the purpose
/// `victim-assistance`; every read is audited as the API's are.
struct HotlinePageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(CSRFProtection(), PageAuthenticator()).grouped("hotline")
        pages.access(.roles(Entitlements.deliveryStatusRoles, "the delivery status", reach: .noRecord)).get("status", use: status)
        let hotline = pages.access(.roles([.hotlineSpecialist], "hotline records", reach: .ownOffice))
        hotline.get(use: calls)
        hotline.post("calls", use: takeCall)
        hotline.get("registrations", use: registrations)
        hotline.post("registrations", use: register)
        hotline.get("registrations", ":registrationID", use: registration)
        hotline.post("registrations", ":registrationID", "channels", ":channelID", "confirmation", use: confirm)
        hotline.post("registrations", ":registrationID", "withdrawal", use: withdraw)
    }

    // MARK: Calls

    struct CallsPage: Encodable {
        var frame: PageController.Frame
        var calls: [CallView]
        var categories: [FormChoice]
        var errors: [String] = []
    }

    func callsPage(_ request: Request, errors: [String] = [], status: HTTPStatus = .ok) async throws -> Response {
        let page = CallsPage(frame: .init("Calls", request: request), calls: try await HotlineCallController.recentCalls(request, limit: 100),
                             categories: CallCategory.allCases.map { FormChoice(value: $0.rawValue, label: (PageWords.vocabularies["call category"]?[$0.rawValue] ?? $0.rawValue).sentenceCased, selected: false) }, errors: errors)
        let response = try await request.view.render("hotline-calls", page).encodeResponse(for: request)
        response.status = status
        return response
    }

    func calls(request: Request) async throws -> Response { try await callsPage(request) }

    func takeCall(request: Request) async throws -> Response {
        struct Form: Content { var category: String; var narrative: String; var callerName: String?; var callerContact: String?; var followUp: String; var referral: String? }
        let form = try request.content.decode(Form.self)
        func optional(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        guard let category = CallCategory(rawValue: form.category) else { return try await callsPage(request, errors: ["Category: choose one"], status: .unprocessableEntity) }
        do {
            _ = try await request.application.safeguard.intake.record(
                CallInput(category: category, narrative: form.narrative, callerName: optional(form.callerName), callerContact: optional(form.callerContact),
                          followUp: form.followUp, referral: optional(form.referral)), by: request.actor, on: request.db)
            return request.redirect(to: "/hotline", redirectType: .normal)
        } catch WorkflowError.invalid(let errors) {
            return try await callsPage(request, errors: errors.map(\.description), status: .unprocessableEntity)
        }
    }

    // MARK: Registrations

    struct RegistrationsPage: Encodable {
        var frame: PageController.Frame
        var registrations: [RegistrationView]
        var errors: [String] = []
    }

    func registrationsPage(_ request: Request, errors: [String] = [], status: HTTPStatus = .ok) async throws -> Response {
        let bodies = try await RegistrationController.recentRegistrations(request, limit: 100)
        let response = try await request.view.render("hotline-registrations", RegistrationsPage(frame: .init("Registrations", request: request),
                                                                                                registrations: bodies, errors: errors))
            .encodeResponse(for: request)
        response.status = status
        return response
    }

    func registrations(request: Request) async throws -> Response { try await registrationsPage(request) }

    func register(request: Request) async throws -> Response {
        struct Form: Content {
            var detaineeReference: String; var detaineeId: String; var registrantName: String; var relationship: String; var language: String
            var consent: String?; var sms: String?; var email: String?; var voice: String?; var voicePin: String?
        }
        let form = try request.content.decode(Form.self)
        var channels: [(kind: ChannelKind, address: String)] = []
        for (kind, address) in [(ChannelKind.sms, form.sms), (.email, form.email), (.voice, form.voice)] {
            if let address = address?.trimmingCharacters(in: .whitespaces), !address.isEmpty { channels.append((kind, address)) }
        }
        guard let reference = DetaineeReference(rawValue: form.detaineeReference), let language = NoticeLanguage(rawValue: form.language) else {
            return try await registrationsPage(request, errors: ["Detainee reference and language: choose one of each"], status: .unprocessableEntity)
        }
        do {
            let registration = try await request.application.safeguard.registrations.register(
                RegistrationInput(detaineeReference: reference, detaineeID: form.detaineeId, registrantName: form.registrantName, relationship: form.relationship,
                                  language: language, consent: form.consent == "yes", channels: channels,
                                  voicePIN: form.voicePin.flatMap { $0.isEmpty ? nil : $0 }),
                by: request.actor, on: request.db)
            return request.redirect(to: "/hotline/registrations/\(try registration.requireID())", redirectType: .normal)
        } catch WorkflowError.invalid(let errors) {
            return try await registrationsPage(request, errors: errors.map(\.description), status: .unprocessableEntity)
        }
    }

    struct RegistrationPage: Encodable {
        var frame: PageController.Frame
        var flash: Flash?
        var registration: RegistrationView
        var notifications: [RegistrationController.NotificationBody]
    }

    func registration(request: Request) async throws -> View {
        let book = request.application.safeguard.registrations
        let (registration, shown) = try await book.show(registration: request.uuidParameter("registrationID"), to: request.reader, on: request.db)
        let notifications = try await OutboxNotification.query(on: request.db).filter(\.$registration.$id == registration.requireID())
            .sort(\.$createdAt, .descending).limit(200).all().map(RegistrationController.NotificationBody.init)
        return try await request.view.render("hotline-registration", RegistrationPage(
            frame: .init("Registration", request: request), flash: try Flash.take(request), registration: try await RegistrationController().body(registration, shown: shown, request: request),
            notifications: notifications))
    }

    func confirm(request: Request) async throws -> Response {
        let id = try request.uuidParameter("registrationID")
        let channel = try await request.application.safeguard.registrations.confirmChannel(request.uuidParameter("channelID"), of: id, by: request.actor, on: request.db)
        let kind = PageWords.vocabularies["channel"]?[channel.kind] ?? channel.kind
        return try Flash.redirect(request, to: "/hotline/registrations/\(id)", .success, "The \(kind) channel is confirmed.")
    }

    func withdraw(request: Request) async throws -> Response {
        let id = try request.uuidParameter("registrationID")
        let page = "/hotline/registrations/\(id)"
        // Withdrawing stops every notice: the form asks to confirm it first.
        guard request.content[String.self, at: "confirm"] == "yes" else {
            return try Flash.redirect(request, to: page, .problem, "Nothing was withdrawn: tick the box to confirm that no notice is to be sent any more.")
        }
        _ = try await request.application.safeguard.registrations.withdraw(id, by: request.actor, on: request.db)
        return try Flash.redirect(request, to: page, .success, "The registration is withdrawn: notices not yet delivered are cancelled, and none is sent after.")
    }

    // MARK: Status

    struct StatusPage: Encodable {
        struct Line: Encodable {
            var name: String
            var detail: String
        }

        var frame: PageController.Frame
        var quiet: Bool
        /// How many notices were given up, for the roles that see the counts (`Entitlements.seesDeliveryCounts`).
        var deadLetterAlert: String?
        var lockedAlert: String?
        var feed: String?
        /// Failing gateways, with their last error.
        var failing: [Line]
        var withoutGateway: [String]
        var waitingWithoutGateway: [String]
        /// Notifications by status.
        var counts: [Line]
    }

    /// The operator's status: the alerts of silence and the outbox by status.
    func status(request: Request) async throws -> View {
        let alerts = try await request.application.safeguard.deliveryAlerts(on: request.db)
        let feed: String? = alerts.feedNeverSent ? "The custody feed has never sent an event." :
            alerts.feedSilentSince.map { "The custody feed has sent nothing since \(Date(timeIntervalSince1970: $0).formatted(.iso8601))." }
        let shown = Entitlements.seesDeliveryCounts(try request.actor)
        let counts = shown ? try await DeliveryCounts.byStatus(on: request.db).sorted { $0.key < $1.key } : []
        return try await request.view.render("hotline-status", StatusPage(
            frame: .init("Delivery status", request: request), quiet: alerts.isQuiet(countingDeadLetters: shown),
            deadLetterAlert: shown && alerts.deadLetters > 0 ? "\(alerts.deadLetters) notifications dead-lettered: delivery was given up after the retry window." : nil,
            lockedAlert: shown && alerts.lockedNotices > 0
                ? "\(alerts.lockedNotices) voice notices locked after wrong PINs: check with the registrant, then unlock them (POST /api/v1/notifications/{id}/unlock)." : nil,
            feed: feed,
            failing: alerts.failingGateways.sorted { $0.key < $1.key }.map { .init(name: $0.key, detail: $0.value) },
            withoutGateway: alerts.channelsWithoutGateway, waitingWithoutGateway: shown ? alerts.waitingWithoutGateway : [],
            counts: counts.map { .init(name: $0.key, detail: String($0.value)) }))
    }
}
