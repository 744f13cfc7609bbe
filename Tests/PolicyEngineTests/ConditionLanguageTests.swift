import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

/// The condition language, through policy files: what it accepts, what it means, and where it
/// reports a mistake.
@Suite struct ConditionLanguageTests {
    /// A one-rule policy whose condition is `when`, evaluated on `facts`.
    func fires(_ when: String, on facts: CaseFacts, parameters: String = "") throws -> Bool {
        let ruleSet = try RuleSet.load(files: [policy(when: when, parameters: parameters)])
        return !ruleSet.evaluate(facts).reasons.isEmpty
    }

    func policy(when: String, parameters: String = "") -> (name: String, bytes: [UInt8]) {
        Fixtures.oneRulePolicy(when: when, parameters: parameters)
    }

    /// The problem the loader reports for a condition, as `line:column: message`.
    func problem(_ when: String, parameters: String = "") -> String? {
        do {
            _ = try RuleSet.load(files: [policy(when: when, parameters: parameters)])
            return nil
        } catch {
            return error.problems.first.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    let sample = CaseFacts(
        asOf: CalendarDate(year: 2023, month: 5, day: 1)!, action: .removal,
        subject: Subject(
            benefits: [BenefitFiling(type: .u, role: .principal, status: .pending, verified: true),
                       BenefitFiling(type: .t, role: .derivative, status: .denied, verified: false)],
            victimIndicia: EnumSet([.selfReport]), detained: true
        ),
        information: [InformationItem(id: "e1", source: .abuser, adverse: true)]
    )

    @Test(arguments: [
        ("subject.detained", true),
        ("!subject.detained", false),
        ("subject.detained && action == 'removal'", true),
        ("subject.outsideUnitedStates || action == 'arrest'", false),
        ("action != 'arrest'", true),
        ("action in ['arrest', 'removal']", true),
        ("'removal' in ['arrest', 'detention']", false),
        ("'self-report' in subject.victimIndicia", true),
        ("size(subject.benefits) == 2", true),
        ("subject.benefits.size() > 1", true),
        ("size(subject.victimIndicia) >= 2", false),
        ("subject.benefits.exists(f, f.type == 'T' && f.role == 'derivative')", true),
        ("subject.benefits.exists(f, f.type == 'VAWA')", false),
        ("subject.benefits.all(f, f.status in ['pending', 'denied'])", true),
        ("subject.benefits.all(f, f.verified)", false),
        ("subject.benefits.exists(f, pendingFiling(f) && f.verified)", true),
        ("information.exists(i, i.source == 'abuser' && i.adverse && i.id == 'e1')", true),
        ("subject.victimIndicia.exists(v, v == 'self-report')", true),
        ("stepsCompleted.all(s, s == 'opla-consultation')", true),
        ("asOf >= date('2023-05-01') && asOf < date('2023-05-02')", true),
        ("asOf > date('2023-05-01')", false),
        ("-1 < 0 && 3 in [1, 2, 3]", true),
        ("(true || false) && !(false)", true),
        ("params.limit == 2 && params.statuses.size() == 1", true),
    ])
    func meaning(_ condition: String, _ expected: Bool) throws {
        let parameters = """
        parameters:
          limit: {type: int, value: 2}
          statuses: {type: list<benefit-status>, value: [pending]}
        """
        #expect(try fires(condition, on: sample, parameters: parameters) == expected)
    }

    /// Errors point at the offending character: line 13 holds the condition, from column 7.
    @Test(arguments: [
        ("subject.detaned", "13:15: unknown field 'detaned' of subject"),
        ("action == 'deport'", "13:17: 'deport' is not a value of action"),
        ("subject.detained == 'yes'", "13:27: cannot compare a bool with a string"),
        ("subject.detained &&", "13:26: expected a value, found the end of the condition"),
        ("size(subject.detained) > 0", "13:7: size() applies to a list or a string, not a bool"),
        ("subject.benefits", "13:15: a condition must be a bool, this is a list<benefit>"),
        ("params.nothing", "13:14: unknown parameter 'params.nothing'"),
        ("unknownDefinition(1)", "13:7: unknown function or definition 'unknownDefinition'"),
        ("pendingFiling(action)", "13:21: 'pendingFiling' expects a benefit for 'filing', given a action"),
        ("subject.benefits.exists(f, f.type == 'Z')", "13:44: 'Z' is not a value of benefit-type"),
        ("action = 'arrest'", "13:14: unexpected '='; compare with '=='"),
        ("asOf > date('2023-02-30')", "13:19: '2023-02-30' is not a valid date YYYY-MM-DD"),
        ("action < 'arrest'", "13:7: '<' orders ints and dates, not action"),
        ("1 < 2 < 3", "13:13: comparisons do not chain"),
    ])
    func errorsSayWhatAndWhere(_ condition: String, _ expected: String) {
        let found = problem(condition)
        #expect(found?.hasPrefix(expected) == true, "got \(found ?? "no error")")
    }

    @Test func blockConditionsReportTheLineWithinTheBlock() {
        let text = """
        kind: policy
        id: test-policy
        title: Test
        inForceFrom: 2000-01-01
        rules:
          - id: test-policy/rule
            when: >-
              subject.detained
              && subject.nothere
            effects: {duties: [seek-victim-indicia]}
            citation: {document: D, passage: P, quote: Q}
            source: primary
        """
        #expect(throws: PolicyLoadError.self) { try RuleSet.load(files: [("test-policy.yaml", Array(text.utf8))]) }
        do {
            _ = try RuleSet.load(files: [("test-policy.yaml", Array(text.utf8))])
        } catch {
            #expect(error.problems.map(\.description) == ["test-policy.yaml:9:18: unknown field 'nothere' of subject; known fields: benefits, victimIndicia, immediateVictimOrWitness, pendingCriminalCase, crimeReported, wishesToReport, detained, outsideUnitedStates"])
        }
    }

    @Test func recursiveDefinitionsAreRefused() {
        let text = """
        kind: terms
        title: Loop
        definitions:
          a: {expression: b}
          b: {expression: a}
        """
        do {
            _ = try RuleSet.load(files: [("loop.yaml", Array(text.utf8)), policy(when: "a")])
            Issue.record("a recursive definition loaded")
        } catch {
            #expect(error.problems.contains { $0.message.contains("refers to itself") })
        }
    }

    /// Forty definitions, each using the one before twice, would expand to 2^40 uses: refused
    /// once the condition passes the budget, in well under a second.
    @Test func definitionsThatDoubleAtEachStepAreRefused() {
        let chain = (1...40).map { "  d\($0): {expression: d\($0 - 1) || d\($0 - 1)}" }.joined(separator: "\n")
        let text = "kind: terms\ntitle: Doubling\ndefinitions:\n  d0: {expression: subject.detained}\n\(chain)\n"
        do {
            _ = try RuleSet.load(files: [("doubling.yaml", Array(text.utf8)), policy(when: "d40")])
            Issue.record("a doubling chain of definitions loaded")
        } catch {
            #expect(error.problems.contains { $0.message.contains("expands to more than 10000 uses of definitions") }, "\(error.problems.prefix(2))")
        }
    }

    /// The parser and everything that recurses over its trees would exhaust the stack on these;
    /// they are refused with the place and the reason instead.
    @Test(arguments: [
        String(repeating: "(", count: 100_000) + "true",
        String(repeating: "!", count: 100_000) + "true",
        String(repeating: "[", count: 50_000),
        Array(repeating: "detained", count: 20_000).joined(separator: " || "),
        "detained" + String(repeating: ".a", count: 20_000),
    ])
    func conditionsNestedTooDeeplyAreRefused(_ text: String) {
        #expect {
            _ = try ConditionParser.parse(text)
        } throws: { error in
            "\(error)".contains("nests deeper than \(ConditionParser.maximumHeight) levels")
        }
    }

}
