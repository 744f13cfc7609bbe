import PolicyEngine

/// What 8 U.S.C. § 1367 protects, in one place. A person is protected while they have a T, U or
/// VAWA filing that is not denied with appeals exhausted (`denied-final`), whatever else its
/// status and whether or not it is verified (the duty starts on reason to believe). These are
/// withheld from anyone not entitled to them, for every person alike, so that what is withheld
/// never tells who is protected (`Disclosure`):
/// - every filing, its existence included (type, role, status, receipt number, dates,
///   verification): the filings list is refused to them whole;
/// - the evidence of an encounter (its statements: labels and sources) and the victim indicia;
/// - the facts the engine decided on (they hold the filings, the indicia and the evidence);
/// - in a decision, every reason whose rule reads those facts (`revealingFacts`), and the duties,
///   options, discretionary factors and excluded information, which such rules produce; the
///   disposition and the steps still owed stay visible;
/// - the summary, filing and result of a benefit verification.
public enum ProtectedData {
    /// Facts whose reading makes a rule's firing tell of a filing, of victimhood or of statements.
    public static let revealingFacts = ["subject.benefits", "subject.victimIndicia", "information"]

    /// Whether the firing of `rule` would reveal protected facts.
    public static func reveals(_ rule: Rule) -> Bool {
        rule.reads.contains { path in revealingFacts.contains { path == $0 || path.hasPrefix($0 + "[") || path.hasPrefix($0 + ".") } }
    }

    /// The members of a decision's JSON that are withheld whole.
    public static let withheldDecisionMembers = ["duties", "options", "discretionaryFactors", "excludedInformation"]
    /// The members of a case's facts (the contract's input) that are withheld: the case's
    /// statements, and the subject's filings and victim indicia.
    public static let withheldCaseMembers = ["information"], withheldSubjectMembers = ["benefits", "victimIndicia"]
}
