import PolicyEngine
import SafeguardTestSupport
import Testing

/// The population evaluator against the per-case engine: the same answer for every case, for the
/// bundled policies and for each construct of the condition language.
@Suite struct PopulationEvaluatorTests {
    static func cases(_ count: Int, seed: UInt64) -> [CaseFacts] {
        var generator = CaseGenerator(seed: seed, ruleSet: Fixtures.ruleSet)
        return (0..<count).map { _ in generator.next() }
    }

    /// Every case where the two disagree, as `row: difference`.
    static func disagreements(_ ruleSet: RuleSet, on cases: [CaseFacts]) throws -> [String] {
        let outcomes = try PopulationEvaluator(ruleSet: ruleSet).evaluate(PopulationColumns(cases))
        let scope = ruleSet.makeScope()
        return cases.indices.compactMap { row in
            outcomes.difference(at: row, from: ruleSet.evaluate(cases[row], in: scope)).map { "\(row): \($0)" }
        }
    }

    @Test func bundledPoliciesAgreeOnEveryGeneratedCase() throws {
        let cases = Self.cases(100_000, seed: 11)
        #expect(try Self.disagreements(Fixtures.ruleSet, on: cases).prefix(5) == [])
        let outcomes = try PopulationEvaluator(ruleSet: Fixtures.ruleSet).evaluate(PopulationColumns(cases))
        // The sample reaches every disposition and most rules, so agreement means something.
        #expect(Set(outcomes.dispositions) == Set(Disposition.allCases))
        #expect(outcomes.fired.filter { !$0.isEmpty }.count >= Fixtures.ruleSet.rules.count - 2)
    }

    @Test func chunksDecidedOnEveryCoreAgreeWithTheWhole() throws {
        let cases = Self.cases(10_000, seed: 12)
        let evaluator = try PopulationEvaluator(ruleSet: Fixtures.ruleSet)
        let whole = evaluator.evaluate(PopulationColumns(cases))
        let population = Population(cases, chunkSize: 999)
        let chunks = evaluator.evaluate(population)
        #expect(chunks.count == 11)
        #expect(population.chunkStarts == Array(stride(from: 0, to: 10_000, by: 999)))
        #expect(chunks.flatMap(\.dispositions) == whole.dispositions)
        #expect(chunks.flatMap(\.requiredSteps) == whole.requiredSteps)
    }

    @Test func emptyAndTinyPopulations() throws {
        let evaluator = try PopulationEvaluator(ruleSet: Fixtures.ruleSet)
        #expect(evaluator.evaluate(PopulationColumns([])).dispositions.isEmpty)
        for count in [1, 63, 64, 65] {
            #expect(try Self.disagreements(Fixtures.ruleSet, on: Self.cases(count, seed: UInt64(count))) == [])
        }
    }

    static let conditions = [
        "true", "false", "!subject.detained", "subject.detained == convicted237a2", "subject.detained != true",
        "action == 'removal' || action in ['arrest', 'detention']", "'removal' == action",
        "asOf >= date('2021-08-10') && asOf < date('2025-01-30')", "date('2019-01-01') > asOf",
        "date('2013-06-01') <= asOf && 1 < size(subject.benefits)",
        "size(subject.benefits) >= 2", "subject.benefits.size() == 0", "size(subject.victimIndicia) > -1",
        "'self-report' in subject.victimIndicia", "size(stepsCompleted) == 1 && !('benefit-verification' in stepsCompleted)",
        "subject.benefits.exists(f, f.type == 'U' && f.verified)",
        "subject.benefits.all(f, f.status in ['pending', 'approved'])",
        "subject.benefits.exists(f, pendingFiling(f) && subject.detained)",
        "subject.benefits.exists(f, subject.detained)", "subject.benefits.all(f, false)",
        "subject.benefits.exists(f, subject.benefits.exists(g, g.type == 'T') && f.type == 'U')",
        "information.exists(i, i.adverse && i.source in ['abuser', 'trafficker']) && !aggravatingFactors",
        "information.all(i, !i.adverse || subject.benefits.exists(f, f.verified))",
        "[1, 2, 3].size() == 3 && 2 in [1, 2]",
    ]

    @Test(arguments: conditions)
    func conditionAgreesCaseByCase(_ when: String) throws {
        let ruleSet = try RuleSet.load(files: [Self.policy(when: when)])
        #expect(try Self.disagreements(ruleSet, on: Self.cases(3_000, seed: 5)) == [])
    }

    @Test func forEachRulesAgree() throws {
        let ruleSet = try RuleSet.load(files: [Self.policy(when: "item.adverse && !subject.detained", forEach: "item in information")])
        #expect(try Self.disagreements(ruleSet, on: Self.cases(3_000, seed: 6)) == [])
    }

    @Test(arguments: [
        ("information.exists(i, i.id == 'e1')", "an information item's id (a string)"),
        ("information.exists(i, subject.benefits.exists(f, f.verified && i.adverse))", "a condition that pairs the rows of two lists"),
        ("stepsCompleted.exists(s, s == 'opla-consultation')", "a comprehension over a list of values"),
    ])
    func constructsOutsideColumnsAreRefusedByRule(_ when: String, _ construct: String) throws {
        let ruleSet = try RuleSet.load(files: [Self.policy(when: when)])
        let error = #expect(throws: PolicyLoadError.self) { try PopulationEvaluator(ruleSet: ruleSet) }
        let message = try #require(error?.problems.first?.message)
        #expect(message.hasPrefix("rule 'test-policy/rule': "))
        #expect(message.contains("cannot run \(construct) as columns"))
    }

    static func policy(when: String, forEach: String? = nil) -> (name: String, bytes: [UInt8]) {
        Fixtures.oneRulePolicy(when: when, forEach: forEach, effects: "{steps: [opla-consultation], duties: [source-prohibition]}")
    }
}
