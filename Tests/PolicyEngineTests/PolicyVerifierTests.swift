import Foundation
import PolicyEngine
import Testing

@Suite struct PolicyVerifierTests {
    @Test func theBuiltInPoliciesHoldOnASample() {
        let report = PolicyVerifier(ruleSet: Fixtures.ruleSet).run(sampleEvery: 997)
        #expect(report.violations.map(\.description) == [])
        #expect(report.casesChecked > 10_000)
        #expect(report.skippedInvariants.isEmpty)
    }

    @Test func theSpaceCoversEveryBoundary() {
        let dates = PolicyVerifier(ruleSet: Fixtures.ruleSet).dates.map(\.description)
        for day in ["2011-06-16", "2011-06-17", "2019-08-01", "2019-08-02", "2021-08-09", "2021-08-10", "2025-01-29", "2025-01-30"] {
            #expect(dates.contains(day))
        }
    }

    /// With the 11005.3 refrain removed, the verifier must find the broken invariant.
    @Test func aBrokenRuleSetIsCaught() throws {
        let folder = try Fixtures.policyCopy(
            editing: "ice-directive-11005.3.yaml",
            replacing: "when: hasKnownLiveFiling && !exceptionalCircumstances",
            with: "when: hasKnownLiveFiling && exceptionalCircumstances && false"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = PolicyVerifier(ruleSet: try RuleSet.load(from: folder)).run(sampleEvery: 97)
        #expect(report.violations.contains { $0.invariant.contains("11005.3") })
    }

    @Test func anOutcomeWithoutAReasonIsCaught() {
        let ruleSet = Fixtures.ruleSet
        var decision = ruleSet.evaluate(CaseFacts(asOf: Fixtures.date("2026-01-01"), action: .arrest))
        decision.options.insert(.parole)
        let violations = PolicyVerifier(ruleSet: ruleSet).check(CaseFacts(asOf: Fixtures.date("2026-01-01"), action: .arrest), decision)
        #expect(violations.map(\.detail) == ["option parole"])
    }
}
