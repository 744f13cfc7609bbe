import Foundation
@testable import SafeguardServer
import SafeguardCore
import PolicyEngine
import Testing
import Vapor

/// The officer's and supervisor's encounter pages: opening an encounter from the form, "what
/// changes if…", a benefit verification of a chosen filing, and an approval declined with a reason.
@Suite struct EncounterPageTests {
    @Test func anOfficerOpensAnEncounterFromTheForm() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson(aNumber: "A123456789")
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let form = try await officer.get("/encounters/new")
            #expect(form.status == .ok)
            #expect(form.text.contains("Is the person in detention now?"), "each fact asked in plain words")
            #expect(form.text.contains(#"<label for="fact-pendingCriminalCase">"#))

            let rejected = try await officer.post("/encounters", fields: [
                ("aNumber", "A999999999"), ("action", "arrest"), ("asOf", "2023-13-01"), ("facts[]", "detained"),
                ("evidenceLabel[]", "statement-1"), ("evidenceSource[]", "abuser"), ("evidenceAdverse[]", "adverse"),
            ])
            // Refused: back to the form (post, redirect, get), each problem linked to its field and
            // shown beside it; what was ticked kept, the evidence (§ 1367 data) not kept and said so.
            #expect(rejected.status == .seeOther && rejected.headers.first(name: .location) == "/encounters/new")
            let again = try await officer.get("/encounters/new")
            #expect(again.text.contains(##"<a href="#aNumber">A-number: no one with A-number A999999999 is on record; add the person first</a>"##))
            #expect(again.text.contains(#"<span class="field-problem" id="aNumber-problem">"#) && again.text.contains(##"<a href="#asOf">"##))
            #expect(again.text.contains("is not a date (YYYY-MM-DD)"))
            #expect(again.text.contains(#"id="fact-detained" name="facts[]" value="detained" checked"#), "what was ticked stays ticked")
            #expect(again.text.contains(#"value="A999999999""#) && !again.text.contains("statement-1"))
            #expect(again.text.contains("were not kept: tick and type them again"))
            let reloaded = try await officer.get("/encounters/new")
            #expect(reloaded.status == .ok && !reloaded.text.contains("There is a problem"), "a reload shows the form, the message once")
            let malformed = try await officer.post("/encounters", fields: [("aNumber", "12345"), ("action", "arrest"), ("asOf", "2023-01-01")])
            #expect(malformed.status == .seeOther)
            #expect(try await officer.get("/encounters/new").text.contains("&#39;12345&#39; is not an A-number: &#39;A&#39; and 8 or 9 digits, such as A123456789"))
            #expect(try await service.count("encounters") == 0)

            // A day before today is refused, in the form's words; on the day itself it opens.
            let backdated = try await officer.post("/encounters", fields: [
                ("aNumber", "A123456789"), ("action", "initiate-removal-proceedings"), ("asOf", "2012-03-01"),
            ])
            #expect(backdated.status == .seeOther)
            let told = try await officer.get("/encounters/new")
            #expect(told.text.contains("is before today") && told.text.contains(##"<a href="#asOf">The day of the action:"##), "\(told.text.prefix(300))")
            #expect(try await service.count("encounters") == 0)
            service.clock.set(toNoonOf: "2012-03-01")
            let opened = try await officer.post("/encounters", fields: [
                ("aNumber", "A123456789"), ("action", "initiate-removal-proceedings"), ("asOf", "2012-03-01"),
                ("facts[]", "immediateVictimOrWitness"), ("facts[]", "detained"), ("indicia[]", "self-report"),
                ("evidenceLabel[]", "statement-1"), ("evidenceSource[]", "abuser"), ("evidenceAdverse[]", "adverse"),
                ("evidenceLabel[]", ""), ("evidenceSource[]", "independent"), ("evidenceAdverse[]", "neutral"),
            ])
            #expect(opened.status == .seeOther)
            let location = try #require(opened.headers.first(name: .location))
            let id = String(location.dropFirst("/encounters/".count))
            let stored = try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC", headers: TestService.lawEnforcement)
            let view = try stored.decode(EncounterView.self)
            #expect(view.personId.uuidString == person)
            #expect(view.facts[path: "subject.immediateVictimOrWitness"] == .bool(true) && view.facts[path: "subject.detained"] == .bool(true))
            #expect(view.facts[path: "subject.victimIndicia"] == .array([.string("self-report")]))
            guard case .array(let information)? = view.facts[path: "information"] else { Issue.record("no information: \(stored.text)"); return }
            #expect(information.count == 1, "the empty row is not evidence")
            let page = try await officer.get(location)
            // 10076.1: against policy to start removal proceedings against an immediate victim.
            #expect(page.text.contains(#"<p class="disposition disposition-refrain">Do not take this action</p>"#))
            #expect(page.text.contains("statement-1, from the alleged abuser (adverse) <span class=\"tag tag-warning\">set aside under 8 U.S.C. § 1367(a)(1)</span>"),
                    "the abuser's statement is excluded")

            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            #expect(try await analyst.get("/encounters/new").status == .forbidden)
        }
    }

    @Test func whatChangesIfAFactFlipsOrTheDayMoves() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let base = "/encounters/\(encounter)/what-if"

            let flipped = try await officer.get(base + "?flip%5B%5D=exceptionalCircumstances")
            #expect(flipped.status == .ok)
            #expect(flipped.text.contains("Decision: May go ahead once the steps are done → Do not take this action"))
            #expect(flipped.text.contains("Steps no longer: Approve the exceptional circumstances"))
            #expect(flipped.text.contains(#"<p class="disposition disposition-proceed-after-steps">"#)
                && flipped.text.contains(#"<p class="disposition disposition-refrain">"#), "both decisions side by side")

            let approved = try await officer.get(base + "?done%5B%5D=exceptional-circumstances-approval")
            #expect(approved.text.contains("Decision: May go ahead once the steps are done → May go ahead"))

            // The same case after the 2025-01-30 guidance rescinded 11005.3.
            let later = try await officer.get(base + "?asOf=2025-03-01")
            #expect(later.text.contains("If… (2025-03-01, arrest)"))
            #expect(later.text.contains("No longer in force: ICE Policy 10076.1 (2011); ICE Directive 11005.3 (2021)"))

            // A query string that does not parse (a key with an unclosed bracket) is a 400, shown as a page.
            for page in [base, "/encounters/new", "/policies/compare"] {
                let malformed = try await officer.get(page + "?a%5Bb=1")
                #expect(malformed.status == .badRequest && malformed.headers.contentType == .html
                        && malformed.text.contains("Malformed form-urlencoded key encountered: a%5Bb."), "\(page): \(malformed.status) \(malformed.text.prefix(200))")
            }

            let bad = try await officer.get(base + "?asOf=someday&flip%5B%5D=nonsense")
            #expect(bad.status == .ok && bad.text.contains("Date: &#39;someday&#39; is not a date") || bad.text.contains("Date: 'someday' is not a date"))
            #expect(bad.text.contains("is not a fact"))

            var unstated = PageBrowser(service: service)
            _ = try await unstated.signIn("officer-nyc")
            let withheld = try await unstated.get(base + "?asOf=2025-03-01")
            #expect(withheld.text.contains("Other changes: withheld under 8 U.S.C. § 1367"))
            #expect(!withheld.text.contains(try #require(service.app.safeguard.ruleSet.rule(id: "ice-directive-11005.3/refrain-known-beneficiary")).description))
            #expect(try await service.count("encounters WHERE status = 'open'") == 1, "nothing stored")
        }
    }

    @Test func anOfficerVerifiesAChosenFiling() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            let page = "/encounters/\(encounter)"

            var unstated = PageBrowser(service: service)
            _ = try await unstated.signIn("officer-nyc")
            let withheld = try await unstated.get(page)
            #expect(withheld.text.contains("sign in with the purpose law enforcement to verify a filing"))
            #expect(!withheld.text.contains(filing))

            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let form = try await officer.get(page)
            #expect(form.text.contains(#"<option value="\#(filing.uppercased())">U visa (principal), pending, receipt EAC2290012345</option>"#))
            let missingResult = try await officer.post(page + "/steps", form: [
                "step": "benefit-verification", "filing": filing, "counterpart": "USCIS CLAIMS 3", "summary": "Receipt found.",
            ])
            #expect(missingResult.status == .seeOther)
            #expect(try await officer.get(page).text.contains("What the records say: "), "the refusal, in the form's words, on the page")
            let verified = try await officer.post(page + "/steps", form: [
                "step": "benefit-verification", "filing": filing, "result": "confirmed", "counterpart": "USCIS CLAIMS 3", "summary": "Receipt found.",
            ])
            #expect(verified.status == .seeOther)
            let after = try await officer.get(page)
            #expect(after.text.contains(#"<p class="disposition disposition-refrain">Do not take this action</p>"#), "a known U petitioner: refrain under 11005.3")
            #expect(after.text.contains("Recorded: Verify the claimed filing."))
            #expect(after.text.contains("<strong>Verify the claimed filing</strong> · on record as stated<br><small>by officer, "))
            #expect(after.text.contains(" UTC · with whom: USCIS CLAIMS 3</small><br>Receipt found.</li>"))
            let filings = try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(filings.text.contains(#""verified":true"#))
        }
    }

    /// The facts are changed from the page, through the core: the encounter is decided again; a
    /// form that changes nothing says so, and one read before another change is refused.
    @Test func anOfficerChangesTheFactsFromThePage() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            let page = "/encounters/\(encounter)"
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let form = try await officer.get(page)
            let version = try #require(form.text.firstMatch(of: /name="version" value="(\d+)"/)?.1)
            #expect(try await officer.post(page + "/facts", fields: [("version", String(version)), ("facts[]", "exceptionalCircumstances")]).status == .seeOther)
            #expect(try await officer.get(page).text.contains("Nothing changed: the facts were already as ticked."))
            let again = try #require(try await officer.get(page).text.firstMatch(of: /name="version" value="(\d+)"/)?.1)
            _ = try await officer.post(page + "/facts", fields: [("version", String(again))])
            let changed = try await officer.get(page)
            #expect(changed.text.contains("The facts are changed.") && changed.text.contains(#"<p class="disposition disposition-refrain">"#),
                    "without exceptional circumstances, a known U petitioner under 11005.3: refrain")
            _ = try await officer.post(page + "/facts", fields: [("version", String(again)), ("facts[]", "detained")])
            #expect(try await officer.get(page).text.contains("The encounter changed while the form was open"), "a stale form changes nothing")
        }
    }

    @Test func aSupervisorDeclinesAnApprovalWithAReason() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            let page = "/encounters/\(encounter)"
            var supervisor = PageBrowser(service: service)
            _ = try await supervisor.signIn("supervisor-nyc", purpose: "law-enforcement")
            #expect(try await supervisor.get(page).text.contains(#"<button type="submit" name="decision" value="decline">Decline</button>"#))
            let declined = try await supervisor.post(page + "/steps", form: [
                "step": "exceptional-circumstances-approval", "decision": "decline",
                "summary": "No threat shown beyond the charge itself.", "counterpart": "FOD New York",
            ])
            #expect(declined.status == .seeOther)
            let after = try await supervisor.get(page)
            #expect(after.text.contains("<strong>Approve the exceptional circumstances</strong> <strong>(declined)</strong>"))
            #expect(after.text.contains("Declined: Approve the exceptional circumstances."))
            #expect(after.text.contains("No threat shown beyond the charge itself."))
            #expect(after.text.contains("Approve the exceptional circumstances</span>: recorded by a supervisor (FOD or SAC)"), "still owed")

            let gate = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(gate.status == .conflict, "a declined approval does not open the gate")
            let steps = try await service.send(.GET, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(steps.text.contains(#""declined":true"#))

            let wrongStep = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
            {"step": "law-enforcement-deconfliction", "summary": "x", "counterpart": "NYPD", "declined": true}
            """)
            #expect(wrongStep.status == .unprocessableEntity && wrongStep.text.contains("only an exceptional-circumstances-approval is declined"))
        }
    }
}
