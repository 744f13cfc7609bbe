import Foundation

/// A person's identity as the API shows it, and the office that keeps the record (none for a
/// person stored before offices kept people, with no trace of who created them).
public struct PersonView: Codable, Sendable {
    public var id: UUID
    public var aNumber: String
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: String
    public var country: String
    public var office: String?
    public var version: Int

    public init(_ person: Person) throws {
        id = try person.requireID()
        (aNumber, givenName, familyName) = (person.aNumber, person.givenName, person.familyName)
        (dateOfBirth, country, version) = (person.dateOfBirth, person.country, person.version)
        office = person.office == Person.keptByNoOffice ? nil : person.office
    }
}
