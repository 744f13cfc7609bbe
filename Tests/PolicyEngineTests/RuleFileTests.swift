import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

/// The rule tests in `Policies/tests/` (`RuleTests`, which `safeguard policies test` runs): one
/// file per policy, with for each rule cases where it fires and cases where it must not, and
/// cases on the first and last day of the policy.
@Suite struct RuleFileTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Policies/tests")

    static func tests() throws -> RuleTests { try RuleTests.load(from: [folder]) }

    @Test func everyPolicyHasATestFile() throws {
        let tested = Set(try Self.tests().cases.map(\.policy))
        for document in Fixtures.ruleSet.documents {
            #expect(tested.contains(document.id), "no rule tests for \(document.id)")
        }
    }

    @Test func everyCaseDecidesAsItSays() throws {
        let tests = try Self.tests()
        #expect(tests.failures(against: Fixtures.ruleSet).map(\.description) == [])
        #expect(tests.cases.count > 60)
    }

    /// Each rule has a case where it fires and one where it must not, in its policy's test file.
    @Test func everyRuleIsTestedBothWays() throws {
        let tests = try Self.tests()
        #expect(Fixtures.ruleSet.rules.flatMap(tests.untested) == [])
    }

    /// Each dated policy is tested on its first day and the day before, and on its last day and the day after.
    @Test func everyVersionIsTestedOnItsBoundaries() throws {
        let tests = try Self.tests()
        for document in Fixtures.ruleSet.documents {
            let dates = Set(tests.cases.filter { $0.policy == document.id }.map(\.facts.asOf))
            if let start = document.inForceFrom {
                #expect(dates.contains(start) && dates.contains(start.previousDay), "\(document.id): first day \(start) untested")
            }
            if let end = document.inForceThrough {
                #expect(dates.contains(end) && dates.contains(end.nextDay), "\(document.id): last day \(end) untested")
            }
        }
    }

    /// A case that does not decide as it says is reported at its place, with what the decision
    /// showed; a test file of a policy not in force, or one with a malformed case, too.
    @Test func aFailingCaseIsReportedWhereItIsWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rule-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("""
            policy: ice-directive-11005.3
            cases:
              - name: holds
                case: {asOf: 2022-01-01, action: arrest, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
                fires: [ice-directive-11005.3/refrain-known-beneficiary]
              - name: says the wrong thing
                case: {asOf: 2022-01-01, action: arrest}
                fires: [ice-directive-11005.3/refrain-known-beneficiary]
                disposition: refrain
                options: [stay-of-removal]

            """.utf8).write(to: folder.appendingPathComponent("ice-directive-11005.3.test.yaml"))
        let failures = try RuleTests.load(from: [folder]).failures(against: Fixtures.ruleSet).map(\.description)
        let file = folder.appendingPathComponent("ice-directive-11005.3.test.yaml").path
        #expect(failures.count == 3 && failures.allSatisfy { $0.hasPrefix("\(file):6:5: says the wrong thing: ") }, "\(failures)")
        #expect(failures.contains { $0.hasSuffix("disposition proceed, not refrain") })

        try Data("policy: nobody\ncases:\n  - name: no facts\n    fires: [x]\n".utf8).write(to: folder.appendingPathComponent("nobody.test.yaml"))
        #expect(throws: PolicyLoadError.self) { try RuleTests.load(from: [folder]) }
    }
}
