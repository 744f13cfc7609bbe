import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

/// Every public example of `../shared/contract/examples/` decided as the contract says, through the
/// library (`CommandLineTests` runs them through `safeguard evaluate`).
@Suite(.enabled(if: Fixtures.sharedIsExpected, "../shared is not beside the repository"))
struct ContractExampleTests {
    static let requiredOutputFields = [
        "asOf", "policies", "disposition", "requiredSteps", "duties", "options", "discretionaryFactors",
        "excludedInformation", "reasons", "ruleSetDigest",
    ]

    @Test func everyExampleThroughTheLibrary() throws {
        let ruleSet = Fixtures.ruleSet
        for example in try ContractExamples.all() {
            let facts = try CaseDecoder.decode(json: example.caseBytes)
            let json = ruleSet.evaluate(facts).json(in: ruleSet).serialized()
            let decision = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(ContractExamples.mismatches(decision, example.expected) == [], "\(example.name)")
            for field in Self.requiredOutputFields {
                #expect(decision[field] != nil, "\(example.name): \(field) missing")
            }
        }
    }

    /// Every reason names its rule, policy, effect and a full citation, and the policy is in force.
    @Test func reasonsCarryCitations() throws {
        for example in try ContractExamples.all() {
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
