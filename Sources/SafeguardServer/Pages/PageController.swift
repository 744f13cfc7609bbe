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
        /// The queue (the open encounters with a step this user may record now), then every open encounter.
        var sections: [Section]
        /// How many open encounters the lists look at, newest first.
        var window: Int
        /// The filters, with what is chosen now.
        var decisions: [FormChoice]
        var actions: [FormChoice]
        var filtered: Bool
    }

    struct Section: Encodable {
        var heading: String
        var description: String
        var empty: String
        var list: ListPage<EncounterLine>
    }

    struct EncounterLine: Encodable {
        var id: String
        var name: String
        var aNumber: String
        var action: String
        var asOf: String
        var office: String
        var dispositionCode: String
        var disposition: String
        /// The steps owed now that this user's role records, in words.
        var owed: [String]
    }

    static let window = 200

    /// The user's queue (steps owed now that their role records: approvals for supervisors,
    /// consultations for OPLA attorneys, verifications for officers) and the open encounters,
    /// each a page of 25 with the person, the action and the decision; the reads of the lines
    /// shown are recorded. Analysts read no case record: their home is the dashboard; a hotline
    /// specialist's is the calls.
    func home(request: Request) async throws -> Response {
        let actor = try request.actor
        // The query is read before anyone is sent on: a page number or filter that cannot be read is a 400 for every role.
        let decision = try ListFilter.value(request, "decision", Disposition.init(spelling:))
        let action = try ListFilter.value(request, "action", Action.init(spelling:))
        for name in ["queue", "page"] { _ = try ListPage<CaseWorkflow.QueueLine>.requestedPage(request, pageParameter: name) }
        if actor.role == .hotlineSpecialist { return request.redirect(to: "/hotline", redirectType: .normal) }
        guard Entitlements.caseReadingRoles.contains(actor.role) else { return request.redirect(to: "/dashboard", redirectType: .normal) }
        let workflow = request.application.safeguard.workflow
        let filtered = decision != nil || action != nil
        let lines = try await workflow.queue(for: actor, limit: Self.window, on: request.db).filter { line in
            (decision.map { $0 == line.disposition } ?? true) && (action.map { $0.spelling == line.encounter.action } ?? true)
        }
        let queue = try ListPage(lines.filter { !$0.owed.isEmpty }, request: request, pageParameter: "queue")
        let open = try ListPage(lines, request: request, pageParameter: "page")
        try await workflow.recordListed(queue.items + open.items, to: request.reader, on: request.db)
        let queueHeading = switch actor.role {
        case .oplaAttorney: "Consultations owed"
        case .supervisor: "Approvals and verifications owed"
        default: "Your queue"
        }
        let sections = [
            Section(heading: queueHeading, description: "Open encounters with a step that your role records, owed now.",
                    empty: filtered ? "Nothing owed by your role matches the filters." : "Nothing is owed by your role now.", list: queue.map(Self.line)),
            Section(heading: "Open encounters", description: "Every open encounter you may read, newest first.",
                    empty: filtered ? "No open encounter you may read matches the filters." : "No open encounter you may read.", list: open.map(Self.line)),
        ]
        let page = HomePage(frame: Frame(actor.role == .oplaAttorney ? "Consultations" : "Encounters", request: request), sections: sections, window: Self.window,
                            decisions: ListFilter.choices(Disposition.allCases, selected: decision, value: \.spelling, label: \.label.sentenceCased),
                            actions: ListFilter.choices(Action.allCases, selected: action, value: \.spelling, label: \.label.sentenceCased),
                            filtered: filtered)
        return try await request.view.render("home", page).encodeResponse(for: request)
    }

    static func line(_ line: CaseWorkflow.QueueLine) -> EncounterLine {
        EncounterLine(id: line.encounter.id?.uuidString ?? "", name: "\(line.person.givenName) \(line.person.familyName)", aNumber: line.person.aNumber,
                      action: Action(spelling: line.encounter.action)?.label ?? line.encounter.action, asOf: line.encounter.asOf,
                      office: line.encounter.office, dispositionCode: line.disposition.spelling, disposition: line.disposition.label,
                      owed: line.owed.map(\.label))
    }
}
