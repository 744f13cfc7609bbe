import Foundation
import Yams

/// The rule tests of policies: one file per policy (`ID.test.yaml`), beside the policy files or in
/// a folder of their own, each case a set of facts and what its decision must show (the rules that
/// fire and those that must not, the policies in force, the disposition, the steps, duties,
/// options, excluded items and factors). `safeguard policies test` runs them; a draft brings its own.
///
/// ```yaml
/// policy: ice-directive-11005.3
/// cases:
///   - name: first day in force, a known U petitioner is not arrested
///     case: {asOf: 2021-08-10, action: arrest, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
///     fires: [ice-directive-11005.3/refrain-known-beneficiary]
///     disposition: refrain
/// ```
public struct RuleTests: Sendable {
    public static let fileSuffix = ".test.yaml"

    /// A case of a test file and where it is written.
    public struct Case: Sendable {
        public var policy: String
        public var name: String
        public var facts: CaseFacts
        public var location: SourceLocation
        /// What the decision must show, by key (`fires`, `disposition`, …).
        var expectations: [String: Expectation]
    }

    enum Expectation: Sendable {
        case names([String])
        case text(String)
    }

    public private(set) var cases: [Case] = []
    private static let caseKeys: Set<String> = [
        "name", "case", "fires", "doesNotFire", "disposition", "policies", "requiredSteps", "duties", "options", "excludedInformation",
        "discretionaryFactors",
    ]

    public init() {}

    /// The test files of the folders, each case checked for its shape and its facts; problems name
    /// each file by its path.
    public static func load(from folders: [URL]) throws(PolicyLoadError) -> RuleTests {
        var tests = RuleTests()
        var problems: [PolicyProblem] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.filter({ $0.hasSuffix(fileSuffix) }).sorted() {
                let path = folder.appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    problems.append(PolicyProblem(location: SourceLocation(file: path, line: 1, column: 1), message: "cannot read the file as UTF-8"))
                    continue
                }
                do {
                    var document = try YAMLDocument(fileName: path, text: text)
                    tests.cases += read(&document)
                    problems += document.problems
                } catch {
                    problems.append(error)
                }
            }
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        return tests
    }

    private static func read(_ document: inout YAMLDocument) -> [Case] {
        guard let pairs = document.mapping(document.root, allowed: ["policy", "cases"], what: "a rule test file") else { return [] }
        let values = Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let policy = values["policy"].flatMap({ document.string($0, what: "policy") }) else {
            document.report("missing key 'policy': the id of the policy the cases test", at: document.root)
            return []
        }
        var cases: [Case] = []
        for node in values["cases"].flatMap({ document.sequence($0, what: "cases") }) ?? [] {
            guard let fields = document.mapping(node, allowed: caseKeys, what: "a case") else { continue }
            let field = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            let name = field["name"].flatMap { document.string($0, what: "name") } ?? "unnamed case"
            guard let caseNode = field["case"] else {
                document.report("case '\(name)' has no 'case': the facts to decide", at: node)
                continue
            }
            let facts: CaseFacts
            do {
                facts = try CaseDecoder.decode(try json(caseNode))
            } catch {
                document.report("case '\(name)': \(error)", at: caseNode)
                continue
            }
            var expectations: [String: Expectation] = [:]
            for (key, value) in field where !["name", "case"].contains(key) {
                switch key {
                case "disposition":
                    if let text = document.string(value, what: key) { expectations[key] = .text(text) }
                case "discretionaryFactors":
                    let factors = (document.sequence(value, what: key) ?? []).map { "\($0["factor"]?.string ?? "")/\($0["weight"]?.string ?? "")" }
                    expectations[key] = .names(factors)
                default:
                    if let names = document.strings(value, what: key) { expectations[key] = .names(names.map(\.0)) }
                }
            }
            cases.append(Case(policy: policy, name: name, facts: facts, location: document.location(of: node), expectations: expectations))
        }
        return cases
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
            return .object(try mapping.map { pair in
                guard let key = pair.key.string else { throw CaseInputError([FieldError(path: "", message: "a key is not a plain word")]) }
                return JSONMember(key: key, value: try json(pair.value))
            })
        case .alias:
            throw CaseInputError([FieldError(path: "", message: "aliases are not used in rule tests")])
        }
    }

    /// What each case's decision by `ruleSet` does not show of what its case says, at the case.
    public func failures(against ruleSet: RuleSet) -> [PolicyProblem] {
        var failures: [PolicyProblem] = []
        var named: Set<String> = []
        for test in cases where ruleSet.document(id: test.policy) == nil && named.insert(test.policy).inserted {
            failures.append(PolicyProblem(location: test.location, message: "no policy \(test.policy) among the policies: the file tests nothing"))
        }
        let scope = ruleSet.makeScope()
        for test in cases {
            let decision = ruleSet.evaluate(test.facts, in: scope)
            let fired = Set(decision.ruleIDs(in: ruleSet))
            func fail(_ message: String) { failures.append(PolicyProblem(location: test.location, message: "\(test.name): \(message)")) }
            func names(_ key: String) -> [String]? { if case .names(let names)? = test.expectations[key] { names } else { nil } }
            for rule in (names("fires") ?? []) + (names("doesNotFire") ?? []) where ruleSet.rule(id: rule) == nil {
                fail("no rule \(rule) in the policies")
            }
            for rule in names("fires") ?? [] where ruleSet.rule(id: rule) != nil && !fired.contains(rule) {
                fail("\(rule) should fire; fired: \(fired.sorted().joined(separator: ", "))")
            }
            for rule in names("doesNotFire") ?? [] where fired.contains(rule) { fail("\(rule) must not fire") }
            if case .text(let disposition)? = test.expectations["disposition"], decision.disposition.spelling != disposition {
                fail("disposition \(decision.disposition.spelling), not \(disposition)")
            }
            let shown: [(key: String, value: [String], listedMustStand: Bool)] = [
                ("policies", decision.policyIDs(in: ruleSet), false), ("requiredSteps", decision.requiredSteps.spellings, false),
                // Listed duties must stand; an empty list means none at all.
                ("duties", decision.duties.spellings, true), ("options", decision.options.spellings, false),
                ("excludedInformation", decision.excludedInformation, false),
                ("discretionaryFactors", decision.discretionaryFactors.map { "\($0.factor)/\($0.weight.spelling)" }, false),
            ]
            for (key, value, listedMustStand) in shown {
                guard let expected = names(key) else { continue }
                let holds = listedMustStand && !expected.isEmpty ? Set(expected).isSubset(of: Set(value)) : Set(expected) == Set(value)
                if !holds { fail("\(key) \(value.sorted()), not \(expected.sorted())") }
            }
        }
        return failures
    }

    /// What `rule` lacks of being tested both ways: a case of its policy's tests where it fires,
    /// and one where it must not (a rule tested one way only tests nothing of its condition).
    public func untested(_ rule: Rule) -> [String] {
        let mine = cases.filter { $0.policy == rule.policyID }
        func tested(_ key: String) -> Bool {
            mine.contains { if case .names(let names)? = $0.expectations[key] { names.contains(rule.id) } else { false } }
        }
        return (tested("fires") ? [] : ["\(rule.id): no case where it fires"]) + (tested("doesNotFire") ? [] : ["\(rule.id): no case where it must not fire"])
    }
}
