/// A decision in words for an officer: the outcome first, then every rule that fired with the
/// passage it rests on.
extension Decision {
    public func explanation(in ruleSet: RuleSet, facts: CaseFacts) -> String {
        func list<E: ContractEnum>(_ set: EnumSet<E>) -> String {
            set.isEmpty ? "none" : set.spellings.joined(separator: ", ")
        }
        var lines: [String] = []
        let title = facts.caseId.map { "Case \($0): " } ?? ""
        lines.append("\(title)\(facts.action.spelling) on \(asOf)")
        lines.append("Policies in force:")
        for index in policies {
            let document = ruleSet.documents[index]
            lines.append("  - \(document.id): \(document.title) (\(document.periodDescription))")
        }
        lines.append("")
        lines.append("Disposition: \(disposition.spelling.uppercased())")
        lines.append("  \(disposition.meaning)")
        lines.append("Steps still owed: \(list(requiredSteps))")
        if !facts.stepsCompleted.isEmpty { lines.append("Steps completed: \(list(facts.stepsCompleted))") }
        lines.append("Duties: \(list(duties))")
        lines.append("Options: \(list(options))")
        let factors = discretionaryFactors.map { "\($0.factor) (\($0.weight.spelling))" }
        lines.append("Discretionary factors: \(factors.isEmpty ? "none" : factors.joined(separator: ", "))")
        lines.append("Excluded information (8 U.S.C. § 1367(a)(1)): \(excludedInformation.isEmpty ? "none" : excludedInformation.joined(separator: ", "))")
        lines.append("")
        lines.append(noRuleFiredText(in: ruleSet) ?? "Why, rule by rule:")
        for (number, firing) in reasons.enumerated() {
            let rule = ruleSet.rules[firing.rule]
            lines.append("  \(number + 1). \(rule.id) → \(rule.effects.summary)")
            if !rule.description.isEmpty { lines.append("     \(rule.description)") }
            if !firing.items.isEmpty { lines.append("     Applies to: \(firing.items.joined(separator: ", "))") }
            if let authority = rule.authority { lines.append("     Authority: \(authority)") }
            if rule.citation.quote.isEmpty {
                lines.append("     \(rule.citation.document), \(rule.citation.passage) [\(rule.source.rawValue) source; no text held to quote]")
            } else {
                lines.append("     \(rule.citation.document), \(rule.citation.passage) [\(rule.source.rawValue) source]:")
                lines.append("     “\(rule.citation.quote)”")
            }
        }
        lines.append("")
        lines.append("Rule set \(ruleSetDigest)")
        return lines.joined(separator: "\n")
    }
}
