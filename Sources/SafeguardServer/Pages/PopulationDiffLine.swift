import PolicyEngine

/// A line of a population diff as pages show it, with its count: "May go ahead once the steps
/// are done → Do not take this action", or "Now applies: " and the rule's description. The
/// dashboard (the last re-evaluation) and the draft page (what a draft would change) share it.
struct PopulationDiffLine: Encodable, Equatable {
    var label: String
    var count: Int

    /// A transition ("refrain → proceed") in words; "none" is an encounter not decided before.
    static func transition(_ key: String, count: Int) -> PopulationDiffLine {
        let words = key.components(separatedBy: " → ").map { Disposition(spelling: $0)?.label ?? ($0 == "none" ? "No decision" : $0) }
        return PopulationDiffLine(label: words.joined(separator: " → "), count: count)
    }

    /// A rule that now applies ("+id") or no longer does ("-id"), by its description in the first
    /// of `ruleSets` that holds it.
    static func rule(_ key: String, count: Int, in ruleSets: RuleSet...) -> PopulationDiffLine {
        let id = String(key.dropFirst())
        let description = ruleSets.lazy.compactMap { $0.rule(id: id)?.description }.first ?? id
        return PopulationDiffLine(label: (key.hasPrefix("+") ? "Now applies: " : "No longer applies: ") + description, count: count)
    }
}
