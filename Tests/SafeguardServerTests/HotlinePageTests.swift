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
            let recorded = try await specialist.get("/hotline")
            #expect(recorded.text.contains("Reports being struck by a guard.") && recorded.text.contains("The call is recorded."))
            var refusedCall = call
            refusedCall["followUp"] = ""
            #expect(try await specialist.post("/hotline/calls", form: refusedCall).status == .seeOther)
            let toldCall = try await specialist.get("/hotline")
            #expect(toldCall.text.contains(##"<a href="#followUp">What happens next: "##) && toldCall.text.contains(#"id="followUp-problem""#))
            #expect(!toldCall.text.contains("+15551112222") && toldCall.text.contains("was not kept: type it again"), "the caller's contact is not kept")
            #expect(try await service.count("_fluent_sessions WHERE CAST(data AS TEXT) LIKE '%15551112222%'") == 0, "nor put in the session")

            let rejected = try await specialist.post("/hotline/registrations", form: [
                "detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "Rosa", "relationship": "victim", "language": "es",
                "voice": "+15553334444",
            ])
            // Refused: back to the form with each problem beside its field and what was typed, but the PIN.
            #expect(rejected.status == .seeOther && rejected.headers.first(name: .location) == "/hotline/registrations")
            let again = try await specialist.get("/hotline/registrations")
            #expect(again.text.contains(##"<a href="#consent">Consent: the registrant must agree to be contacted</a>"##))
            #expect(again.text.contains(##"<a href="#voicePin">PIN to confirm a call: a voice channel needs a PIN of 4 to 8 digits</a>"##))
            #expect(again.text.contains(#"id="voicePin-problem""#) && again.text.contains(#"aria-invalid="true" aria-describedby="voicePin-problem""#))
            #expect(again.text.contains(#"value="A123456789""#) && !again.text.contains(#"value="Rosa""#) && !again.text.contains("+15553334444"),
                    "whom it is about is kept; the registrant's name and number are not")
            // A mistyped address is said without echoing it: what is not kept never reaches the session by a message.
            #expect(try await specialist.post("/hotline/registrations", form: [
                "detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "Rosa", "relationship": "victim", "language": "es",
                "email": "rosa-at-example", "consent": "yes",
            ]).status == .seeOther)
            #expect(try await service.count("_fluent_sessions WHERE CAST(data AS TEXT) LIKE '%rosa-at-example%' OR CAST(data AS TEXT) LIKE '%Rosa%'") == 0)
            #expect(try await specialist.get("/hotline/registrations").text.contains(##"<a href="#email">Email to: what was typed is not an email address</a>"##))
            #expect(again.text.contains(#"<option value="es" selected>"#), "the language chosen stays chosen")
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

    @Test func theListsOfCallsAndRegistrationsFilterAndPageOn() async throws {
        try await TestService.with { service in
            var specialist = PageBrowser(service: service)
            _ = try await specialist.signIn("hotline-specialist-nyc", purpose: "victim-assistance")
            _ = try await specialist.get("/hotline")
            for index in 0..<30 {
                let category = index % 3 == 0 ? "crime-tip" : "victim-assistance"
                #expect(try await specialist.post("/hotline/calls", form: ["category": category, "narrative": "Call \(index).", "followUp": "Call back"]).status == .seeOther)
            }
            let first = try await specialist.get("/hotline")
            #expect(first.text.contains("1 to 25 of 30") && first.text.contains("Call 29.") && !first.text.contains("Call 4."), "newest first, 25 a page")
            let second = try await specialist.get("/hotline?page=2")
            #expect(second.text.contains("26 to 30 of 30") && second.text.contains("Call 0.") && !second.text.contains("Call 29."))
            #expect(try await specialist.get("/hotline?page=9").text.contains("26 to 30 of 30"), "a page past the end is the last")
            #expect(try await specialist.get("/hotline?page=922337203685477580").status == .badRequest, "a page number far past any list is refused, not overflowed")
            let tips = try await specialist.get("/hotline?category=crime-tip&status=open")
            #expect(tips.text.contains("Call 27.") && !tips.text.contains("Call 28.") && !tips.text.contains(" of 10"), "ten tips: one page, no bar")
            #expect(tips.text.contains(#"<option value="crime-tip" selected>"#))
            let unknown = try await specialist.get("/hotline?category=gossip")
            #expect(unknown.status == .badRequest && unknown.headers.contentType == .html && unknown.text.contains("Category: &#39;gossip&#39; is not one of the choices"))

            for (index, detainee) in ["A123456789", "A987654321"].enumerated() {
                #expect(try await specialist.post("/hotline/registrations", form: [
                    "detaineeReference": "a-number", "detaineeId": detainee, "registrantName": "Registrant \(index)", "relationship": "victim",
                    "language": "en", "sms": "+1555333444\(index)", "consent": "yes",
                ]).status == .seeOther)
            }
            let one = try await specialist.get("/hotline/registrations?detaineeId=A987654321&status=active")
            #expect(one.text.contains("Registrant 1") && !one.text.contains("Registrant 0"))
            #expect(try await specialist.get("/hotline/registrations?status=withdrawn").text.contains("No registration matches."))
            #expect(try await specialist.get("/hotline/registrations?status=lost").status == .badRequest)
        }
    }
}
