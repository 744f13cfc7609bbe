import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

@Suite struct PolicyLoaderTests {
    let ruleSet = Fixtures.ruleSet

    @Test func periodsFollowFromWhatSupersedesOrRescinds() throws {
        func period(_ id: String) throws -> String { try #require(ruleSet.document(id: id)).periodDescription }
        #expect(try period("ice-policy-10076.1") == "2011-06-17 through 2025-01-29")
        #expect(try period("ice-directive-11005.2") == "2019-08-02 through 2021-08-09")
        #expect(try period("ice-directive-11005.3") == "2021-08-10 through 2025-01-29")
        #expect(try period("ice-interim-guidance-2025") == "from 2025-01-30")
        #expect(try period("usc-8-1367") == "always")
        #expect(ruleSet.document(id: "ice-directive-11005.2")?.endedBy == "ice-directive-11005.3")
    }

    @Test func termsAreNotPolicies() {
        #expect(!ruleSet.documents.contains { $0.fileName == "terms.yaml" })
        #expect(ruleSet.definitions["knownLive"] != nil)
    }

    @Test func everyRuleIdNamesItsPolicy() {
        for rule in ruleSet.rules { #expect(rule.id.hasPrefix(rule.policyID + "/")) }
        #expect(Set(ruleSet.rules.map(\.id)).count == ruleSet.rules.count)
    }

    /// A future policy is a new file: no edit of an old one, no code change.
    @Test func aNewFileEndsTheOldOnes() throws {
        let folder = try Fixtures.policyCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        kind: policy
        id: future-guidance-2027
        title: A later guidance
        issued: 2027-03-01
        inForceFrom: 2027-03-01
        rescinds: [ice-interim-guidance-2025]
        rules:
          - id: future-guidance-2027/refrain-known
            when: hasKnownLiveFiling
            effects: {disposition: refrain}
            citation: {document: Future guidance, passage: "1", quote: refrain}
            source: primary
        """.write(to: folder.appendingPathComponent("future-guidance-2027.yaml"), atomically: true, encoding: .utf8)
        let extended = try RuleSet.load(from: folder)
        #expect(extended.document(id: "ice-interim-guidance-2025")?.periodDescription == "2025-01-30 through 2027-02-28")
        let knownU = CaseFacts(asOf: Fixtures.date("2027-03-01"), action: .arrest,
                               subject: Subject(benefits: [BenefitFiling(type: .u, role: .principal, status: .pending, verified: true)]))
        let decision = extended.evaluate(knownU)
        #expect(decision.policyIDs(in: extended) == ["standing-relief", "usc-8-1367", "future-guidance-2027"])
        #expect(decision.disposition == .refrain)
        var dayBefore = knownU
        dayBefore.asOf = Fixtures.date("2027-02-28")
        #expect(extended.evaluate(dayBefore).requiredSteps == EnumSet([.oplaConsultation]))
        #expect(extended.digest != ruleSet.digest)
    }

    @Test func theDigestCoversEveryByteAndOnlyThePolicyFiles() throws {
        let files = try RuleSet.policyFiles(in: Fixtures.policySources)
        #expect(RuleSet.digest(of: files) == ruleSet.digest)
        #expect(RuleSet.digest(of: files) == RuleSet.digest(of: files.reversed()))
        var changed = files
        changed[0].bytes[changed[0].bytes.count / 2] ^= 0x01
        #expect(RuleSet.digest(of: changed) != ruleSet.digest)
        var renamed = files
        renamed[0].name += "x"
        #expect(RuleSet.digest(of: renamed) != ruleSet.digest)
        #expect(ruleSet.digest.count == 64 && ruleSet.digest.allSatisfy(\.isHexDigit))
    }

    func problems(_ files: [(String, String)]) -> [String] {
        do {
            _ = try RuleSet.load(files: files.map { ($0.0, Array($0.1.utf8)) })
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func structuralMistakesAreLocated() {
        let found = problems([("p.yaml", """
        kind: policy
        id: p
        title: P
        inForceFrom: 2020-02-30
        supersedes: [nowhere]
        rules:
          - id: other/rule
            when: "true"
            effects: {disposition: proceed, steps: [opla], colour: red}
            citation: {document: D, passage: P}
            source: tertiary
        """)])
        #expect(found.contains("p.yaml:4:14: inForceFrom '2020-02-30' is not a valid date YYYY-MM-DD"))
        #expect(found.contains("p.yaml:5:14: no policy file has id 'nowhere'"))
        #expect(found.contains("p.yaml:7:9: a rule id is 'POLICY-ID/name': expected 'p/…'"))
        #expect(found.contains { $0.hasPrefix("p.yaml:9:52: unknown key 'colour' in effects") })
        #expect(found.contains("p.yaml:9:28: a rule's disposition can only be 'refrain'; 'proceed-after-steps' follows from the steps owed"))
        #expect(found.contains { $0.hasPrefix("p.yaml:9:45: 'opla' is not a valid step") })
        #expect(found.contains("p.yaml:10:15: a citation needs 'quote'"))
        #expect(found.contains("p.yaml:11:13: source must be 'primary' or 'secondary'"))
    }

    @Test func aDefinitionIsCheckedWhereItIsWritten() {
        let found = problems([("terms.yaml", """
        kind: terms
        title: T
        definitions:
          detainedFiling:
            parameters: {filing: benefit}
            expression: filing.detained
        """)])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("terms.yaml:6:24: unknown field 'detained' of benefit") == true, "\(found)")
        let duplicated = problems([("terms.yaml", "kind: terms\ntitle: T\ndefinitions:\n  a: {expression: 'true'}\n  a: {expression: 'false'}\n")])
        #expect(duplicated.first?.contains("duplicate key(s) a") == true, "\(duplicated)")
    }

    @Test func invariantsAreCheckedWhereTheyAreWritten() {
        let found = problems([("p.yaml", """
        kind: policy
        id: p
        title: P
        rules:
          - id: p/rule
            when: decision.disposition == 'refrain'
            effects: {duties: [seek-victim-indicia]}
            citation: {document: D, passage: P, quote: Q}
            source: primary
        invariants:
          - id: p/reads-the-decision-too-early
            when: "'refrain' == decision.disposition"
            expect: "true"
          - id: p/unknown-field
            when: "true"
            expect: decision.verdict == 'refrain'
          - id: p/wrong-vocabulary
            when: "true"
            expect: "'opla' in decision.duties"
          - id: other/name
            when: "true"
            expect: "true"
          - id: p/no-expectation
            when: "true"
          - id: other/name
            when: "true"
            expect: "'parole' in decision.options && decision.discretionaryFactors.all(x, x.weight != 'negative')"
        """)])
        #expect(found.contains("p.yaml:6:11: 'decision' can be read only in an invariant's 'expect'"), "\(found)")
        #expect(found.contains("p.yaml:12:25: 'decision' can be read only in an invariant's 'expect'"), "\(found)")
        #expect(found.contains { $0.hasPrefix("p.yaml:16:22: unknown field 'verdict' of decision") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("p.yaml:19:14: 'opla' is not a value of duty") }, "\(found)")
        #expect(found.contains("p.yaml:20:9: an invariant id is 'POLICY-ID/name': expected 'p/…'"), "\(found)")
        #expect(found.contains("p.yaml:23:5: an invariant needs 'expect'"), "\(found)")
        #expect(found.contains("p.yaml:25:9: an invariant id is 'POLICY-ID/name': expected 'p/…'"), "\(found)")
        #expect(found.contains("p.yaml:25:5: id 'other/name' is also used at p.yaml:20:5"), "\(found)")
        #expect(found.count == 8, "\(found)")
    }

    /// A quote may be left empty only by a secondary source whose text is not held, so that no
    /// words stand as a rule's text that do not state it.
    @Test func anEmptyQuoteIsOnlyForAnUnheldSecondarySource() {
        func rule(_ citation: String, source: String) -> [(String, String)] {
            [("p.yaml", """
            kind: policy
            id: p
            title: P
            rules:
              - id: p/rule
                when: "true"
                effects: {duties: [seek-victim-indicia]}
                citation: \(citation)
                source: \(source)
                authority: INA § 212(d)(5)
            """)]
        }
        let refusal = "p.yaml:8:48: an empty quote is for a secondary source whose text is not held; quote the passage, or mark the rule 'source: secondary' without 'heldText'"
        #expect(problems(rule(#"{document: D, passage: P, quote: ""}"#, source: "primary")) == [refusal])
        #expect(problems(rule(#"{document: D, passage: P, quote: "", heldText: x.txt}"#, source: "secondary")).first?.hasPrefix("p.yaml:8:48: an empty quote") == true)
        #expect(problems(rule(#"{document: D, passage: P, quote: ""}"#, source: "secondary")) == [])
    }

    /// Keys that are not scalars and aliases are refused where they stand, before YAML composes
    /// the file (composing them can take exponential time); quotes, comments and block scalars
    /// that merely contain the characters are read as what they are.
    @Test func complexKeysAndAliasesAreRefusedBeforeComposing() {
        let explicit = "an explicit key ('? '): policy files use plain keys"
        let flow = "a flow collection as a key: policy files use plain keys"
        let alias = "an alias ('*name'): policy files write each value out"
        for (text, expected) in [
            ("kind: policy\n? a\n: b\n", "p.yaml:2:1: " + explicit),
            ("kind: policy\nsummary: >\n  text\n? ? ? a\n", "p.yaml:4:1: " + explicit),
            ("rules:\n  - id: x\n    ? y\n", "p.yaml:3:5: " + explicit),
            ("kind: {? a: b}\n", "p.yaml:1:8: " + explicit),
            ("[a, b]: c\n", "p.yaml:1:6: " + flow),
            ("kind: {[a]: b}\n", "p.yaml:1:10: " + flow),
            ("kind: {{a: b} : c}\n", "p.yaml:1:13: " + flow),
            ("a: &x [1]\nb: [*x: 1]\n", "p.yaml:2:5: " + alias),
            ("kind: policy\nsummary: *x\n", "p.yaml:2:10: " + alias),
            ("a: &x [1]\nb: &y [*x]\n", "p.yaml:2:8: " + alias),
            ("a: !!seq [&x {? b}]\n", "p.yaml:1:15: " + explicit),
            ("kind: policy\r? a\r: b\r", "p.yaml:2:1: " + explicit),
        ] {
            #expect(problems([("p.yaml", text)]) == [expected], "\(text)")
        }
        for text in [
            "kind: policy\nsummary: 'why? [see]: x'\n",
            "kind: policy\nsummary: \"a \\\" ? b\n  [c]: d\"\n",
            "kind: policy\nsummary: it's a question? yes, 2 * 3\n",
            "kind: policy\n# ? not a key\nsummary: x # [y]: z\n",
            "kind: policy\nrules:\n  - when: >-\n      ? text [a]: b\n    id: x\n",
            "kind: policy\nsummary: |\n  ? a\n  {b}: c\nid: x\n",
            "kind: policy\nlist: [a, b]\nmap: {\"a\":1, b: [c]}\n",
        ] {
            let found = problems([("p.yaml", text)])
            #expect(!found.contains { $0.contains("plain keys") || $0.contains("YAML syntax") }, "\(text): \(found)")
        }
    }

    @Test func yamlSyntaxErrorsAreLocated() {
        #expect(problems([("p.yaml", "id: [unclosed\n")]).first?.hasPrefix("p.yaml:2:1: YAML syntax") == true)
    }

    @Test func theFileIsNamedAfterItsId() {
        let found = problems([("wrong.yaml", "kind: policy\nid: p\ntitle: P\nrules: []\n")])
        #expect(found == ["wrong.yaml:2:5: a policy file is named after its id: expected 'p.yaml'"])
    }

    @Test func anUnreadableFolderIsAProblem() {
        #expect(throws: PolicyLoadError.self) { try RuleSet.load(from: URL(fileURLWithPath: "/nonexistent/policies")) }
    }
}
