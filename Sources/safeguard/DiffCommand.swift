import ArgumentParser
import PolicyEngine

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Decide one case on two dates and show what changes and which rules cause it."
    )

    @Argument(help: "A case file in the contract's JSON, or - for standard input.")
    var file: String

    @Option(help: "The earlier date (YYYY-MM-DD).")
    var from: String

    @Option(help: "The later date (YYYY-MM-DD).")
    var to: String

    @OptionGroup var policyOptions: PolicyOptions

    func run() throws {
        try reportingBadInput {
            let ruleSet = try policyOptions.load()
            let facts = try CaseFile.read(file)
            var before = facts, after = facts
            before.asOf = try parseDate(from, option: "--from")
            after.asOf = try parseDate(to, option: "--to")
            let diff = DecisionDiff(before: ruleSet.evaluate(before), after: ruleSet.evaluate(after), in: ruleSet)
            print("\(facts.action.spelling): \(before.asOf) → \(after.asOf)")
            for line in diff.lines { print("  \(line)") }
            if !diff.outcomeChanged { print("  the outcome is the same on both dates") }
        }
    }
}
