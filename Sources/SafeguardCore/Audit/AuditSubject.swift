import FluentKit
import Foundation

/// The person a record is about, found from the record's name (`kind/id`): for an audit record
/// that knows only what was asked for, a refusal. Every other record names its subject where it
/// is written, from what the write already read.
public enum AuditSubject {
    /// The person `object` is about; nil for a record that is about no person, or is not there.
    public static func person(of object: String, on database: any Database) async throws -> UUID? {
        let parts = object.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return nil }
        switch parts[0] {
        case "person": return try await Person.find(id, on: database)?.id
        case "encounter": return try await Encounter.find(id, on: database)?.$person.id
        case "filing": return try await BenefitFilingRecord.find(id, on: database)?.$person.id
        case "follow-up":
            guard let followUp = try await FollowUp.find(id, on: database) else { return nil }
            return try await Encounter.find(followUp.$encounter.id, on: database)?.$person.id
        default: return nil
        }
    }
}
