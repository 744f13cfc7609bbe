import FluentKit
import Foundation

/// A call to the hotline. There is no field for the caller's immigration status: the intake never
/// asks for it. The caller's name and contact are protected like § 1367 data (`HotlineDisclosure`).
public final class HotlineCall: Model, @unchecked Sendable {
    public static let schema = "hotline_calls"

    @ID(key: .id) public var id: UUID?
    @Field(key: "office") public var office: String
    @Field(key: "category") public var category: String
    /// What the caller reported, in the specialist's words.
    @Field(key: "narrative") public var narrative: String
    @OptionalField(key: "caller_name") public var callerName: String?
    @OptionalField(key: "caller_contact") public var callerContact: String?
    /// What happens next, and who does it.
    @Field(key: "follow_up") public var followUp: String
    /// The agency or field office the call was referred to.
    @OptionalField(key: "referral") public var referral: String?
    @Field(key: "status") public var status: String
    @Field(key: "taken_by") public var takenBy: UUID
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $office, $category, $narrative, $callerName, $callerContact, $followUp, $referral, $status, $takenBy, $version,
            $createdAt, $updatedAt
        ]
    }

    public init() {}

    public init(office: String, category: CallCategory, narrative: String, callerName: String?, callerContact: String?, followUp: String,
                referral: String?, takenBy: UUID) {
        self.office = office
        self.category = category.rawValue
        self.narrative = narrative
        self.callerName = callerName
        self.callerContact = callerContact
        self.followUp = followUp
        self.referral = referral
        status = (referral == nil ? CallStatus.open : CallStatus.referred).rawValue
        self.takenBy = takenBy
        version = 1
    }
}
