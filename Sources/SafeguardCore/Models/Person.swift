import FluentKit
import Foundation

/// A subject of enforcement: the person an encounter is about.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"

    @ID(key: .id) public var id: UUID?
    /// Alien registration number, `A` and 8 or 9 digits.
    @Field(key: "a_number") public var aNumber: String
    @Field(key: "given_name") public var givenName: String
    @Field(key: "family_name") public var familyName: String
    /// `YYYY-MM-DD`
    @Field(key: "date_of_birth") public var dateOfBirth: String
    @Field(key: "country") public var country: String
    /// The office that keeps the record (`PersonReach`): the one whose user created it.
    @Field(key: "office") public var office: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Children(for: \.$person) public var filings: [BenefitFilingRecord]
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $aNumber, $givenName, $familyName, $dateOfBirth, $country, $office, $version, $createdAt, $updatedAt, $filings
        ]
    }

    /// The office of a person stored before people had one, with no trace of who created them.
    public static let keptByNoOffice = ""

    public init() {}

    public init(id: UUID? = nil, aNumber: String, givenName: String, familyName: String, dateOfBirth: String, country: String, office: String) {
        self.id = id
        self.aNumber = aNumber
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.country = country
        self.office = office
        version = 1
    }
}
