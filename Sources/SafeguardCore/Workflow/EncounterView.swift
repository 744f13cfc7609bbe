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

/// A step record as one user sees it: a benefit verification of a protected person tells of a
/// filing, so unless `shown` its summary, filing and result are withheld, and so is every label
/// of an adverse step's basis (evidence statements).
public struct StepView: Codable, Sendable {
    public var id: UUID
    public var step: String
    public var summary: String
    public var counterpart: String
    public var filingId: UUID?
    public var confirmed: Bool?
    public var recordedBy: UUID
    public var recordedRole: String
    public var recordedAt: Date?
    /// The evidence an adverse step rests on (labels of statements: protected).
    public var basis: [String]?
    /// An exceptional-circumstances approval declined; `summary` says why.
    public var declined: Bool

    public init(_ record: StepRecord, shown: Bool) throws {
        id = try record.requireID()
        (step, counterpart, declined) = (record.step, record.counterpart, record.declined)
        (recordedBy, recordedRole, recordedAt) = (record.recordedBy, record.recordedRole, record.recordedAt)
        let withheld = !shown && record.step == Step.benefitVerification.spelling
        summary = withheld ? Disclosure.marker : record.summary
        filingId = withheld ? nil : record.$filing.id
        confirmed = withheld ? nil : record.confirmed
        basis = shown ? record.basis : record.basis.map { _ in [Disclosure.marker] }
    }
}
