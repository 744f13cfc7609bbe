import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

@Suite struct PolicyVerifierTests {
    @Test func theBuiltInPoliciesHoldOnASample() {
        let report = PolicyVerifier(ruleSet: Fixtures.ruleSet).run(sampleEvery: 997)
        #expect(report.violations.map(\.description) == [])
        #expect(report.casesChecked > 10_000)
        // Every invariant of the policy files was put to the test: its premise held on some case.
        #expect(report.premisesHeld.count == Fixtures.ruleSet.documents.flatMap(\.invariants).count)
        #expect(report.premisesHeld.count >= 25)
        #expect(report.vacuous == [])
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

    /// Rules drifted from the reading, each caught by the policy file's own invariants (not by
    /// Swift); all but the first in ways a one-way invariant would miss, caught by one that states
    /// its outcome exactly (both when it must and when it must not hold).
    @Test(arguments: [
        // The conviction clause of § 1367(a)(1) forgotten.
        ("usc-8-1367.yaml", "when: item.adverse && !convicted237a2 && barredSource(item)", "when: item.adverse && barredSource(item)",
         "usc-8-1367/conviction-lifts-every-bar"),
        ("ice-directive-11005.3.yaml", "when: hasKnownLiveFiling && !exceptionalCircumstances", "when: hasLiveFiling && !exceptionalCircumstances",
         "ice-directive-11005.3/refrain-exactly-for-protected-people"),
        ("ice-interim-guidance-2025.yaml", "|| hasKnownLiveCP", "|| subject.benefits.exists(f, f.type == 'CP' && live(f))",
         "ice-interim-guidance-2025/deconfliction-exactly"),
        ("standing-relief.yaml", "|| 'trafficking-eligibility-letter' in subject.victimIndicia)\n      && !subject.benefits.exists(f, f.type == 'CP' && live(f))",
         ")\n      && !subject.benefits.exists(f, f.type == 'CP' && live(f))", "standing-relief/continued-presence-exactly"),
        ("ice-policy-10076.1.yaml", "subject.pendingCriminalCase || hasKnownLiveFiling", "subject.pendingCriminalCase || hasLiveFiling",
         "ice-policy-10076.1/victims-considered-for-discretion"),
    ])
    func aRuleThatDriftsEitherWayIsCaught(file: String, original: String, replacement: String, invariant: String) throws {
        let folder = try Fixtures.policyCopy(editing: file, replacing: original, with: replacement)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = PolicyVerifier(ruleSet: try RuleSet.load(from: folder)).run(sampleEvery: 997)
        #expect(report.violations.contains { $0.invariant == invariant }, "\(Set(report.violations.map(\.invariant)))")
    }

    /// A draft brings its own invariants, checked on the days it would be in force: this one
    /// says a known pending U petitioner is never simply proceeded against, and the draft, which
    /// restores the refrain but forgot the approval of exceptional circumstances, breaks it; the
    /// counterexample is a case.
    @Test func aDraftsOwnInvariantFindsWhatItsRulesForgot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("draft-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try DraftFixture.write(to: folder)
        let file = folder.appendingPathComponent("\(DraftFixture.id).yaml")
        let invariant = "\(DraftFixture.id)/known-u-never-simply-proceeds"
        try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "invariants: []\n", with: """
            invariants:
              - id: \(invariant)
                description: A known pending U petitioner is never simply proceeded against.
                when: subject.benefits.exists(f, f.type == 'U' && f.verified && f.status == 'pending')
                expect: decision.disposition != 'proceed'

            """).utf8).write(to: file)
        let verifier = PolicyVerifier(ruleSet: try RuleSet.load(from: Fixtures.policySources, drafts: folder))
        #expect(verifier.dates.contains(DraftFixture.firstDay) && verifier.dates.contains(DraftFixture.firstDay.previousDay))
        let report = verifier.run(sampleEvery: 97)
        let broken = try #require(report.violations.first { $0.invariant == invariant })
        #expect(broken.facts.exceptionalCircumstances && broken.facts.asOf >= DraftFixture.firstDay, "\(broken)")
        #expect(broken.description.contains(#""exceptionalCircumstances":true"#), "printed as a case to paste")
    }

    /// An invariant whose premise never holds tests nothing, and the report says so.
    @Test func aVacuousInvariantIsReported() throws {
        let folder = try Fixtures.policyCopy(
            editing: "standing-relief.yaml", replacing: "invariants:\n",
            with: "invariants:\n  - id: standing-relief/never\n    when: size(subject.benefits) > 2\n    expect: \"false\"\n"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = PolicyVerifier(ruleSet: try RuleSet.load(from: folder)).run(sampleEvery: 997)
        #expect(report.vacuous == ["standing-relief/never"])
        #expect(report.violations.isEmpty)
    }

    @Test func anOutcomeWithoutAReasonIsCaught() {
        let ruleSet = Fixtures.ruleSet
        let facts = CaseFacts(asOf: Fixtures.date("2026-01-01"), action: .arrest)
        var decision = ruleSet.evaluate(facts)
        decision.options.insert(.parole)
        let violations = PolicyVerifier(ruleSet: ruleSet).check(facts, decision, in: ruleSet.makeScope())
        // The engine's invariant and standing-relief's own both see the parole without a reason.
        #expect(Set(violations.map(\.invariant)) == ["every outcome has a reason", "standing-relief/parole-only-abroad"])
        #expect(violations.first { $0.invariant == "every outcome has a reason" }?.detail == "option parole")
    }
}
