import Foundation
import PolicyEngine

/// Why the workflow refused a request. The server maps each case to its HTTP status.
public enum WorkflowError: Error, Sendable, Equatable {
    /// Nothing with that id that this actor may see.
    case notFound(String)
    /// The actor's role may not do this.
    case forbidden(String)
    /// The input is not acceptable; each error names its field.
    case invalid([FieldError])
    /// The record changed since the caller read it (optimistic concurrency).
    case staleVersion(current: Int)
    /// The record's state does not allow this (an action already recorded, a duplicate).
    case conflict(String)
    /// The policies in force do not allow the action yet.
    case gateRefused(GateRefusal)
    /// An adverse determination would rest only on these items, which § 1367(a)(1) excludes.
    case sourceProhibited([String])
    /// Too many failed attempts: the caller may try again after this many seconds.
    case throttled(retryAfter: TimeInterval)
    /// Asked too often (`SourceAskAllowance`), for the reason given: again after this many seconds.
    case tooOften(String, retryAfter: TimeInterval)
}

/// What stands between an encounter and its enforcement action.
public struct GateRefusal: Sendable, Equatable {
    public var disposition: Disposition
    public var requiredSteps: [String]
    /// The rules that account for the refusal: the refrain rules and the rules requiring owed steps.
    public var rules: [String]

    /// The refusal in words, for the API's problem and the encounter page alike.
    public var explanation: String {
        let owed = requiredSteps.isEmpty ? "" : "; steps still owed: \(requiredSteps.joined(separator: ", "))"
        return "the policies in force do not allow the action yet: disposition \(disposition.spelling)\(owed)"
    }

    /// The refusal in plain words, for pages.
    public var plainExplanation: String {
        let owed = requiredSteps.compactMap { Step(spelling: $0)?.label }
        return "The policies in force say: \(disposition.label)." + (owed.isEmpty ? "" : " Still owed: \(owed.joined(separator: "; ")).")
    }

    /// The refusal as shown to a user who does not see the person's protected data: the rules
    /// whose reading would reveal it stand as one marker, there whether or not any did (as in
    /// `Disclosure.decision`), so that the refusal's shape tells nothing.
    func withholding(in ruleSet: RuleSet) -> GateRefusal {
        var refusal = self
        refusal.rules = rules.filter { id in ruleSet.rule(id: id).map(ProtectedData.reveals) == false } + [Disclosure.marker]
        return refusal
    }
}
