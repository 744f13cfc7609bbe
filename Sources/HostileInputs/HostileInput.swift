import Foundation
import PolicyEngine

/// What each fuzz target (Fuzz/, scripts/fuzz) does with one input; the regression tests replay
/// the inputs fuzzing found through the same steps (`FuzzFindingsTests`). A refusal with a typed error
/// is the expected answer to most inputs; a trap, a hang or a disagreement is a finding.
public enum HostileInput {
    /// The bundled policies, from the source tree.
    public static let ruleSet: RuleSet = {
        let documents = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Policies/documents").standardized
        do { return try RuleSet.load(from: documents) } catch { fatalError("the bundled policies do not load: \(error)") }
    }()

    static let population: PopulationEvaluator = {
        do { return try PopulationEvaluator(ruleSet: ruleSet) } catch { fatalError("the population evaluator does not compile: \(error)") }
    }()

    /// A case as the API and the CLI receive it: decoded and validated, and when accepted decided
    /// by the per-case engine and by the population engine, which must agree.
    public static func caseInput(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let facts = try? CaseDecoder.decode(json: bytes) else { return }
        let decision = ruleSet.evaluate(facts)
        _ = decision.json(in: ruleSet)
        let outcomes = population.evaluate(Population([facts]))
        if let difference = outcomes[0].difference(at: 0, from: decision) {
            fatalError("the population engine disagrees with the per-case engine: \(difference)")
        }
    }

    /// A policy file as `RuleSet.load` reads it, alone.
    public static func policyFile(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = try? RuleSet.load(files: [("fuzz.yaml", Array(bytes))])
    }

    /// A condition: parsed, and as the `when` of a one-rule policy, type-checked, compiled and
    /// evaluated on the contract's example cases by both engines, which must agree.
    public static func condition(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard (try? ConditionParser.parse(text)) != nil else { return }
        // A block scalar holds any text but a line break; those end the condition here.
        let when = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let policy = """
        kind: policy
        id: fuzz-policy
        title: Fuzz
        inForceFrom: 2000-01-01
        rules:
          - id: fuzz-policy/rule
            when: >-
              \(when)
            effects: {duties: [seek-victim-indicia]}
            citation: {document: D, passage: P, quote: Q}
            source: primary
        """
        guard let ruleSet = try? RuleSet.load(files: [("fuzz.yaml", Array(policy.utf8))]) else { return }
        guard let evaluator = try? PopulationEvaluator(ruleSet: ruleSet) else {
            fatalError("a rule set that loads does not compile for populations: \(when)")
        }
        let outcomes = evaluator.evaluate(Population(sampleCases))
        for (row, facts) in sampleCases.enumerated() {
            if let difference = outcomes[0].difference(at: row, from: ruleSet.evaluate(facts)) {
                fatalError("the engines disagree on \(when): \(difference)")
            }
        }
    }

    /// A few decoded cases to evaluate conditions on.
    static let sampleCases: [CaseFacts] = [
        #"{"asOf": "2023-05-01", "action": "arrest", "subject": {"benefits": [{"type": "U", "role": "principal", "status": "pending", "verified": true}], "victimIndicia": ["self-report"], "detained": true}, "information": [{"id": "e1", "source": "abuser", "adverse": true}]}"#,
        #"{"asOf": "2015-03-01", "action": "nta", "subject": {"benefits": [], "victimIndicia": []}}"#,
        #"{"asOf": "2025-06-01", "action": "removal", "subject": {"benefits": [{"type": "T", "role": "derivative", "status": "approved", "verified": false}], "victimIndicia": ["law-enforcement-certification"]}, "completedSteps": ["opla-consultation"]}"#,
    ].map { text in
        do { return try CaseDecoder.decode(json: Array(text.utf8)) } catch { fatalError("a sample case does not decode: \(error)") }
    }
}
