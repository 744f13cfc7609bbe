import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing
import Yams

/// The rule tests in `Policies/tests/`: one file per policy, with for each rule cases where it fires
/// and cases where it must not, and cases on the first and last day of the policy.
@Suite struct RuleFileTests {
    struct RuleCase {
        var file: String
        var name: String
        var facts: CaseFacts
        var node: Node
    }

    static let folder = Fixtures.packageRoot.appendingPathComponent("Policies/tests")

    static func testFiles() throws -> [(policy: String, cases: [RuleCase])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".test.yaml") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let root = try #require(try Yams.compose(yaml: text))
            let policy = try #require(root["policy"]?.string)
            let cases = try (root["cases"]?.sequence.map(Array.init) ?? []).map { node in
                let caseName = node["name"]?.string ?? "?"
                let facts: CaseFacts
                do {
                    facts = try CaseDecoder.decode(try json(#require(node["case"])))
                } catch let error as CaseInputError {
                    Issue.record("\(name): \(caseName): \(error)")
                    throw error
                }
                return RuleCase(file: name, name: caseName, facts: facts, node: node)
            }
            return (policy, cases)
        }
    }

    /// A YAML node as the JSON a case file would hold: plain true/false are booleans, other scalars strings.
    static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .mapping(let mapping):
            return .object(try mapping.map { JSONMember(key: try #require($0.key.string), value: try json($0.value)) })
        case .alias:
            throw CaseInputError([FieldError(path: "", message: "aliases are not used in rule tests")])
        }
    }

    static func strings(_ node: Node?) -> [String]? { node?.sequence?.compactMap(\.string) }

    @Test func everyPolicyHasATestFile() throws {
        let tested = Set(try Self.testFiles().map(\.policy))
        for document in Fixtures.ruleSet.documents {
            #expect(tested.contains(document.id), "no rule tests for \(document.id)")
        }
    }

    @Test func everyCaseDecidesAsItSays() throws {
        let ruleSet = Fixtures.ruleSet
        var checked = 0
        for (_, cases) in try Self.testFiles() {
            for test in cases {
                let decision = ruleSet.evaluate(test.facts)
                let fired = Set(decision.ruleIDs(in: ruleSet))
                let label = "\(test.file): \(test.name)"
                for rule in Self.strings(test.node["fires"]) ?? [] {
                    #expect(ruleSet.rules.contains { $0.id == rule }, "\(label): unknown rule \(rule)")
                    #expect(fired.contains(rule), "\(label): \(rule) should fire; fired \(fired.sorted())")
                }
                for rule in Self.strings(test.node["doesNotFire"]) ?? [] {
                    #expect(ruleSet.rules.contains { $0.id == rule }, "\(label): unknown rule \(rule)")
                    #expect(!fired.contains(rule), "\(label): \(rule) must not fire")
                }
                if let disposition = test.node["disposition"]?.string {
                    #expect(decision.disposition.spelling == disposition, "\(label)")
                }
                if let policies = Self.strings(test.node["policies"]) {
                    #expect(Set(decision.policyIDs(in: ruleSet)) == Set(policies), "\(label)")
                }
                if let steps = Self.strings(test.node["requiredSteps"]) { #expect(Set(decision.requiredSteps.spellings) == Set(steps), "\(label)") }
                if let duties = Self.strings(test.node["duties"]) {
                    // Listed duties must stand; an empty list means none at all.
                    if duties.isEmpty { #expect(decision.duties.isEmpty, "\(label)") }
                    for duty in duties { #expect(decision.duties.spellings.contains(duty), "\(label): duty \(duty)") }
                }
                if let options = Self.strings(test.node["options"]) { #expect(Set(decision.options.spellings) == Set(options), "\(label)") }
                if let excluded = Self.strings(test.node["excludedInformation"]) {
                    #expect(Set(decision.excludedInformation) == Set(excluded), "\(label)")
                }
                if let factors = test.node["discretionaryFactors"]?.sequence {
                    let want = Set(factors.map { "\($0["factor"]?.string ?? "")/\($0["weight"]?.string ?? "")" })
                    #expect(Set(decision.discretionaryFactors.map { "\($0.factor)/\($0.weight.spelling)" }) == want, "\(label)")
                }
                checked += 1
            }
        }
        #expect(checked > 60)
    }

    /// Each rule has a case where it fires and one where it must not, in its policy's test file.
    @Test func everyRuleIsTestedBothWays() throws {
        let files = try Self.testFiles()
        for rule in Fixtures.ruleSet.rules {
            let cases = files.first { $0.policy == rule.policyID }?.cases ?? []
            #expect(cases.contains { Self.strings($0.node["fires"])?.contains(rule.id) == true }, "no case where \(rule.id) fires")
            #expect(cases.contains { Self.strings($0.node["doesNotFire"])?.contains(rule.id) == true }, "no case where \(rule.id) must not fire")
        }
    }

    /// Each dated policy is tested on its first day and the day before, and on its last day and the day after.
    @Test func everyVersionIsTestedOnItsBoundaries() throws {
        let files = try Self.testFiles()
        for document in Fixtures.ruleSet.documents {
            let dates = Set((files.first { $0.policy == document.id }?.cases ?? []).map(\.facts.asOf))
            if let start = document.inForceFrom {
                #expect(dates.contains(start) && dates.contains(start.previousDay), "\(document.id): first day \(start) untested")
            }
            if let end = document.inForceThrough {
                #expect(dates.contains(end) && dates.contains(end.nextDay), "\(document.id): last day \(end) untested")
            }
        }
    }
}
