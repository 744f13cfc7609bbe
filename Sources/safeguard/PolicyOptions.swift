import ArgumentParser
import BundledPolicies
import Foundation
import PolicyEngine

/// `--policies DIR`: the folder of policy files to use instead of the ones built in.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: "A folder of policy files to use instead of the built-in ones.", completion: .directory)
    var policies: String?

    var directory: URL { policies.map { URL(fileURLWithPath: $0) } ?? BundledPolicies.directory }

    /// The rule set, or bad input listing every problem as `file:line:column: message`.
    func load() throws -> RuleSet {
        do {
            return try RuleSet.load(from: directory)
        } catch {
            throw BadInput(error.problems.map(\.description))
        }
    }
}
