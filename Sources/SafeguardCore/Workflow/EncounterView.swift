import Foundation
import PolicyEngine

/// An encounter as one user sees it: its case and current decision with the person's protected
/// data withheld unless the user is shown it (`Disclosure`).
public struct EncounterView: Codable, Sendable {
    public var id: UUID
    public var personId: UUID
    public var office: String
    public var action: String
    public var asOf: String
    public var status: String
    public var version: Int
    /// The case the engine decides, as shown.
    public var facts: JSONValue
    public var decision: DecisionView?

    init(_ encounter: Encounter, facts: JSONValue, decision: DecisionView?) throws {
        id = try encounter.requireID()
        personId = encounter.$person.id
        (office, action, asOf, status, version) = (encounter.office, encounter.action, encounter.asOf, encounter.status, encounter.version)
        self.facts = facts
        self.decision = decision
    }
}

/// A stored decision as one user sees it.
public struct DecisionView: Codable, Sendable {
    public var id: UUID
    public var disposition: String
    public var ruleSetDigest: String
    public var computedAt: Date?
    /// The engine's decision; for a protected person and a user not entitled, with what reveals
    /// the person's protected data withheld (`Disclosure.decision`).
    public var decision: JSONValue

    init(_ record: DecisionRecord, shown: Bool, ruleSet: RuleSet) throws {
        id = try record.requireID()
        (disposition, ruleSetDigest, computedAt) = (record.disposition, record.ruleSetDigest, record.computedAt)
        decision = Disclosure.decision(try JSONParser.parse(record.decision), shown: shown, ruleSet: ruleSet)
    }
}

/// A step record as one user sees it. What a step found and with whom (OPLA's advice, the
/// approver's justification, the agency contacted, the filing checked and what the source said)
/// is § 1367 data of a protected person like the verification itself: unless `shown`, the summary,
/// the counterpart, the filing, the outcome and every label of an adverse step's basis are
/// withheld; which step, who recorded it and when stay.
public struct StepView: Codable, Sendable {
    public var id: UUID
    public var step: String
    public var summary: String
    public var counterpart: String
    public var filingId: UUID?
    /// What the step found: a verification's `VerificationOutcome`, a consultation's `ConsultationAdvice`.
    public var outcome: String?
    public var recordedBy: UUID
    public var recordedRole: String
    public var recordedAt: Date?
    /// The evidence an adverse step rests on (labels of statements: protected).
    public var basis: [String]?
    /// An exceptional-circumstances approval declined; `summary` says why.
    public var declined: Bool

    public init(_ record: StepRecord, shown: Bool) throws {
        id = try record.requireID()
        (step, declined) = (record.step, record.declined)
        (recordedBy, recordedRole, recordedAt) = (record.recordedBy, record.recordedRole, record.recordedAt)
        summary = shown ? record.summary : Disclosure.marker
        counterpart = shown ? record.counterpart : Disclosure.marker
        filingId = shown ? record.$filing.id : nil
        // A verification recorded before outcomes, unconfirmed, answered nothing: no outcome.
        outcome = shown ? record.outcome ?? (record.confirmed == true ? VerificationOutcome.confirmed.rawValue : nil) : nil
        basis = shown ? record.basis : record.basis.map { _ in [Disclosure.marker] }
    }
}
