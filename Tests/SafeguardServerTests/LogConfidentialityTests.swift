import Foundation
import SafeguardCore
import Testing
import Vapor

/// No log line names a person, carries an A-number or tells of a filing. Values are planted
/// through every kind of request, good and bad, at trace level, and every line the suite has
/// logged so far is searched (`scripts/test` searches the whole suite's lines again at the end).
@Suite struct LogConfidentialityTests {
    static let givenName = "Canarygiven", familyName = "Canaryfamily"
    static let aNumber = "A918273645", receiptNumber = "WAC2618273645"
    static let statement = "canary-statement-by-abuser", summary = "Canary summary of the records check"

    /// Patterns of protected values in general, not only the planted ones.
    static let protectedPatterns = [#"\bA\d{8,9}\b"#, #"\b[A-Z]{3}\d{10}\b"#, "Canary", "canary"]

    @Test func plantedNamesNumbersAndFilingDetailsNeverReachALogLine() async throws {
        try await TestService.with { service in
            let created = try await service.send(.POST, "/api/v1/people", as: "officer@NYC", json: """
            {"aNumber": "\(Self.aNumber)", "givenName": "\(Self.givenName)", "familyName": "\(Self.familyName)", "dateOfBirth": "1988-02-03", "country": "SV"}
            """)
            #expect(created.status == .created)
            let person = try created.decode(PersonView.self).id.uuidString
            // A duplicate and an invalid record: errors must not echo the values into the log either.
            #expect(try await service.send(.POST, "/api/v1/people", as: "officer@NYC", json: """
            {"aNumber": "\(Self.aNumber)", "givenName": "\(Self.givenName)", "familyName": "\(Self.familyName)", "dateOfBirth": "1988-02-03", "country": "SV"}
            """).status == .conflict)
            #expect(try await service.send(.POST, "/api/v1/people", as: "officer@NYC",
                                           json: #"{"aNumber": "\#(Self.givenName)", "givenName": 7}"#).status == .unprocessableEntity)
            let filing = try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@NYC", json: """
            {"type": "T", "role": "principal", "status": "pending", "receiptNumber": "\(Self.receiptNumber)"}
            """)
            #expect(filing.status == .created)
            let filingID = try filing.decode(FilingView.self).id.uuidString
            let encounter = try await service.openEncounter(person, asOf: "2025-06-01", extra: """
            , "information": [{"id": "\(Self.statement)", "source": "abuser", "adverse": true}]
            """)
            let encounterID = try encounter.decode(EncounterView.self).id.uuidString
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounterID)/steps", as: "officer@NYC", json: """
            {"step": "benefit-verification", "summary": "\(Self.summary)", "counterpart": "CLAIMS3", "filingId": "\(filingID)", "outcome": "confirmed"}
            """, headers: TestService.lawEnforcement).status == .created)
            for path in ["/api/v1/people/\(person)", "/api/v1/people/\(person)/filings", "/api/v1/encounters/\(encounterID)",
                         "/api/v1/encounters/\(encounterID)/decisions", "/api/v1/people?aNumber=\(Self.aNumber)"] {
                _ = try await service.send(.GET, path, as: "officer@NYC")
            }
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounterID)/enforcement-action", as: "officer@NYC").status == .conflict)

            let lines = LogCapture.shared.lines
            // The capture works: this test's requests are there, and so are the database's statements, their values withheld.
            #expect(lines.contains { $0.contains(#""route":"/api/v1/people/:personID/filings""#) })
            #expect(lines.contains { $0.contains(#""binds":"withheld""#) })
            for pattern in Self.protectedPatterns {
                let expression = try Regex(pattern)
                let leaks = lines.filter { $0.contains(expression) }
                #expect(leaks.isEmpty, "\(pattern) in \(leaks.count) of \(lines.count) log lines, first: \(leaks.first ?? "")")
            }
            for planted in [Self.givenName, Self.familyName, Self.aNumber, Self.receiptNumber, Self.statement, Self.summary] {
                #expect(!lines.contains { $0.contains(planted) }, "\(planted)")
            }
        }
    }
}
