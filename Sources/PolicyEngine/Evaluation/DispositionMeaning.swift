/// What each disposition says, in words for the people who act on it. A disposition is what the
/// victim-protection policies allow, never a finding that the person is removable: an approved T
/// or U holder, for one, is lawfully present whatever these policies allow.
extension Disposition {
    public var meaning: String {
        switch self {
        case .refrain:
            "Do not take this action: a policy in force directs that it not be taken."
        case .proceedAfterSteps:
            "The victim-protection policies in force allow this action only once the steps still owed are done. "
                + "This is not a finding that the person is removable or that the action is lawful."
        case .proceed:
            "Nothing in the victim-protection policies in force stands in the way of this action. "
                + "This is not a finding that the person is removable or that the action is lawful."
        }
    }
}

extension Decision {
    /// Why no rule fired, in words: which documents were in force, and that none of their rules
    /// applies to these facts.
    public static func noRuleFiredExplanation(asOf: String, policies: [String]) -> String {
        "No rule fired. In force on \(asOf): \(policies.joined(separator: ", ")); none of their rules applies to these facts."
    }

    /// `noRuleFiredExplanation` for this decision; nil when a rule fired.
    public func noRuleFiredText(in ruleSet: RuleSet) -> String? {
        reasons.isEmpty ? Self.noRuleFiredExplanation(asOf: asOf.description, policies: policyIDs(in: ruleSet)) : nil
    }
}
