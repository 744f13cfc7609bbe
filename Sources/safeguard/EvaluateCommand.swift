import ArgumentParser
import PolicyEngine

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Decide one case: the policies in force, the disposition, the steps owed, and why."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A case file in the contract's JSON, or - for standard input.")
    var file: String

    @Option(name: .customLong("as-of"), help: "Decide on this date (YYYY-MM-DD) instead of the case's asOf.")
    var asOf: String?

    @Option(help: "text: an explanation rule by rule; json: the contract's decision.")
    var format: Format = .text

    @OptionGroup var policyOptions: PolicyOptions

    func run() throws {
        try reportingBadInput {
            let ruleSet = try policyOptions.load()
            var facts = try CaseFile.read(file)
            if let asOf { facts.asOf = try parseDate(asOf, option: "--as-of") }
            let decision = ruleSet.evaluate(facts)
            switch format {
            case .json: print(decision.json(in: ruleSet, caseId: facts.caseId).serialized(pretty: true))
            case .text: print(decision.explanation(in: ruleSet, facts: facts))
            }
        }
    }
}
