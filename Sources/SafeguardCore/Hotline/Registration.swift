import FluentKit
import Foundation

/// A victim's or witness's request to be told when a detained person's custody changes or their
/// case ends. It names the detainee only as the custody feed does (an A-number or a detention id),
/// never links to the detainee's records: nothing on the detainee's side leads to the registrant.
public final class Registration: Model, @unchecked Sendable {
    public static let schema = "registrations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "office") public var office: String
    @Field(key: "detainee_reference") public var detaineeReference: String
    @Field(key: "detainee_id") public var detaineeID: String
    @Field(key: "registrant_name") public var registrantName: String
    /// `victim` or `witness`.
    @Field(key: "relationship") public var relationship: String
    @Field(key: "language") public var language: String
    /// The registrant agreed to be contacted on the channels given; a registration needs it.
    @Field(key: "consent") public var consent: Bool
    @Field(key: "status") public var status: String
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?
    /// SHA-256 of the PIN that confirms a voice notice, when a voice channel is registered.
    @OptionalField(key: "voice_pin_hash") public var voicePINHash: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $office, $detaineeReference, $detaineeID, $registrantName, $relationship, $language, $consent, $status, $withdrawnAt,
            $voicePINHash, $createdBy, $version, $createdAt, $updatedAt
        ]
    }

    public static let active = "active"
    public static let withdrawn = "withdrawn"

    public init() {}
}

/// A way to reach a registrant. Notices go only to a channel once it is confirmed (the registrant
/// answered on it), and to each confirmed channel.
public final class RegistrationChannel: Model, @unchecked Sendable {
    public static let schema = "registration_channels"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "registration_id") public var registration: Registration
    @Field(key: "kind") public var kind: String
    /// The phone number or email address.
    @Field(key: "address") public var address: String
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    @OptionalField(key: "confirmed_by") public var confirmedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] { [$id, $registration, $kind, $address, $confirmedAt, $confirmedBy, $createdAt] }

    public init() {}

    public init(registrationID: UUID, kind: ChannelKind, address: String) {
        $registration.id = registrationID
        self.kind = kind.rawValue
        self.address = address
    }
}
