import FluentKit
import Foundation

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
    @Field(key: "computed_by") public var computedBy: UUID
    @OptionalField(key: "superseded_by") public var supersededBy: UUID?
    @Timestamp(key: "computed_at", on: .create) public var computedAt: Date?

    public init() {}

    public init(encounterID: UUID, asOf: String, disposition: String, ruleSetDigest: String, facts: String, decision: String, computedBy: UUID) {
        $encounter.id = encounterID
        self.asOf = asOf
        self.disposition = disposition
        self.ruleSetDigest = ruleSetDigest
        self.facts = facts
        self.decision = decision
        self.computedBy = computedBy
    }
}
