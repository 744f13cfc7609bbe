import Foundation
@testable import SafeguardServer
import SafeguardCore
import Testing
import Vapor

/// 8 U.S.C. § 1367(a)(1) in the workflow: an adverse determination may not rest only on what the
/// abuser said, and the refusal cites the law.
@Suite struct SourceProhibitionTests {
    static let evidence = """
    , "information": [{"id": "abuser-statement", "source": "abuser", "adverse": true}, {"id": "police-report", "source": "independent", "adverse": true}]
    """

    @Test func anActionRestingOnlyOnTheAbusersWordIsRefused() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let opened = try await service.openEncounter(person, asOf: "2026-01-15", extra: Self.evidence, headers: TestService.lawEnforcement)
            let encounter = try opened.decode(EncounterView.self).id.uuidString
            #expect(try opened.decode(EncounterView.self).decision?.decision[path: "excludedInformation"] == .array([.string("abuser-statement")]))
            let path = "/api/v1/encounters/\(encounter)/enforcement-action"

            let refused = try await service.send(.POST, path, as: "officer@NYC", json: #"{"basis": ["abuser-statement"]}"#, headers: TestService.lawEnforcement)
            #expect(refused.status == .conflict)
            #expect(refused.headers.contentType?.description == "application/problem+json")
            #expect(try refused.problem.type == "tag:safeguard,2026:problem:source-prohibition")
            #expect(try refused.problem.citation == "8 U.S.C. § 1367(a)(1)")
            #expect(try refused.problem.excludedInformation == ["abuser-statement"])
            #expect(try refused.problem.detail.hasPrefix("8 U.S.C. § 1367(a)(1) bars an adverse determination"))
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 0)
            #expect(try await service.count("audit_records WHERE action = 'denial' AND object = 'encounter/\(encounter)'") == 1)

            let unknown = try await service.send(.POST, path, as: "officer@NYC", json: #"{"basis": ["diary"]}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(try unknown.problem.errors?.first?.path == "basis[0]")
            #expect(try await service.send(.POST, path, as: "officer@NYC", json: #"{"basis": ["police-report", "police-report"]}"#).status == .unprocessableEntity)

            // With independent evidence beside it, the action stands.
            let recorded = try await service.send(.POST, path, as: "officer@NYC", json: #"{"basis": ["abuser-statement", "police-report"]}"#)
            #expect(recorded.status == .ok, "\(recorded.text)")
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 1)
        }
    }

    @Test func anExceptionalCircumstancesApprovalRestingOnlyOnExcludedEvidenceIsRefused() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, asOf: "2023-05-01",
                                                                         extra: #", "exceptionalCircumstances": true"# + Self.evidence).decode(EncounterView.self).id.uuidString
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let steps = "/api/v1/encounters/\(encounter)/steps"
            let approval = #"{"step": "exceptional-circumstances-approval", "summary": "Threat to public safety.", "counterpart": "FOD New York", "basis": ["abuser-statement"]}"#
            let refused = try await service.send(.POST, steps, as: "supervisor@NYC", json: approval)
            #expect(refused.status == .conflict)
            #expect(try refused.problem.citation == "8 U.S.C. § 1367(a)(1)")
            #expect(try await service.count("step_records WHERE step = 'exceptional-circumstances-approval'") == 0)
            // A basis belongs to adverse steps only.
            let consultation = #"{"step": "law-enforcement-deconfliction", "summary": "s", "counterpart": "c", "basis": ["police-report"]}"#
            #expect(try await service.send(.POST, steps, as: "officer@NYC", json: consultation).status == .unprocessableEntity)
            let grounded = approval.replacingOccurrences(of: #"["abuser-statement"]"#, with: #"["police-report"]"#)
            let approved = try await service.send(.POST, steps, as: "supervisor@NYC", json: grounded, headers: TestService.lawEnforcement)
            #expect(approved.status == .created, "\(approved.text)")
            #expect(try approved.decode(StepView.self).basis == ["police-report"])
            // Without a purpose, the labels of the statements are withheld.
            let listed = try await service.send(.GET, steps, as: "supervisor@NYC")
            #expect(listed.text.contains(#""basis":["withheld under 8 U.S.C. § 1367"]"#) && !listed.text.contains("police-report"))
        }
    }
}
