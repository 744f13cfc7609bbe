import Foundation
import PolicyEngine
@testable import SafeguardCore
@testable import SafeguardServer
import Testing
import Vapor

/// The pages over HTTP: sign-in with a CSRF token and a fresh session, security headers, and an
/// encounter's decision with § 1367 withheld unless the session's purpose entitles the user.
@Suite struct PageTests {
    @Test func signInNeedsTheFormsTokenAndGivesAFreshSession() async throws {
        try await TestService.with { service in
            var browser = PageBrowser(service: service)
            let page = try await browser.get("/login")
            #expect(page.status == .ok && page.text.contains("<label for=\"username\">"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(page.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
            let setCookie = try #require(page.headers.first(name: "Set-Cookie"))
            #expect(setCookie.contains("Secure") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let before = browser.cookie

            let forged = try await browser.post("/login", form: ["username": "officer-nyc", "password": "correct horse battery"], csrf: false)
            #expect(forged.status == .forbidden)
            var stranger = PageBrowser(service: service)
            stranger.csrf = browser.csrf
            #expect(try await stranger.post("/login", form: ["username": "officer-nyc", "password": "correct horse battery"]).status == .forbidden)

            let wrong = try await browser.post("/login", form: ["username": "officer-nyc", "password": "not the password"])
            #expect(wrong.status == .unauthorized && wrong.text.contains("role=\"alert\""))
            let signedIn = try await browser.signIn("officer-nyc")
            #expect(signedIn.status == .seeOther && signedIn.headers.first(name: .location) == "/")
            #expect(browser.cookie != nil && browser.cookie != before, "the session id changes at sign-in")
            let home = try await browser.get("/")
            #expect(home.status == .ok && home.text.contains("officer-nyc"))
            #expect(try await service.send(.GET, "/").status == .seeOther, "no session: to the sign-in page")
            #expect(try await service.send(.GET, "/styles.css").headers.contentType?.subType == "css")
        }
    }

    @Test func theDecisionPageWithholdsWhatTheSessionsPurposeDoesNotAllow() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)

            var unstated = PageBrowser(service: service)
            _ = try await unstated.signIn("officer-nyc")
            let withheld = try await unstated.get("/encounters/\(encounter)")
            #expect(withheld.status == .ok)
            let ruleSet = service.app.safeguard.ruleSet
            let refrainRule = try #require(ruleSet.rule(id: "ice-directive-11005.3/refrain-known-beneficiary")).description
            #expect(withheld.text.contains(#"<p class="disposition disposition-refrain">Do not take this action</p>"#))
            #expect(withheld.text.contains("withheld under 8 U.S.C. § 1367"))
            #expect(!withheld.text.contains(refrainRule) && !withheld.text.contains(Duty.section1367Confidentiality.label))
            #expect(!withheld.text.contains("U visa") && !withheld.text.contains("EAC2290012345"), "the filings withheld from the summary too")
            #expect(withheld.text.contains("A-number") && withheld.text.contains("Doe"), "who the person is is not withheld")

            var entitled = PageBrowser(service: service)
            _ = try await entitled.signIn("officer-nyc", purpose: "law-enforcement")
            let shown = try await entitled.get("/encounters/\(encounter)")
            #expect(shown.text.contains(refrainRule))
            #expect(shown.text.contains("U visa (principal), pending, receipt EAC2290012345") && shown.text.contains("verified in the source&#39;s records"))
            #expect(shown.text.contains("absent exceptional circumstances ICE will refrain"))
            #expect(!shown.text.contains("withheld under 8 U.S.C. § 1367"))
            #expect(try await entitled.get("/").text.contains("/encounters/\(encounter)"))
        }
    }

    @Test func anOfficerBlockedByTheGateASupervisorApprovingAndTheActionRecorded() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()
            let page = "/encounters/\(encounter)"

            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let owed = try await officer.get(page)
            #expect(owed.text.contains("Approve the exceptional circumstances</span>: recorded by a supervisor (FOD or SAC)"))
            #expect(!owed.text.contains(#"id="record-exceptional-circumstances-approval""#), "an officer may not approve")
            #expect(!owed.text.contains("/action\""), "no action button while the gate would refuse it")
            #expect(owed.text.contains("can be recorded once the steps above are done"))
            let blocked = try await officer.post(page + "/action", form: [:])
            #expect(blocked.status == .seeOther, "post, redirect, get")
            #expect(!(try await officer.get("/")).text.contains("Not recorded."), "a message waits for its own page (another tab shows none)")
            let told = try await officer.get(page)
            #expect(told.text.contains("Not recorded. The policies in force say: May go ahead once the steps are done. Still owed: Approve the exceptional circumstances."))
            #expect(try await officer.get(page).text.contains("Not recorded.") == false, "a message is shown once")
            #expect(try await service.count("audit_records WHERE action = 'denial' AND object = 'encounter/\(encounter)' AND outcome = 'denied'") == 1,
                    "the refusal is recorded once")

            var supervisor = PageBrowser(service: service)
            _ = try await supervisor.signIn("supervisor-nyc", purpose: "law-enforcement")
            #expect(try await supervisor.get(page).text.contains(#"id="record-exceptional-circumstances-approval""#))
            let form = ["step": "exceptional-circumstances-approval", "summary": "A documented threat to public safety.", "counterpart": "FOD New York"]
            #expect(try await supervisor.post(page + "/steps", form: form, csrf: false).status == .forbidden)
            let approved = try await supervisor.post(page + "/steps", form: form)
            #expect(approved.status == .seeOther)
            #expect(try await supervisor.get(page).text.contains("Recorded: Approve the exceptional circumstances."), "a success banner")

            _ = try await officer.get(page)
            let recorded = try await officer.post(page + "/action", form: [:])
            #expect(recorded.status == .seeOther)
            let closed = try await officer.get(page)
            #expect(closed.text.contains("The arrest is recorded.") && closed.text.contains(#"<span class="tag">action recorded</span>"#))
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 1)
        }
    }

    @Test func aSupervisorsQueueAndAnAuditorsSearchAndVerification() async throws {
        try await TestService.with { service in
            let encounter = try await service.openApprovalCase()

            var supervisor = PageBrowser(service: service)
            _ = try await supervisor.signIn("supervisor-nyc")
            let home = try await supervisor.get("/")
            #expect(home.text.contains("Approvals and verifications owed") && home.text.contains("Approve the exceptional circumstances"))
            #expect(home.text.contains(#"<a href="/encounters/\#(encounter)">Ana Doe</a>"#), "a list names the person")
            #expect(try await service.count("audit_records WHERE username = 'supervisor-nyc' AND object = 'encounter/\(encounter)' AND action = 'read'") == 1,
                    "each encounter shown is a read recorded, once though listed twice (the queue and the open encounters)")
            // The lists filter by decision and action: none of this arrest is "do not take".
            let refrain = try await supervisor.get("/?decision=refrain")
            #expect(refrain.text.contains("No open encounter you may read matches the filters.") && refrain.text.contains(#"<option value="refrain" selected>"#)
                    && refrain.text.contains(#"<a href="/">Show all</a>"#))
            #expect(try await supervisor.get("/?decision=proceed-after-steps&action=arrest").text.contains(#"<a href="/encounters/\#(encounter)">Ana Doe</a>"#))
            #expect(try await supervisor.get("/?decision=maybe").status == .badRequest)
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc")
            #expect((try await officer.get("/")).text.contains("Nothing is owed by your role now."), "nothing owed that an officer records")
            #expect(try await officer.get("/audit").status == .forbidden)

            var auditor = PageBrowser(service: service)
            _ = try await auditor.signIn("auditor-nyc")
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let search = try await auditor.get("/audit?object=encounter/\(encounter)")
            #expect(search.status == .ok && search.text.contains(#"<td data-label="Record">encounter/\#(encounter)</td>"#))
            #expect(!search.text.contains("Doe") && !search.text.contains("EAC2290012345"))
            let unread = try await auditor.get("/audit?from=yesterday")
            #expect(unread.status == .ok && unread.text.contains("From: &#39;yesterday&#39; is not a date (YYYY-MM-DD): the search runs without it."),
                    "a date that cannot be read is said, not ignored")
            for _ in 0..<12 { _ = try await auditor.get("/audit?username=nobody") }  // each search is itself recorded
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let all = try await auditor.get("/audit")
            let match = try #require(all.text.firstMatch(of: /<p>(\d+) records match, newest first.<\/p>/))
            let total = try #require(Int(match.1))
            #expect(total > 25 && all.text.contains(#"<a href="/audit?page=2">Next</a>"#), "the log pages on (\(total) records)")
            let second = try await auditor.get("/audit?page=2")
            #expect(second.text.contains(#"<a href="/audit?page=2" aria-current="page">2</a>"#) && second.text.contains("26 to "))
            #expect(try await auditor.get("/audit?page=0").status == .badRequest)
            let verified = try await auditor.post("/audit/verify", form: [:])
            #expect(verified.status == .ok && verified.text.contains("The audit chain verifies:"))
            #expect(try await auditor.post("/audit/verify", form: [:], csrf: false).status == .forbidden)
        }
    }

    @Test func oneCaseIsComparedOnTwoDatesFromAForm() async throws {
        try await TestService.with { service in
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc")
            // Unsent, the form holds the sample: a verified U petitioner arrested, 2021 against 2025.
            let sample = try await officer.get("/policies/compare")
            #expect(sample.status == .ok && sample.text.contains("Newly in force: ICE interim guidance of 30 January 2025"))
            #expect(sample.text.contains(#"<option value="U" selected>"#) && sample.text.contains(#"id="filingVerified" name="filingVerified" value="yes" checked"#))
            #expect(!sample.text.contains("textarea"), "no JSON to type")
            // No filing, exceptional circumstances: in 2023 (11005.3) steps are owed; in 2025 the guidance governs.
            let stated = try await officer.get("/policies/compare?first=2023-05-01&second=2025-03-01&action=arrest&filingType=none&facts%5B%5D=exceptionalCircumstances")
            #expect(stated.status == .ok && stated.text.contains("On 2023-05-01") && stated.text.contains("On 2025-03-01"))
            #expect(stated.text.contains(#"id="fact-exceptionalCircumstances" name="facts[]" value="exceptionalCircumstances" checked"#))
            #expect(stated.text.contains(#"<option value="none" selected>"#))
            let unread = try await officer.get("/policies/compare?first=someday&second=2025-03-01&action=arrest&filingType=U&facts%5B%5D=nonsense")
            #expect(unread.status == .ok && unread.text.contains("First date: &#39;someday&#39; is not a date (YYYY-MM-DD)"))
            #expect(unread.text.contains("Filing: choose its kind, whether principal or derivative, and its status") && unread.text.contains("Facts: one ticked is not a fact"))
            #expect(!unread.text.contains("What changes"), "nothing decided from a form that could not be read")
        }
    }

    @Test func thePolicyTimelineShowsEveryVersionAndRuleWithItsCitation() async throws {
        try await TestService.with { service in
            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            let page = try await analyst.get("/policies")
            #expect(page.status == .ok)
            for document in TestService.ruleSet.documents {
                #expect(page.text.contains(document.id), "\(document.id)")
                #expect(page.text.contains(##"<a href="#\##(document.id)">"##), "the contents link to \(document.id)")
                for rule in document.rules { #expect(page.text.contains("<dd><code>\(rule.id)</code>"), "\(rule.id)") }
            }
            #expect(page.text.components(separatedBy: "<details>").count - 1 == TestService.ruleSet.documents.map(\.rules.count).reduce(0, +),
                    "each rule's details collapsed")
            #expect(page.text.contains("absent exceptional circumstances ICE will refrain"))
            #expect(try await service.send(.GET, "/policies").status == .seeOther)
        }
    }

    @Test func theAnalystsDashboardChartsDecisionsByMonthWithThePolicyChangesMarked() async throws {
        try await TestService.with { service in
            for asOf in Array(repeating: "2024-12-10", count: 7) + Array(repeating: "2025-02-10", count: 6) + ["2025-03-01"] {
                _ = try await service.openEncounter(try await service.createPerson(), asOf: asOf)
            }
            for _ in 0..<5 {
                _ = try await service.openEncounter(try await service.createPerson(), asOf: "2025-02-11", extra: #", "lawEnforcementInterest": true"#)
            }
            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            let page = try await analyst.get("/dashboard")
            #expect(page.status == .ok)
            #expect(page.text.contains("<title>2024-12, ICE Directive 11005.3 (2021), May go ahead: 7</title>"))
            #expect(page.text.contains("<title>2025-02, ICE interim guidance of 30 January 2025, May go ahead: 6</title>"))
            // The smallest group charted beside March's one is left out too (complementary suppression).
            #expect(!page.text.contains("May go ahead once the steps are done: 5</title>"))
            #expect(page.text.contains(#"<tr><td data-label="Office">NYC</td><td data-label="Step owed">Deconflict with law enforcement</td><td data-label="Open encounters">5</td></tr>"#), "steps outstanding by office")
            #expect(page.text.contains("<title>ICE interim guidance of 30 January 2025 took effect on 2025-01-30</title>"))
            // Beside the chart, the same figures as a table and in sentences.
            #expect(page.text.contains(#"<tr><td data-label="Month">2025-02</td><td data-label="Governing policy">ICE interim guidance of 30 January 2025</td><td data-label="May go ahead">6</td>"#))
            #expect(page.text.contains("Under ICE interim guidance of 30 January 2025, in force from 2025-01-30: "))
            // One encounter in March: too few to chart.
            #expect(!page.text.contains("2025-03"))
            #expect(page.text.contains("None has finished yet."))
            let admin = try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: service.app.db).actor)
            service.clock.set(toNoonOf: "2025-06-01")
            _ = try await Reevaluator(workflow: service.app.safeguard.workflow).run(resume: false, by: admin, on: service.app.db)
            // Months on, the analyst's session has ended: a new one.
            _ = try await analyst.signIn("analyst-nyc")
            #expect(try await analyst.get("/dashboard").text.contains("Re-evaluation of 19 open encounters as of 2025-06-01"))
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc")
            #expect(try await officer.get("/dashboard").status == .forbidden)
        }
    }

    @Test func theChartSplitsMonthsByGoverningPolicyAndMarksWhereEachTookEffect() throws {
        let cells = [("2024-12", "ice-directive-11005.3"), ("2025-01", "ice-directive-11005.3"), ("2025-01", "ice-interim-guidance-2025"),
                     ("2025-02", "ice-interim-guidance-2025")].map {
            CaseStatistics.Cell(group: ["month": $0.0, "policy": $0.1, "disposition": "proceed"], count: 5)
        } + [CaseStatistics.Cell(group: ["month": "2025-02", "policy": "ice-interim-guidance-2025", "disposition": "refrain"], count: 6)]
        let chart = DecisionChart(cells, documents: TestService.ruleSet.documents)
        let svg = chart.svg
        #expect(svg.contains("<title>ICE interim guidance of 30 January 2025 took effect on 2025-01-30</title>") && svg.contains(">2025-01-30</text>"))
        #expect(!svg.contains("took effect on 2021-08-10"), "before the first month charted")
        #expect(svg.contains("<title>2025-01 governed by ICE Directive 11005.3 (2021)</title>")
                && svg.contains("<title>2025-01 governed by ICE interim guidance of 30 January 2025</title>"),
                "January 2025 is split between the directive and the guidance that rescinded it")
        // Five segments in four bars, four policy bands, two legend keys.
        #expect(svg.components(separatedBy: "<rect").count - 1 == 5 + 4 + 2)
        // The line of the guidance stands in the gap before its own bar, the third.
        let slot = (DecisionChart.width - DecisionChart.left - DecisionChart.right) / 4
        #expect(svg.contains(#"<line x1="\#(DecisionChart.format(DecisionChart.left + 2 * slot))""#))
        // A scale from 0 to 15 in steps of 5, each bar's total above it, each month under its bars once.
        for value in [0, 5, 10, 15] { #expect(svg.contains(#"text-anchor="end" dominant-baseline="middle">\#(value)</text>"#), "scale \(value)") }
        #expect(!svg.contains(#"dominant-baseline="middle">20</text>"#))
        #expect(svg.components(separatedBy: #"text-anchor="middle">5</text>"#).count - 1 == 3 && svg.contains(#"text-anchor="middle">11</text>"#))
        #expect(svg.components(separatedBy: #"font-size="13" text-anchor="middle">2025-01</text>"#).count - 1 == 1)
        // The same figures in a table and in sentences.
        #expect(chart.rows.map(\.total) == [5, 5, 5, 11] && chart.rows.last?.refrain == "6" && chart.rows.last?.proceedAfterSteps == "–",
                "a group not shown is a dash, never a zero")
        #expect(chart.summary == [
            "From 2024-12 to 2025-02: 26 current decisions in the groups shown (a group of fewer than 5 is left out).",
            "Under ICE Directive 11005.3 (2021), in force from 2021-08-10: 10 decisions — may go ahead: 10.",
            "Under ICE interim guidance of 30 January 2025, in force from 2025-01-30: 16 decisions — may go ahead: 10; do not take this action: 6.",
        ])
        #expect(DecisionChart.scaleStep(1) == 1 && DecisionChart.scaleStep(7) == 2 && DecisionChart.scaleStep(100) == 20 && DecisionChart.scaleStep(26) == 10)
        #expect(DecisionChart([], documents: TestService.ruleSet.documents).summary == ["No decisions in groups large enough to show."])
    }
}
