/// A property that a policy's decisions must have, stated in its file beside its rules and checked
/// by `policies verify` over the bounded fact space on every date the policy is in force: where
/// `when` holds of the facts, `expect` must hold of the facts and the decision.
///
/// Invariants are written from the policy's reading directly, not through its rules, so that a
/// rule that drifts from the reading is caught.
public struct Invariant: Sendable {
    public var id: String
    public var policyID: String
    public var description: String
    public var when: String
    public var expect: String
    public var location: SourceLocation
    let premise: CompiledCondition
    let expectation: CompiledCondition
}
