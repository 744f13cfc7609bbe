import Foundation
@testable import SafeguardServer
import SafeguardCore
import Testing
import Vapor

/// The gate: an enforcement action is recorded only when the policies in force, with the steps
/// completed, allow it; steps are recorded only by the roles entitled to them.
@Suite struct GateTests {
    @Test func underTheVictimCenteredDirectiveAKnownApplicantIsRefused() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let refused = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC",
                                                 headers: TestService.lawEnforcement)
            #expect(refused.status == .conflict)
            #expect(refused.headers.contentType?.description == "application/problem+json")
            #expect(try refused.problem.disposition == "refrain")
            #expect(try refused.problem.rules == ["ice-directive-11005.3/refrain-known-beneficiary"])
            // Without a stated purpose, the rule that tells of the filing is withheld; the disposition is not.
            let unstated = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try unstated.problem.disposition == "refrain")
            #expect(try unstated.problem.rules == ["withheld under 8 U.S.C. § 1367"])
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 0)
        }
    }

    @Test func under2025GuidanceOnlyAnOPLAAttorneyCompletesTheConsultation() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let owed = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC",
                                              headers: TestService.lawEnforcement)
            #expect(owed.status == .conflict)
            #expect(try owed.problem.disposition == "proceed-after-steps")
            #expect(try owed.problem.requiredSteps == ["opla-consultation"])
            #expect(try owed.problem.rules == ["ice-interim-guidance-2025/consult-opla"])
            let consultation = #"{"step": "opla-consultation", "summary": "No legal bar to arrest.", "counterpart": "J. Rivera, OPLA NYC", "advice": "no-legal-limitation"}"#
            for role in ["officer", "supervisor", "hotline-specialist", "analyst", "auditor", "admin"] {
                let forbidden = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "\(role)@NYC", json: consultation)
                #expect(forbidden.status == .forbidden, "\(role)")
            }
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "opla-attorney@NYC", json: consultation).status == .created)
            let version = try #require(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").headers.first(name: .eTag))
            let recorded = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC", headers: [("If-Match", version)])
            #expect(recorded.status == .ok, "\(recorded.text)")
            #expect(try recorded.decode(EncounterView.self).decision?.disposition == "proceed")
            let again = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(again.status == .conflict)
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 1)
        }
    }

    @Test func under11005Point2AKnownUPetitionerMayBeArrested() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2020-03-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "supervisor@NYC").status == .ok)
        }
    }

    @Test func underTheMortonMemoNoRemovalProceedingsAgainstAVictim() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, action: "initiate-removal-proceedings", asOf: "2015-06-01",
                                                            extra: #", "immediateVictimOrWitness": true"#)
            #expect(try encounter.decode(EncounterView.self).decision?.disposition == "refrain")
            let id = try encounter.decode(EncounterView.self).id.uuidString
            let refused = try await service.send(.POST, "/api/v1/encounters/\(id)/enforcement-action", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(try refused.problem.rules == ["ice-policy-10076.1/refrain-victim-witness-nta"])
            // Without a purpose, the rules that read protected facts stand as one marker, whether or not any did.
            let withheld = try await service.send(.POST, "/api/v1/encounters/\(id)/enforcement-action", as: "officer@NYC")
            #expect(try withheld.problem.rules == ["ice-policy-10076.1/refrain-victim-witness-nta", Disclosure.marker])
        }
    }

    @Test func aClaimThatVerificationDoesNotConfirmLeavesNothingOwed() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person, type: "T")
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
            let owed = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try owed.problem.requiredSteps == ["benefit-verification"])
            #expect(try await service.verify(encounter, filing: filing, as: "opla-attorney@NYC").status == .forbidden)
            #expect(try await service.verify(encounter, filing: filing, outcome: "not-found").status == .created)
            let filingAfter = try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(filingAfter.text.contains(#""verified":false"#))
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .ok)
        }
    }

    @Test func exceptionalCircumstancesAreApprovedBySupervisorsOnly() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person, type: "VAWA", status: "approved")
            let encounter = try await service.openEncounter(person, action: "detention", asOf: "2024-02-01",
                                                                         extra: #", "exceptionalCircumstances": true"#).decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let approval = #"{"step": "exceptional-circumstances-approval", "summary": "Public safety threat documented.", "counterpart": "FOD New York"}"#
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: approval).status == .forbidden)
            let owed = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try owed.problem.requiredSteps == ["exceptional-circumstances-approval"])
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "supervisor@NYC", json: approval).status == .created)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .ok)
        }
    }

    @Test func deconflictionIsRecordedByOfficersAndSupervisors() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-01-15", extra: #", "lawEnforcementInterest": true"#).decode(EncounterView.self).id.uuidString
            let step = #"{"step": "law-enforcement-deconfliction", "summary": "No conflict with the open case.", "counterpart": "HSI, SA Lee"}"#
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "analyst@NYC", json: step).status == .forbidden)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: step).status == .created)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .ok)
        }
    }

    @Test func onlyOfficersAndSupervisorsRecordActions() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-01-15").decode(EncounterView.self).id.uuidString
            for role in ["opla-attorney", "hotline-specialist", "analyst", "auditor", "admin"] {
                #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "\(role)@NYC").status == .forbidden, "\(role)")
            }
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@LAX").status == .notFound)
            let stale = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC", headers: [("If-Match", "\"99\"")])
            #expect(stale.status == .preconditionFailed)
        }
    }
}

@Suite struct EncounterUpdateTests {
    /// An officer learns of exceptional circumstances after opening: the facts change with
    /// If-Match, the encounter is decided again, and the gate asks for the approval.
    @Test func changedFactsAreDecidedAgain() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let opened = try await service.openEncounter(person, asOf: "2023-05-01")
            let id = try opened.decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(id, filing: filing).status == .created)
            let etag = try #require(try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC").headers.first(name: .eTag))
            let changed = try await service.send(.PATCH, "/api/v1/encounters/\(id)", as: "officer@NYC",
                                                 json: #"{"exceptionalCircumstances": true, "victimIndicia": ["self-report"]}"#, headers: [("If-Match", etag)])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.decode(EncounterView.self).decision?.disposition == "proceed-after-steps")
            #expect(try changed.decode(EncounterView.self).facts[path: "exceptionalCircumstances"] == .bool(true))
            let stale = try await service.send(.PATCH, "/api/v1/encounters/\(id)", as: "officer@NYC", json: #"{"detained": true}"#, headers: [("If-Match", etag)])
            #expect(stale.status == .preconditionFailed)
            let bad = try await service.send(.PATCH, "/api/v1/encounters/\(id)", as: "officer@NYC", json: #"{"detained": 1, "office": "LAX"}"#,
                                             headers: [("If-Match", changed.headers.first(name: .eTag) ?? "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await service.send(.PATCH, "/api/v1/encounters/\(id)", as: "analyst@NYC", json: "{}", headers: [("If-Match", etag)]).status == .forbidden)
            let refused = try await service.send(.POST, "/api/v1/encounters/\(id)/enforcement-action", as: "officer@NYC")
            #expect(try refused.problem.requiredSteps == ["exceptional-circumstances-approval"])
        }
    }
}

@Suite struct EntitlementTests {
    /// Every step, as every role: recorded by exactly the roles entitled to it.
    @Test func eachStepIsRecordedByExactlyItsRoles() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            let bodies = [
                "opla-consultation": #"{"step": "opla-consultation", "summary": "s", "counterpart": "c", "advice": "no-legal-limitation"}"#,
                "exceptional-circumstances-approval": #"{"step": "exceptional-circumstances-approval", "summary": "s", "counterpart": "c"}"#,
                "law-enforcement-deconfliction": #"{"step": "law-enforcement-deconfliction", "summary": "s", "counterpart": "c"}"#,
                "benefit-verification": #"{"step": "benefit-verification", "summary": "s", "counterpart": "c", "filingId": "FILING", "outcome": "not-found"}"#,
            ]
            let entitled: [String: Set<String>] = [
                "opla-consultation": ["opla-attorney"],
                "exceptional-circumstances-approval": ["supervisor"],
                "law-enforcement-deconfliction": ["officer", "supervisor"],
                "benefit-verification": ["officer", "supervisor"],
            ]
            for (step, body) in bodies {
                for role in ["officer", "supervisor", "opla-attorney", "hotline-specialist", "analyst", "auditor", "admin"] {
                    // A verification answers one unanswered claim: a claim of its own for each attempt.
                    let claim = step == "benefit-verification" ? try await service.addFiling(person) : filing
                    // Each role with the purpose it may state, if any (a verification reads the filings).
                    let purpose = Role(rawValue: role).flatMap { Disclosure.purposes[$0]?.first }.map { [(Request.purposeHeader, $0.rawValue)] } ?? []
                    let reply = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "\(role)@NYC",
                                                       json: body.replacingOccurrences(of: "FILING", with: claim), headers: purpose)
                    #expect(reply.status == (entitled[step]!.contains(role) ? .created : .forbidden), "\(role) recording \(step): \(reply.text)")
                }
            }
            let missingFiling = #"{"step": "benefit-verification", "summary": "s", "counterpart": "c"}"#
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: missingFiling,
                                           headers: TestService.lawEnforcement).status == .unprocessableEntity)
            // Without a purpose that entitles, an officer does not verify: the filings are § 1367 data.
            let unstated = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC",
                                                  json: bodies["benefit-verification"]!.replacingOccurrences(of: "FILING", with: try await service.addFiling(person)))
            #expect(unstated.status == .forbidden, "\(unstated.text)")
        }
    }
}
