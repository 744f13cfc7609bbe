import Foundation

/// A person's identity as the API shows it.
public struct PersonView: Codable, Sendable {
    public var id: UUID
    public var aNumber: String
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: String
    public var country: String
    public var version: Int

    public init(_ person: Person) throws {
        id = try person.requireID()
        (aNumber, givenName, familyName) = (person.aNumber, person.givenName, person.familyName)
        (dateOfBirth, country, version) = (person.dateOfBirth, person.country, person.version)
    }
}
