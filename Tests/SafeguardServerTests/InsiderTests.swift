import Foundation
import PolicyEngine
import SafeguardCore
import SQLKit
@testable import SafeguardServer
import Testing
import Vapor

/// The attacks of an insider with a valid token, each refused where the rule lives (the core), on
/// SQLite and PostgreSQL.
@Suite struct InsiderTests {
    /// An encounter is about an action contemplated now: a known U applicant's encounter dated
    /// 2010 does not reach 2010's policies, and the gate decides as of today.
    @Test func aBackdatedEncounterIsRefusedAndTheGateDecidesAsOfToday() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            service.clock.set(toNoonOf: "2023-05-01")
            for day in ["2010-01-01", "1900-01-01", "2023-04-30"] {
                let backdated = try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC",
                                                       json: #"{"personId": "\#(person)", "action": "arrest", "asOf": "\#(day)"}"#)
                #expect(backdated.status == .unprocessableEntity)
                #expect(try backdated.problem.errors?.map(\.path) == ["asOf"], "\(backdated.text)")
            }
            let tooFar = try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC",
                                                json: #"{"personId": "\#(person)", "action": "arrest", "asOf": "2024-05-02"}"#)
            #expect(tooFar.status == .unprocessableEntity)
            #expect(try await service.count("encounters") == 0)

            // Planned for a day ahead: accepted, decided as of today (the victim-centered directive).
            let planned = try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC",
                                                 json: #"{"personId": "\#(person)", "action": "arrest", "asOf": "2024-05-01"}"#)
            #expect(planned.status == .created)
            let view = try planned.decode(EncounterView.self)
            #expect(view.asOf == "2024-05-01" && view.facts[path: "asOf"] == .string("2023-05-01"))
            #expect(try await service.verify(view.id.uuidString, filing: filing).status == .created)
            let refused = try await service.send(.POST, "/api/v1/encounters/\(view.id)/enforcement-action", as: "officer@NYC",
                                                 headers: TestService.lawEnforcement)
            #expect(refused.status == .conflict)
            #expect(try refused.problem.rules == ["ice-directive-11005.3/refrain-known-beneficiary"])

            // The same encounter once 2025's guidance is in force: the gate decides as of that day.
            service.clock.set(toNoonOf: "2025-06-01")
            let owed = try await service.send(.POST, "/api/v1/encounters/\(view.id)/enforcement-action", as: "officer@NYC",
                                              headers: TestService.lawEnforcement)
            #expect(try owed.problem.requiredSteps == ["opla-consultation"])
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 0)
        }
    }

    /// The stored decision of an open encounter is brought up to date when the policies in force
    /// change, by the server itself, with the clock moved and nobody calling a command.
    @Test func storedDecisionsFollowThePoliciesInForceAsDaysPass() async throws {
        try await TestService.with(refreshesDecisions: true) { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let before = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").decode(EncounterView.self)
            #expect(before.decision?.disposition == "refrain")
            // The server's refresher, its audit signer and its sequencer sleep on the clock (the
            // refresher until the next day of the real day it booted on); a year on, all wake,
            // work, and sleep again.
            await service.clock.waitForSleepers(3)
            service.clock.set(toNoonOf: CaseCalendar.yearAfter(CaseCalendar().today).description)
            await service.clock.waitForSleepers(3)
            // A year on, the test's tokens have expired: the stored decision read from the core.
            let after = try await service.app.safeguard.workflow.currentDecision(of: try #require(UUID(uuidString: encounter)), on: service.app.db)
            #expect(after?.disposition == "proceed-after-steps")
            #expect(try await service.count("reevaluation_runs WHERE started_by = 'safeguard' AND finished_at IS NOT NULL") == 1)
        }
    }

    /// Only the roles that work a case decide it again, and never once its action is recorded.
    @Test func readOnlyRolesDoNotDecideAndAClosedEncounterKeepsItsDecision() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-01-15").decode(EncounterView.self).id.uuidString
            for role in [Role.auditor, .analyst, .hotlineSpecialist, .oplaAttorney, .admin] {
                let refused = try await service.send(.POST, "/api/v1/encounters/\(encounter)/decisions", as: "\(role.rawValue)@NYC")
                #expect(refused.status == .forbidden, "\(role)")
            }
            #expect(try await service.count("decisions") == 1)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/decisions", as: "supervisor@NYC").status == .created)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .ok)
            let stored = try await service.count("decisions")
            let closed = try await service.send(.POST, "/api/v1/encounters/\(encounter)/decisions", as: "officer@NYC")
            #expect(closed.status == .conflict)
            #expect(try await service.count("decisions") == stored)
        }
    }

    /// A name that displays as something else (a right-to-left override), or a birth after today,
    /// is refused, creating or changing a person.
    @Test func namesThatDisguiseThemselvesAndBirthsAfterTodayAreRefused() async throws {
        try await TestService.with { service in
            let today = service.app.safeguard.workflow.calendar.today
            for (field, value) in [("givenName", "Ana\u{202E}seoD"), ("familyName", "Doe\u{2066}x"), ("country", "GT\u{0007}"), ("givenName", "An\u{200B}a"),
                                   ("dateOfBirth", today.nextDay.description)] {
                var members = ["aNumber": "\"A123456789\"", "givenName": "\"Ana\"", "familyName": "\"Doe\"", "dateOfBirth": "\"1990-04-02\"", "country": "\"GT\""]
                members[field] = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
                let body = "{" + members.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
                let refused = try await service.send(.POST, "/api/v1/people", as: "officer@NYC", json: body)
                #expect(refused.status == .unprocessableEntity, "\(field)")
                #expect(try refused.problem.errors?.map(\.path) == [field], "\(refused.text)")
            }
            #expect(try await service.count("people") == 0)
            let person = try await service.createPerson()
            let changed = try await service.send(.PATCH, "/api/v1/people/\(person)", as: "officer@NYC", json: #"{"familyName": "Do\#u{202E}e"}"#,
                                                 headers: [("If-Match", "\"1\"")])
            #expect(changed.status == .unprocessableEntity)
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC").decode(PersonView.self).familyName == "Doe")
        }
    }

    /// A verification answers for the one filing it names: a decoy filing checked instead leaves the
    /// claimed one owed, a filing added afterwards owes a check of its own, and a source that
    /// contradicts the claim replaces its type and status (never with a final denial).
    @Test func aDecoyFilingDoesNotAnswerForTheClaimedOne() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let vawa = try await service.addFiling(person, type: "VAWA")
            let encounter = try await service.openEncounter(person, asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            func owed() async throws -> [String]? {
                let reply = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC",
                                                   headers: TestService.lawEnforcement)
                return reply.status == .ok ? nil : try reply.problem.requiredSteps
            }
            #expect(try await owed() == ["benefit-verification"])
            let decoy = try await service.addFiling(person, type: "SIJ")
            #expect(try await service.verify(encounter, filing: decoy, outcome: "not-found").status == .created)
            #expect(try await owed() == ["benefit-verification"], "the VAWA claim is still unanswered")
            #expect(try await service.verify(encounter, filing: vawa, outcome: "not-found").status == .created)
            let late = try await service.addFiling(person, type: "T")
            #expect(try await owed() == ["benefit-verification"], "a filing added afterwards owes a check of its own")

            let final = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
            {"step": "benefit-verification", "summary": "s", "counterpart": "CLAIMS3", "filingId": "\(late)", "outcome": "contradicted", "sourceType": "U", "sourceStatus": "denied-final"}
            """, headers: TestService.lawEnforcement)
            #expect(try final.status == .unprocessableEntity && final.problem.errors?.map(\.path) == ["sourceStatus"])
            let contradicted = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
            {"step": "benefit-verification", "summary": "s", "counterpart": "CLAIMS3", "filingId": "\(late)", "outcome": "contradicted", "sourceType": "U", "sourceStatus": "pending"}
            """, headers: TestService.lawEnforcement)
            #expect(contradicted.status == .created)
            let filings = try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@NYC", headers: TestService.lawEnforcement)
                .decode([FilingView].self)
            let answered = try #require(filings.first { $0.id.uuidString == late })
            #expect(answered.type == "U" && answered.status == "pending" && answered.verified == true && answered.verificationOutcome == "contradicted")
            #expect(filings.filter { $0.verificationOutcome == "not-found" }.allSatisfy { $0.verified == false })
            #expect(try await owed() == ["opla-consultation"], "known as the source gives it: a live U petition")
            // A filing answered is not answered again: another check cannot drop a known filing.
            for outcome in ["not-found", "confirmed"] {
                let again = try await service.verify(encounter, filing: late, outcome: outcome, as: "supervisor@NYC")
                #expect(again.status == .conflict, "\(outcome): \(again.text)")
            }
            #expect(try await owed() == ["opla-consultation"])
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 0)
        }
    }

    /// Separation of duties (NIST SP 800-53 AC-5): a supervisor does not approve an encounter of
    /// their own opening, nor record the action they approved.
    @Test func whoOpensOrActsDoesNotApprove() async throws {
        try await TestService.with { service in
            let approval = #"{"step": "exceptional-circumstances-approval", "summary": "Public safety threat documented.", "counterpart": "FOD New York"}"#
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let own = try await service.openEncounter(person, asOf: "2023-05-01", extra: #", "exceptionalCircumstances": true"#, as: "supervisor@NYC")
                .decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(own, filing: filing, as: "supervisor@NYC").status == .created)
            let selfApproved = try await service.send(.POST, "/api/v1/encounters/\(own)/steps", as: "supervisor@NYC", json: approval)
            #expect(selfApproved.status == .forbidden, "\(selfApproved.text)")

            let encounter = try await service.openApprovalCase()
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "supervisor@NYC", json: approval).status == .created)
            let acted = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "supervisor@NYC")
            #expect(acted.status == .forbidden, "\(acted.text)")
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .ok)
        }
    }

    /// A step rests on the facts it was recorded on: an approval is owed again once the facts
    /// change or a filing of the person is added, and whoever asserted the exceptional
    /// circumstances (a supervisor who set them on an officer's encounter) does not approve them.
    @Test func aChangeOfFactsReopensTheStepsThatRestedOnThem() async throws {
        try await TestService.with { service in
            let approval = #"{"step": "exceptional-circumstances-approval", "summary": "Public safety threat documented.", "counterpart": "FOD New York"}"#
            let encounter = try await service.openApprovalCase()
            let read = { try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC", headers: TestService.lawEnforcement).decode(EncounterView.self) }
            let owed = { (view: EncounterView) in view.decision?.decision[path: "requiredSteps"] ?? .null }
            let approvalOwed = JSONValue.array([.string("exceptional-circumstances-approval")])
            #expect(try await owed(read()) == approvalOwed)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "supervisor@NYC", json: approval).status == .created)
            #expect(try await owed(read()) == .array([]))

            let version = try await read().version
            let changed = try await service.send(.PATCH, "/api/v1/encounters/\(encounter)", as: "officer@NYC", json: #"{"detained": true}"#,
                                                 headers: [("If-Match", "\"\(version)\"")])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await owed(read()) == approvalOwed, "the approval rested on other facts")
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .conflict)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "supervisor@NYC", json: approval).status == .created)
            #expect(try await owed(read()) == .array([]))
            let unchanged = try await service.send(.PATCH, "/api/v1/encounters/\(encounter)", as: "officer@NYC", json: #"{"detained": true}"#,
                                                   headers: [("If-Match", "\"\(try await read().version)\"")])
            let stillDone = try await owed(read())
            #expect(unchanged.status == .ok && stillDone == .array([]), "a change that changes nothing reopens nothing")

            let person = try await read().personId.uuidString
            _ = try await service.addFiling(person, type: "SIJ")
            guard case .array(let steps) = try await owed(read()) else { Issue.record("no steps owed"); return }
            #expect(steps.contains(.string("exceptional-circumstances-approval")), "a new filing changes the facts")

            // A supervisor who sets the exceptional circumstances on an officer's encounter does not approve them.
            let other = try await service.createPerson()
            let filing = try await service.addFiling(other)
            let opened = try await service.openEncounter(other, asOf: "2023-05-01").decode(EncounterView.self)
            #expect(try await service.verify(opened.id.uuidString, filing: filing).status == .created)
            let asserted = try await service.send(.PATCH, "/api/v1/encounters/\(opened.id)", as: "supervisor@NYC", json: #"{"exceptionalCircumstances": true}"#,
                                                  headers: [("If-Match", "\"\(opened.version + 1)\"")])
            #expect(asserted.status == .ok, "\(asserted.text)")
            let selfApproved = try await service.send(.POST, "/api/v1/encounters/\(opened.id)/steps", as: "supervisor@NYC", json: approval)
            #expect(selfApproved.status == .forbidden, "\(selfApproved.text)")
        }
    }

    /// A verification answers a claim for every encounter on the person: their other open
    /// encounters, this office's or another's, are decided again with it and the steps recorded
    /// on them reopened (a writer that read one before finds it changed).
    @Test func aVerificationReachesThePersonsOtherOpenEncounters() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let first = try await service.openEncounter(person, asOf: "2026-03-02").decode(EncounterView.self)
            let second = try await service.openEncounter(person, action: "detention", asOf: "2026-03-02").decode(EncounterView.self)
            let read = { (id: UUID) in try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC").decode(EncounterView.self) }
            let owed = { (view: EncounterView) in view.decision?.decision[path: "requiredSteps"] ?? .null }
            let verification = JSONValue.array([.string("benefit-verification")])
            #expect(try await owed(read(second.id)) == verification)
            let secondRead = try await read(second.id)

            #expect(try await service.verify(first.id.uuidString, filing: filing, outcome: "not-found").status == .created)
            let after = try await read(second.id)
            #expect(owed(after) != verification, "the claim answered on the first encounter is answered on the second: \(owed(after))")
            #expect(after.decision?.id != secondRead.decision?.id, "decided again and stored")
            let stale = try await service.send(.PATCH, "/api/v1/encounters/\(second.id)", as: "officer@NYC", json: #"{"detained": true}"#,
                                               headers: [("If-Match", "\"\(secondRead.version)\"")])
            #expect(stale.status == .preconditionFailed, "a writer that read it before finds it changed")

            // On its own encounter too, a verification reopens what rested on the bare claim.
            let thirdPerson = try await service.createPerson()
            let claimed = try await service.addFiling(thirdPerson)
            let third = try await service.openEncounter(thirdPerson, asOf: "2026-03-02").decode(EncounterView.self).id
            let consulted = try await service.send(.POST, "/api/v1/encounters/\(third)/steps", as: "opla-attorney@NYC", json: """
            {"step": "opla-consultation", "summary": "On the claim.", "counterpart": "OPLA New York", "advice": "no-legal-limitation"}
            """)
            #expect(consulted.status == .created)
            #expect(try await service.verify(third.uuidString, filing: claimed).status == .created)
            #expect(owed(try await read(third)) == .array([.string("opla-consultation")]), "the consultation rested on an unverified claim")
        }
    }

    /// "Arrest not recommended" does not open the gate: a consultation records OPLA's advice, and a
    /// legal limitation found keeps the consultation owed until OPLA, consulted again on facts that
    /// changed since, finds none (asking again on the same facts does not overturn it).
    @Test func aLegalLimitationFoundKeepsTheGateClosed() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            func consult(_ advice: String?) async throws -> HTTPStatus {
                try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "opla-attorney@NYC", json: """
                {"step": "opla-consultation", "summary": "Reviewed the U petition.", "counterpart": "OPLA New York"\(advice.map { #", "advice": "\#($0)""# } ?? "")}
                """).status
            }
            func changeFacts(of encounter: String, detained: Bool = true) async throws {
                let version = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").decode(EncounterView.self).version
                let changed = try await service.send(.PATCH, "/api/v1/encounters/\(encounter)", as: "officer@NYC", json: #"{"detained": \#(detained)}"#,
                                                     headers: [("If-Match", "\"\(version)\"")])
                #expect(changed.status == .ok, "\(changed.text)")
            }
            #expect(try await consult(nil) == .unprocessableEntity)
            #expect(try await consult("legal-limitation") == .created)
            let refused = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try refused.status == .conflict && refused.problem.requiredSteps == ["opla-consultation"])
            #expect(try await consult("no-legal-limitation") == .created)
            let askedAgain = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try askedAgain.status == .conflict && askedAgain.problem.requiredSteps == ["opla-consultation"], "the same facts, asked again")
            try await changeFacts(of: encounter, detained: true)
            try await changeFacts(of: encounter, detained: false)
            #expect(try await consult("no-legal-limitation") == .created)
            let churned = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(churned.status == .conflict, "a fact changed and changed back: the same facts as the limitation's")
            try await changeFacts(of: encounter)
            #expect(try await consult("no-legal-limitation") == .created)
            let lifted = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(lifted.status == .ok, "\(lifted.text)")

            // Where no policy asks for OPLA (no filing), a limitation OPLA found still holds the action.
            let other = try await service.openEncounter(try await service.createPerson(), asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            let advised = try await service.send(.POST, "/api/v1/encounters/\(other)/steps", as: "opla-attorney@NYC", json: """
            {"step": "opla-consultation", "summary": "Arrest not recommended.", "counterpart": "OPLA New York", "advice": "legal-limitation"}
            """)
            #expect(advised.status == .created)
            let held = try await service.send(.POST, "/api/v1/encounters/\(other)/enforcement-action", as: "officer@NYC")
            #expect(try held.status == .conflict && held.problem.requiredSteps == ["opla-consultation"])
            try await changeFacts(of: other)
            let stillHeld = try await service.send(.POST, "/api/v1/encounters/\(other)/enforcement-action", as: "officer@NYC")
            #expect(stillHeld.status == .conflict, "a change of facts alone does not lift the limitation: OPLA is consulted again")
        }
    }

    /// § 1367(a)(1) without a basis: an action on a case whose only adverse information came from
    /// the abuser is refused until a basis names evidence from another source.
    @Test func anActionWithoutABasisOnOnlyExcludedEvidenceIsRefused() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-01-15", extra: #", "information": [{"id": "abuser-statement", "source": "abuser", "adverse": true}]"#)
                .decode(EncounterView.self).id.uuidString
            let refused = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(refused.status == .conflict)
            #expect(try refused.problem.type == "tag:safeguard,2026:problem:source-prohibition" && refused.problem.excludedInformation == ["abuser-statement"])
            let withheld = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try withheld.problem.excludedInformation == [Disclosure.marker], "which statements are excluded is withheld without a purpose")
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 0)

            let other = try await service.createPerson()
            let independent = try await service.openEncounter(other, asOf: "2026-01-15", extra: #", "information": [{"id": "abuser-statement", "source": "abuser", "adverse": true}, {"id": "police-report", "source": "independent", "adverse": true}]"#)
                .decode(EncounterView.self).id.uuidString
            #expect(try await service.send(.POST, "/api/v1/encounters/\(independent)/enforcement-action", as: "officer@NYC").status == .ok)
        }
    }

    /// API tokens end: a password's token after a working day, an issued one after its lifetime, and
    /// a revoked one at once; a system rotates by issuing the next and revoking all but the newest.
    @Test func tokensExpireAndRotateWithoutDowntime() async throws {
        try await TestService.with { service in
            let bought = try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "officer-nyc", "password": "correct horse battery"}"#)
            let body = try bought.decode(TokenController.TokenBody.self)
            #expect(abs(body.expiresAt.timeIntervalSince(service.clock.now) - 8 * 3600) < 5)
            func status(_ token: String) async throws -> HTTPStatus {
                try await service.send(.GET, "/api/v1/people", headers: [("Authorization", "Bearer \(token)")]).status
            }
            #expect(try await status(body.token) == .ok)
            service.clock.advance(by: .seconds(8 * 3600))
            #expect(try await status(body.token) == .unauthorized, "a working day later")

            let users = service.app.safeguard.users
            let old = try await users.issueToken(for: "integration-nyc", lifetime: .seconds(86_400), on: service.app.db).token
            service.clock.advance(by: .seconds(60))
            let next = try await users.issueToken(for: "integration-nyc", lifetime: .seconds(86_400), on: service.app.db).token
            // Both live (the feed may not list people, so a live token is refused, not unknown).
            #expect(try await status(old) == .forbidden)
            #expect(try await status(next) == .forbidden)
            #expect(try await users.revokeTokens(of: "integration-nyc", keepingNewest: true, on: service.app.db) >= 1)
            #expect(try await status(old) == .unauthorized, "the old one revoked")
            #expect(try await status(next) == .forbidden, "the newest still live")
            service.clock.advance(by: .seconds(86_400))
            #expect(try await status(next) == .unauthorized, "expired")
        }
    }

    /// A server takes a token it found live as live for a second (`RecentTokens`): one revoked by
    /// another process (the `users` command) stops working here within that second, and no token
    /// works past its expiry.
    @Test func aTokenRevokedElsewhereStopsWorkingWithinASecond() async throws {
        try await TestService.with { service in
            let database = service.app.db
            // The `users` command's directory: the server's own forgets its tokens when it revokes.
            let elsewhere = UserDirectory(hasher: service.app.safeguard.users.hasher, clock: service.clock)
            func status(_ token: String) async throws -> HTTPStatus {
                try await service.send(.GET, "/api/v1/people", headers: [("Authorization", "Bearer \(token)")]).status
            }
            let token = try await elsewhere.issueToken(for: "auditor-nyc", lifetime: .seconds(3600), on: database).token
            #expect(try await status(token) == .ok)
            #expect(try await elsewhere.revokeTokens(of: "auditor-nyc", keepingNewest: false, on: database) >= 1)
            #expect(try await status(token) == .ok, "found live a moment ago")
            service.clock.advance(by: .seconds(1))
            #expect(try await status(token) == .unauthorized, "a second later")

            let brief = try await elsewhere.issueToken(for: "officer-nyc", lifetime: .milliseconds(400), on: database).token
            #expect(try await status(brief) == .ok)
            service.clock.advance(by: .milliseconds(400))
            #expect(try await status(brief) == .unauthorized, "expired within the second")
        }
    }

    /// Five wrong passwords from a stranger's machine do not lock the officer out: failures are
    /// counted by username and source, and a machine spraying many accounts is held back too.
    @Test func aStrangerCannotLockAnOfficerOut() async throws {
        try await TestService.with { service in
            let (users, services) = (service.app.safeguard.users, service.app.safeguard)
            func signIn(_ username: String, _ password: String, from source: String) async throws -> SignInOutcome {
                try await users.signIn(username: username, password: password, source: source, throttle: services.loginThrottle, audit: services.audit,
                                       turns: services.writeTurns, on: service.app.db)
            }
            for _ in 0..<5 { _ = try await signIn("officer-nyc", "wrong password!", from: "203.0.113.9") }
            guard case .throttled = try await signIn("officer-nyc", "correct horse battery", from: "203.0.113.9") else {
                Issue.record("the stranger's machine is not held back"); return
            }
            guard case .signedIn = try await signIn("officer-nyc", "correct horse battery", from: "198.51.100.7") else {
                Issue.record("the officer is locked out by a stranger"); return
            }
            // One machine trying many accounts: held back after 20 failures, whatever the username.
            let sprayer = "192.0.2.66"
            for index in 0..<20 { _ = try await signIn(["auditor-nyc", "analyst-nyc", "admin-nyc", "supervisor-lax"][index % 4], "wrong password!", from: sprayer) }
            guard case .throttled = try await signIn("officer-lax", "wrong password!", from: sprayer) else { Issue.record("the sprayer is not held back"); return }
        }
    }

    /// A person is kept by the office that created the record. Another office finds the person
    /// only by an exact A-number (identity, no § 1367 data), never changes who they are, and while
    /// an encounter of its own on the person is open reads the filings, adds a claim and confirms
    /// one, but never takes one away; each read and refusal is recorded.
    @Test func anotherOfficeFindsAPersonOnlyByANumberAndChangesNothing() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson(aNumber: "A277000001")
            let claimed = try await service.addFiling(person)
            let purpose = TestService.lawEnforcement
            let listed = try await service.send(.GET, "/api/v1/people", as: "officer@LAX", headers: purpose)
            #expect(try listed.decode(PageBody<PersonView>.self).total == 0, "another office's people are never listed")
            for user in ["officer@LAX", "supervisor@LAX", "opla-attorney@LAX", "hotline-specialist@LAX"] {
                #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: user, headers: purpose).status == .notFound)
                #expect(try await service.send(.GET, "/api/v1/people/\(person)/filings", as: user, headers: purpose).status == .notFound, "\(user)")
            }
            let patch = #"{"familyName": "Changed"}"#
            #expect(try await service.send(.PATCH, "/api/v1/people/\(person)", as: "supervisor@LAX", json: patch, headers: [("If-Match", "\"1\"")]).status == .notFound)
            let filing = #"{"type": "SIJ", "role": "principal", "status": "pending"}"#
            #expect(try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@LAX", json: filing).status == .notFound)

            #expect(try await service.send(.GET, "/api/v1/people?aNumber=277000001", as: "officer@LAX").status == .unprocessableEntity)
            let found = try await service.send(.GET, "/api/v1/people?aNumber=A277000001", as: "officer@LAX")
            let identity = try #require(try found.decode(PageBody<PersonView>.self).items.first)
            #expect(identity.id.uuidString == person && identity.office == "NYC")
            #expect(!found.text.contains("EAC") && !found.text.contains("filing"), "identity only")

            let encounter = try await service.openEncounter(person, asOf: "2026-06-01", as: "officer@LAX").decode(EncounterView.self).id.uuidString
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@LAX").status == .ok)
            let filings = try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@LAX", headers: purpose)
            #expect(try filings.status == .ok && filings.decode([FilingView].self).map(\.type) == ["U"], "the filings its decision rests on")
            #expect(try await service.send(.PATCH, "/api/v1/people/\(person)", as: "supervisor@LAX", json: patch, headers: [("If-Match", "\"1\"")]).status == .forbidden)
            #expect(try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@LAX", json: filing).status == .created,
                    "a claim made at its encounter: it only adds protection")
            let notFound = try await service.verify(encounter, filing: claimed, outcome: "not-found", as: "officer@LAX")
            #expect(notFound.status == .forbidden, "another office does not take a claim away: \(notFound.text)")
            #expect(try await service.verify(encounter, filing: claimed, as: "officer@LAX").status == .created, "but confirms it")
            let duplicate = #"{"aNumber": "A277000001", "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"}"#
            #expect(try await service.send(.POST, "/api/v1/people", as: "officer@LAX", json: duplicate).status == .conflict)

            // Once no encounter of its own is open, the filings are the keeping office's again.
            try await (service.app.db as! any SQLDatabase).raw("UPDATE encounters SET status = 'action-recorded' WHERE office = 'LAX'").run()
            #expect(try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@LAX", headers: purpose).status == .forbidden)
            #expect(try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@LAX", json: filing).status == .forbidden)
            let closed = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@LAX", headers: purpose).decode(EncounterView.self)
            #expect(closed.facts[path: "subject.benefits"] == .string(Disclosure.marker), "a closed encounter keeps no window on the filings")
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").status == .notFound)

            let object = "person/\(person.uppercased())"
            #expect(try await service.count("audit_records WHERE office = 'LAX' AND action = 'denial' AND object = '\(object)'") >= 10,
                    "each refusal, 404s included, is recorded")
            #expect(try await service.count("audit_records WHERE office = 'LAX' AND action = 'read' AND object = 'a-number/A277000001'") == 2,
                    "the search, and the refused creation that tells the same")
            #expect(try await service.count("audit_records WHERE office = 'LAX' AND action = 'read' AND object = '\(object)'") == 2,
                    "the search's hit and the read by id")
        }
    }

    /// An operator gives a person's record to another office (the person moved, or a record kept by
    /// no office since the upgrade): the new office keeps it, the old one no longer reaches it, and
    /// the move is recorded about the person.
    @Test func anOperatorMovesAPersonToAnotherOffice() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@LAX").status == .notFound)
            let moved = try await service.runCommand(["people", "move", person, "--office", "LAX"])
            #expect(moved.status == 0 && moved.standardOutput.contains("is kept by LAX now (until now: NYC)"), "\(moved.standardOutput)\(moved.standardError)")
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@LAX").status == .ok)
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC").status == .notFound)
            #expect(try await service.count("audit_records WHERE role = 'operator' AND object = 'person/\(person)/kept-by/LAX/until-now/NYC' AND subject = '\(person)'") == 1)
            for (arguments, message) in [(["people", "move", person, "--office", "XYZ"], "office: 'XYZ' has no officer or supervisor who can sign in"),
                                         (["people", "move", person, "--office", "LAX"], "is already kept by LAX"),
                                         (["people", "move", "someone", "--office", "NYC"], "person: 'someone' is not a person's id"),
                                         (["people", "move", UUID().uuidString, "--office", "NYC"], "no person")] {
                let refused = try await service.runCommand(arguments)
                #expect(refused.status == 2 && refused.standardError.contains(message), "\(arguments): \(refused.standardError)")
            }
        }
    }

    /// What is withheld from a reader not entitled (role and purpose) does not tell who is
    /// protected: an encounter of a U petitioner and one of a person with no filing look alike,
    /// and the filings list is refused for both in the same words.
    @Test func withholdingLooksTheSameForEveryPerson() async throws {
        try await TestService.with { service in
            let protected = try await service.createPerson(), unprotected = try await service.createPerson()
            _ = try await service.addFiling(protected)
            var shapes: [String] = []
            for person in [protected, unprotected] {
                let id = try await service.openEncounter(person, asOf: "2026-06-01").decode(EncounterView.self).id.uuidString
                let read = try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC")
                let view = try read.decode(EncounterView.self)
                for path in ["subject.benefits", "subject.victimIndicia", "information"] {
                    #expect(view.facts[path: path] == .string(Disclosure.marker), "\(path) withheld")
                }
                shapes.append(read.text.replacingOccurrences(of: #""[0-9a-fA-F-]{36}""#, with: "ID", options: .regularExpression))
                let filings = try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@NYC")
                #expect(filings.status == .forbidden)
                shapes.append(try filings.problem.detail)
                #expect(try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "auditor@NYC").status == .forbidden)
            }
            #expect(shapes[1] == shapes[3], "the filings are refused alike")
            let keys = { (text: String) in Set(text.matches(of: /"([a-zA-Z]+)":/).map { String($0.1) }) }
            #expect(keys(shapes[0]) == keys(shapes[2]), "the two encounters have the same members")
        }
    }

    /// Places one voice call to a registrant whose PIN is 4321; returns the notification's id.
    static func voiceCall(_ service: TestService, detainee: String, gateway url: URL, event: String = "first", registering: Bool = true) async throws -> String {
        if registering {
            let registration = try await HotlineTests.register(service, detainee: detainee, channels: #"[{"kind": "voice", "address": "+15550003333"}]"#, pin: "4321")
            _ = try await HotlineTests.confirmAll(service, registration)
        }
        _ = try await HotlineTests.event(service, "feed-\(detainee)-\(event)", detainee: detainee, kind: "escaped")
        let worker = NotificationWorker(settings: DeliverySettings(gateways: [.voice: url.appendingPathComponent("voice")]),
                                        gateway: HTTPNotificationGateway(), turns: service.app.safeguard.writeTurns, clock: service.clock)
        #expect(try await worker.deliverDue(on: service.app.db) == 1)
        let sql = service.app.db as! any SQLDatabase
        return try #require(try await sql.raw("""
            SELECT n.id FROM notifications n JOIN registrations r ON r.id = n.registration_id JOIN custody_events e ON e.id = n.event_id \
            WHERE r.detainee_id = \(bind: detainee) AND e.feed_event_id = \(bind: "feed-\(detainee)-\(event)")
            """).first()?.decode(column: "id", as: UUID.self)).uuidString
    }

    /// Three wrong PINs lock the notice, raising an alert; every try after, the right PIN too, is
    /// refused; each wrong try is recorded though refused; a hotline specialist of the office
    /// unlocks it, recorded. The PIN is stored keyed, and one stored before, unkeyed, is keyed at start.
    @Test func aVoicePINIsNotGuessedOnANotice() async throws {
        try await TestService.with { service in
            let gateway = TestGateway()
            let url = try await gateway.start()
            let notification = try await Self.voiceCall(service, detainee: "A123456789", gateway: url)
            let confirmation = "/api/v1/notifications/\(notification)/confirmation"
            let denied = { try await service.count("audit_records WHERE object = 'notification/\(notification.uppercased())' AND outcome = 'denied'") }
            for pin in ["0000", "1111"] {
                #expect(try await service.send(.POST, confirmation, as: "integration@NYC", json: #"{"pin": "\#(pin)"}"#).status == .unprocessableEntity)
            }
            let third = try await service.send(.POST, confirmation, as: "integration@NYC", json: #"{"pin": "2222"}"#)
            #expect(third.status == .conflict && third.text.contains("locked"))
            #expect(try await denied() == 3, "each wrong PIN recorded, though refused")
            #expect(try await service.send(.POST, confirmation, as: "integration@NYC", json: #"{"pin": "4321"}"#).status == .conflict, "locked: the right PIN too")
            #expect(try await denied() == 4)
            let status = try await service.send(.GET, "/api/v1/delivery-status", as: "hotline-specialist@NYC").decode(DeliveryController.StatusBody.self)
            #expect(status.lockedNotices == 1 && !status.quiet)
            #expect(try await service.send(.GET, "/api/v1/delivery-status", as: "supervisor@NYC").decode(DeliveryController.StatusBody.self).lockedNotices == nil)

            let unlock = "/api/v1/notifications/\(notification)/unlock"
            #expect(try await service.send(.POST, unlock, as: "hotline-specialist@LAX").status == .notFound, "another office's notice")
            #expect(try await service.send(.POST, unlock, as: "officer@NYC").status == .forbidden)
            #expect(try await service.send(.POST, unlock, as: "hotline-specialist@NYC").status == .noContent)
            #expect(try await service.send(.POST, unlock, as: "hotline-specialist@NYC").status == .conflict, "not locked any more")
            #expect(try await service.count("audit_records WHERE object = 'notification/\(notification.uppercased())' AND role = 'hotline-specialist' AND outcome = 'success'") == 1)

            // The PIN as stored before it was keyed: the plain SHA-256 of 4321, keyed when the service starts.
            let sql = service.app.db as! any SQLDatabase
            let stored = try #require(try await sql.raw("SELECT voice_pin_hash FROM registrations").first()?.decode(column: "voice_pin_hash", as: String.self))
            #expect(stored.hasPrefix("hmac-sha256:") && !stored.contains(Self.sha256Of4321))
            try await sql.raw("UPDATE registrations SET voice_pin_hash = \(bind: Self.sha256Of4321)").run()
            #expect(try await VoicePIN(auditKey: service.app.safeguard.audit.key).rekeyUnkeyed(on: service.app.db) == 1)
            #expect(try await sql.raw("SELECT voice_pin_hash FROM registrations").first()?.decode(column: "voice_pin_hash", as: String.self) == stored)
            #expect(try await service.send(.POST, confirmation, as: "integration@NYC", json: #"{"pin": "4321"}"#).status == .noContent)
            try await gateway.stop()
        }
    }

    static let sha256Of4321 = "fe2592b42a727e977f055947385b709cc82b16b9a87f88c6abf3900d65d0cdc3"

    /// New notices are not new guesses: once a registration's PIN was tried wrong six times in a
    /// day, across its notices, its tries are held back (429), the right PIN's too, recorded;
    /// another registrant's notices are not; after the day the PIN may be tried again.
    @Test func aPINGuessedAcrossNoticesIsHeldBack() async throws {
        try await TestService.with { service in
            let gateway = TestGateway()
            let url = try await gateway.start()
            var notices: [String] = []
            for event in ["first", "second", "third"] {
                notices.append(try await Self.voiceCall(service, detainee: "A123456780", gateway: url, event: event, registering: event == "first"))
            }
            let other = try await Self.voiceCall(service, detainee: "A123456781", gateway: url)
            let confirm = { (notice: String, pin: String) in
                try await service.send(.POST, "/api/v1/notifications/\(notice)/confirmation", as: "integration@NYC", json: #"{"pin": "\#(pin)"}"#)
            }
            var answers: [HTTPStatus] = []
            for notice in notices.prefix(2) {
                for pin in ["0000", "1111", "2222"] { answers.append(try await confirm(notice, pin).status) }
            }
            #expect(!answers.contains(.tooManyRequests), "\(answers)")
            let held = try await confirm(notices[2], "4321")
            #expect(held.status == .tooManyRequests && Int(held.headers.first(name: .retryAfter) ?? "") != nil, "the right PIN too, while held back")
            #expect(try await service.count("audit_records WHERE object = 'notification/\(notices[2].uppercased())' AND outcome = 'denied'") == 1)
            #expect(try await confirm(other, "4321").status == .noContent, "another registrant's notice is not held back")
            service.clock.advance(by: .seconds(24 * 60 * 60))
            #expect(try await confirm(notices[2], "4321").status == .noContent)
            try await gateway.stop()
        }
    }

    /// A caller cannot grow the audit log faster than its allowance: past it, refusals are answered
    /// 429 and recorded once a minute, for that caller alone.
    @Test func refusalsBeyondACallersAllowanceAreRecordedOnce() async throws {
        try await TestService.with(refusalsPerMinute: 5) { service in
            let encounter = try await service.openEncounter(try await service.createPerson(), asOf: "2026-03-02").decode(EncounterView.self).id
            func denials() async throws -> Int { try await service.count("audit_records WHERE action = 'denial'") }
            let before = try await denials()
            var statuses: [UInt] = []
            for _ in 0..<8 { statuses.append(try await service.send(.GET, "/api/v1/encounters/\(encounter)").status.code) }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429])
            #expect(try await denials() == before + 6, "five refusals and the one going over")
            #expect(try await service.count("audit_records WHERE object = '\(RefusalAllowance.excessObject)'") == 1)
            let over = try await service.send(.GET, "/api/v1/people/\(UUID())")
            #expect(over.status == .tooManyRequests && Int(over.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)

            // Another caller has its own allowance; a signed-in caller's requests that are not refused are not counted.
            for _ in 0..<6 { #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").status == .ok) }
            for _ in 0..<5 { #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@LAX").status == .notFound) }
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@LAX").status == .tooManyRequests)
            // An IPv6 caller is its /64 network: new low bits make no new caller.
            #expect(RefusalAllowance.caller(address: "2001:db8:1:2:aaaa::1") == RefusalAllowance.caller(address: "2001:db8:1:2:bbbb:cccc:dddd:9"))
            #expect(RefusalAllowance.caller(address: "2001:db8:1:3::1") != RefusalAllowance.caller(address: "2001:db8:1:2::1"))

            // The gate's refusals count too.
            let person = try await service.createPerson()
            _ = try await service.addFiling(person)
            let owing = try await service.openEncounter(person, asOf: "2026-03-02").decode(EncounterView.self).id
            var gate: [UInt] = []
            for _ in 0..<7 { gate.append(try await service.send(.POST, "/api/v1/encounters/\(owing)/enforcement-action", as: "supervisor@NYC").status.code) }
            #expect(gate == [409, 409, 409, 409, 409, 429, 429])
            #expect(try await service.count("audit_records WHERE username = 'supervisor-nyc' AND action = 'denial'") == 6)

            service.clock.advance(by: .seconds(60))
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)").status == .unauthorized, "a new minute")
        }
    }

    /// A caller cannot grow the audit log faster than its requests: a refusal of a 60,000-character
    /// path writes one short record.
    @Test func whatARefusalRecordsIsBounded() async throws {
        try await TestService.with { service in
            let long = String(repeating: "x", count: 60_000)
            let sql = service.app.db as! any SQLDatabase
            let before = try await service.count("audit_records WHERE action = 'denial'")
            for path in ["/api/v1/encounters/\(long)", "/api/v1/people/\(long)/filings"] {
                #expect(try await service.send(.GET, path).status == .unauthorized)
            }
            #expect(try await service.count("audit_records WHERE action = 'denial'") == before + 2, "each refusal recorded")
            let longest = try await sql.raw("SELECT MAX(LENGTH(object)) AS n FROM audit_records").first()?.decode(column: "n", as: Int?.self)
            #expect((longest ?? 0) <= 64, "the longest object recorded: \(longest ?? 0) characters")
        }
    }
}
