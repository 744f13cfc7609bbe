import PolicyEngine

/// 8 U.S.C. § 1367(a)(1): no adverse determination "using information furnished solely by" an
/// abuser or a member of the abuser's household, or, for a U, T or VAWA applicant, the perpetrator
/// or trafficker (unless the person has a § 237(a)(2) conviction; the policy engine decides which
/// items are barred for this case and lists them in `excludedInformation`). An adverse step (the approval of
/// exceptional circumstances) and the enforcement action may name the evidence they rest on, their
/// basis; a basis made only of items the engine lists in `excludedInformation` is refused, and so
/// is an action without a basis on a case whose every adverse item is excluded.
public enum SourceProhibition {
    public static let citation = "8 U.S.C. § 1367(a)(1)"

    /// The steps that are adverse determinations.
    public static let adverseSteps: EnumSet<Step> = EnumSet([.exceptionalCircumstancesApproval])

    /// Checks a basis against the case and its decision now.
    /// - Throws: `WorkflowError.invalid` for a label that names no evidence of the encounter;
    ///   `WorkflowError.sourceProhibited` when every item of the basis is excluded.
    /// Without a basis, an action still rests on the case's adverse information: when all of it is
    /// excluded, it is refused until a basis names evidence that is not.
    static func check(_ basis: [String], facts: CaseFacts, decision: Decision) throws {
        guard !basis.isEmpty else {
            let adverse = facts.information.filter(\.adverse).map(\.id)
            if !adverse.isEmpty, Set(adverse).isSubset(of: decision.excludedInformation) { throw WorkflowError.sourceProhibited(adverse) }
            return
        }
        let labels = Set(facts.information.map(\.id))
        let unknown = basis.enumerated().filter { !labels.contains($0.element) }
        guard unknown.isEmpty else {
            throw WorkflowError.invalid(unknown.map { FieldError(path: "basis[\($0.offset)]", message: "no evidence '\($0.element)' in this encounter") })
        }
        let excluded = Set(decision.excludedInformation)
        if basis.allSatisfy(excluded.contains) { throw WorkflowError.sourceProhibited(basis) }
    }
}
