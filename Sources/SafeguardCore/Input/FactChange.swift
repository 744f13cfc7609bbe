import PolicyEngine

/// What an officer changes of the facts stated on an encounter: each fact named is set or
/// cleared, the others stay; the victim indicia are replaced when given.
public struct FactChange: Sendable {
    public var facts: [EncounterFact: Bool]
    public var victimIndicia: EnumSet<VictimIndicium>?

    public init(facts: [EncounterFact: Bool] = [:], victimIndicia: EnumSet<VictimIndicium>? = nil) {
        self.facts = facts
        self.victimIndicia = victimIndicia
    }
}
