import Foundation
import PolicyEngine

/// What an officer states when opening an encounter: the person, the action contemplated and its
/// day, the yes-or-no facts, the victim indicia seen and the evidence at hand.
public struct EncounterInput: Sendable {
    public var personID: UUID
    public var action: Action
    public var asOf: CalendarDate
    public var facts: Set<EncounterFact>
    public var victimIndicia: EnumSet<VictimIndicium>
    public var information: [InformationItem]

    public init(personID: UUID, action: Action, asOf: CalendarDate, facts: Set<EncounterFact> = [],
                victimIndicia: EnumSet<VictimIndicium> = EnumSet(), information: [InformationItem] = []) {
        self.personID = personID
        self.action = action
        self.asOf = asOf
        self.facts = facts
        self.victimIndicia = victimIndicia
        self.information = information
    }
}
