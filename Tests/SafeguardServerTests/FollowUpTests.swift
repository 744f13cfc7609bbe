import Foundation
import SafeguardCore
import Testing
import Vapor

@Suite struct FollowUpTests {
    @Test func aFollowUpIsFiledOnlyWhenTheDecisionCallsForIt() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let filing = try await service.addFiling(person)
            let encounter = try await service.openEncounter(person, action: "detention", asOf: "2023-05-01",
                                                                         extra: #", "detained": true, "wishesToReport": true"#).decode(EncounterView.self).id.uuidString
            let expedite = #"{"kind": "expedited-adjudication-request", "recipient": "USCIS Vermont Service Center", "justification": "Detained applicant."}"#
            // Not yet known: the directive offers expedited adjudication only on a known pending filing.
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: expedite).status == .conflict)
            #expect(try await service.verify(encounter, filing: filing).status == .created)
            let filed = try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: expedite)
            #expect(filed.status == .created, "\(filed.text)")
            let referral = #"{"kind": "unreported-crime-referral", "recipient": "NYPD", "justification": "The victim wants to report the assault."}"#
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: referral).status == .created)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "analyst@NYC", json: referral).status == .forbidden)
            let parole = #"{"kind": "parole-request", "recipient": "USCIS", "justification": "Abroad."}"#
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: parole).status == .conflict)
            let bad = #"{"kind": "visa", "recipient": "", "justification": "x", "extra": 1}"#
            let refused = try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: bad)
            #expect(refused.status == .unprocessableEntity)
            let list = try await service.send(.GET, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC")
            #expect(list.text.components(separatedBy: "\"kind\"").count - 1 == 2)

            let id = try filed.decode(FollowUpView.self).id.uuidString
            let submitted = try await service.send(.PATCH, "/api/v1/follow-ups/\(id)", as: "officer@NYC", json: #"{"status": "submitted"}"#, headers: [("If-Match", "\"1\"")])
            #expect(submitted.status == .ok)
            #expect(try await service.send(.PATCH, "/api/v1/follow-ups/\(id)", as: "supervisor@NYC", json: #"{"status": "granted"}"#, headers: [("If-Match", "\"1\"")]).status == .preconditionFailed)
            #expect(try await service.send(.PATCH, "/api/v1/follow-ups/\(id)", as: "supervisor@NYC", json: #"{"status": "requested"}"#, headers: [("If-Match", "\"2\"")]).status == .conflict)
            #expect(try await service.send(.PATCH, "/api/v1/follow-ups/\(id)", as: "officer@LAX", json: #"{"status": "granted"}"#, headers: [("If-Match", "\"2\"")]).status == .notFound)
            #expect(try await service.send(.PATCH, "/api/v1/follow-ups/\(id)", as: "supervisor@NYC", json: #"{"status": "granted"}"#, headers: [("If-Match", "\"2\"")]).status == .ok)
        }
    }
}
