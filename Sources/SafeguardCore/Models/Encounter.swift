import FluentKit
import Foundation
import PolicyEngine

/// An encounter with a person and the enforcement action contemplated. Its facts, together with
/// the person's filings, the evidence and the steps recorded, are the case the engine decides.
public final class Encounter: Model, @unchecked Sendable {
    public static let schema = "encounters"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "office") public var office: String
    @Field(key: "action") public var action: String
    /// The day of the contemplated action, `YYYY-MM-DD`: it selects the policies in force.
    @Field(key: "as_of") public var asOf: String
    @Field(key: "victim_indicia") public var victimIndicia: [String]
    @Field(key: "immediate_victim_or_witness") public var immediateVictimOrWitness: Bool
    @Field(key: "pending_criminal_case") public var pendingCriminalCase: Bool
    @Field(key: "crime_reported") public var crimeReported: Bool
    @Field(key: "wishes_to_report") public var wishesToReport: Bool
    @Field(key: "detained") public var detained: Bool
    @Field(key: "outside_united_states") public var outsideUnitedStates: Bool
    @Field(key: "law_enforcement_interest") public var lawEnforcementInterest: Bool
    @Field(key: "exceptional_circumstances") public var exceptionalCircumstances: Bool
    @Field(key: "aggravating_factors") public var aggravatingFactors: Bool
    @Field(key: "expedite_in_agency_interest") public var expediteInAgencyInterest: Bool
    @Field(key: "convicted_237a2") public var convicted237a2: Bool
    /// `open` until the enforcement action is recorded, then `action-recorded`.
    @Field(key: "status") public var status: String
    @Field(key: "opened_by") public var openedBy: UUID
    @OptionalField(key: "action_recorded_by") public var actionRecordedBy: UUID?
    @OptionalField(key: "action_recorded_at") public var actionRecordedAt: Date?
    /// The evidence (labels) the recorded action rests on, when the officer named it.
    @OptionalField(key: "action_basis") public var actionBasis: [String]?
    @Field(key: "version") public var version: Int
    /// The version at which the facts last changed (opened, changed, a filing of the person
    /// added): a step recorded at an earlier version rested on other facts, and is owed again.
    @Field(key: "facts_version") public var factsVersion: Int
    /// Who asserted the exceptional circumstances by changing the facts (the opener asserts them
    /// at opening): they do not approve them.
    @OptionalField(key: "circumstances_asserted_by") public var circumstancesAssertedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Children(for: \.$encounter) public var evidence: [EvidenceRecord]
    @Children(for: \.$encounter) public var steps: [StepRecord]
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $person, $office, $action, $asOf, $victimIndicia, $immediateVictimOrWitness, $pendingCriminalCase, $crimeReported,
            $wishesToReport, $detained, $outsideUnitedStates, $lawEnforcementInterest, $exceptionalCircumstances, $aggravatingFactors,
            $expediteInAgencyInterest, $convicted237a2, $status, $openedBy, $actionRecordedBy, $actionRecordedAt, $actionBasis, $version,
            $factsVersion, $circumstancesAssertedBy, $createdAt, $updatedAt, $evidence, $steps
        ]
    }

    public static let open = "open"
    public static let actionRecorded = "action-recorded"

    public init() {}

    public init(personID: UUID, office: String, action: Action, asOf: CalendarDate, openedBy: UUID) {
        $person.id = personID
        self.office = office
        self.action = action.spelling
        self.asOf = asOf.description
        victimIndicia = []
        immediateVictimOrWitness = false
        pendingCriminalCase = false
        crimeReported = false
        wishesToReport = false
        detained = false
        outsideUnitedStates = false
        lawEnforcementInterest = false
        exceptionalCircumstances = false
        aggravatingFactors = false
        expediteInAgencyInterest = false
        convicted237a2 = false
        status = Self.open
        self.openedBy = openedBy
        version = 1
        factsVersion = 1
    }
}
