import FluentKit
import Foundation

/// For a set of people: whose protected data a user, with the purpose they stated, is shown. A
/// person's protected data is shown unless the person is protected (`ProtectedData`) and the user
/// is not entitled to it for that purpose (`Disclosure`).
public struct PeopleDisclosure: Sendable {
    public let protected: Set<UUID>
    public let entitled: Bool

    public func shows(_ personID: UUID) -> Bool { entitled || !protected.contains(personID) }
}

extension Disclosure {
    /// What this user may see of these people's records.
    public func people(_ personIDs: [UUID], on database: any Database) async throws -> PeopleDisclosure {
        PeopleDisclosure(protected: try await ProtectedData.protectedPeople(among: personIDs, on: database), entitled: entitled)
    }

    /// Whether this user sees one person's protected data.
    public func shows(_ personID: UUID, on database: any Database) async throws -> Bool {
        try await people([personID], on: database).shows(personID)
    }
}
