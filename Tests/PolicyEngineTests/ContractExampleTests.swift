import Foundation
import PolicyEngine
import Testing

/// Every public example of `../shared/contract/examples/` decided as the contract says, through the
/// library and through `safeguard evaluate --format json`.
@Suite(.enabled(if: Fixtures.sharedIsExpected, "../shared is not beside the repository"))
struct ContractExampleTests {
    struct Example {
        var name: String
        var caseBytes: [UInt8]
        var expected: [String: Any]
        var casePath: String
    }

    static func examples() throws -> [Example] {
        let folder = try Fixtures.sharedFile("contract/examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".case.json") }.map { String($0.dropLast(".case.json".count)) }.sorted()
        try #require(!names.isEmpty, "no examples in \(folder.path)")
        return try names.map { name in
            let casePath = folder.appendingPathComponent("\(name).case.json").path
            let expectData = try Data(contentsOf: folder.appendingPathComponent("\(name).expect.json"))
            let expected = try #require(try JSONSerialization.jsonObject(with: expectData) as? [String: Any])
            return Example(name: name, caseBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: casePath))), expected: expected, casePath: casePath)
        }
    }

    /// Compares the fields an expect file lists; lists compare as sets.
    static func mismatches(_ decision: [String: Any], _ expected: [String: Any]) -> [String] {
        func canonical(_ value: Any) -> String {
            let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            return String(decoding: data, as: UTF8.self)
        }
        var problems: [String] = []
        for (key, want) in expected {
            guard let got = decision[key] else {
                problems.append("\(key) is missing")
                continue
            }
            if let wantList = want as? [Any], let gotList = got as? [Any] {
                if Set(wantList.map(canonical)) != Set(gotList.map(canonical)) || wantList.count != gotList.count {
                    problems.append("\(key): got \(canonical(got)), want \(canonical(want))")
                }
            } else if canonical(got) != canonical(want) {
                problems.append("\(key): got \(canonical(got)), want \(canonical(want))")
            }
        }
        return problems
    }

    static let requiredOutputFields = [
        "asOf", "policies", "disposition", "requiredSteps", "duties", "options", "discretionaryFactors",
        "excludedInformation", "reasons", "ruleSetDigest",
    ]

    @Test func everyExampleThroughTheLibrary() throws {
        let ruleSet = Fixtures.ruleSet
        for example in try Self.examples() {
            let facts = try CaseDecoder.decode(json: example.caseBytes)
            let json = ruleSet.evaluate(facts).json(in: ruleSet).serialized()
            let decision = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(Self.mismatches(decision, example.expected) == [], "\(example.name)")
            for field in Self.requiredOutputFields {
                #expect(decision[field] != nil, "\(example.name): \(field) missing")
            }
        }
    }

    @Test func everyExampleThroughTheCommandLine() async throws {
        for example in try Self.examples() {
            let result = try await CommandLineRunner.run(["evaluate", example.casePath, "--format", "json"])
            #expect(result.status == 0, "\(example.name): \(result.standardError)")
            let decision = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect(Self.mismatches(decision, example.expected) == [], "\(example.name)")
            #expect((decision["ruleSetDigest"] as? String) == Fixtures.ruleSet.digest)
        }
    }

    /// Every reason names its rule, policy, effect and a full citation, and the policy is in force.
    @Test func reasonsCarryCitations() throws {
        for example in try Self.examples() {
            let facts = try CaseDecoder.decode(json: example.caseBytes)
            let decision = Fixtures.ruleSet.evaluate(facts)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(decision.json(in: Fixtures.ruleSet).serialized().utf8)) as? [String: Any])
            let reasons = try #require(json["reasons"] as? [[String: Any]])
            #expect(!reasons.isEmpty, "\(example.name) has no reasons")
            let policies = json["policies"] as? [String] ?? []
            for reason in reasons {
                let citation = reason["citation"] as? [String: String] ?? [:]
                #expect(!(citation["document"] ?? "").isEmpty && !(citation["passage"] ?? "").isEmpty)
                // Only a rule resting on a secondary account we hold no text of quotes nothing.
                #expect(!(citation["quote"] ?? "").isEmpty || reason["source"] as? String == "secondary", "\(example.name): \(reason["rule"] ?? "")")
                #expect(policies.contains(reason["policy"] as? String ?? ""), "\(example.name): reason from a policy not in force")
                #expect((reason["rule"] as? String ?? "").hasPrefix("\(reason["policy"] as? String ?? "")/"))
            }
        }
    }
}
