import FluentKit
import Foundation
import PolicyEngine

/// A decision of the engine about an encounter, stored whole with the facts it was computed from
/// and the digest of the rules that produced it. Never edited: a new decision supersedes it.
public final class DecisionRecord: Model, @unchecked Sendable {
    public static let schema = "decisions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "encounter_id") public var encounter: Encounter
    @Field(key: "as_of") public var asOf: String
    @Field(key: "disposition") public var disposition: String
    @Field(key: "rule_set_digest") public var ruleSetDigest: String
    /// The case facts, as the contract's input JSON.
    @Field(key: "facts") public var facts: String
    /// The engine's full output, as the contract's decision JSON.
    @Field(key: "decision") public var decision: String
    /// The steps the decision requires, as `requiredStepsColumn` spells them.
    @Field(key: "required_steps") public var requiredSteps: String
    @Field(key: "computed_by") public var computedBy: UUID
    @OptionalField(key: "superseded_by") public var supersededBy: UUID?
    @Timestamp(key: "computed_at", on: .create) public var computedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $encounter, $asOf, $disposition, $ruleSetDigest, $facts, $decision, $requiredSteps, $computedBy, $supersededBy,
            $computedAt
        ]
    }

    public init() {}

    public init(encounterID: UUID, asOf: String, disposition: String, requiredSteps: EnumSet<Step>, ruleSetDigest: String, facts: String,
                decision: String, computedBy: UUID) {
        $encounter.id = encounterID
        self.asOf = asOf
        self.disposition = disposition
        self.requiredSteps = Self.requiredStepsColumn(requiredSteps)
        self.ruleSetDigest = ruleSetDigest
        self.facts = facts
        self.decision = decision
        self.computedBy = computedBy
    }

    /// Steps as the `required_steps` column holds them: each spelling with a space on both sides,
    /// so that `LIKE '% step %'` finds exactly that step.
    static func requiredStepsColumn(_ steps: EnumSet<Step>) -> String {
        steps.isEmpty ? "" : " " + steps.spellings.joined(separator: " ") + " "
    }

    static func requiredStepsPattern(_ step: Step) -> String { "% \(step.spelling) %" }
}
