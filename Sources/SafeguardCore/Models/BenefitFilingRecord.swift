import FluentKit
import Foundation
import PolicyEngine

/// A victim-based benefit filing of a person, and how it was verified in agency records. A filing
/// without a verification is only a claim: the engine sees it as not *known*.
public final class BenefitFilingRecord: Model, @unchecked Sendable {
    public static let schema = "benefit_filings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "type") public var type: String
    @Field(key: "role") public var role: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "receipt_number") public var receiptNumber: String?
    @OptionalField(key: "filed_on") public var filedOn: String?
    @OptionalField(key: "decided_on") public var decidedOn: String?
    /// The system the filing was confirmed in, who confirmed it and when; nil while unverified.
    @OptionalField(key: "verification_source") public var verificationSource: String?
    @OptionalField(key: "verified_by") public var verifiedBy: UUID?
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    /// What the last verification of this filing found (`VerificationOutcome`); a filing not found
    /// is no longer part of the person's case.
    @OptionalField(key: "verification_outcome") public var verificationOutcome: String?
    /// The source's answer the last verification rests on, as received, when it was made at the
    /// source (`CaseWorkflow.verifyAtSource`); nil for one recorded by hand.
    @OptionalField(key: "verification_answer") public var verificationAnswer: String?
    /// When a source was last asked about the filing, whatever it answered (`refreshKnownFilings`).
    @OptionalField(key: "source_asked_at") public var sourceAskedAt: Date?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $person, $type, $role, $status, $receiptNumber, $filedOn, $decidedOn, $verificationSource, $verifiedBy, $verifiedAt,
            $verificationOutcome, $verificationAnswer, $sourceAskedAt, $version, $createdAt
        ]
    }

    public init() {}

    public init(personID: UUID, type: BenefitType, role: BenefitRole, status: BenefitStatus, receiptNumber: String?, filedOn: String?) {
        $person.id = personID
        self.type = type.spelling
        self.role = role.spelling
        self.status = status.spelling
        self.receiptNumber = receiptNumber
        self.filedOn = filedOn
        version = 1
    }

    public var isVerified: Bool { verifiedAt != nil }
}
