import Foundation
import SafeguardCore
@testable import SafeguardServer
import Testing
import Vapor

/// A page session from sign-in to its end: a new id at every sign-in (the old one is worth
/// nothing), an end after idleness and after its lifetime however busy, an end at sign-out that
/// a kept cookie cannot undo, throttled guessing on the sign-in page, and CSRF on every form.
@Suite struct SessionLifetimeTests {
    @Test func signingInThroughTheAPIRotatesTheSessionID() async throws {
        try await TestService.with { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("officer-nyc")
            let first = try #require(browser.cookie)
            let again = try await service.send(.POST, "/session", json: #"{"username": "auditor-nyc", "password": "correct horse battery"}"#,
                                               headers: [("Cookie", first)])
            #expect(again.status == .created)
            let second = try #require(again.headers.first(name: .setCookie).map { String($0.split(separator: ";")[0]) })
            #expect(second != first)
            #expect(try await service.send(.GET, "/session", headers: [("Cookie", first)]).status == .unauthorized, "the old id is gone")
            #expect(try await service.send(.GET, "/session", headers: [("Cookie", second)]).decode(SessionController.SessionBody.self).role == "auditor")
        }
    }

    /// A request that holds no write turn (the stylesheet, loaded with every page; a filing
    /// verified at its source) writes a session cookie sent along back in a turn of its own: on
    /// SQLite, a write beside the turn's holder would break the holder's transaction.
    @Test func aSessionIsWrittenInATurnWhenItsRequestHoldsNone() async throws {
        try await TestService.with { service in
            guard let turns = service.app.safeguard.writeTurns else { return }  // PostgreSQL: no turns to wait for
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("officer-nyc")
            let cookie = try #require(browser.cookie)
            let answered = Answered()
            let stylesheet = try await turns.run {
                let stylesheet = Task {
                    let reply = try await service.send(.GET, "/styles.css", headers: [("Cookie", cookie)])
                    await answered.mark()
                    return reply
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await !answered.done, "the session was written back while another writer held the turn")
                return stylesheet
            }
            #expect(try await stylesheet.value.status == .ok)
        }
    }

    @Test func anIdleSessionEnds() async throws {
        try await TestService.with(sessionTimeouts: SessionTimeouts(idle: 30 * 60, lifetime: 8 * 3600)) { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("officer-nyc")
            #expect(try await browser.get("/").status == .ok)
            service.clock.advance(by: .seconds(30 * 60 - 1))
            #expect(try await browser.get("/").status == .ok, "a second short of the idle time, and the request counts as activity")
            service.clock.advance(by: .seconds(30 * 60))
            let after = try await browser.get("/")
            #expect(after.status == .seeOther && after.headers.first(name: .location) == "/login")
            #expect(try await browser.get("/").status == .seeOther, "an ended session does not come back")
        }
    }

    @Test func aBusySessionEndsAtItsLifetime() async throws {
        try await TestService.with(sessionTimeouts: SessionTimeouts(idle: 30 * 60, lifetime: 8 * 3600)) { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("officer-nyc")
            // In use every twenty minutes, never idle, for eight hours less a second.
            for _ in 0..<24 {
                #expect(try await browser.get("/").status == .ok)
                service.clock.advance(by: .seconds(20 * 60))
            }
            #expect(try await browser.get("/").status == .seeOther, "eight hours after sign-in, however busy")
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test func aSessionLastsToTheSecondBeforeItsLifetime() async throws {
        try await TestService.with(sessionTimeouts: SessionTimeouts(idle: 30 * 60, lifetime: 3600)) { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("officer-nyc")
            for _ in 0..<3 {
                service.clock.advance(by: .seconds(20 * 60 - 1))
                #expect(try await browser.get("/").status == .ok)
            }
            service.clock.advance(by: .seconds(3))
            #expect(try await browser.get("/").status == .seeOther, "an hour after sign-in")
        }
    }

    @Test func signingOutEndsTheSessionForAKeptCookieToo() async throws {
        try await TestService.with { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.signIn("supervisor-nyc")
            let kept = try #require(browser.cookie)
            _ = try await browser.get("/")
            #expect(try await browser.post("/logout", form: [:]).status == .seeOther)
            let replayed = try await service.send(.GET, "/", headers: [("Cookie", kept)])
            #expect(replayed.status == .seeOther && replayed.headers.first(name: .location) == "/login")
            #expect(try await service.send(.GET, "/session", headers: [("Cookie", kept)]).status == .unauthorized)
        }
    }

    @Test func guessingPasswordsOnTheSignInPageIsThrottled() async throws {
        try await TestService.with { service in
            var browser = PageBrowser(service: service)
            _ = try await browser.get("/login")
            for _ in 0..<5 {
                #expect(try await browser.post("/login", form: ["username": "officer-lax", "password": "guess"]).status == .unauthorized)
            }
            let throttled = try await browser.post("/login", form: ["username": "officer-lax", "password": "correct horse battery"])
            #expect(throttled.status == .tooManyRequests, "the right password is refused too while throttled")
            #expect(try await service.count("audit_records WHERE action = 'login' AND outcome = 'denied'") == 1)
            service.clock.advance(by: .seconds(14 * 60))
            #expect(try await browser.post("/login", form: ["username": "officer-lax", "password": "correct horse battery"]).status == .tooManyRequests,
                    "fourteen minutes later, still within the window")
            service.clock.advance(by: .seconds(60))
            #expect(try await browser.post("/login", form: ["username": "officer-lax", "password": "correct horse battery"]).status == .seeOther,
                    "fifteen minutes after the first guess, the right password is taken")
        }
    }

    /// Every form route the service has, found in its routing table rather than listed here: a
    /// post without the session's CSRF token is refused before anything is written.
    @Test func everyFormRefusesAPostWithoutTheSessionsToken() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2025-03-01").decode(EncounterView.self).id.uuidString
            // The pages' routes that change state; /api and /session are the JSON API's, under bearer
            // tokens or JSON bodies that no cross-site form can send.
            let forms = service.app.routes.all.filter { route in
                route.method != .GET && route.method != .HEAD && !["api", "session"].contains(route.path.first?.description ?? "")
            }
            #expect(forms.count >= 10, "the routing table's forms: \(forms.map(\.description))")
            #expect(forms.allSatisfy { $0.method == .POST }, "a page changes state by a form's POST only")
            for signedInAs in ["hotline-specialist-nyc", "supervisor-nyc"] {
                var browser = PageBrowser(service: service)
                _ = try await browser.signIn(signedInAs)
                _ = try await browser.get("/")
                let records = try await Self.caseRecords(service)
                for route in forms {
                    let path = "/" + route.path.map { component -> String in
                        guard case .parameter(let name) = component else { return "\(component)" }
                        return name == "encounterID" ? encounter : UUID().uuidString
                    }.joined(separator: "/")
                    let reply = try await browser.post(path, form: ["summary": "x", "counterpart": "y"], csrf: false)
                    #expect(reply.status == .forbidden, "\(route.method) \(path) without the token: \(reply.status)")
                    #expect(reply.text.contains("CSRF"), "\(route.method) \(path): \(reply.text.prefix(200))")
                }
                #expect(try await Self.caseRecords(service) == records, "nothing was written")
            }
        }
    }
}

extension SessionLifetimeTests {
    /// Rows of every table a form writes to.
    static func caseRecords(_ service: TestService) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["people", "encounters", "step_records", "decisions", "hotline_calls", "registrations", "registration_channels"] {
            counts.append(try await service.count(table))
        }
        return counts
    }
}

/// Whether a request sent in the background has been answered.
private actor Answered {
    private(set) var done = false

    func mark() { done = true }
}
