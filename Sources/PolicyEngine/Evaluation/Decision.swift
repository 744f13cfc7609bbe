/// What the policies in force say about one case: the contract's output, with reasons held as
/// indices into the rule set that produced it.
public struct Decision: Sendable, Equatable {
    public var asOf: CalendarDate
    /// Indices into `RuleSet.documents` of the documents in force.
    public var policies: [Int]
    public var disposition: Disposition
    public var requiredSteps: EnumSet<Step>
    public var duties: EnumSet<Duty>
    public var options: EnumSet<ReliefOption>
    public var discretionaryFactors: [DiscretionaryFactor]
    public var excludedInformation: [String]
    public var reasons: [Firing]
    public var ruleSetDigest: String

    /// One rule that fired, and for a rule over a list, the items it matched.
    public struct Firing: Sendable, Equatable {
        /// Index into `RuleSet.rules`.
        public var rule: Int
        /// `information[].id` of the matched items, or `subject.benefits[i]` for a rule over filings.
        public var items: [String]
    }

    /// The ids of the rules that fired, in evaluation order.
    public func ruleIDs(in ruleSet: RuleSet) -> [String] { reasons.map { ruleSet.rules[$0.rule].id } }

    public func policyIDs(in ruleSet: RuleSet) -> [String] { policies.map { ruleSet.documents[$0].id } }
}
