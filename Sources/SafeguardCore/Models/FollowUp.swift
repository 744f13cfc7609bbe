import FluentKit
import Foundation

/// Something the policies call for after or beside the decision: a referral of an unreported
/// crime, an expedited-adjudication request to USCIS, a Continued Presence request, or a parole
/// (I-131) request for a person abroad; each with its recipient, justification and status.
public final class FollowUp: Model, @unchecked Sendable {
    public static let schema = "follow_ups"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "encounter_id") public var encounter: Encounter
    @Field(key: "kind") public var kind: String
    /// The agency or office it goes to: a police department, USCIS, a field office.
    @Field(key: "recipient") public var recipient: String
    /// Why, in the terms the policy in force asks for (for an expedite request under the 2025
    /// guidance, why it is in ICE's interest).
    @Field(key: "justification") public var justification: String
    @Field(key: "status") public var status: String
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $encounter, $kind, $recipient, $justification, $status, $createdBy, $version, $createdAt, $updatedAt
        ]
    }

    public init() {}

    public init(encounterID: UUID, kind: FollowUpKind, recipient: String, justification: String, createdBy: UUID) {
        $encounter.id = encounterID
        self.kind = kind.rawValue
        self.recipient = recipient
        self.justification = justification
        status = FollowUpStatus.requested.rawValue
        self.createdBy = createdBy
        version = 1
    }
}

/// The follow-ups the policies name, and the part of a decision that calls for each.
public enum FollowUpKind: String, CaseIterable, Sendable {
    case unreportedCrimeReferral = "unreported-crime-referral"
    case expeditedAdjudicationRequest = "expedited-adjudication-request"
    case continuedPresenceRequest = "continued-presence-request"
    case paroleRequest = "parole-request"

    /// The duty or option of a decision (contract spelling) that this follow-up acts on.
    public var decisionTerm: String {
        switch self {
        case .unreportedCrimeReferral: "refer-unreported-crime"
        case .expeditedAdjudicationRequest: "expedited-adjudication-request"
        case .continuedPresenceRequest: "continued-presence"
        case .paroleRequest: "parole"
        }
    }
}

/// Where a follow-up stands. `requested` → `submitted` → `granted` or `denied`; `withdrawn` from
/// either of the first two.
public enum FollowUpStatus: String, CaseIterable, Sendable {
    case requested, submitted, granted, denied, withdrawn

    public func canMove(to next: FollowUpStatus) -> Bool {
        switch (self, next) {
        case (.requested, .submitted), (.requested, .withdrawn), (.submitted, .granted), (.submitted, .denied), (.submitted, .withdrawn): true
        default: false
        }
    }
}
