import Foundation
@testable import SafeguardCore
@testable import SafeguardServer
import Testing

/// A claimed filing verified at its source over real HTTP (the stand-in for USCIS's Case Status
/// API): the answer, not an officer's word, makes the filing known, not found or contradicted,
/// and the encounter is decided again.
@Suite struct FilingVerificationTests {
    private static let received = "EAC2390000001", unknown = "EAC9999999999"

    /// A service whose filing-status source is a simulator listening for the duration of `body`.
    private static func withService(refreshesFilings: Bool = false, _ change: (inout USCISCaseStatusClient.Settings) -> Void = { _ in },
                                    _ body: (TestService, CaseStatusSimulator, USCISCaseStatusClient.Settings) async throws -> Void) async throws {
        let simulator = try CaseStatusSimulator()
        var settings = USCISCaseStatusClient.Settings(baseURL: try await simulator.start(), clientID: simulator.clientID, clientSecret: simulator.clientSecret)
        change(&settings)
        do {
            try await TestService.with(filingSource: settings, refreshesFilings: refreshesFilings) { try await body($0, simulator, settings) }
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    /// A person with a claimed filing and an arrest encounter on them; the ids.
    private static func claim(_ service: TestService, type: String = "U", receipt: String, extra: String = "") async throws -> (person: String, filing: String, encounter: String) {
        let person = try await service.createPerson()
        let filing = try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@NYC",
                                            json: #"{"type": "\#(type)", "role": "principal", "status": "pending", "receiptNumber": "\#(receipt)"}"#)
        #expect(filing.status == .created, "\(filing.text)")
        let encounter = try await service.openEncounter(person, asOf: service.app.safeguard.workflow.calendar.today.description, extra: extra).decode(EncounterView.self)
        return (person, try filing.decode(FilingView.self).id.uuidString, encounter.id.uuidString)
    }

    private static func verify(_ service: TestService, _ ids: (person: String, filing: String, encounter: String),
                               as user: String = "officer@NYC", headers: [(String, String)] = TestService.lawEnforcement) async throws -> Reply {
        try await service.send(.POST, "/api/v1/encounters/\(ids.encounter)/filings/\(ids.filing)/verification", as: user, headers: headers)
    }

    private static func filing(_ service: TestService, _ ids: (person: String, filing: String, encounter: String)) async throws -> FilingView {
        let filings = try await service.send(.GET, "/api/v1/people/\(ids.person)/filings", as: "officer@NYC", headers: TestService.lawEnforcement)
        return try #require(try filings.decode([FilingView].self).first { $0.id.uuidString == ids.filing })
    }

    @Test func aUClaimVerifiedFromTheSourceIsKnownAndTheEncounterDecidedAgain() async throws {
        try await Self.withService { service, _, _ in
            let ids = try await Self.claim(service, receipt: Self.received)
            let before = try await service.send(.GET, "/api/v1/encounters/\(ids.encounter)", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(before.text.contains("benefit-verification"), "an unverified claim owes a verification")
            let verified = try await Self.verify(service, ids)
            #expect(verified.status == .created, "\(verified.text)")
            let step = try verified.decode(StepView.self)
            #expect(step.outcome == "confirmed" && step.counterpart == "USCIS Case Status" && step.summary.contains("I-918, Case Was Received"))
            let filing = try await Self.filing(service, ids)
            #expect(filing.verified == true && filing.verificationSource == "USCIS Case Status" && filing.status == "pending")
            #expect(filing.verificationAnswer?.contains("Petition for U Nonimmigrant Status") == true, "the answer it rests on is kept")
            let after = try await service.send(.GET, "/api/v1/encounters/\(ids.encounter)", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(!after.text.contains(#""requiredSteps":["benefit-verification""#) && after.text != before.text, "decided again: \(after.text.prefix(300))")
            #expect(try await Self.verify(service, ids).status == .conflict, "a claim is answered once")
        }
    }

    @Test func aReceiptNotFoundOrAnotherFormEndsAsTheSourceSays() async throws {
        try await Self.withService { service, simulator, _ in
            let missing = try await Self.claim(service, receipt: Self.unknown)
            #expect(try await Self.verify(service, missing).decode(StepView.self).outcome == "not-found")
            #expect(try await Self.filing(service, missing).verified == false)

            let vawa = try await Self.claim(service, type: "VAWA", receipt: Self.received)
            #expect(try await Self.verify(service, vawa).decode(StepView.self).outcome == "contradicted")
            let filing = try await Self.filing(service, vawa)
            #expect((filing.type, filing.status, filing.verified) == ("U", "pending", true), "known as the source gives it")

            // Claimed as the principal's petition, on record as a derivative's (the form says which).
            let derivative = "EAC2390000077"
            simulator.answer(derivative, formType: "I-918A", statusText: "Case Was Received")
            let principal = try await Self.claim(service, receipt: derivative)
            #expect(try await Self.verify(service, principal).decode(StepView.self).outcome == "contradicted")
            let asRecorded = try await Self.filing(service, principal)
            #expect((asRecorded.type, asRecorded.role, asRecorded.status) == ("U", "derivative", "pending"), "the role as the source gives it")
        }
    }

    @Test func onlyAnEntitledUserMakesTheSourceAnswer() async throws {
        try await Self.withService { service, simulator, _ in
            let ids = try await Self.claim(service, receipt: Self.received)
            #expect(try await Self.verify(service, ids, headers: []).status == .forbidden, "no purpose stated")
            #expect(try await Self.verify(service, ids, as: "auditor@NYC").status == .forbidden)
            #expect(try await Self.verify(service, ids, as: "officer@LAX").status == .notFound, "another office's encounter")
            #expect(simulator.calls == (token: 0, status: 0), "the source was not asked")

            // Another office, on an encounter of its own, confirms a claim; a receipt not found is
            // the keeping office's to record, and it is told so (not refused as reaching too far).
            let missing = try await Self.claim(service, receipt: Self.unknown)
            let today = service.app.safeguard.workflow.calendar.today.description
            let lax = try await service.openEncounter(missing.person, asOf: today, as: "officer@LAX").decode(EncounterView.self)
            let told = try await Self.verify(service, (missing.person, missing.filing, lax.id.uuidString), as: "officer@LAX")
            #expect(told.status == .conflict && told.text.contains("only the office that keeps the person's record (NYC) records that"), "\(told.text)")
            #expect(try await Self.filing(service, missing).verificationOutcome == nil)
        }
    }

    /// What the step would refuse is refused before the source is asked: its answers are counted.
    @Test func aClaimAlreadyAnsweredOrAFinalDenialDoesNotAskTheSource() async throws {
        try await Self.withService { service, simulator, _ in
            let ids = try await Self.claim(service, receipt: Self.received)
            #expect(try await Self.verify(service, ids).status == .created)
            let asked = simulator.calls.status
            #expect(try await Self.verify(service, ids).status == .conflict, "answered already")
            let final = try await service.send(.POST, "/api/v1/people/\(ids.person)/filings", as: "officer@NYC",
                                               json: #"{"type": "U", "role": "principal", "status": "denied-final", "receiptNumber": "\#(Self.unknown)"}"#)
            let finalID = try final.decode(FilingView.self).id.uuidString
            let refused = try await Self.verify(service, (ids.person, finalID, ids.encounter))
            #expect(refused.status == .conflict && refused.text.contains("verify it by hand"), "\(refused.text)")
            #expect(simulator.calls.status == asked, "the source was not asked again")
        }
    }

    @Test func filingsRefreshTurnsAnApprovalIntoAChangedDecision() async throws {
        try await Self.withService { service, simulator, settings in
            // The command asks about filings verified before the real time: verified yesterday at noon
            // (an encounter is opened for its clock's day), whatever the time of day.
            service.clock.advance(by: .seconds(-86_400))
            // Expediting a pending filing is in the agency's interest: an approved one has nothing to expedite.
            let ids = try await Self.claim(service, receipt: Self.received, extra: #", "expediteInAgencyInterest": true"#)
            #expect(try await Self.verify(service, ids).status == .created)
            func decision() async throws -> String {
                let encounter = try await service.send(.GET, "/api/v1/encounters/\(ids.encounter)", as: "officer@NYC", headers: TestService.lawEnforcement)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                return String(decoding: try encoder.encode(try #require(try encounter.decode(EncounterView.self).decision).decision), as: UTF8.self)
            }
            let pending = try await decision()
            #expect(pending.contains("expedited-adjudication-request"))
            let command = ["filings", "refresh", "--user", "supervisor-nyc", "--older-than-days", "0"]
            let unconfigured = try await service.runCommand(command)
            #expect(unconfigured.status == 2 && unconfigured.standardError.contains("no filing-status source is configured"), "\(unconfigured.standardError)")
            let refused = try await service.runCommand(command, environment: ["SAFEGUARD_USCIS_URL": settings.baseURL.absoluteString,
                                                                              "SAFEGUARD_USCIS_CLIENT_ID": settings.clientID, "SAFEGUARD_USCIS_CLIENT_SECRET": "wrong"])
            #expect(refused.status == 1 && refused.standardError.contains("stopped: the token endpoint answered 401"), "\(refused.standardError)")

            simulator.answer(Self.received, formType: "I-918", statusText: "Case Was Approved")
            let source = ["SAFEGUARD_USCIS_URL": settings.baseURL.absoluteString, "SAFEGUARD_USCIS_CLIENT_ID": settings.clientID,
                          "SAFEGUARD_USCIS_CLIENT_SECRET": settings.clientSecret]
            let refreshed = try await service.runCommand(command, environment: source)
            #expect(refreshed.status == 0 && refreshed.standardOutput.contains("1 known filings: 1 changed"), "\(refreshed.standardOutput) \(refreshed.standardError)")
            #expect(try await Self.filing(service, ids).status == "approved")
            let approved = try await decision()
            #expect(approved != pending && !approved.contains("expedited-adjudication-request"), "decided again on the approval: \(approved.prefix(400))")
            #expect(!refreshed.standardOutput.contains(Self.received) && !refreshed.standardError.contains(Self.received))
        }
    }

    /// A refresh asks about the longest unasked first: an answer it cannot settle does not hold
    /// the other filings back.
    @Test func anAnswerThatCannotBeSettledDoesNotHoldTheOthersBack() async throws {
        try await Self.withService { service, simulator, settings in
            // Both opened first: opening an encounter sets the test's clock to noon of its day.
            let unsettled = try await Self.claim(service, receipt: Self.received)
            let approvedT = try await Self.claim(service, type: "T", receipt: "VSC2290000002")
            #expect(try await Self.verify(service, unsettled).status == .created)
            let step = try await Self.verify(service, approvedT)
            #expect(try step.decode(StepView.self).outcome == "contradicted", "claimed pending, approved at the source")
            simulator.answer(Self.received, formType: "I-918", statusText: "Card Was Mailed To Me")
            simulator.answer("VSC2290000002", formType: "I-914", statusText: "Case Was Denied")
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let actor = try #require(try await service.app.safeguard.users.user(named: "supervisor-nyc", on: database).actor)
            let cutoff = service.clock.now.addingTimeInterval(5)
            service.clock.advance(by: .seconds(10))
            let source = USCISCaseStatusClient(settings: settings, clock: service.clock)
            let first = try await workflow.refreshKnownFilings(verifiedBefore: cutoff, limit: 1, through: source, by: actor, on: database)
            #expect((first.asked, first.unsettled) == (1, 1), "the oldest, answered in words not recognised: \(first)")
            let second = try await workflow.refreshKnownFilings(verifiedBefore: cutoff, limit: 1, through: source, by: actor, on: database)
            #expect((second.asked, second.changed) == (1, 1), "then the next: \(second)")
            let (denied, unchanged) = (try await Self.filing(service, approvedT).status, try await Self.filing(service, unsettled).status)
            #expect(denied == "denied" && unchanged == "pending")
        }
    }

    /// `serve` asks again once a day about the known filings verified more than 30 days ago.
    @Test func aServerAsksAgainAboutFilingsVerifiedLongAgo() async throws {
        try await Self.withService(refreshesFilings: true) { service, simulator, _ in
            let ids = try await Self.claim(service, receipt: Self.received)
            #expect(try await Self.verify(service, ids).status == .created)
            simulator.answer(Self.received, formType: "I-918", statusText: "Case Was Approved")
            // The server asked at boot, before the verification, and sleeps a day on the clock.
            service.clock.advance(by: .seconds(31 * 86_400))
            var waited = 0
            while try await Self.filing(service, ids).status != "approved", waited < 2_000 {
                try await Task.sleep(for: .milliseconds(5))
                waited += 1
            }
            #expect(try await Self.filing(service, ids).status == "approved", "asked again a month on")
        }
    }

    @Test func noAnswerLeavesTheFilingUnverified() async throws {
        try await Self.withService({ $0.maximumRetries = 0 }) { service, _, _ in
            let ids = try await Self.claim(service, receipt: CaseStatusSimulator.malformedReceipt)
            let reply = try await Self.verify(service, ids)
            #expect(reply.status == .badGateway && !reply.text.contains(CaseStatusSimulator.malformedReceipt), "\(reply.text)")
            #expect(try await Self.filing(service, ids).verified == false)
        }
        try await TestService.with { service in
            let ids = try await Self.claim(service, receipt: Self.received)
            #expect(try await Self.verify(service, ids).status == .serviceUnavailable, "no source configured")
        }
    }

    @Test func anOfficerVerifiesWithUSCISFromTheEncounterPage() async throws {
        try await Self.withService { service, _, _ in
            let ids = try await Self.claim(service, receipt: Self.received)
            let presence = try await service.send(.POST, "/api/v1/people/\(ids.person)/filings", as: "officer@NYC",
                                                  json: #"{"type": "CP", "role": "principal", "status": "approved", "receiptNumber": "\#(Self.unknown)"}"#)
            let presenceID = try presence.decode(FilingView.self).id.uuidString
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let page = try await officer.get("/encounters/\(ids.encounter)")
            let form = try #require(page.text.range(of: #"(?s)<h3>Ask USCIS Case Status</h3>.*?</form>"#, options: .regularExpression).map { String(page.text[$0]) })
            #expect(form.contains(#"<option value="\#(ids.filing.uppercased())">"#) && form.contains("Verify with USCIS"))
            #expect(!form.contains(presenceID.uppercased()), "Continued Presence is not in USCIS's records: verified by hand only")
            #expect(page.text.contains(#"<option value="\#(presenceID.uppercased())">"#), "and offered to the form for a check by hand")

            let asked = try await officer.post("/encounters/\(ids.encounter)/verification-at-source", form: ["filing": ids.filing])
            #expect(asked.status == .seeOther && asked.headers.first(name: .location) == "/encounters/\(ids.encounter)", "\(asked.text)")
            let after = try await officer.get("/encounters/\(ids.encounter)")
            #expect(after.text.contains("Asked USCIS Case Status: the filing is on record as claimed and now counts as known."))
            #expect(after.text.contains("verified in the source&#39;s records</span> (answered by USCIS Case Status)"), "which way it was verified")
            #expect(!after.text.contains("<h3>Ask USCIS Case Status</h3>"), "no claim left that the source can answer")
            #expect(try await Self.filing(service, ids).verificationOutcome == "confirmed")
            let again = try await officer.post("/encounters/\(ids.encounter)/verification-at-source", form: ["filing": ids.filing])
            #expect(again.status == .seeOther)
            #expect(try await officer.get("/encounters/\(ids.encounter)").text.contains("Not recorded: this filing cannot be verified with USCIS from here now."), "a claim is answered once")

            // A user not entitled to filings is refused before the source is asked, with the error page.
            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            _ = try await analyst.get("/encounters/\(ids.encounter)")
            let refused = try await analyst.post("/encounters/\(ids.encounter)/verification-at-source", form: ["filing": presenceID])
            #expect(refused.status == .forbidden)
        }
    }

    @Test func noAnswerOnThePageSaysSoAndLeadsBackToTheEncounter() async throws {
        try await Self.withService({ $0.maximumRetries = 0 }) { service, _, _ in
            let ids = try await Self.claim(service, receipt: CaseStatusSimulator.malformedReceipt)
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            _ = try await officer.get("/encounters/\(ids.encounter)")
            let reply = try await officer.post("/encounters/\(ids.encounter)/verification-at-source", form: ["filing": ids.filing])
            #expect(reply.status == .badGateway && reply.text.contains("<h1>No answer to record</h1>") && reply.text.contains("the filing stays unverified"))
            #expect(reply.text.contains(#"<a class="button" href="/encounters/\#(ids.encounter)">Back to the encounter</a>"#), "\(reply.text)")
            #expect(!reply.text.contains(CaseStatusSimulator.malformedReceipt))
            #expect(try await Self.filing(service, ids).verified == false)
        }
    }

    @Test func theSourceIsNotAskedAgainAtOnceAboutOneFiling() async throws {
        try await Self.withService({ $0.maximumRetries = 0 }) { service, simulator, _ in
            let ids = try await Self.claim(service, receipt: CaseStatusSimulator.malformedReceipt)
            #expect(try await Self.verify(service, ids).status == .badGateway)
            let asked = simulator.calls.status
            let again = try await Self.verify(service, ids)
            #expect(again.status == .tooManyRequests && again.headers.first(name: .retryAfter) == "60", "\(again.status) \(again.headers)")
            #expect(again.text.contains("the source was asked about this filing less than 60 s ago"), "\(again.text)")
            #expect(simulator.calls.status == asked, "the source was not asked again")
            service.clock.advance(by: .seconds(60))
            #expect(try await Self.verify(service, ids).status == .badGateway, "a minute later it is asked again")
            #expect(simulator.calls.status == asked + 1)
        }
    }

    @Test func aUserAsksTheSourceAtMostThirtyTimesAnHour() throws {
        let clock = TestClock()
        let allowance = SourceAskAllowance(clock: clock)
        let (officer, another) = (UUID(), UUID())
        for _ in 0..<30 {
            try allowance.take(filing: UUID(), by: officer)
            clock.advance(by: .seconds(60))
        }
        do {
            try allowance.take(filing: UUID(), by: officer)
            Issue.record("a 31st ask in the hour was taken")
        } catch WorkflowError.tooOften(let reason, let wait) {
            #expect(reason.contains("30 asks of the source in an hour") && abs(wait - 1800) < 0.001, "the first ask ages out after the hour: \(wait)")
        }
        try allowance.take(filing: UUID(), by: another)
        clock.advance(by: .seconds(1800))
        try allowance.take(filing: UUID(), by: officer)
        // The clock set back an hour: what was asked "later" counts for nothing, and waits stay within the limits.
        let filing = UUID()
        try allowance.take(filing: filing, by: another)
        clock.advance(by: .seconds(-3600))
        try allowance.take(filing: filing, by: another)
        for _ in 0..<29 { try allowance.take(filing: UUID(), by: officer) }
        do {
            try allowance.take(filing: filing, by: officer)
            Issue.record("the filing was asked about again at once")
        } catch WorkflowError.tooOften(_, let wait) {
            #expect(wait > 0 && wait <= 60, "\(wait)")
        }
    }
}
