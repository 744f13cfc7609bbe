import Foundation
import PolicyEngine
import Testing

/// Quotes from the texts we hold are verbatim (white space aside), checked against those texts.
@Suite(.enabled(if: Fixtures.sharedIsExpected, "../shared is not beside the repository"))
struct HeldQuoteTests {
    @Test func everyHeldQuoteIsVerbatim() throws {
        let seeds = try Fixtures.sharedFile("seeds")
        let result = PolicyVerifier(ruleSet: Fixtures.ruleSet).checkQuotes(seedsDirectory: seeds)
        #expect(result.problems == [])
        // Every rule whose source we hold names it; at least the 2025 guidance and 11005.3 quotes are checked.
        #expect(result.checked >= 12)
    }

    @Test func aChangedQuoteIsCaught() throws {
        let seeds = try Fixtures.sharedFile("seeds")
        let folder = try Fixtures.policyCopy(
            editing: "ice-interim-guidance-2025.yaml", replacing: "coordinate and deconflict internally", with: "coordinate internally"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = PolicyVerifier(ruleSet: try RuleSet.load(from: folder)).checkQuotes(seedsDirectory: seeds)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.contains("ice-interim-guidance-2025/deconflict") == true)
    }

    @Test func quotesOfDocumentsWeDoNotHoldAreMarkedAsSuch() {
        for rule in Fixtures.ruleSet.rules where rule.citation.heldText == nil {
            // Only the statute and the Morton memo are quoted from outside the held texts.
            #expect(["usc-8-1367", "ice-policy-10076.1"].contains(rule.policyID), "\(rule.id) quotes an unheld text")
        }
    }
}
