import Foundation
import PolicyEngine
import SafeguardTestSupport
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

    /// Outside the held texts, only the statute and the Morton memo are quoted; a rule that rests on
    /// a secondary account we do not hold names it and quotes nothing, so that no words stand as
    /// the rule's text that do not state it.
    @Test func quotesOfDocumentsWeDoNotHoldAreMarkedAsSuch() {
        for rule in Fixtures.ruleSet.rules where rule.citation.heldText == nil {
            if rule.citation.quote.isEmpty {
                #expect(rule.source == .secondary, "\(rule.id) quotes nothing but is not marked secondary")
                #expect(rule.citation.document.lowercased().contains("secondary"), "\(rule.id): its document should name the secondary account")
            } else {
                #expect(["usc-8-1367", "ice-policy-10076.1"].contains(rule.policyID), "\(rule.id) quotes an unheld text")
                #expect(rule.source == .primary, "\(rule.id)")
            }
        }
        // The three citations the legal review found quoting passages that do not state their rule.
        for id in ["ice-directive-11005.3/refrain-pending-criminal-case", "ice-directive-11005.3/stay-of-removal", "ice-directive-11005.2/stay-of-removal"] {
            #expect(Fixtures.ruleSet.rule(id: id)?.citation.quote == "", "\(id)")
        }
    }

    /// Parole and Continued Presence name the law that grants them apart from what they quote.
    @Test func reliefNamesItsAuthorityApartFromItsQuote() throws {
        let parole = try #require(Fixtures.ruleSet.rule(id: "standing-relief/parole"))
        let presence = try #require(Fixtures.ruleSet.rule(id: "standing-relief/continued-presence"))
        #expect(parole.authority?.contains("212(d)(5)") == true && !parole.citation.quote.contains("212(d)(5)"))
        #expect(presence.authority?.contains("7105(c)(3)") == true && !presence.citation.quote.contains("7105"))
    }
}
