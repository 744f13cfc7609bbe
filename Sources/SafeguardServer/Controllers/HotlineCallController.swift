import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// `/api/v1/hotline/calls`: the hotline's call intake, for hotline specialists of the office.
/// The caller's identity and contact, and what they said, are shown only with the purpose
/// `victim-assistance`; every read is audited.
struct HotlineCallController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let calls = routes.access(.roles([.hotlineSpecialist], "hotline records", reach: .ownOffice)).grouped("hotline", "calls")
        calls.post(use: take)
        calls.get(use: list)
        calls.get(":callID", use: show)
        calls.patch(":callID", use: move)
    }

    func take(request: Request) async throws -> Response {
        let input = try CallInput(body: try request.strictJSONBody())
        let call = try await request.application.safeguard.intake.record(input, by: request.actor, on: request.db)
        let response = try Response.json(CallView(call, shown: try request.showsHotlineData), status: .created, version: call.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/hotline/calls/\(try call.requireID())")
        return response
    }

    /// The office's 200 newest calls.
    func list(request: Request) async throws -> [CallView] {
        try Self.views(await request.application.safeguard.intake.calls(limit: 200, to: request.reader, on: request.db))
    }

    /// Calls as the reader sees them (the API's list and the page).
    static func views(_ listing: HotlineListing<HotlineCall>) throws -> [CallView] {
        try listing.records.map { try CallView($0, shown: listing.shown) }
    }

    func show(request: Request) async throws -> Response {
        let (call, shown) = try await request.application.safeguard.intake.show(call: request.uuidParameter("callID"), to: request.reader, on: request.db)
        return try Response.json(CallView(call, shown: shown), version: call.version)
    }

    /// `{"status"?, "referral"?, "followUp"?}` with `If-Match`.
    func move(request: Request) async throws -> Response {
        let expected = try request.requiredIfMatchVersion()
        let change = try CallChange(body: try request.strictJSONBody())
        let call = try await request.application.safeguard.intake.update(request.uuidParameter("callID"), expectedVersion: expected, status: change.status,
                                                                         referral: change.referral, followUp: change.followUp, by: request.actor, on: request.db)
        return try Response.json(CallView(call, shown: try request.showsHotlineData), version: call.version)
    }
}

extension Request {
    /// Whether this request sees the hotline's protected data (callers, registrants, their
    /// contacts): a hotline specialist with the purpose `victim-assistance`.
    var showsHotlineData: Bool {
        get throws { try reader.disclosure.entitled }
    }
}
