import FluentKit
import Foundation

/// A step the policies require before an action, as done and recorded by someone entitled to it:
/// an OPLA consultation (attorney, advice), an exceptional-circumstances approval (approver,
/// justification), a law-enforcement deconfliction (agency, contact, outcome) or a benefit
/// verification (system checked, result, the filing).
public final class StepRecord: Model, @unchecked Sendable {
    public static let schema = "step_records"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "encounter_id") public var encounter: Encounter
    @Field(key: "step") public var step: String
    @Field(key: "recorded_by") public var recordedBy: UUID
    @Field(key: "recorded_role") public var recordedRole: String
    /// What the step found, in the words of the person who did it: the advice, the justification,
    /// the outcome of the deconfliction, or the result of the verification.
    @Field(key: "summary") public var summary: String
    /// The attorney consulted, the approver, the agency contact, or the records system checked.
    @Field(key: "counterpart") public var counterpart: String
    /// For a benefit verification: the filing checked and what the source's records say of it
    /// (`confirmed` is whether they confirmed it, kept for the records written before outcomes).
    @OptionalParent(key: "filing_id") public var filing: BenefitFilingRecord?
    @OptionalField(key: "confirmed") public var confirmed: Bool?
    /// What the step found: a verification's `VerificationOutcome`, a consultation's `ConsultationAdvice`.
    @OptionalField(key: "outcome") public var outcome: String?
    /// For an adverse step: the evidence (labels) it rests on.
    @OptionalField(key: "basis") public var basis: [String]?
    /// A declined exceptional-circumstances approval: recorded with its reason, not done.
    @Field(key: "declined") public var declined: Bool
    /// The encounter's version once the step was recorded: the step rests on the facts as they
    /// were then, and counts only while they have not changed since (`Encounter.factsVersion`).
    @Field(key: "encounter_version") public var encounterVersion: Int
    /// For an OPLA consultation: the digest of the facts it was given on (`CaseFacts.factsDigest`).
    @OptionalField(key: "facts_digest") public var factsDigest: String?
    @Timestamp(key: "recorded_at", on: .create) public var recordedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $encounter, $step, $recordedBy, $recordedRole, $summary, $counterpart, $filing, $confirmed, $outcome, $basis, $declined,
            $encounterVersion, $factsDigest, $recordedAt
        ]
    }

    public init() {}

    public init(encounterID: UUID, encounterVersion: Int, step: String, recordedBy: UUID, recordedRole: String, summary: String, counterpart: String,
                filingID: UUID? = nil, outcome: VerificationOutcome? = nil, advice: ConsultationAdvice? = nil, declined: Bool = false) {
        $encounter.id = encounterID
        self.encounterVersion = encounterVersion
        self.step = step
        self.recordedBy = recordedBy
        self.recordedRole = recordedRole
        self.summary = summary
        self.counterpart = counterpart
        $filing.id = filingID
        self.outcome = outcome?.rawValue ?? advice?.rawValue
        confirmed = outcome.map { $0 == .confirmed }
        self.declined = declined
    }
}
