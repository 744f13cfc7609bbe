import Foundation
import SafeguardCore
import Testing
import Vapor

/// People and filings from the pages alone: the exact A-number search first, the form that adds a
/// person not on record (what was typed kept when it is refused), the filing added as a claim;
/// another office sees who the person is and nothing more.
@Suite struct PersonPageTests {
    @Test func anOfficerFindsAddsAPersonAndAFilingFromThePages() async throws {
        try await TestService.with { service in
            var officer = PageBrowser(service: service)
            _ = try await officer.signIn("officer-nyc", purpose: "law-enforcement")
            let missing = try await officer.get("/people/find?aNumber=A555000111")
            #expect(missing.status == .ok && missing.text.contains("No one with A-number A555000111 is on record"))
            #expect(try await service.count("audit_records WHERE object = 'a-number/A555000111' AND username = 'officer-nyc'") == 1, "the search is recorded")
            let malformed = try await officer.get("/people/find?aNumber=12345")
            #expect(malformed.text.contains(##"<a href="#search-aNumber">A-number: &#39;12345&#39; is not an A-number"##))

            // Refused: the family name is missing; what was typed comes back.
            let refused = try await officer.post("/people", form: ["aNumber": "A555000111", "givenName": "Lucía", "dateOfBirth": "1991-02-03", "country": "HN"])
            #expect(refused.status == .seeOther)
            let again = try await officer.get(try #require(refused.headers.first(name: .location)))
            #expect(again.text.contains(##"<a href="#familyName">Family name: "##) && again.text.contains(#"value="Lucía""#) && again.text.contains(#"value="HN""#))
            #expect(try await service.count("people") == 0)

            let added = try await officer.post("/people", form: ["aNumber": "A555000111", "givenName": "Lucía", "familyName": "Reyes",
                                                                 "dateOfBirth": "1991-02-03", "country": "HN"])
            let location = try #require(added.headers.first(name: .location))
            let page = try await officer.get(location)
            #expect(page.text.contains("Added Lucía Reyes.") && page.text.contains("<h1>Lucía Reyes</h1>") && page.text.contains("none on record"))

            let filed = try await officer.post(location + "/filings", form: ["type": "U", "role": "principal", "status": "pending", "receiptNumber": "EAC2290099999"])
            #expect(filed.status == .seeOther)
            let withFiling = try await officer.get(location)
            #expect(withFiling.text.contains("Added the U visa filing as claimed"))
            #expect(withFiling.text.contains("U visa (principal), pending, receipt EAC2290099999: <span class=\"tag\">claimed, not verified</span>"))
            #expect(try await officer.get("/people/find?aNumber=A555000111").text.contains(#"href="\#(location)">See the record</a>"#))

            // Another office: who the person is, nothing more; the record itself is not found.
            var other = PageBrowser(service: service)
            _ = try await other.signIn("officer-lax", purpose: "law-enforcement")
            let found = try await other.get("/people/find?aNumber=A555000111")
            #expect(found.text.contains("Lucía Reyes") && !found.text.contains("See the record") && !found.text.contains("EAC2290099999"))
            let notFound = try await other.get(location)
            #expect(notFound.status == .notFound && notFound.headers.contentType == .html && notFound.text.contains("Page not found"))

            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            let refusedRole = try await analyst.get("/people/find")
            #expect(refusedRole.status == .forbidden && refusedRole.text.contains("You may not do this"), "an HTML error page with a way on")
        }
    }
}
