import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The web pages' entry: sign-in, sign-out and the home page of each role.
struct PageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let forms = routes.grouped(CSRFProtection())
        let signingIn = forms.access(.anyone)
        signingIn.get("login", use: loginPage)
        signingIn.post("login", use: login)
        let signedIn = forms.grouped(PageAuthenticator()).access(.signedIn("the home page", reach: .ownOffice))
        signedIn.post("logout", use: logout)
        signedIn.get(use: home)
    }

    /// What every page's layout needs.
    struct Frame: Encodable {
        var title: String
        var csrf: String
        var user: String?
        var role: String?
        var office: String?
        var purpose: String?
        var links: [Navigation.Link]

        init(_ title: String, request: Request) {
            self.title = title
            csrf = CSRFProtection.token(for: request)
            let actor = try? request.actor
            user = actor?.username
            role = actor?.role.rawValue
            office = actor?.office
            purpose = try? request.purpose?.rawValue
            links = actor.map { Navigation.links(for: $0.role) } ?? []
        }
    }

    struct LoginPage: Encodable {
        var frame: Frame
        var purposes: [String]
        var error: String?
    }

    func loginPage(request: Request) async throws -> View {
        try await request.view.render("login", LoginPage(frame: Frame("Sign in", request: request), purposes: Purpose.allCases.map(\.rawValue)))
    }

    func login(request: Request) async throws -> Response {
        struct Form: Content { var purpose: String? }
        let purpose = try request.content.decode(Form.self).purpose.flatMap { $0.isEmpty ? nil : Purpose(rawValue: $0) }
        do {
            let actor = try await Credentials(request).signIn(request)
            try await SessionController.begin(actor, purpose: purpose, on: request)
            return request.redirect(to: "/", redirectType: .normal)
        } catch let error as any AbortError where error.status == .unauthorized || error.status == .tooManyRequests {
            let page = LoginPage(frame: Frame("Sign in", request: request), purposes: Purpose.allCases.map(\.rawValue), error: error.reason)
            let response = try await request.view.render("login", page).encodeResponse(for: request)
            response.status = error.status
            return response
        }
    }

    func logout(request: Request) async throws -> Response {
        request.session.destroy()
        return request.redirect(to: "/login", redirectType: .normal)
    }

    struct HomePage: Encodable {
        var frame: Frame
        /// The open encounters with a step this user may record now: their queue.
        var queue: [EncounterLine]
        var encounters: [EncounterLine]
    }

    struct EncounterLine: Encodable {
        var id: String
        var action: String
        var asOf: String
        /// The steps owed now that this user's role records.
        var owed: [String]
        /// The facts stated as true (never protected: filings, indicia and evidence are not listed).
        var facts: [String]
    }

    /// The user's queue (steps owed now that their role records: approvals for supervisors,
    /// consultations for OPLA attorneys, verifications for officers) and the open encounters.
    /// Analysts read no case record: their home is the dashboard.
    func home(request: Request) async throws -> Response {
        let actor = try request.actor
        guard Entitlements.caseReadingRoles.contains(actor.role) else { return request.redirect(to: "/dashboard", redirectType: .normal) }
        let queue = try await request.application.safeguard.workflow.queue(for: actor, limit: 200, on: request.db)
        let lines = try queue.map { line in
            EncounterLine(id: try line.encounter.requireID().uuidString, action: line.encounter.action, asOf: line.encounter.asOf,
                          owed: line.owed.map(\.spelling), facts: EncounterFact.allCases.filter { line.facts[keyPath: $0.caseKeyPath] }.map(\.field))
        }
        let page = HomePage(frame: Frame("Safeguard", request: request), queue: lines.filter { !$0.owed.isEmpty }, encounters: lines)
        return try await request.view.render("home", page).encodeResponse(for: request)
    }
}
