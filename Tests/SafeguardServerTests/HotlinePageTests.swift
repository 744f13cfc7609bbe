import Foundation
import Testing
import Vapor

/// The hotline specialist's pages over HTTP: intake, registration with consent, channel
/// confirmation, withdrawal, the delivery of each notification and the operator's status.
@Suite struct HotlinePageTests {
    @Test func aSpecialistTakesACallRegistersAVictimAndWithdrawsTheRegistration() async throws {
        try await TestService.with { service in
            var specialist = PageBrowser(service: service)
            _ = try await specialist.signIn("hotline-specialist-nyc", purpose: "victim-assistance")
            let home = try await specialist.get("/")
            #expect(home.status == .seeOther && home.headers.first(name: .location) == "/hotline", "a specialist lands on the calls")
            let calls = try await specialist.get("/hotline")
            #expect(calls.status == .ok && calls.text.contains("Never ask for or write down the caller&#39;s immigration status")
                || calls.text.contains("Never ask for or write down the caller's immigration status"))
            #expect(!calls.text.lowercased().contains("name=\"immigration"), "the form has no such field")
            let call = ["category": "abuse-in-detention", "narrative": "Reports being struck by a guard.", "callerName": "", "callerContact": "+15551112222",
                        "followUp": "Refer to OPR today", "referral": ""]
            #expect(try await specialist.post("/hotline/calls", form: call, csrf: false).status == .forbidden)
            #expect(try await specialist.post("/hotline/calls", form: call).status == .seeOther)
            #expect(try await specialist.get("/hotline").text.contains("Reports being struck by a guard."))

            let rejected = try await specialist.post("/hotline/registrations", form: [
                "detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "Rosa", "relationship": "victim", "language": "es",
                "voice": "+15553334444",
            ])
            #expect(rejected.status == .unprocessableEntity && rejected.text.contains("consent") && rejected.text.contains("voicePin"))
            let registered = try await specialist.post("/hotline/registrations", form: [
                "detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "Rosa", "relationship": "victim", "language": "es",
                "sms": "+15553334444", "consent": "yes",
            ])
            #expect(registered.status == .seeOther)
            let page = try #require(registered.headers.first(name: .location))
            let registration = try await specialist.get(page)
            #expect(registration.text.contains("Registration of Rosa") && registration.text.contains("Confirm text message"))
            let channel = try #require(registration.text.firstMatch(of: /channels\/([0-9A-F-]{36})\/confirmation/)?.1)
            #expect(try await specialist.post("\(page)/channels/\(channel)/confirmation", form: [:]).status == .seeOther)

            _ = try await HotlineTests.event(service, "feed-page", detainee: "A123456789")
            let notified = try await specialist.get(page)
            #expect(!notified.text.contains("Confirm text message") && notified.text.contains(#"<td data-label="Channel">text message</td><td data-label="Status">waiting to be sent</td>"#))
            // No gateway is configured here: the waiting notice is an alert, not "every gateway answers".
            let waiting = try await specialist.get("/hotline/status")
            #expect(waiting.text.contains("Notices by text message are waiting and no text message gateway is configured: nothing will deliver them."))
            #expect(waiting.text.contains("No gateway is configured for: text message, email, voice call.") && !waiting.text.contains("No alert"))
            var supervisor = PageBrowser(service: service)
            _ = try await supervisor.signIn("supervisor-nyc", purpose: "law-enforcement")
            let told = try await supervisor.get("/hotline/status")
            #expect(told.text.contains("No gateway is configured for") && !told.text.contains("are waiting"), "whether a notice waits is as telling as a count")
            #expect(try await specialist.post("\(page)/withdrawal", form: [:]).status == .seeOther)
            let unconfirmed = try await specialist.get(page)
            #expect(unconfirmed.text.contains("Nothing was withdrawn: tick the box") && unconfirmed.text.contains("status: active"), "withdrawing asks to confirm")
            #expect(try await specialist.post("\(page)/withdrawal", form: ["confirm": "yes"]).status == .seeOther)
            let withdrawn = try await specialist.get(page)
            #expect(withdrawn.text.contains("The registration is withdrawn"))
            #expect(withdrawn.text.contains("status: withdrawn") && withdrawn.text.contains(#"<td data-label="Channel">text message</td><td data-label="Status">cancelled</td>"#))

            var unstated = PageBrowser(service: service)
            _ = try await unstated.signIn("hotline-specialist-nyc")
            let hidden = try await unstated.get(page)
            #expect(!hidden.text.contains("Rosa") && !hidden.text.contains("5553334444") && hidden.text.contains("withheld under 8 U.S.C. § 1367"))

            let status = try await specialist.get("/hotline/status")
            #expect(status.status == .ok && status.text.contains(#"<td data-label="Status">cancelled</td><td data-label="Notifications">1</td>"#))
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            #expect(try await officer.get("/hotline").status == .forbidden)
            #expect(try await officer.get(page).status == .forbidden)
        }
    }
}
