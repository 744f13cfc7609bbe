import Foundation
import PolicyEngine

/// An encounter as one user sees it: its case and current decision with the person's protected
/// data withheld unless the user is shown it (`Disclosure`).
public struct EncounterView: Sendable {
    public let encounter: Encounter
    public let id: UUID
    /// Whether the person's protected data is shown.
    public let shown: Bool
    /// The case the engine decides, as shown.
    public let facts: JSONValue
    public let decision: DecisionView?
}

/// A stored decision as one user sees it.
public struct DecisionView: Sendable {
    public let record: DecisionRecord
    /// The engine's decision; for a protected person and a user not entitled, with what reveals
    /// the person's protected data withheld (`Disclosure.decision`).
    public let decision: JSONValue

    init(_ record: DecisionRecord, shown: Bool, ruleSet: RuleSet) throws {
        self.record = record
        decision = Disclosure.decision(try JSONParser.parse(record.decision), shown: shown, ruleSet: ruleSet)
    }
}

/// A step record as one user sees it: a benefit verification of a protected person tells of a
/// filing, so unless `shown` its summary, filing and result are withheld, and so is every label
/// of an adverse step's basis (evidence statements).
public struct StepView: Sendable {
    public let record: StepRecord
    public let summary: String
    public let filingID: UUID?
    public let confirmed: Bool?
    public let basis: [String]?

    public init(_ record: StepRecord, shown: Bool) {
        self.record = record
        let withheld = !shown && record.step == Step.benefitVerification.spelling
        summary = withheld ? Disclosure.marker : record.summary
        filingID = withheld ? nil : record.$filing.id
        confirmed = withheld ? nil : record.confirmed
        basis = shown ? record.basis : record.basis.map { _ in [Disclosure.marker] }
    }
}
