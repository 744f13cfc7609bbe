import FluentSQLiteDriver
import Foundation
import SafeguardCore
import PolicyEngine
import Testing
@testable import SafeguardServer
import Vapor

/// The API's routes, their errors, and that bad input changes nothing stored.
@Suite struct APITests {
    @Test func healthAnswers() async throws {
        try await TestService.with { service in
            let reply = try await service.send(.GET, "/health")
            #expect(reply.status == .ok)
            let health = try reply.decode(HealthController.Health.self)
            #expect(health.status == "ok")
            #expect(health.ruleSetDigest == TestService.ruleSet.digest)
        }
    }

    @Test(.disabled(if: TestService.onPostgres, "SQLite only")) func theDatabaseIsWALWithFullSync() async throws {
        try await TestService.with { service in
            let sql = service.app.db as! any SQLDatabase
            let journal = try await sql.raw("PRAGMA journal_mode").first()
            let synchronous = try await sql.raw("PRAGMA synchronous").first()
            #expect(try journal?.decode(column: "journal_mode", as: String.self) == "wal")
            #expect(try synchronous?.decode(column: "synchronous", as: Int.self) == 2)
        }
    }

    /// The answer to an encounter opened is made from what was just stored, not read again: it is
    /// what a read of the encounter returns, to a writer entitled to the person's protected data
    /// and to one who stated no purpose, from whom they are withheld alike.
    @Test func theAnswerToAnEncounterOpenedIsWhatAReadOfItReturns() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            _ = try await service.addFiling(person)
            let facts = #", "victimIndicia": ["self-report"], "information": [{"id": "e1", "source": "abuser", "adverse": true}]"#
            for (headers, entitled) in [(TestService.lawEnforcement, true), ([], false)] {
                let opened = try await service.openEncounter(person, asOf: "2023-05-01", extra: facts, headers: headers)
                let id = try opened.decode(EncounterView.self).id.uuidString
                let read = try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC", headers: headers)
                #expect(read.status == .ok)
                let (answered, stored) = try (JSONSerialization.jsonObject(with: Data(opened.text.utf8)) as? NSDictionary,
                                              JSONSerialization.jsonObject(with: Data(read.text.utf8)) as? NSDictionary)
                #expect(answered != nil && answered == stored, "answered \(opened.text)\nread \(read.text)")
                #expect(opened.headers.first(name: .eTag) == read.headers.first(name: .eTag))
                #expect(opened.text.contains("self-report") == entitled && opened.text.contains(Disclosure.marker) != entitled)
            }
        }
    }

    @Test func decisionsSpeakTheContract() async throws {
        try await TestService.with { service in
            let reply = try await service.send(.POST, "/api/v1/decisions", json: """
            {"asOf": "2025-06-01", "action": "arrest", "subject": {"benefits": [{"type": "U", "role": "principal", "status": "pending", "verified": true}]}}
            """)
            #expect(reply.status == .ok)
            let decision = try reply.document
            #expect(decision[path: "disposition"] == .string("proceed-after-steps"))
            #expect(decision[path: "requiredSteps"] == .array([.string("opla-consultation")]))
            #expect(decision[path: "ruleSetDigest"] == .string(TestService.ruleSet.digest))
        }
    }

    @Test func badCasesGetProblemJSON() async throws {
        try await TestService.with { service in
            let invalid = try await service.send(.POST, "/api/v1/decisions", json: #"{"asOf": "2023-02-30", "action": "jail", "extra": null}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.headers.contentType?.description == "application/problem+json")
            let problem = try invalid.problem
            #expect(problem.status == 422)
            #expect(problem.title == "Unprocessable Entity")
            let paths = problem.errors?.map(\.path)
            #expect(paths == ["asOf", "action", "extra"])
            #expect(try await service.send(.POST, "/api/v1/decisions", json: #"{"asOf": "#).status == .badRequest)
            #expect(try await service.send(.POST, "/api/v1/decisions", json: "{}", contentType: "text/plain").status == .unsupportedMediaType)
            let huge = #"{"caseId": ""# + String(repeating: "x", count: 100_000) + #"", "asOf": "2020-01-01", "action": "arrest"}"#
            #expect(try await service.send(.POST, "/api/v1/decisions", json: huge).status == .payloadTooLarge)
            #expect(try await service.send(.GET, "/health").status == .ok)
        }
    }

    /// Every database connection busy for the whole wait is overload, not the caller's fault: a
    /// 503 the caller may retry, never a 500.
    @Test func noFreeConnectionIsBusyNotAnInternalError() async throws {
        try await TestService.with(addRoutes: { app in
            app.access(.anyone).get("api", "v1", "exhausted") { _ -> String in throw ConnectionPoolTimeoutError.connectionRequestTimeout }
            app.access(.anyone).get("exhausted") { _ -> String in throw ConnectionPoolTimeoutError.connectionRequestTimeout }
        }) { service in
            let page = try await service.send(.GET, "/exhausted")
            #expect(page.status == .serviceUnavailable && page.headers.first(name: .retryAfter) == "5" && page.headers.contentType == .html, "a page says so as a page")
            let reply = try await service.send(.GET, "/api/v1/exhausted")
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.headers.first(name: .retryAfter) == "5")
            #expect(try reply.problem.detail == "the service is busy; nothing was changed; try again shortly")
        }
    }

    @Test func recordsNeedABearerToken() async throws {
        try await TestService.with { service in
            let anonymous = try await service.send(.GET, "/api/v1/people")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers.first(name: .wwwAuthenticate) == "Bearer")
            let forged = try await service.send(.GET, "/api/v1/people", headers: [("Authorization", "Bearer sg_forged")])
            #expect(forged.status == .unauthorized)
        }
    }

    /// A case states at most 50 filings (the contract's schema): a person's facts stay one.
    @Test func aPersonHoldsAtMostFiftyFilings() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            for _ in 0..<CaseDecoder.maximumBenefits { _ = try await service.addFiling(person) }
            let refused = try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@NYC",
                                                 json: #"{"type": "T", "role": "principal", "status": "pending"}"#)
            #expect(refused.status == .conflict && refused.text.contains("at most 50 filings"), "\(refused.text)")
        }
    }

    @Test func aDisabledUsersTokenStopsWorking() async throws {
        try await TestService.with { service in
            #expect(try await service.send(.GET, "/api/v1/people", as: "auditor@NYC").status == .ok)
            try await service.app.safeguard.users.disable(username: "auditor-nyc", on: service.app.db)
            #expect(try await service.send(.GET, "/api/v1/people", as: "auditor@NYC").status == .unauthorized)
        }
    }

    @Test func peopleArePagedAndFiltered() async throws {
        try await TestService.with { service in
            for index in 0..<5 { _ = try await service.createPerson(aNumber: "A20000000\(index)") }
            let page = try await service.send(.GET, "/api/v1/people?page=2&per=2", as: "auditor@LAX")
            #expect(page.status == .ok)
            let people = try page.decode(PageBody<PersonView>.self)
            #expect(people.total == 5)
            #expect(people.items.count == 2)
            let one = try await service.send(.GET, "/api/v1/people?aNumber=A200000003", as: "auditor@LAX")
            #expect(try one.decode(PageBody<PersonView>.self).items.map(\.aNumber) == ["A200000003"])
            #expect(try await service.send(.GET, "/api/v1/people?per=1000", as: "auditor@LAX").status == .unprocessableEntity)
            #expect(try await service.send(.GET, "/api/v1/people/not-an-id", as: "auditor@LAX").status == .notFound)
            #expect(try await service.send(.GET, "/api/v1/people/\(UUID())", as: "auditor@LAX").status == .notFound)
        }
    }

    @Test func aStaleWriteIsRejected() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let read = try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC")
            let etag = try #require(read.headers.first(name: .eTag))
            #expect(etag == "\"1\"")
            let first = try await service.send(.PATCH, "/api/v1/people/\(person)", as: "officer@NYC", json: #"{"country": "SV"}"#, headers: [("If-Match", etag)])
            #expect(first.status == .ok)
            #expect(first.headers.first(name: .eTag) == "\"2\"")
            let second = try await service.send(.PATCH, "/api/v1/people/\(person)", as: "supervisor@NYC", json: #"{"country": "HN"}"#, headers: [("If-Match", etag)])
            #expect(second.status == .preconditionFailed)
            #expect(try second.problem.currentVersion == 2)
            #expect(try await service.send(.PATCH, "/api/v1/people/\(person)", as: "officer@NYC", json: #"{"country": "HN"}"#).status == .preconditionRequired)
            _ = try await service.createPerson(aNumber: "A555555555")
            let taken = try await service.send(.PATCH, "/api/v1/people/\(person)", as: "officer@NYC", json: #"{"aNumber": "A555555555"}"#, headers: [("If-Match", "\"2\"")])
            #expect(taken.status == .conflict, "\(taken.text)")
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC").decode(PersonView.self).country == "SV")
        }
    }

    @Test func badRecordsChangeNothing() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let before = (try await service.count("people"), try await service.count("encounters"), try await service.count("benefit_filings"))
            let badPerson = try await service.send(.POST, "/api/v1/people", as: "officer@NYC",
                                                   json: #"{"aNumber": "123", "givenName": 5, "familyName": "", "dateOfBirth": "1990-02-30", "country": "GT", "ssn": "x"}"#)
            #expect(badPerson.status == .unprocessableEntity)
            let paths = Set(try badPerson.problem.errors?.map(\.path) ?? [])
            #expect(paths == ["aNumber", "givenName", "familyName", "dateOfBirth", "ssn"])
            #expect(try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@NYC",
                                           json: #"{"type": "Q", "role": "principal", "status": "pending"}"#).status == .unprocessableEntity)
            #expect(try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC",
                                           json: #"{"personId": "\#(UUID())", "action": "arrest", "asOf": "2024-01-01"}"#).status == .unprocessableEntity)
            #expect(try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC",
                                           json: #"{"personId": "\#(person)", "action": "arrest", "asOf": "2024-01-01", "detained": "yes"}"#).status == .unprocessableEntity)
            #expect(try await service.send(.POST, "/api/v1/encounters", as: "officer@NYC", json: "[").status == .badRequest)
            #expect(try await service.send(.POST, "/api/v1/people", as: "analyst@NYC",
                                           json: #"{"aNumber": "A123456789", "givenName": "B", "familyName": "C", "dateOfBirth": "1990-01-01", "country": "MX"}"#).status == .forbidden)
            let after = (try await service.count("people"), try await service.count("encounters"), try await service.count("benefit_filings"))
            #expect(before == after)
        }
    }

    @Test func aDecisionIsStoredWithItsDigestAndSuperseded() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let opened = try await service.openEncounter(person, asOf: "2024-03-01", extra: #", "information": [{"id": "e1", "source": "abuser", "adverse": true}]"#,
                                                         headers: TestService.lawEnforcement)
            let view = try opened.decode(EncounterView.self)
            let id = view.id.uuidString
            #expect(view.decision?.ruleSetDigest == TestService.ruleSet.digest)
            #expect(view.decision?.decision[path: "excludedInformation"] == .array([.string("e1")]))
            guard case .array(let information)? = view.facts[path: "information"] else { Issue.record("no information: \(opened.text)"); return }
            #expect(information.count == 1)
            let again = try await service.send(.POST, "/api/v1/encounters/\(id)/decisions", as: "officer@NYC")
            #expect(again.status == .created)
            #expect(try await service.count("decisions") == 2)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 1)
            let current = try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@NYC")
            #expect(try current.decode(EncounterView.self).decision?.id == again.decode(DecisionView.self).id)
        }
    }

    @Test func encountersStayInTheirOffice() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let id = try await service.openEncounter(person, asOf: "2024-03-01").decode(EncounterView.self).id.uuidString
            #expect(try await service.send(.GET, "/api/v1/encounters/\(id)", as: "officer@LAX").status == .notFound)
            #expect(try await service.send(.GET, "/api/v1/encounters/\(id)", as: "auditor@LAX").status == .ok)
            #expect(try await service.send(.GET, "/api/v1/encounters", as: "officer@LAX").decode(PageBody<EncounterView>.self).total == 0)
            #expect(try await service.send(.GET, "/api/v1/encounters?status=open", as: "officer@NYC").decode(PageBody<EncounterView>.self).total == 1)
            #expect(try await service.send(.GET, "/api/v1/encounters/\(id)/steps", as: "officer@NYC").status == .ok)
        }
    }
}

@Suite struct SignInTests {
    @Test func aPasswordBuysATokenAndRepeatedFailuresAreThrottled() async throws {
        try await TestService.with { service in
            let good = try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "officer-nyc", "password": "correct horse battery"}"#)
            #expect(good.status == .created)
            let token = try good.decode(TokenController.TokenBody.self).token
            #expect(try await service.send(.GET, "/api/v1/people", headers: [("Authorization", "Bearer \(token)")]).status == .ok)
            for _ in 0..<5 {
                #expect(try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "supervisor-nyc", "password": "wrong"}"#).status == .unauthorized)
            }
            let throttled = try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "supervisor-nyc", "password": "correct horse battery"}"#)
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            #expect(try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "nobody", "password": "x"}"#).status == .unauthorized)
            #expect(try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "officer-nyc"}"#).status == .unprocessableEntity)
        }
    }
}

@Suite struct SessionTests {
    @Test func aPageSessionUsesAStrictCookieAndEndsAtSignOut() async throws {
        try await TestService.with { service in
            let signedIn = try await service.send(.POST, "/session", json: #"{"username": "auditor-nyc", "password": "correct horse battery"}"#)
            #expect(signedIn.status == .created)
            let cookie = try #require(signedIn.headers.first(name: .setCookie))
            for attribute in ["safeguard-session=", "Max-Age=28800", "Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
                #expect(cookie.contains(attribute), "\(cookie) lacks \(attribute)")
            }
            let pair = String(cookie.split(separator: ";")[0])
            let current = try await service.send(.GET, "/session", headers: [("Cookie", pair)])
            #expect(current.status == .ok)
            #expect(try current.decode(SessionController.SessionBody.self).role == "auditor")
            #expect(try await service.send(.DELETE, "/session", headers: [("Cookie", pair)]).status == .noContent)
            #expect(try await service.send(.GET, "/session", headers: [("Cookie", pair)]).status == .unauthorized)
            #expect(try await service.send(.GET, "/session").status == .unauthorized)
        }
    }

    @Test func formsSignInAndWrongPasswordsDoNot() async throws {
        try await TestService.with { service in
            let form = try await service.send(.POST, "/session", json: "username=officer-lax&password=correct+horse+battery",
                                              contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .created, "\(form.text)")
            let wrong = try await service.send(.POST, "/session", json: "username=officer-lax&password=nope", contentType: "application/x-www-form-urlencoded")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers.first(name: .setCookie) == nil)
        }
    }
}
