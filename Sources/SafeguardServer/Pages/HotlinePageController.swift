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
    /// What a refused call form keeps: the caller's words and who they are are protected
    /// (`CallView`) and are not put in the session; they are typed again.
    static let callFieldsKept: Set = ["category", "referral"]

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

    /// `/hotline?category=…&status=…&page=…`: the intake form and the office's calls, newest first.
    func calls(request: Request) async throws -> View {
        let category = try ListFilter.value(request, "category", CallCategory.init(rawValue:))
        let status = try ListFilter.value(request, "status", CallStatus.init(rawValue:))
        let calls = try await ListPage<CallView>.read(request, pageParameter: "page") { offset, limit in
            let listing = try await request.application.safeguard.intake.calls(category: category, status: status, offset: offset, limit: limit,
                                                                               to: request.reader, on: request.db)
            return (try HotlineCallController.views(listing), listing.total)
        }
        let flash = try Flash.take(request)
        let typed = flash?.typed ?? [:]
        func words<Code: RawRepresentable>(_ vocabulary: String) -> (Code) -> String where Code.RawValue == String {
            { PageWords.words(of: $0, in: vocabulary).sentenceCased }
        }
        return try await request.view.render("hotline-calls", CallsPage(
            frame: .init("Calls", request: request), flash: flash, typed: typed,
            categories: ListFilter.choices(CallCategory.allCases, selected: typed["category"].flatMap(CallCategory.init(rawValue:)), value: \.rawValue,
                                           label: words("call category")),
            categoryFilter: ListFilter.choices(CallCategory.allCases, selected: category, value: \.rawValue, label: words("call category")),
            statusFilter: ListFilter.choices(CallStatus.allCases, selected: status, value: \.rawValue, label: words("call status")),
            section: ListSection(heading: "Calls of this office", list: calls)))
    }

    func takeCall(request: Request) async throws -> Response {
        let typed = try PersonPageController.fields(request, Array(Self.callLabels.keys))
        let kept = typed.filter { Self.callFieldsKept.contains($0.key) }
        guard let category = typed["category"].flatMap(CallCategory.init(rawValue:)) else {
            return try Flash.refusedForm(request, to: "/hotline", problems: [.init(field: "category", text: "What the call is about: choose one")], typed: kept,
                                         text: Self.retype)
        }
        do {
            _ = try await request.application.safeguard.intake.record(
                CallInput(category: category, narrative: typed["narrative"] ?? "", callerName: typed["callerName"], callerContact: typed["callerContact"],
                          followUp: typed["followUp"] ?? "", referral: typed["referral"]), by: request.actor, on: request.db)
            return try Flash.redirect(request, to: "/hotline", .success, "The call is recorded.")
        } catch WorkflowError.invalid(let errors) {
            return try Flash.refusedForm(request, to: "/hotline", errors: errors, labels: Self.callLabels, typed: typed, kept: Self.callFieldsKept,
                                         text: Self.retype)
        }
    }

    static let retype = "The form was not accepted. What the caller or registrant told you is protected and was not kept: type it again."

    // MARK: Registrations

    static let registrationLabels = ["detaineeReference": "The detained person is named by", "detaineeId": "Their A-number or detention id",
                                     "registrantName": "Registrant's name", "relationship": "The registrant is a", "language": "Notices in",
                                     "consent": "Consent", "sms": "Text messages to", "email": "Email to", "voice": "Voice calls to",
                                     "voicePin": "PIN to confirm a call"]
    /// What a refused registration keeps: whom it is about and how, never the registrant's name,
    /// addresses (protected, `RegistrationView`) or PIN (a secret).
    static let registrationFieldsKept: Set = ["detaineeReference", "detaineeId", "relationship", "language", "consent"]

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
        let statuses = [Registration.active, Registration.withdrawn]
        let status = try ListFilter.value(request, "status") { statuses.contains($0) ? $0 : nil }
        let registrations = try await ListPage<RegistrationView>.read(request, pageParameter: "page") { offset, limit in
            let listing = try await request.application.safeguard.registrations.registrations(
                detaineeID: detaineeID.isEmpty ? nil : detaineeID, status: status, offset: offset, limit: limit, to: request.reader, on: request.db)
            return (try await RegistrationController.views(listing, request: request), listing.total)
        }
        let flash = try Flash.take(request)
        return try await request.view.render("hotline-registrations", RegistrationsPage(
            frame: .init("Registrations", request: request), flash: flash, typed: flash?.typed ?? [:], detaineeID: detaineeID,
            statusFilter: try ListFilter.choices(statuses, selected: status, value: { $0 }, label: { try PageWords.words($0, in: "registration status").sentenceCased }),
            section: ListSection(heading: "Registrations of this office", list: registrations)))
    }

    func register(request: Request) async throws -> Response {
        let typed = try PersonPageController.fields(request, Array(Self.registrationLabels.keys))
        let kept = typed.filter { Self.registrationFieldsKept.contains($0.key) }
        var channels: [(kind: ChannelKind, address: String)] = []
        for kind in ChannelKind.allCases {
            if let address = typed[kind.rawValue] { channels.append((kind, address)) }
        }
        var problems: [Flash.FieldProblem] = []
        let reference = typed["detaineeReference"].flatMap(DetaineeReference.init(rawValue:))
        if reference == nil { problems.append(.init(field: "detaineeReference", text: "The detained person is named by: choose A-number or detention id")) }
        let language = typed["language"].flatMap(NoticeLanguage.init(rawValue:))
        if language == nil { problems.append(.init(field: "language", text: "Notices in: choose a language")) }
        guard let reference, let language else {
            return try Flash.refusedForm(request, to: "/hotline/registrations", problems: problems, typed: kept, text: Self.retype)
        }
        do {
            let registration = try await request.application.safeguard.registrations.register(
                RegistrationInput(detaineeReference: reference, detaineeID: typed["detaineeId"] ?? "", registrantName: typed["registrantName"] ?? "",
                                  relationship: typed["relationship"] ?? "", language: language, consent: typed["consent"] == "yes", channels: channels,
                                  voicePIN: typed["voicePin"]),
                by: request.actor, on: request.db)
            return try Flash.redirect(request, to: "/hotline/registrations/\(try registration.requireID())", .success,
                                      "Registered. Confirm each channel with the registrant before notices go to it.")
        } catch WorkflowError.invalid(let errors) {
            let kinds = channels.map(\.kind)
            return try Flash.refusedForm(request, to: "/hotline/registrations", errors: errors, labels: Self.registrationLabels.merging(["channels": "Channels"]) { $1 },
                                         typed: typed, kept: Self.registrationFieldsKept, field: { Self.registrationField($0, channels: kinds) }, text: Self.retype)
        }
    }

    /// The form's field for a path of the core's registration errors: `channels[1].address` is
    /// the second channel typed; `channels` (none typed) is the fieldset of channels.
    static func registrationField(_ path: String, channels: [ChannelKind]) -> String {
        guard path.hasPrefix("channels["), let index = Int(path.dropFirst("channels[".count).prefix { $0 != "]" }), channels.indices.contains(index) else {
            return path
        }
        return channels[index].rawValue
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
