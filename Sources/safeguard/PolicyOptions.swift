import ArgumentParser
import BundledPolicies
import Foundation
import PolicyEngine

/// `--policies DIR`: the folder of policy files to use instead of the ones built in.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: "A folder of policy files to use instead of the built-in ones.", completion: .directory)
    var policies: String?

    var directory: URL { policies.map { URL(fileURLWithPath: $0) } ?? BundledPolicies.directory }

    /// The rule set, with the drafts of the folder `drafts` added when given, or bad input listing
    /// every problem as `file:line:column: message`.
    func load(drafts: URL? = nil) throws -> RuleSet {
        try Self.load(from: directory, drafts: drafts)
    }

    static func load(from directory: URL, drafts: URL?) throws -> RuleSet {
        do {
            return try RuleSet.load(from: directory, drafts: drafts)
        } catch {
            throw BadInput(error.problems.map(\.description))
        }
    }
}

/// `--drafts DIR`: draft policy files added to the policies in force, for analysis (`policies`,
/// `reevaluate --dry-run`); never taken by `serve`, whose decisions are stored (it offers drafts
/// to try with `--offer-drafts`).
struct DraftOptions: ParsableArguments {
    @Option(name: .long, help: "A folder of draft policy files added to the policies (a draft may supersede or rescind one of them), with their rule tests (ID.test.yaml).",
            completion: .directory)
    var drafts: String?

    var directory: URL? { drafts.map { URL(fileURLWithPath: $0) } }
}
