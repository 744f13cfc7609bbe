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

    static let callLabels = ["category": "What the call is about", "narrative": "What the caller reported", "callerName": "Caller's name",
                             "callerContact": "How to reach the caller", "followUp": "What happens next", "referral": "Referred to"]

    struct CallsPage: Encodable {
        var frame: PageController.Frame
        var flash: Flash?
        var typed: [String: String]
        var categories: [FormChoice]
        /// The list's filters, with what is chosen now.
        var categoryFilter: [FormChoice]
        var statusFilter: [FormChoice]
        var section: ListSection<CallView>
    }

    /// A list and its heading, as `pagination.leaf` reads them.
    struct ListSection<Item: Encodable>: Encodable {
        var heading: String
        var list: ListPage<Item>
    }

    /// `/hotline?category=…&status=…&page=…`: the intake form and the office's calls, newest first.
    func calls(request: Request) async throws -> View {
        let category = try Self.choice(CallCategory.self, request, "category")
        let status = try Self.choice(CallStatus.self, request, "status")
        let page = try ListPage<CallView>.requestedPage(request, pageParameter: "page")
        let listing = try await request.application.safeguard.intake.calls(
            category: category, status: status, offset: (page - 1) * ListPage<CallView>.perPage, limit: ListPage<CallView>.perPage,
            to: request.reader, on: request.db)
        let flash = try Flash.take(request)
        let typed = flash?.typed ?? [:]
        func choices<Code: CaseIterable & RawRepresentable>(_ type: Code.Type, _ vocabulary: String, selected: String?) -> [FormChoice] where Code.RawValue == String {
            Code.allCases.map { FormChoice(value: $0.rawValue, label: PageWords.words(of: $0, in: vocabulary).sentenceCased, selected: $0.rawValue == selected) }
        }
        return try await request.view.render("hotline-calls", CallsPage(
            frame: .init("Calls", request: request), flash: flash, typed: typed,
            categories: choices(CallCategory.self, "call category", selected: typed["category"]),
            categoryFilter: choices(CallCategory.self, "call category", selected: category?.rawValue),
            statusFilter: choices(CallStatus.self, "call status", selected: status?.rawValue),
            section: ListSection(heading: "Calls of this office", list: ListPage(items: try HotlineCallController.views(listing), page: page, total: listing.total,
                                                                                  request: request, pageParameter: "page"))))
    }

    /// A filter's value from the query: nil for all, 400 for a value the filter does not offer.
    static func choice<Code: RawRepresentable>(_ type: Code.Type, _ request: Request, _ name: String) throws -> Code? where Code.RawValue == String {
        guard let text = request.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let code = Code(rawValue: text) else { throw Abort(.badRequest, reason: "\(name): '\(text.prefix(30))' is not one of the choices") }
        return code
    }

    func takeCall(request: Request) async throws -> Response {
        let typed = try PersonPageController.fields(request, Array(Self.callLabels.keys))
        guard let category = typed["category"].flatMap(CallCategory.init(rawValue:)) else {
            return try Flash.refusedForm(request, to: "/hotline", problems: [.init(field: "category", text: "What the call is about: choose one")], typed: typed)
        }
        do {
            _ = try await request.application.safeguard.intake.record(
                CallInput(category: category, narrative: typed["narrative"] ?? "", callerName: typed["callerName"], callerContact: typed["callerContact"],
                          followUp: typed["followUp"] ?? "", referral: typed["referral"]), by: request.actor, on: request.db)
            return try Flash.redirect(request, to: "/hotline", .success, "The call is recorded.")
        } catch WorkflowError.invalid(let errors) {
            return try Flash.refusedForm(request, to: "/hotline", errors: errors, labels: Self.callLabels, typed: typed)
        }
    }

    // MARK: Registrations

    static let registrationLabels = ["detaineeReference": "The detained person is named by", "detaineeId": "Number", "registrantName": "Registrant's name",
                                     "relationship": "Who is a", "language": "Notices in", "consent": "Consent", "sms": "Text messages to",
                                     "email": "Email to", "voice": "Voice calls to", "voicePin": "PIN to confirm a call", "channels": "Channels"]

    struct RegistrationsPage: Encodable {
        var frame: PageController.Frame
        var flash: Flash?
        var typed: [String: String]
        var detaineeID: String
        var statusFilter: [FormChoice]
        var section: ListSection<RegistrationView>
    }

    /// `/hotline/registrations?detaineeId=…&status=…&page=…`: the form and the office's registrations.
    func registrations(request: Request) async throws -> View {
        let detaineeID = request.query[String.self, at: "detaineeId"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let status = request.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        if let status, ![Registration.active, Registration.withdrawn].contains(status) {
            throw Abort(.badRequest, reason: "status: '\(status.prefix(30))' is not one of the choices")
        }
        let page = try ListPage<RegistrationView>.requestedPage(request, pageParameter: "page")
        let listing = try await request.application.safeguard.registrations.registrations(
            detaineeID: detaineeID.isEmpty ? nil : detaineeID, status: status, offset: (page - 1) * ListPage<RegistrationView>.perPage,
            limit: ListPage<RegistrationView>.perPage, to: request.reader, on: request.db)
        let flash = try Flash.take(request)
        return try await request.view.render("hotline-registrations", RegistrationsPage(
            frame: .init("Registrations", request: request), flash: flash, typed: flash?.typed ?? [:], detaineeID: detaineeID,
            statusFilter: [Registration.active, Registration.withdrawn].map {
                FormChoice(value: $0, label: (try? PageWords.words($0, in: "registration status"))?.sentenceCased ?? $0, selected: $0 == status)
            },
            section: ListSection(heading: "Registrations of this office", list: ListPage(
                items: try await RegistrationController.views(listing, request: request), page: page, total: listing.total, request: request, pageParameter: "page"))))
    }

    func register(request: Request) async throws -> Response {
        let typed = try PersonPageController.fields(request, Array(Self.registrationLabels.keys))
        // The PIN is a secret: never kept in the session; it is typed again.
        let kept = typed.filter { $0.key != "voicePin" }
        var channels: [(kind: ChannelKind, address: String)] = []
        for kind in ChannelKind.allCases {
            if let address = typed[kind.rawValue] { channels.append((kind, address)) }
        }
        var problems: [Flash.FieldProblem] = []
        let reference = typed["detaineeReference"].flatMap(DetaineeReference.init(rawValue:))
        if reference == nil { problems.append(.init(field: "detaineeReference", text: "The detained person is named by: choose A-number or detention id")) }
        let language = typed["language"].flatMap(NoticeLanguage.init(rawValue:))
        if language == nil { problems.append(.init(field: "language", text: "Notices in: choose a language")) }
        guard let reference, let language else { return try Flash.refusedForm(request, to: "/hotline/registrations", problems: problems, typed: kept) }
        do {
            let registration = try await request.application.safeguard.registrations.register(
                RegistrationInput(detaineeReference: reference, detaineeID: typed["detaineeId"] ?? "", registrantName: typed["registrantName"] ?? "",
                                  relationship: typed["relationship"] ?? "", language: language, consent: typed["consent"] == "yes", channels: channels,
                                  voicePIN: typed["voicePin"]),
                by: request.actor, on: request.db)
            return try Flash.redirect(request, to: "/hotline/registrations/\(try registration.requireID())", .success,
                                      "Registered. Confirm each channel with the registrant before notices go to it.")
        } catch WorkflowError.invalid(let errors) {
            return try Flash.refusedForm(request, to: "/hotline/registrations", problems: errors.map { error in
                let field = Self.registrationField(error.path, channels: channels.map(\.kind))
                return Flash.FieldProblem(field: field, text: "\(Self.registrationLabels[field] ?? error.path): \(error.message)")
            }, typed: kept)
        }
    }

    /// The form's field for a path of the core's registration errors: `channels[1].address` is
    /// the second channel typed, `channels` (none typed) the first field of channels.
    static func registrationField(_ path: String, channels: [ChannelKind]) -> String {
        guard path.hasPrefix("channels") else { return path }
        let index = Int(path.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" })
        return index.flatMap { channels.indices.contains($0) ? channels[$0].rawValue : nil } ?? ChannelKind.sms.rawValue
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
        let kind = try PageWords.words(channel.kind, in: "channel")
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
